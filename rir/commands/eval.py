"""Evaluate a prover on a theorem set: one JSON line per theorem, resumable, in parallel.

Rerunning with the same --out skips the theorems already there, so a killed run
loses at most the theorems in flight. A results file holds one experiment: other
settings (e.g. another --timeout) are refused unless --force, which adds the new
results to it (theorems already there are still skipped). Exit 0 when the run
completes, whatever the pass rate; 2 on bad input.

Test seam: RIR_EVAL_PROVER=module:callable replaces the real prover factory
(search.evaluate.RirProver) with any callable(settings) -> Prover; the tests use
it to run fake provers that sleep or crash.
"""
from __future__ import annotations

import importlib
import os
import sys

from lean_env import BACKENDS
from lean_env.errors import BadInput
from rir.prover import MODES, SEARCHES, parse_env_options

PROVER_ENV = "RIR_EVAL_PROVER"


def add_arguments(parser) -> None:
    parser.add_argument("--theorems", required=True, metavar="SET",
                        help="a named set (micro-test, minif2f-valid, ...) or a JSONL/JSON path")
    parser.add_argument("--out", required=True, metavar="RESULTS.jsonl", help="results file (appended)")
    parser.add_argument("--backend", default="embedded", choices=BACKENDS)
    parser.add_argument("--search", default="bfs", choices=SEARCHES)
    parser.add_argument("--mode", default="rir", choices=MODES)
    parser.add_argument("--model", help="checkpoint (default: the shipped model for --mode)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per theorem (default 60)")
    parser.add_argument("--max-expansions", type=int, help="expansions per theorem")
    parser.add_argument("--num-targets", type=int, default=5, help="planner targets per expansion")
    parser.add_argument("--num-tactics", type=int, default=8, help="actor tactics per target")
    parser.add_argument("--untargeted", action="store_true",
                        help="rir: also ask the actor for tactics without a target at each expansion "
                             "(for models co-trained with flat_weight > 0, such as the shipped one)")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--max-env-calls", type=int, help="environment calls per theorem")
    parser.add_argument("--device", help="torch device of each worker's model (cpu, cuda, ...)")
    parser.add_argument("--env-option", action="append", metavar="KEY=VALUE",
                        help="backend option, repeatable (e.g. timeout=120 for dojo; "
                             "project_dir=PATH or memory_limit_mb=8192 for repl)")
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
        from search.evaluate import RirProver

        return RirProver
    module, _, name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as e:
        raise BadInput(f"{PROVER_ENV}={spec}: no such callable ({e})") from None


def run(args) -> int:
    from rich.console import Console

    from lean_env.theorem_sets import load_theorem_set
    from rir.prover import ProverSettings
    from rir.report import rich_tables, summarize
    from search.evaluate import evaluate

    if args.num_theorems is not None and args.num_theorems < 0:
        raise BadInput(f"--num-theorems must be at least 0, got {args.num_theorems}")
    if args.num_gpus and args.ray is None:
        raise BadInput("--num-gpus shares GPUs between Ray actors: add --ray")
    settings = ProverSettings(
        backend=args.backend, search=args.search, mode=args.mode, model=args.model,
        timeout=args.timeout, max_expansions=args.max_expansions,
        max_env_calls=args.max_env_calls, num_targets=args.num_targets,
        num_tactics=args.num_tactics, untargeted=args.untargeted, seed=args.seed, device=args.device,
        env_options=parse_env_options(args.env_option))
    theorems = load_theorem_set(args.theorems)
    if not theorems:
        raise BadInput(f"theorem set '{args.theorems}' has no theorems")
    result = evaluate(
        theorems, settings, args.out, workers=args.workers, num_theorems=args.num_theorems,
        force=args.force, ray=args.ray is not None, ray_address=args.ray or None,
        num_gpus=args.num_gpus, prover_factory=prover_factory(), progress=not args.quiet)
    console = Console(stderr=False)
    for table in rich_tables([summarize(result.records, name=str(args.out))]):
        console.print(table)
    print(f"{result.attempted} theorems proved or tried in {result.elapsed:.1f}s, "
          f"{result.resumed} already in {args.out}", file=sys.stderr)
    return 0
