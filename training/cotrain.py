"""Co-training the planner and the actor with PyTorch Lightning.

One model learns both roles from each traced step (state, tactic, next state):
    loss = w_p · −log p(next state | state) + w_a · −log p(tactic | state, next state)
each term the token-mean cross-entropy of its role, in the model's prompt format
(rir.prompts for ByT5; for a causal LM, its rir.prompt_formats format, the
prompt tokens masked out of the loss so only the output and its end are learnt).
The flat mode trains the tactic generator alone (ReProver); the separate mode
trains the planner and the actor as two models.

Batches are indexed by step (seed, micro-batch number), so a resumed run sees
exactly the batches an uninterrupted run would.
"""
from __future__ import annotations

import functools
import logging
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import Callback, TQDMProgressBar
from torch.utils.data import DataLoader, Sampler

from lean_env.errors import BadInput
from rir.prompts import actor_input, flat_input, planner_input, planner_output
from training.config import TrainConfig
from training.data import Triple

log = logging.getLogger("rir")

# Which network each role runs on, per mode. The flat role joins rir and separate
# training only when flat_weight > 0 (the actor then also works without a target).
NETWORKS = {
    "rir": {"planner": "policy", "actor": "policy", "flat": "policy"},
    "flat": {"flat": "policy"},
    "separate": {"planner": "planner", "actor": "actor", "flat": "actor"},
}


def roles(config: TrainConfig) -> tuple[str, ...]:
    """The roles trained by `config`, in loss order."""
    if config.mode == "flat":
        return ("flat",)
    return ("planner", "actor") + (("flat",) if config.flat_weight > 0 else ())

Encode = Callable[[list[str], list[str]], dict[str, torch.Tensor]]
Prompt = Callable[..., str]  # a model's prompt(role, state, target)


def role_example(triple: Triple, role: str, max_input_len: int | None = None,
                 prompt: Prompt | None = None) -> tuple[str, str]:
    """The (input, output) pair one role learns from one step, in `prompt`'s
    format (a model's own), else ByT5's. Long states are shortened by the
    format so the role marks survive truncation."""
    limit = {"max_len": max_input_len} if max_input_len else {}
    target = planner_output(triple.next_state)
    if prompt is not None:
        if role not in ("planner", "actor", "flat"):
            raise ValueError(f"unknown role {role!r}")
        return prompt(role, triple.state, target if role == "actor" else None), \
            target if role == "planner" else triple.tactic
    if role == "planner":
        return planner_input(triple.state, **limit), target
    if role == "actor":
        return actor_input(triple.state, target, **limit), triple.tactic
    if role == "flat":
        return flat_input(triple.state), triple.tactic
    raise ValueError(f"unknown role {role!r}")


class Collate:
    """A list of triples -> {role: encoded (input_ids, attention_mask, labels)}."""

    def __init__(self, encode: Encode, roles: Sequence[str], max_input_len: int | None = None,
                 prompt: Prompt | None = None):
        self.encode, self.roles, self.max_input_len, self.prompt = encode, tuple(roles), max_input_len, prompt

    def __call__(self, triples: list[Triple]) -> dict[str, dict[str, torch.Tensor]]:
        batch = {}
        for role in self.roles:
            inputs, outputs = zip(*(role_example(t, role, self.max_input_len, self.prompt) for t in triples))
            batch[role] = dict(self.encode(list(inputs), list(outputs)))
        return batch


class StepBatchSampler(Sampler[list[int]]):
    """Endless batches of indices; micro-batch i comes from epoch i // per_epoch's
    permutation (seeded by seed and epoch), so any run can start at any i."""

    def __init__(self, size: int, batch_size: int, seed: int, start: int = 0):
        if size < 1:
            raise ValueError("no training examples")
        self.size, self.batch_size, self.seed, self.start = size, min(batch_size, size), seed, start
        self.per_epoch = size // self.batch_size

    def batch(self, i: int) -> list[int]:
        epoch, k = divmod(i, self.per_epoch)
        perm = torch.randperm(self.size, generator=torch.Generator().manual_seed(self.seed * 100_003 + epoch))
        return perm[k * self.batch_size:(k + 1) * self.batch_size].tolist()

    def __iter__(self) -> Iterator[list[int]]:
        i = self.start
        while True:
            yield self.batch(i)
            i += 1


class TripleDataModule(pl.LightningDataModule):
    def __init__(self, train: list[Triple], val: list[Triple], encode: Encode, config: TrainConfig,
                 max_input_len: int | None = None, prompt: Prompt | None = None):
        super().__init__()
        self.train, self.val, self.config = train, val, config
        self.collate = Collate(encode, roles(config), max_input_len, prompt)

    def train_dataloader(self) -> DataLoader:
        # The trainer's step is restored before this is called, so a resumed run starts
        # at the micro-batch after the last one it trained on.
        step = self.trainer.global_step if self.trainer else 0
        sampler = StepBatchSampler(len(self.train), self.config.batch_size, self.config.seed,
                                   start=step * self.config.accumulate_grad_batches)
        # Its own generator: making the iterator would otherwise draw from the global
        # RNG, and a resumed run makes it at a different point than a straight one.
        return DataLoader(self.train, batch_sampler=sampler, collate_fn=self.collate,
                          num_workers=self.config.num_workers, generator=self._generator())

    def val_dataloader(self) -> DataLoader | list:
        if not self.val:
            return []
        return DataLoader(self.val, batch_size=self.config.batch_size, shuffle=False,
                          collate_fn=self.collate, num_workers=self.config.num_workers,
                          generator=self._generator())

    def _generator(self) -> torch.Generator:
        return torch.Generator().manual_seed(self.config.seed)


@dataclass
class TokenCounts:
    loss_sum: float = 0.0
    batches: int = 0
    correct: int = 0
    tokens: int = 0


class CoTrainer(pl.LightningModule):
    """The networks of one mode ({"policy"} or {"planner", "actor"}: T5 models or
    causal LMs, whose HF loss shifts the labels itself) and their loss."""

    def __init__(self, networks: dict[str, torch.nn.Module], config: TrainConfig):
        super().__init__()
        expected = set(NETWORKS[config.mode].values())
        if set(networks) != expected:
            raise ValueError(f"mode {config.mode} needs networks {sorted(expected)}, got {sorted(networks)}")
        # Train in float32 (Lightning adds bf16 autocast on GPU) and in train mode:
        # PolicyModel hands its model over in eval mode, for inference.
        self.networks = torch.nn.ModuleDict({k: net.float().train() for k, net in networks.items()})
        self.config = config
        # Flat mode's tactic generator is the actor of the ReProver baseline.
        self.weights = {"planner": config.planner_weight, "actor": config.actor_weight,
                        "flat": config.actor_weight if config.mode == "flat" else config.flat_weight}
        self._val: dict[str, TokenCounts] = {}
        self._examples = 0
        self._t0 = 0.0

    def role_loss(self, role: str, enc: dict[str, torch.Tensor]) -> tuple[torch.Tensor, Any]:
        out = self.networks[NETWORKS[self.config.mode][role]](**enc)
        return out.loss, out

    def training_step(self, batch: dict[str, dict[str, torch.Tensor]], batch_idx: int) -> torch.Tensor:
        loss = 0.0
        for role, enc in batch.items():
            role_loss, _ = self.role_loss(role, enc)
            loss = loss + self.weights[role] * role_loss
            self.log(f"train/loss_{role}", role_loss, batch_size=len(enc["labels"]))
        size = len(next(iter(batch.values()))["labels"])
        self._examples += size * len(batch)
        elapsed = time.perf_counter() - self._t0
        self.log("loss", loss, prog_bar=True, batch_size=size)
        self.log("ex_per_s", self._examples / max(elapsed, 1e-9), prog_bar=True, batch_size=size)
        return loss

    def on_train_start(self) -> None:
        self._examples, self._t0 = 0, time.perf_counter()

    @property
    def examples_per_second(self) -> float:
        """Training (input, output) pairs per second since this fit started."""
        return self._examples / max(time.perf_counter() - self._t0, 1e-9)

    def validation_step(self, batch: dict[str, dict[str, torch.Tensor]], batch_idx: int) -> None:
        for role, enc in batch.items():
            loss, out = self.role_loss(role, enc)
            predicted, labels = out.logits.argmax(-1), enc["labels"]
            if not self._seq2seq(role):  # a causal LM predicts token t at position t - 1
                predicted, labels = predicted[:, :-1], labels[:, 1:]
            mask = labels != -100
            correct = (predicted == labels) & mask
            counts = self._val.setdefault(role, TokenCounts())
            counts.loss_sum += float(loss)
            counts.batches += 1
            counts.correct += int(correct.sum())
            counts.tokens += int(mask.sum())

    def _seq2seq(self, role: str) -> bool:
        network = self.networks[NETWORKS[self.config.mode][role]]
        return bool(getattr(network.config, "is_encoder_decoder", False))

    def on_validation_epoch_start(self) -> None:
        self._val = {}

    def on_validation_epoch_end(self) -> None:
        for role, c in self._val.items():
            self.log(f"val/loss_{role}", c.loss_sum / max(c.batches, 1))
            self.log(f"val/token_acc_{role}", c.correct / max(c.tokens, 1))

    def validation_metrics(self) -> dict[str, float]:
        """The last validation's loss and teacher-forced token accuracy per role."""
        out = {}
        for role, c in self._val.items():
            out[f"val/loss_{role}"] = c.loss_sum / max(c.batches, 1)
            out[f"val/token_acc_{role}"] = c.correct / max(c.tokens, 1)
        return out

    def configure_optimizers(self):
        decay, no_decay = [], []
        for name, p in self.named_parameters():
            (no_decay if p.ndim < 2 or "norm" in name.lower() else decay).append(p)
        groups = [{"params": decay, "weight_decay": self.config.weight_decay},
                  {"params": no_decay, "weight_decay": 0.0}]
        optimizer = torch.optim.AdamW(groups, lr=self.config.lr)
        schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lr_factor(self.config))
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": schedule, "interval": "step"}}

    # Random states travel with the checkpoint, so dropout after a resume matches
    # an uninterrupted run. Tensors and plain values only: the file stays loadable
    # with torch.load(weights_only=True).
    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        kind, keys, pos, has_gauss, gauss = np.random.get_state()
        checkpoint["rng_states"] = {
            "torch": torch.get_rng_state(), "python": random.getstate(),
            "numpy": (kind, torch.from_numpy(keys.astype(np.int64)), pos, has_gauss, gauss),
            "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        }

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        states = checkpoint.get("rng_states")
        if not states:
            return
        torch.set_rng_state(states["torch"])
        random.setstate(states["python"])
        kind, keys, pos, has_gauss, gauss = states["numpy"]
        np.random.set_state((kind, keys.numpy().astype(np.uint32), pos, has_gauss, gauss))
        if states["cuda"] is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(states["cuda"])


def warmup_cosine(step: int, warmup: int, total: int, floor: float) -> float:
    """The learning-rate factor: linear warm-up to 1, then cosine decay to `floor` at `total`."""
    if step < warmup:
        return (step + 1) / (warmup + 1)
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))


def lr_factor(config: TrainConfig) -> Callable[[int], float]:
    # A partial keeps the schedule out of the checkpoint (LambdaLR saves callable
    # objects' fields), so a resumed run follows its own config.
    return functools.partial(warmup_cosine, warmup=config.warmup_steps,
                             total=config.decay_steps or config.max_steps, floor=config.min_lr_ratio)


class StepProgressBar(TQDMProgressBar):
    """Progress in optimizer steps out of max_steps (the epoch itself is endless)."""

    def on_train_epoch_start(self, trainer: pl.Trainer, *_: Any) -> None:
        super().on_train_epoch_start(trainer)
        bar = self.train_progress_bar
        bar.total, bar.initial, bar.n = trainer.max_steps, trainer.global_step, trainer.global_step
        bar.set_description("train")

    def on_train_batch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule, *_: Any) -> None:
        bar, step = self.train_progress_bar, trainer.global_step
        if bar.n != step and self._should_update(step, bar.total):
            bar.n = step
            bar.set_postfix(self.get_metrics(trainer, pl_module))

    def get_metrics(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> dict[str, Any]:
        metrics = super().get_metrics(trainer, pl_module)
        metrics.pop("v_num", None)
        return metrics


class SearchValidation(Callback):
    """After each validation, the pass rate of a short search on the first N theorems
    of an embedded-corpus set, with the model as it stands (logged as val/pass_rate)."""

    def __init__(self, config: TrainConfig, models: dict[str, Any]):
        if config.mode == "separate":
            raise BadInput("search validation needs mode rir or flat (one saved model)")
        self.config, self.models = config, models
        self.pass_rate: float | None = None

    def on_validation_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        if trainer.sanity_checking:
            return
        from lean_env.theorem_sets import load_theorem_set
        from rir.prover import ProverSettings, build_env, build_policy, prove_theorem

        theorems = load_theorem_set(self.config.val_search_set)[:self.config.val_search_theorems]
        model_dir = Path(self.config.out_dir) / "search_model"
        self.models["policy"].save(str(model_dir))
        settings = ProverSettings(mode=self.config.mode, model=str(model_dir),
                                  timeout=self.config.val_search_timeout, seed=self.config.seed)
        policy = build_policy(settings)
        with build_env(settings) as env:
            proved = sum(prove_theorem(env, policy, t, settings).status == "proved" for t in theorems)
        self.pass_rate = proved / max(len(theorems), 1)
        log.info("step %d: search proves %d/%d validation theorems", trainer.global_step, proved, len(theorems))
        pl_module.log("val/pass_rate", self.pass_rate)
