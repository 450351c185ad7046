"""Search overhead: the share of wall time that is neither model nor environment.

Runs bi-level best-first search (rir mode) with the shipped tiny model
(models/rir-micro; `--model tiny` for a randomly initialised PolicyModel.tiny(),
whose outputs are mostly not tactics) on the embedded engine, over the micro test split, each theorem on a short budget, and
sums the statistics every search reports:

    overhead = 1 - (planner + actor + environment time) / total time

The overhead is search bookkeeping (tree, queue, candidates, budget checks) and
everything else the search itself adds; it excludes opening the model.

    python benchmarks/search_overhead.py [--num-theorems 20] [--max-expansions 4] [--search bfs] [--model PATH]

Target: <= 3%.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import fields
from pathlib import Path

from lean_env.errors import RirError
from search.result import SearchStats


def measure(args) -> tuple[SearchStats, dict[str, int]]:
    from lean_env.theorem_sets import load_theorem_set
    from rir.policy import PolicyModel
    from rir.prover import ProverSettings, build_env, build_policy, prove_theorem

    theorems = load_theorem_set(args.theorems)[: args.num_theorems]
    totals, counts = SearchStats(), {}
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = PolicyModel.tiny(seed=0).save(Path(tmp) / "tiny") if args.model == "tiny" else args.model
        settings = ProverSettings(search=args.search, mode=args.mode, model=model_dir and str(model_dir),
                                  timeout=args.timeout, max_expansions=args.max_expansions,
                                  num_targets=args.num_targets, num_tactics=args.num_tactics,
                                  device=args.device)
        policy = build_policy(settings)
        with build_env(settings) as env:
            for thm in theorems:
                result = prove_theorem(env, policy, thm, settings)
                counts[result.status] = counts.get(result.status, 0) + 1
                for f in fields(SearchStats):
                    setattr(totals, f.name, getattr(totals, f.name) + getattr(result.stats, f.name))
    return totals, counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theorems", default="micro-test")
    parser.add_argument("--num-theorems", type=int, default=20)
    parser.add_argument("--search", default="bfs", choices=("bfs", "mcts"))
    parser.add_argument("--mode", default="rir", choices=("rir", "flat"))
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per theorem")
    parser.add_argument("--max-expansions", type=int, default=4)
    parser.add_argument("--num-targets", type=int, default=2)
    parser.add_argument("--num-tactics", type=int, default=4)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--model", help="checkpoint (default: the shipped model for --mode), or 'tiny'")
    args = parser.parse_args()
    try:
        s, counts = measure(args)
    except (RirError, ImportError) as e:
        print(f"search_overhead: cannot run: {e}", file=sys.stderr)
        return 2
    inside = s.planner_time + s.actor_time + s.env_time
    share = 1 - inside / s.total_time if s.total_time else 0.0
    print(f"{sum(counts.values())} theorems of {args.theorems} ({args.search}, {args.mode}): {counts}")
    print(f"planner {s.planner_time:.3f}s  actor {s.actor_time:.3f}s  environment {s.env_time:.3f}s  "
          f"total {s.total_time:.3f}s")
    print(f"{s.expanded_nodes} expansions, {s.total_nodes} nodes, {s.env_calls} environment calls")
    print(f"search overhead: {share:.2%} of wall time (target <= 3%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
