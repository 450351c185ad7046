"""Batch evaluation: prove a theorem set into a results file, resumably, in parallel.

The loop orders the theorems, skips those already in the results file
(rir.evaluation.results), hands the rest to a pool (rir.evaluation.pools) and
appends each record as it arrives.
"""
from __future__ import annotations

import hashlib
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from lean_env.errors import BadInput
from lean_env.theorems import Theorem
from rir.evaluation.pools import ProcessPool, ProverFactory, RirProver, run_inline
from rir.evaluation.ray_pool import RayPool
from rir.evaluation.results import STATUSES, ResultsFile
from rir.prover import ProverSettings
from search.result import SearchResult

log = logging.getLogger("rir")


@dataclass
class EvalRun:
    """What `evaluate` did: all records of the selected theorems, in theorem order."""

    records: list[SearchResult]
    resumed: int  # theorems already in the results file, skipped
    attempted: int  # theorems proved (or tried) in this run
    elapsed: float  # wall-clock seconds of this run


# ---------------------------------------------------------------- ordering


def theorem_key(theorem: Theorem) -> str:
    """ReProver's deterministic order (prover/evaluate.py): md5 of `file_path:full_name`."""
    return hashlib.md5(f"{theorem.file_path or ''}:{theorem.full_name}".encode()).hexdigest()


def order_theorems(theorems: Iterable[Theorem], num_theorems: int | None = None) -> list[Theorem]:
    ordered = sorted(theorems, key=theorem_key)
    return ordered if num_theorems is None else ordered[:num_theorems]


# ---------------------------------------------------------------- the loop


def evaluate(theorems: Iterable[Theorem], settings: ProverSettings, out: str | Path, *,
             workers: int = 1, num_theorems: int | None = None, force: bool = False,
             ray: bool = False, ray_address: str | None = None, num_gpus: float = 0.0,
             prover_factory: ProverFactory = RirProver, progress: bool = True) -> EvalRun:
    """Prove the theorems not yet in `out`, appending one line each; return all their records.

    workers=0 proves in this process; ray=True runs `workers` Ray actors (local Ray
    when `ray_address` is None). `force` allows adding to a file of other settings.
    """
    start = time.perf_counter()
    out = Path(out)
    if workers < 0 or (ray and workers == 0):
        raise BadInput(f"--workers must be at least {1 if ray else 0}, got {workers}")
    selected = order_theorems(unique_theorems(theorems), num_theorems)
    with ResultsFile(out, settings, force) as results_file:
        existing = {r.theorem: r for r in results_file.records}
        # An error from Lean's side, not the theorem's (record "retry"), is tried again.
        todo = [t for t in selected if t.full_name not in existing or existing[t.full_name].retry]
        resumed = len(selected) - len(todo)
        if resumed:
            log.info("%s: %d of %d theorems already done, %d to go", out, resumed, len(selected), len(todo))
        if todo:
            setup_backend(settings, todo, progress)
            if ray:
                results = RayPool(workers, settings, prover_factory, ray_address, num_gpus).run(todo)
            elif workers == 0:
                results = run_inline(todo, settings, prover_factory)
            else:
                results = ProcessPool(workers, settings, prover_factory).run(todo)
            _drain(results, results_file, existing, len(todo), progress)
    records = [existing[t.full_name] for t in selected if t.full_name in existing]
    return EvalRun(records, resumed, len(todo), time.perf_counter() - start)


def setup_backend(settings: ProverSettings, theorems: list[Theorem], progress: bool) -> None:
    """The backend's one-time setup (build, fetch, trace), here, before any worker starts;
    a SetupError stops the run before a single theorem is tried."""
    if settings.backend == "embedded":
        return
    from rich.console import Console

    from rir.prover import build_env

    message = (f"setting up the {settings.backend} backend (the first time this builds or fetches "
               "Lean, Mathlib and traces: minutes to hours)")
    log.info("%s", message)
    with Console(stderr=True).status(message) if progress else _nothing(), build_env(settings) as env:
        env.setup(theorems)


@contextmanager
def _nothing():
    yield


def unique_theorems(theorems: Iterable[Theorem]) -> list[Theorem]:
    """The theorems with each full name once (the first kept): results are keyed by name."""
    seen: dict[str, Theorem] = {}
    duplicates: list[str] = []
    for theorem in theorems:
        if theorem.full_name in seen:
            duplicates.append(theorem.full_name)
        else:
            seen[theorem.full_name] = theorem
    if duplicates:
        names = sorted(set(duplicates))
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        log.warning("the theorem set names %d theorem(s) more than once (%s): each runs once",
                    len(names), shown)
    return list(seen.values())


def _drain(results: Iterator[SearchResult], writer: ResultsFile, existing: dict[str, SearchResult],
           total: int, progress: bool) -> None:
    """Write each record as it arrives, with a progress bar of the counts so far."""
    from tqdm import tqdm

    counts = dict.fromkeys(STATUSES, 0)
    with tqdm(total=total, desc="eval", unit="thm", disable=not progress, dynamic_ncols=True) as bar:
        for result in results:
            writer.append(result)
            existing[result.theorem] = result
            counts[result.status] += 1
            bar.set_postfix(counts, refresh=False)
            bar.update()
