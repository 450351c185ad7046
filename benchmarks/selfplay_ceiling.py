"""How far can one solver update lift held-out pass@1 at all? The ceiling of the self-play goal.

Trains the restart update of `rir selfplay` (the shipped flat model fine-tuned, micro-train
replayed, the new triples repeated to half of the examples) on the held-out set's *own*
reference proofs, then measures held-out pass@1 exactly as selfplay_ablation.py does. No
self-play or expert iteration can hand the solver better data for that set than its own
proofs, so the figure bounds what either arm can reach with the same update; compare it
with the ablation's expert-iteration figure to see how much room the +5-point goal has.

    python benchmarks/selfplay_ceiling.py [--seeds 1 2] [--train-steps 100] [--out runs/ceiling]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from lean_env.errors import RirError
from lean_env.theorem_sets import load_theorem_set
from training.data import traced_triples, unique_triples
from training.selfplay import SelfPlay
from training.selfplay_config import SelfPlayConfig, UpdateConfig
from training.solver_update import mix_replay


def ceiling(args, seed: int) -> float | None:
    """Held-out pass@1 after one update on the held-out set's reference proofs (kept in OUT)."""
    d = Path(args.out) / f"seed_{seed}_steps_{args.train_steps}"
    if (d / "done.json").is_file():
        return json.loads((d / "done.json").read_text())["heldout_pass_rate"]
    config = SelfPlayConfig.of(seed_theorems=args.replay, out_dir=args.out, mode="flat", creator=False,
                            solver_update="restart", train_steps=args.train_steps, replay=args.replay,
                            lr=args.lr, heldout_set=args.heldout_set,
                            heldout_expansions=args.heldout_expansions, heldout_theorems=None,
                            heldout_start=False, seed=seed)
    solver = SelfPlay(config, progress=lambda msg: None)
    heldout = []
    for thm in load_theorem_set(args.heldout_set):
        heldout += traced_triples(solver.env, thm, f"selfplay:{thm.full_name}") or []
    d.mkdir(parents=True, exist_ok=True)
    solver.update(0, mix_replay(unique_triples(heldout), solver.replay_triples, config.update.min_new_share), d, seed)
    rate = solver.heldout_pass_rate(d / "model", d / "heldout.jsonl")
    (d / "done.json").write_text(json.dumps({"seed": seed, "heldout_triples": len(heldout),
                                             "heldout_pass_rate": rate}) + "\n")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2], help="one training run per seed")
    parser.add_argument("--train-steps", type=int, default=100)
    parser.add_argument("--lr", type=float, default=UpdateConfig.lr)
    parser.add_argument("--replay", default="micro-train", help="theorem set replayed in the update")
    parser.add_argument("--heldout-set", default="micro-test")
    parser.add_argument("--heldout-expansions", type=int, default=32)
    parser.add_argument("--out", default="runs/ceiling")
    args = parser.parse_args()
    try:
        rates = []
        for seed in args.seeds:
            rates.append(ceiling(args, seed))
            print(f"seed {seed}: held-out pass@1 on {args.heldout_set} after {args.train_steps} steps on its own "
                  f"proofs: {rates[-1]:.1%}", flush=True)
    except RirError as e:
        print(f"selfplay_ceiling: {e}", file=sys.stderr)
        return 2
    print(f"ceiling of one update ({args.train_steps} steps), mean over seeds {' '.join(map(str, args.seeds))}: "
          f"{statistics.mean(rates):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
