"""Train the planner and actor (or the flat baseline) on traced proofs.

Reads a YAML config (see configs/), applies `key=value` overrides, trains with
PyTorch Lightning and writes a Lightning checkpoint (OUT/last.ckpt, for
--resume) and a Hugging Face model (OUT/model, or export_dir) for `rir prove`.

  rir train --config configs/micro_rir.yaml max_steps=200 lr=3e-4 --out runs/micro_rir
  rir train --config configs/micro_rir.yaml max_steps=400 --out runs/micro_rir --resume
"""
from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("overrides", nargs="*", metavar="KEY=VALUE",
                        help="config overrides, e.g. max_steps=200 lr=3e-4 mode=flat")
    parser.add_argument("--config", metavar="YAML", help="training config (defaults apply without one)")
    parser.add_argument("--out", metavar="DIR", help="output dir (sets out_dir)")
    parser.add_argument("--resume", action="store_true",
                        help="continue from OUT/last.ckpt: same step count, optimizer and schedule")
    parser.add_argument("--force", action="store_true",
                        help="train afresh into an --out that already holds a checkpoint or model")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")


def run(args: argparse.Namespace) -> int:
    from training.config import load_config
    from training.run import check_output, train

    overrides = list(args.overrides) + ([f"out_dir={args.out}"] if args.out else [])
    config = load_config(args.config, overrides)
    check_output(config, args.resume, args.force)
    summary = train(config, resume=args.resume, progress=not args.no_progress)
    if args.json:
        print(json.dumps(summary.to_dict()))
        return 0
    loss = "n/a" if summary.final_loss is None else f"{summary.final_loss:.4f}"
    print(f"trained {config.mode} model for {summary.steps} steps on {summary.train_triples} triples "
          f"({summary.skipped_entries} malformed entries skipped) in {summary.seconds:.1f} s")
    print(f"final loss {loss}, {summary.examples_per_second:.1f} examples/s")
    for name, value in sorted(summary.val_metrics.items()):
        print(f"{name} {value:.4f}")
    print(f"model: {summary.model_dir}")
    print(f"checkpoint: {summary.checkpoint}")
    return 0
