"""Evaluate a prover on a theorem set: one JSON line per theorem, resumable, in parallel.

Rerunning with the same --out skips the theorems already there, so a killed run
loses at most the theorems in flight. A results file holds one experiment: other
settings (e.g. another --timeout) are refused unless --force, which adds the new
results to it (theorems already there are still skipped). Exit 0 when the run
completes, whatever the pass rate; 2 on bad input (or when another run holds --out).
"""
from __future__ import annotations

import importlib
import os
import sys

from lean_env.errors import BadInput
from rir.prover import add_settings_arguments, settings_from_args
from search.result import SearchResult

# Test seam (kept out of --help): RIR_EVAL_PROVER=module:callable replaces the real
# prover factory (rir.evaluation.pools.RirProver) with any callable(settings) -> Prover;
# the tests use it to run fake provers that sleep or crash.
PROVER_ENV = "RIR_EVAL_PROVER"


def add_arguments(parser) -> None:
    parser.add_argument("--theorems", required=True, metavar="SET",
                        help="a named set (micro-test, minif2f-valid, ...), a JSONL/JSON path, or a file "
                             "of theorem names, one per line (Mathlib names with --backend dojo)")
    parser.add_argument("--out", required=True, metavar="RESULTS.jsonl", help="results file (appended)")
    add_settings_arguments(parser)
    parser.add_argument("--num-theorems", type=int, metavar="N",
                        help="keep the first N theorems of the deterministic order")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes or Ray actors, each with its own model (0: in this process)")
    parser.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                        help="run the workers as Ray actors; no ADDRESS starts a local Ray")
    parser.add_argument("--num-gpus", type=float, default=0.0,
                        help="GPUs shared by the Ray actors (each gets NUM_GPUS/WORKERS)")
    parser.add_argument("--force", action="store_true",
                        help="add to a results file made with other settings")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def prover_factory():
    """The factory named by RIR_EVAL_PROVER (test seam), else the real prover."""
    spec = os.environ.get(PROVER_ENV)
    if not spec:
        from rir.evaluation.pools import RirProver

        return RirProver
    module, _, name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as e:
        raise BadInput(f"{PROVER_ENV}={spec}: no such callable ({e})") from None


def run(args) -> int:
    from rich.console import Console

    from lean_env.theorem_sets import load_theorem_set
    from rir.report import rich_tables, summarize
    from rir.evaluation import evaluate

    if args.num_theorems is not None and args.num_theorems < 0:
        raise BadInput(f"--num-theorems must be at least 0, got {args.num_theorems}")
    if args.num_gpus and args.ray is None:
        raise BadInput("--num-gpus shares GPUs between Ray actors: add --ray")
    settings = settings_from_args(args)
    theorems = load_theorem_set(args.theorems, settings.backend, settings.env_options)
    if not theorems:
        raise BadInput(f"theorem set '{args.theorems}' has no theorems")
    result = evaluate(
        theorems, settings, args.out, workers=args.workers, num_theorems=args.num_theorems,
        force=args.force, ray=args.ray is not None, ray_address=args.ray or None,
        num_gpus=args.num_gpus, prover_factory=prover_factory(), progress=not args.quiet)
    console = Console(stderr=False)
    for table in rich_tables([summarize(result.records, name=str(args.out))]):
        console.print(table)
    print(pass_at_1_line(result.records))
    print(f"{result.attempted} theorems proved or tried in {result.elapsed:.1f}s, "
          f"{result.resumed} already in {args.out}", file=sys.stderr)
    hint = retry_hint(result.records, args.out)
    if hint:
        print(hint, file=sys.stderr)
    return 0


def retry_hint(records: list[SearchResult], out) -> str | None:
    """What a rerun would retry: errors from Lean's side or a dead worker, not the theorems'."""
    retry = [r for r in records if r.status == "error" and r.retry]
    if not retry:
        return None
    reason = " ".join((retry[0].reason or "no reason given").split())
    return (f"{len(retry)} error(s) came from Lean's side or a dead worker, not the theorem (counted as "
            f"failures); rerun with --out {out} to retry them, e.g. {retry[0].theorem}: {reason}")


def pass_at_1_line(records: list[SearchResult]) -> str:
    """pass@1 over all theorems and over those the backend could open (issue 22: a
    statement outside the embedded fragment is an 'error' whose reason says so)."""
    def unopened(r: SearchResult) -> bool:
        return r.status == "error" and (r.reason or "").startswith("cannot open")

    proved = sum(r.status == "proved" for r in records)
    opened = len(records) - sum(map(unopened, records))

    def pct(n: int) -> str:
        return f"{100 * proved / n:.1f}%" if n else "n/a"

    return (f"pass@1 {pct(len(records))} over all {len(records)} theorems, "
            f"{pct(opened)} over the {opened} that opened")

