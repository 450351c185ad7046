"""Speed-up of `rir eval` with 2 worker processes over 1, on the embedded micro test split.

Each run proves the same theorems with the shipped model (models/rir-micro; `--model
tiny` for a randomly initialised PolicyModel.tiny()) into a fresh results file; the time includes starting the workers
and loading their models, as a user would see it. Searches are bounded by
--max-expansions (the same work in both runs) rather than by the clock, whose
limit would be reached in parallel and flatter the speed-up.

    python benchmarks/eval_scaling.py [--num-theorems 40] [--max-expansions 6]

Target: >= 1.7x on 2 cores.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from lean_env.theorem_sets import load_theorem_set
from rir.prover import ProverSettings
from rir.evaluation import evaluate


def timed_run(theorems, settings: ProverSettings, workers: int, out: Path, num_theorems: int):
    start = time.perf_counter()
    run = evaluate(theorems, settings, out, workers=workers, num_theorems=num_theorems, progress=False)
    return time.perf_counter() - start, Counter(r.status for r in run.records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theorems", default="micro-test")
    parser.add_argument("--num-theorems", type=int, default=40)
    parser.add_argument("--max-expansions", type=int, default=6)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--workers", type=int, nargs=2, default=(1, 2), metavar=("BASE", "MORE"))
    parser.add_argument("--model", help="checkpoint (default: the shipped rir model), or 'tiny'")
    args = parser.parse_args()

    from rir.policy import PolicyModel

    theorems = load_theorem_set(args.theorems)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model
        if model_dir == "tiny":
            model_dir = str(PolicyModel.tiny(seed=0).save(Path(tmp) / "tiny"))
        settings = ProverSettings(model=model_dir, timeout=args.timeout,
                                  max_expansions=args.max_expansions, num_targets=2, num_tactics=4)
        times = {}
        for workers in args.workers:
            seconds, counts = timed_run(theorems, settings, workers, Path(tmp) / f"w{workers}.jsonl",
                                        args.num_theorems)
            times[workers] = seconds
            print(f"{workers} worker(s): {seconds:6.1f}s  {dict(sorted(counts.items()))}")
    base, more = args.workers
    print(f"speed-up of {more} workers over {base}: {times[base] / times[more]:.2f}x "
          f"({min(args.num_theorems, len(theorems))} theorems of {args.theorems}, "
          f"max {args.max_expansions} expansions each)")


if __name__ == "__main__":
    main()
