"""Training throughput on CPU: examples per second of `rir train` with a config.

    python benchmarks/train_speed.py                      # configs/tiny.yaml, 30 steps
    python benchmarks/train_speed.py --config configs/micro_rir.yaml --steps 10 --threads 2

An example is one (input, output) pair: the rir mode trains two per traced step
(planner and actor), the flat mode one. Data: the config's train_data; when that
is missing, the micro corpus is traced into a temporary dir first (`rir trace micro`).
The timer starts at the first training step, so start-up and model loading are not counted.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]


def trace_micro(out: Path) -> Path:
    from rir import cli

    if cli.main(["trace", "micro", "--out", str(out)]) not in (0, 1):
        raise SystemExit("could not trace the micro corpus")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(REPO / "configs" / "tiny.yaml"))
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("overrides", nargs="*", metavar="KEY=VALUE")
    args = parser.parse_args(argv)

    import logging

    import torch

    from training.config import load_config
    from training.run import train

    logging.getLogger("pytorch_lightning").setLevel(logging.ERROR)
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(args.config, args.overrides)
        if not config.train_sources or not all(Path(p).exists() for p in config.train_sources):
            config = config.with_(train_data=str(trace_micro(Path(tmp) / "traces")))
        config = config.with_(max_steps=args.steps, val_every=10**9, accelerator="cpu", precision="32-true",
                              out_dir=str(Path(tmp) / "run"))
        summary = train(config, progress=False)
    per_step = config.batch_size * config.accumulate_grad_batches
    print(f"config {args.config}: mode {config.mode}, {summary.train_triples} triples, "
          f"{args.steps} steps of {per_step} triples, {args.threads} thread(s)")
    print(f"{summary.examples_per_second:.1f} training examples/s on CPU "
          f"({summary.seconds:.1f} s for the whole fit, final loss {summary.final_loss:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
