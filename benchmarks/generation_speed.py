"""Time one RiR expansion's actor call: batched over targets versus a per-target loop.

One state, G targets (5), n tactics per target (16), with the same tiny ByT5 on
the CPU. The batched call is what `ModelPolicy.act` does (one `generate` over
all G actor inputs); the loop calls `generate` once per target. Prints both
times and their ratio (target: batched >= 2x faster).

    python benchmarks/generation_speed.py [--targets 5] [--tactics 16] [--repeats 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STATE = "a b c : ℕ\nh : a ≤ b\n⊢ a + c ≤ b + c"


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--targets", type=int, default=5, help="targets per state (G)")
    p.add_argument("--tactics", type=int, default=16, help="tactics per target (beam width)")
    p.add_argument("--repeats", type=int, default=3, help="timed runs of each; the median is reported")
    p.add_argument("--max-output-len", type=int, default=64,
                   help="output limit: an untrained model rarely stops before it")
    p.add_argument("--decoding", choices=("beam", "sample"), default="beam")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    p.add_argument("--device", default="cpu")
    return p.parse_args(argv)


def median_seconds(fn, repeats: int) -> float:
    fn()  # warm-up: first-call allocations and kernel selection
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None) -> int:
    args = parse_args(argv)
    import torch

    from rir.policy import PolicyModel, actor_input

    torch.set_num_threads(args.threads)
    model = PolicyModel.tiny(seed=0, max_output_len=args.max_output_len, device=args.device)
    inputs = [actor_input(STATE, f"a b c : ℕ\nh : a ≤ b\n⊢ a ≤ b  -- target {i}") for i in range(args.targets)]
    kw = dict(n=args.tactics, decoding=args.decoding, seed=0)

    batched = median_seconds(lambda: model.generate(inputs, **kw), args.repeats)
    looped = median_seconds(lambda: [model.generate([x], **kw) for x in inputs], args.repeats)
    print(f"device {model.device}, {args.threads} thread(s), {args.decoding}: 1 state x {args.targets} targets "
          f"x {args.tactics} tactics, outputs <= {args.max_output_len} tokens")
    print(f"batched  (1 generate call):  {batched:.3f} s")
    print(f"per-target loop ({args.targets} calls): {looped:.3f} s")
    print(f"speed-up: {looped / batched:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
