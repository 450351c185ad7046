"""Direct preference optimisation (DPO) of the actor on the search's own tactics.

A tactic on the proof path is preferred to one that failed with an error at
the same tactic state (and toward the same target goal, in bi-level search).
DPO (Rafailov et al., 2023) raises the policy's log-probability margin of the
chosen over the rejected tactic relative to a frozen reference model:
  loss = −log σ(β [(log π(c) − log π_ref(c)) − (log π(r) − log π_ref(r))]).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from rir.generation import PolicyModel
from rir.prompts import actor_input, flat_input
from search.tree import ERROR, PROVED, STATE, EdgeRecord

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class PreferencePair:
    state: str
    target: str | None  # None in flat search
    chosen: str  # a tactic on the proof path
    rejected: str  # a tactic that errored at the same state

    def actor_input(self) -> str:
        return actor_input(self.state, self.target) if self.target is not None else flat_input(self.state)


@dataclass(frozen=True)
class DPOSummary:
    steps: int
    first_loss: float | None  # None when there was nothing to train on
    final_loss: float | None
    pairs: int


def preference_pairs(records: Iterable[EdgeRecord]) -> list[PreferencePair]:
    """Every (proof-path tactic, errored tactic) pair at one state and target, without repeats."""
    records = list(records)
    errors: dict[str, list[EdgeRecord]] = {}
    for r in records:
        if r.outcome == ERROR:
            errors.setdefault(r.state_before, []).append(r)
    pairs: dict[PreferencePair, None] = {}  # ordered set
    for good in records:
        if not good.on_proof_path or good.outcome not in (STATE, PROVED):
            continue
        for bad in errors.get(good.state_before, []):
            # in bi-level search a tactic is judged toward the target it was proposed for
            if good.target is not None and bad.target != good.target:
                continue
            if bad.tactic != good.tactic:
                pairs[PreferencePair(good.state_before, good.target, good.tactic, bad.tactic)] = None
    return list(pairs)


def dpo_loss(policy_chosen: "torch.Tensor", policy_rejected: "torch.Tensor", ref_chosen: "torch.Tensor",
             ref_rejected: "torch.Tensor", beta: float = 0.1) -> "torch.Tensor":
    """The mean DPO loss over a batch of summed sequence log-probabilities."""
    import torch.nn.functional as F

    margin = (policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)
    return -F.logsigmoid(beta * margin).mean()


def sequence_logprobs(model: PolicyModel, pairs: Sequence[PreferencePair]) -> tuple["torch.Tensor", "torch.Tensor"]:
    """log π(chosen | input) and log π(rejected | input), one batch, differentiable."""
    inputs = [model.prompt("actor", p.state, p.target) if p.target is not None else model.prompt("flat", p.state)
              for p in pairs]  # in the model's own format (a causal LM's, too)
    batch = model.encode_pairs(inputs + inputs, [p.chosen for p in pairs] + [p.rejected for p in pairs])
    sums = model.token_logprob_sums(batch)
    return sums[:len(pairs)], sums[len(pairs):]


def preference_margins(model: PolicyModel, reference: PolicyModel, pairs: Sequence[PreferencePair]) -> list[float]:
    """(log π(c) − log π_ref(c)) − (log π(r) − log π_ref(r)) per pair: DPO's implicit reward gap."""
    import torch

    if not pairs:
        return []
    with torch.inference_mode():
        pc, pr = sequence_logprobs(model, pairs)
        rc, rr = sequence_logprobs(reference, pairs)
        return ((pc.cpu() - rc.cpu()) - (pr.cpu() - rr.cpu())).tolist()


def frozen_copy(model: PolicyModel) -> PolicyModel:
    """The model as it is now, in eval mode and without gradients: a DPO reference."""
    import copy

    reference = copy.deepcopy(model)
    reference.model.eval().requires_grad_(False)
    return reference


def train_dpo(model: PolicyModel, reference: PolicyModel | None, pairs: Sequence[PreferencePair],
              steps: int = 100, lr: float = 1e-5, beta: float = 0.1, batch_size: int = 8,
              seed: int = 0) -> DPOSummary:
    """AdamW on the DPO loss, `steps` batches drawn from shuffled passes over `pairs`.
    The reference stays frozen (None, or `model` itself: a frozen copy of `model`
    as it is before training); `model` is updated in place and left in eval mode."""
    import torch

    pairs = list(pairs)
    if not pairs or steps <= 0:
        return DPOSummary(0, None, None, len(pairs))
    reference = frozen_copy(model) if reference is None or reference is model else reference
    reference.model.eval().requires_grad_(False)
    ref_chosen, ref_rejected = _reference_logprobs(reference, pairs, batch_size, model.device)
    optimizer = torch.optim.AdamW([p for p in model.model.parameters() if p.requires_grad], lr=lr)
    order = _batches(len(pairs), batch_size, random.Random(seed))
    losses = []
    model.model.train()
    try:
        devices = [model.device] if model.device.type == "cuda" else []
        with torch.random.fork_rng(devices=devices):  # dropout seeded without touching the global RNG
            torch.manual_seed(seed)
            for _ in range(steps):
                idx = next(order)
                policy_chosen, policy_rejected = sequence_logprobs(model, [pairs[i] for i in idx])
                loss = dpo_loss(policy_chosen, policy_rejected, ref_chosen[idx], ref_rejected[idx], beta)
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.model.parameters(), 1.0)
                optimizer.step()
                losses.append(loss.item())
    finally:
        model.model.eval()
    return DPOSummary(steps, losses[0], losses[-1], len(pairs))


def _reference_logprobs(reference: PolicyModel, pairs: list[PreferencePair], batch_size: int, device):
    """The frozen reference's log-probabilities, computed once for every pair."""
    import torch

    chosen, rejected = [], []
    with torch.no_grad():  # not inference_mode: these tensors enter the policy's loss
        for start in range(0, len(pairs), batch_size):
            c, r = sequence_logprobs(reference, pairs[start:start + batch_size])
            chosen.append(c.float())
            rejected.append(r.float())
    return torch.cat(chosen).to(device), torch.cat(rejected).to(device)


def _batches(n: int, batch_size: int, rng: random.Random):
    """Index lists, each pass over 0..n-1 freshly shuffled."""
    while True:
        order = list(range(n))
        rng.shuffle(order)
        for start in range(0, n, batch_size):
            yield order[start:start + batch_size]
