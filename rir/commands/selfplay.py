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


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed-theorems", default="micro-train", help="theorem set (name or JSONL) seeding the pool")
    p.add_argument("--iterations", type=int, default=3)
    p.add_argument("--out", required=True, help="output directory (resumable)")
    p.add_argument("--model", help="starting model (default: the shipped model for --mode)")
    p.add_argument("--mode", choices=("rir", "flat"), default="rir")
    p.add_argument("--search", choices=("bfs", "mcts"), default="bfs")
    p.add_argument("--expert-iteration", action="store_true",
                   help="no creator: retrain on the seed theorems alone (the baseline)")
    p.add_argument("--num-searches", type=int, default=6, help="sampled searches per conjecture")
    p.add_argument("--search-timeout", type=float, default=10.0, help="seconds per search")
    p.add_argument("--max-env-calls", type=int, default=200, help="environment calls per search")
    p.add_argument("--evolver", choices=("symbolic", "llm"), default="symbolic")
    p.add_argument("--llm-model", help="causal LM for --evolver llm (HF dir or hub id)")
    p.add_argument("--pool-size", type=int, help="pool size (default: number of seed theorems)")
    add_creator_arguments(p)
    p.add_argument("--train-steps", type=int, default=100)
    p.add_argument("--solver-update", choices=("continue", "restart"), default="continue",
                   help="continue: fine-tune the last model on this iteration's proofs; restart: "
                        "fine-tune the starting model on every iteration's proofs so far")
    p.add_argument("--dpo", action="store_true",
                   help="also DPO on tactic preference pairs from the search trees")
    p.add_argument("--dpo-steps", type=int, default=50)
    p.add_argument("--replay", default="seeds",
                   help="reference proofs replayed in every update: 'seeds', a theorem set "
                        "(e.g. micro-train, the shipped model's training split) or 'none'")
    p.add_argument("--untargeted", action="store_true",
                   help="rir: the actor also proposes tactics without a target (see rir eval)")
    p.add_argument("--heldout", default="micro-test", help="held-out theorem set ('none' to skip)")
    p.add_argument("--heldout-theorems", type=int, help="N held-out theorems only (rir eval's order)")
    p.add_argument("--heldout-timeout", type=float, default=60.0, help="seconds per held-out theorem")
    p.add_argument("--heldout-expansions", type=int, default=32, help="expansions per held-out theorem")
    p.add_argument("--workers", type=int, default=0, help="processes for the held-out evaluation")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--force", action="store_true",
                   help="resume an --out run with other settings than it was started with")


def add_creator_arguments(p: argparse.ArgumentParser) -> None:
    """How the creator scores, draws and evolves conjectures (the self-play benchmark shares them)."""
    p.add_argument("--informativeness", choices=("max-min", "max-mean", "variance", "uniform"), default="max-min")
    p.add_argument("--mutations", help="symbolic evolver: comma-separated mutations to use (default: all)")
    p.add_argument("--adaptive-evolution", action="store_true",
                   help="pick mutations (templates) by how informative their variants turned out")
    p.add_argument("--lineage-sharing", action="store_true",
                   help="share sampling weight among conjectures descending from the same seed")
    p.add_argument("--proof-transfer", action="store_true",
                   help="also try each parent's proof on its variants, and train on those that check")
    p.add_argument("--transfer-variants", type=int, default=0, metavar="K",
                   help="K unsearched variants of every conjecture with a known proof, trained on "
                        "where that proof checks on them")
    p.add_argument("--sample-fraction", type=float, default=0.25, help="share of the pool drawn to evolve")
    p.add_argument("--variants", type=int, default=4, help="variants per drawn conjecture")
    p.add_argument("--evolved-share", type=float, default=0.8,
                   help="share of the next pool that is evolved; the rest is drawn from the last pool")
    p.add_argument("--reject-automation", action="store_true",
                   help="drop conjectures closed by a single automation tactic")


def creator_settings(args: argparse.Namespace) -> dict:
    """The creator's settings (flat names, see SelfPlayConfig.of) from add_creator_arguments' options."""
    return dict(informativeness=args.informativeness,
                mutations=tuple(args.mutations.split(",")) if args.mutations else None,
                adaptive_evolution=args.adaptive_evolution, lineage_sharing=args.lineage_sharing,
                proof_transfer=args.proof_transfer, transfer_variants=args.transfer_variants,
                sample_fraction=args.sample_fraction, variants=args.variants,
                evolved_share=args.evolved_share, reject_automation=args.reject_automation)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from training.selfplay import SelfPlay
    from training.selfplay_config import SelfPlayConfig

    config = SelfPlayConfig.of(
        seed_theorems=args.seed_theorems, out_dir=args.out, iterations=args.iterations,
        model=args.model, mode=args.mode, search=args.search, creator=not args.expert_iteration,
        num_searches=args.num_searches, search_timeout=args.search_timeout,
        max_env_calls=args.max_env_calls, evolver=args.evolver, llm_model=args.llm_model,
        pool_size=args.pool_size, **creator_settings(args), train_steps=args.train_steps,
        solver_update=args.solver_update,
        dpo=args.dpo, dpo_steps=args.dpo_steps,
        replay=None if args.replay == "none" else args.replay, untargeted=args.untargeted,
        heldout_set=None if args.heldout == "none" else args.heldout,
        heldout_theorems=args.heldout_theorems, heldout_timeout=args.heldout_timeout,
        heldout_expansions=args.heldout_expansions, heldout_workers=args.workers, seed=args.seed,
    )
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
