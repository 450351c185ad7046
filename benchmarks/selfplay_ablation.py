"""Self-play against expert iteration, from the shipped model, on the same search budget.

Both arms start from models/rir-micro and run ITERATIONS iterations over the same
seed theorems (the first --num-seeds of micro-train, each with its reference proof
replayed into the training data):
  self-play          the creator evolves the pool where the solver's searches disagree;
  expert iteration   the pool stays the seed theorems (`rir selfplay --expert-iteration`).
Each prints the held-out pass@1 on micro-test after every iteration. Runs live in
OUT/{selfplay,expert}/ and resume like `rir selfplay`.

    python benchmarks/selfplay_ablation.py [--iterations 3] [--num-seeds 48] [--out runs/ablation]

Goal: self-play at least 5 points above expert iteration after the last iteration.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lean_env.errors import RirError
from lean_env.theorem_sets import load_theorem_set
from lean_env.theorems import write_theorems
from training.selfplay import SelfPlay, SelfPlayConfig


def arm(args, name: str, creator: bool, seeds: Path) -> list[dict]:
    config = SelfPlayConfig(
        seed_theorems=str(seeds), out_dir=str(Path(args.out) / name), iterations=args.iterations,
        creator=creator, num_searches=args.num_searches, search_timeout=args.search_timeout,
        max_env_calls=args.max_env_calls, train_steps=args.train_steps,
        heldout_set="micro-test", heldout_theorems=args.heldout_theorems,
        heldout_timeout=args.heldout_timeout, seed=args.seed)
    return SelfPlay(config, progress=lambda msg: print(f"[{name}] {msg}", file=sys.stderr)).run()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--num-seeds", type=int, default=48, help="first N theorems of micro-train")
    parser.add_argument("--num-searches", type=int, default=6)
    parser.add_argument("--search-timeout", type=float, default=10.0)
    parser.add_argument("--max-env-calls", type=int, default=200)
    parser.add_argument("--train-steps", type=int, default=100)
    parser.add_argument("--heldout-theorems", type=int, help="first N of micro-test (default all)")
    parser.add_argument("--heldout-timeout", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="runs/ablation")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    seeds = out / "seeds.jsonl"
    write_theorems(seeds, load_theorem_set("micro-train")[: args.num_seeds])
    try:
        results = {name: arm(args, name, creator, seeds)
                   for name, creator in (("selfplay", True), ("expert", False))}
    except RirError as e:
        print(f"selfplay_ablation: {e}", file=sys.stderr)
        return 2
    print(f"{'iteration':>9}  {'self-play':>9}  {'expert it.':>10}   held-out pass@1 on micro-test")
    for sp, ei in zip(results["selfplay"], results["expert"]):
        print(f"{sp['iteration']:>9}  {sp['heldout_pass_rate']:>9.1%}  {ei['heldout_pass_rate']:>10.1%}")
    gap = results["selfplay"][-1]["heldout_pass_rate"] - results["expert"][-1]["heldout_pass_rate"]
    print(f"self-play minus expert iteration after {args.iterations} iterations: {100 * gap:+.1f} points "
          f"(goal: +5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
