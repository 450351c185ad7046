"""The held-out measurement of self-play: `rir eval`'s pass@1 on the held-out statements
that open on the embedded engine, reported theorem by theorem.

Beam search as `rir eval` runs it, capped in expansions (heldout_expansions) so the
figure does not depend on the machine's load; the results file is `rir eval`'s and
resumes the same way. Only statements that open are measured (miniF2F-test: 101 of 244),
the first `heldout_theorems` of them in rir eval's order (HeldoutConfig).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from lean_env.protocol import Environment
from lean_env.theorem_sets import load_theorem_set
from lean_env.theorems import Theorem
from training.heldout_guard import default_heldout, that_open
from training.selfplay_config import SelfPlayConfig


@dataclass
class _Reporting:
    """A prover that reports each result as it comes (inline evaluation only)."""

    prover: object
    report: Callable[[object], None]

    def prove(self, theorem: Theorem):
        result = self.prover.prove(theorem)
        self.report(result)
        return result

    def __getattr__(self, name):
        return getattr(self.prover, name)


@dataclass
class Heldout:
    config: SelfPlayConfig
    env: Environment
    progress: Callable[[str], None]

    @property
    def set_name(self) -> str | None:
        name = self.config.heldout.heldout_set
        return default_heldout(self.config.seed_theorems) if name == "auto" else name

    @functools.cached_property
    def theorems(self) -> list[Theorem]:
        """The held-out statements measured: those that open, the first N in rir eval's order."""
        from rir.evaluation.loop import order_theorems

        if not self.set_name:
            return []
        everything = load_theorem_set(self.set_name)
        return order_theorems(that_open(everything, self.env), self.config.heldout.heldout_theorems)

    def pass_rate(self, model: Path, results: Path, label: str) -> float | None:
        """Pass@1 of `model` on the held-out statements (results kept in `results`)."""
        c, h = self.config, self.config.heldout
        if not self.set_name:
            return None
        from rir.evaluation import evaluate
        from rir.evaluation.pools import RirProver
        from rir.prover import ProverSettings

        # The model alone, as the searches that trained it (training/estimate.py).
        settings = ProverSettings(search=c.search, mode=c.mode, model=str(model), timeout=h.heldout_timeout,
                                  flat_actor=None, max_expansions=h.heldout_expansions, untargeted=c.untargeted)
        todo, proved, done = self.theorems, 0, 0
        if not todo:
            return None

        def tick(result) -> None:
            nonlocal proved, done
            done, proved = done + 1, proved + (result.status == "proved")
            self.progress(f"held-out ({label}) on {self.set_name}: {done}/{len(todo)} theorems, {proved} proved")

        self.progress(f"held-out ({label}) on {self.set_name}: {len(todo)} statements that open, "
                      f"{h.heldout_expansions} expansions each")
        if h.heldout_workers == 0:
            run = evaluate(todo, settings, results, workers=0, progress=False,
                           prover_factory=lambda s: _Reporting(RirProver(s), tick))
        else:  # a pool's results come back in chunks: one line per chunk
            chunk = 2 * h.heldout_workers
            for end in range(chunk, len(todo) + chunk, chunk):
                run = evaluate(todo[:end], settings, results, workers=h.heldout_workers, progress=False)
                done, proved = len(run.records), sum(r.status == "proved" for r in run.records)
                self.progress(f"held-out ({label}) on {self.set_name}: {done}/{len(todo)} theorems, {proved} proved")
        return sum(r.status == "proved" for r in run.records) / len(run.records) if run.records else None
