"""Self-play: evolve conjectures where the solver's searches disagree, retrain on proofs.

Each iteration writes OUT/iter_NNN/ (conjectures.jsonl with scores, proofs.jsonl,
next_pool.jsonl, triples.jsonl, model/) and a line of OUT/metrics.jsonl; the starting
model's held-out pass rate is OUT/start.json. A rerun with the same --out resumes
after the last completed iteration.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rir.settings import add_options, values_from_args


def add_arguments(p: argparse.ArgumentParser) -> None:
    from training.selfplay_config import SECTIONS, SelfPlayConfig

    p.add_argument("--out", required=True, help="output directory (resumable)")
    p.add_argument("--expert-iteration", action="store_true",
                   help="no creator: retrain on the seed theorems alone (the baseline)")
    add_options(p, SelfPlayConfig)
    for section in SECTIONS.values():
        add_options(p, section)
    p.add_argument("--force", action="store_true",
                   help="resume an --out run with other settings than it was started with")


def add_creator_arguments(p: argparse.ArgumentParser) -> None:
    """How the creator scores, draws and evolves conjectures (for benchmarks that share them)."""
    from training.selfplay_config import CreatorConfig, EstimateConfig

    add_options(p, CreatorConfig)
    add_options(p, EstimateConfig, only=("informativeness",))


def creator_settings(args: argparse.Namespace) -> dict:
    """The creator's settings (flat names, see SelfPlayConfig.of) from add_creator_arguments' options."""
    from training.selfplay_config import CreatorConfig, EstimateConfig

    return {**values_from_args(CreatorConfig, args),
            **values_from_args(EstimateConfig, args)}


def config_from_args(args: argparse.Namespace):
    """The SelfPlayConfig the options describe (every default from its dataclasses)."""
    from training.selfplay_config import SECTIONS, SelfPlayConfig

    values = values_from_args(SelfPlayConfig, args)
    for section in SECTIONS.values():
        values.update(values_from_args(section, args))
    return SelfPlayConfig.of(creator=not args.expert_iteration, out_dir=args.out, **values)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from training.selfplay import SelfPlay

    config = config_from_args(args)
    console = Console(stderr=True)
    metrics = SelfPlay(config, progress=lambda msg: console.log(msg)).run(force=args.force)
    start = Path(args.out) / "start.json"
    if start.is_file():  # the figure each iteration's held-out pass rate is read against
        print(json.dumps({"iteration": "start", **json.loads(start.read_text())}))
    for row in metrics:
        print(json.dumps({k: row[k] for k in ("iteration", "pool_size", "proved_share",
                                              "heldout_pass_rate", "train_triples")}))
    sys.stdout.flush()
    return 0
