"""The solver update of self-play: train on the iteration's proofs, replay against forgetting.

The searches' own triples (proofs, hindsight sub-goals, transferred proofs) are mixed
with the traced reference proofs of a replay set (`mix_replay`) and trained on with
`training.run.train`; optionally DPO on the trees' preference pairs follows.
"""
from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from lean_env.protocol import Environment
from lean_env.theorems import Theorem
from training.data import Triple, traced_triples, unique_triples
from training.selfplay_config import UpdateConfig

log = logging.getLogger("rir")

FLAT_WEIGHT = 0.5  # as in the second stage of configs/micro_rir.yaml


@dataclass
class SolverUpdate:
    config: UpdateConfig
    env: Environment
    mode: str
    replay_theorems: list[Theorem]

    @functools.cached_property
    def replay_triples(self) -> list[Triple]:
        """The traced reference proofs of the replay set (see UpdateConfig.replay)."""
        out = []
        for thm in self.replay_theorems:
            if not thm.proof:
                continue
            triples = traced_triples(self.env, thm, f"replay:{thm.full_name}")
            if triples is None:
                log.warning("%s: its reference proof does not check; not trained on", thm.full_name)
                continue
            out += triples
        return out

    def trained(self, earlier: list[Triple], found: list[Triple]) -> list[Triple]:
        """The searches' triples this update trains on: (restart) every iteration's so far,
        once each, or (continue) this iteration's."""
        return unique_triples(earlier + found) if self.config.solver_update == "restart" else found

    def mixed(self, trained: list[Triple]) -> list[Triple]:
        return mix_replay(trained, self.replay_triples, self.config.min_new_share)

    def train(self, base: str, triples: list[Triple], d: Path, seed: int):
        """Fine-tune `base` on `triples` into d/model (Lightning's files in d/train)."""
        from rir.policy import trained_modes
        from training.config import TrainConfig
        from training.run import train

        c = self.config
        # A co-trained model that also acts without a target (the shipped one) keeps
        # doing so: its actor goes on training in the flat format as well.
        keeps_flat = self.mode == "rir" and "flat" in trained_modes(Path(base))
        config = TrainConfig(
            mode="rir" if self.mode == "rir" else "flat", model=base,
            flat_weight=FLAT_WEIGHT if keeps_flat else 0.0,
            max_steps=c.train_steps, batch_size=c.train_batch_size,
            lr=c.lr, warmup_steps=min(10, c.train_steps), seed=seed, out_dir=str(d / "train"),
            export_dir=str(d / "model"), val_every=max(1, c.train_steps), log_every=max(1, c.train_steps),
        )
        summary = train(config, triples=triples, progress=False)
        (d / "train" / "last.ckpt").unlink(missing_ok=True)  # the HF model is the checkpoint kept
        return summary

    def prefer(self, model_dir: Path, reference: str, pairs: list, seed: int):
        """DPO on the updated model in model_dir, `reference` (the previous model) as reference."""
        from rir.policy import load_model
        from training.dpo import train_dpo

        c = self.config
        model = load_model(model_dir)  # ByT5 or a causal LM
        summary = train_dpo(model, load_model(reference), pairs, steps=c.dpo_steps, lr=c.dpo_lr,
                            beta=c.dpo_beta, batch_size=c.train_batch_size, seed=seed)
        if summary.steps:
            model.save(model_dir)  # keeps the modes it was trained for
        return summary


def mix_replay(found: list[Triple], replay: list[Triple], min_new_share: float) -> list[Triple]:
    """`found` repeated until it is at least `min_new_share` of the result, then `replay`."""
    if not found or not replay or min_new_share <= 0:
        return found + replay
    wanted = min_new_share / (1 - min_new_share) * len(replay)
    copies = max(1, math.ceil(wanted / len(found)))
    return found * copies + replay
