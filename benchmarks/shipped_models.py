"""Pass@1 of the shipped models on the embedded test split (issue 5's outcome figure).

Proves micro-test with models/rir-micro (bi-level best-first search) and
models/flat-micro (flat best-first search, the ReProver baseline) through
`rir eval`'s machinery, each worker a process on one core, and prints the two
side by side. Results go to OUT/{rir,flat}.jsonl, so a rerun resumes; plot them
with `rir report OUT/rir.jsonl OUT/flat.jsonl --out OUT/report`.

    python benchmarks/shipped_models.py [--timeout 60] [--workers 2] [--untargeted] [--out runs/shipped]

Goal: the co-trained model proves at least 50% of micro-test at 60 s per theorem.
`--untargeted` runs it as the README's main command does (planner targets plus
untargeted tactics, which the shipped model was trained for).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lean_env.errors import RirError
from lean_env.theorem_sets import load_theorem_set
from rir.prover import ProverSettings
from rir.report import markdown_table, summarize
from rir.evaluation import evaluate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theorems", default="micro-test")
    parser.add_argument("--num-theorems", type=int)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per theorem")
    parser.add_argument("--workers", type=int, default=2, help="worker processes, one core each")
    parser.add_argument("--search", default="bfs", choices=("bfs", "mcts"))
    parser.add_argument("--untargeted", action="store_true",
                        help="rir: also ask the actor for tactics without a target (rir-untargeted.jsonl)")
    parser.add_argument("--out", default="runs/shipped")
    args = parser.parse_args()
    theorems = load_theorem_set(args.theorems)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summaries = []
    try:
        for mode in ("rir", "flat"):
            untargeted = args.untargeted and mode == "rir"
            settings = ProverSettings(mode=mode, search=args.search, timeout=args.timeout, untargeted=untargeted)
            name = f"{mode}-untargeted" if untargeted else mode
            run = evaluate(theorems, settings, out / f"{name}.jsonl", workers=args.workers,
                           num_theorems=args.num_theorems)
            summaries.append(summarize(run.records, name=f"{name}-micro ({args.search})"))
    except RirError as e:
        print(f"shipped_models: {e}", file=sys.stderr)
        return 2
    print(markdown_table(summaries))
    for s in summaries:
        print(f"{s.name}: pass@1 {s.pass_at_1:.1%} on {args.theorems} at {args.timeout:.0f}s per theorem")
    return 0


if __name__ == "__main__":
    sys.exit(main())
