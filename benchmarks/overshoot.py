"""How far searches overrun their time budget (issue 27, item 7).

Proves a theorem set with the shipped co-trained model (models/rir-micro, planner
targets plus untargeted tactics) through `rir eval`'s machinery at each budget,
and for the searches that stopped on the clock (reason `timeout: ...`) gives the
overshoot, wall time minus budget as a percentage of the budget: p50, p99 and max
(nearest rank: with fewer than 100 searches p99 is the largest but one or the max).
A search's wall time is its `total_time`: from opening the theorem to the end
of the search. Results go to OUT/t<budget>.jsonl, so a rerun resumes.

    python benchmarks/overshoot.py [--theorems micro-test] [--num-theorems 20]
                                   [--budgets 3 10] [--workers 1] [--out runs/overshoot]

Sized for a shared 2-core machine: 20 theorems at 3 s and 10 s take about five minutes.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from lean_env.errors import RirError
from lean_env.theorem_sets import load_theorem_set
from rir.evaluation import evaluate
from rir.prover import ProverSettings
from search.result import SearchResult


@dataclass
class Overshoot:
    budget: float
    searches: int  # all searches at this budget
    timed_out: int  # of those, the ones the clock stopped
    p50: float  # % of the budget
    p99: float
    max: float


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def overshoot(results: list[SearchResult], budget: float) -> Overshoot:
    """The overshoot distribution of the searches in `results` stopped by the clock."""
    over = [100 * (r.stats.total_time - budget) / budget for r in results
            if (r.reason or "").startswith("timeout")]
    if not over:
        return Overshoot(budget, len(results), 0, math.nan, math.nan, math.nan)
    return Overshoot(budget, len(results), len(over), percentile(over, 50), percentile(over, 99), max(over))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theorems", default="micro-test", help="theorem set (name or file)")
    parser.add_argument("--num-theorems", type=int, default=20, help="first N in rir eval's order")
    parser.add_argument("--budgets", type=float, nargs="+", default=[3.0, 10.0], help="seconds per theorem")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (0: in this process)")
    parser.add_argument("--out", default="runs/overshoot", help="folder of the results files")
    args = parser.parse_args()
    rows = []
    try:
        theorems = load_theorem_set(args.theorems)
        for budget in args.budgets:
            settings = ProverSettings(timeout=budget, untargeted=True)
            run = evaluate(theorems, settings, Path(args.out) / f"t{budget:g}.jsonl",
                           workers=args.workers, num_theorems=args.num_theorems, progress=False)
            rows.append(overshoot(run.records, budget))
    except RirError as e:
        print(f"overshoot: {e}", file=sys.stderr)
        return 2
    print("| budget (s) | searches | stopped by the clock | p50 overshoot | p99 | max |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r.budget:g} | {r.searches} | {r.timed_out} | {r.p50:+.1f}% | {r.p99:+.1f}% | {r.max:+.1f}% |")
    print(json.dumps([asdict(r) for r in rows]).replace("NaN", "null"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
