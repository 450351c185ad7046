"""The planner over a flat prover: untargeted tactics from a separate flat model.

Planning when exhausted (the default) and fallback planning ask a node first for tactics
without a target, and only a node whose cheap guesses failed for targets. Those first
guesses are a flat generator's job, and the co-trained model's untargeted actor, which
shares its weights with the planner and the targeted actor, proposes them less well than
a model trained for that alone (micro-test at 60 s: 63.7% against the flat model's 70.0%).
`WithFlatActor` wraps a bi-level policy and sends every request without a target (a
node's first expansion, the widening rounds, `--untargeted`) to a flat policy, and
targets and tactics toward them to the wrapped one; so bi-level search is flat search
plus the planner's expansions.
"""
from __future__ import annotations

from collections.abc import Sequence

from search.policy import Suggestion


class WithFlatActor:
    """search.policy.Policy: `policy`'s targets and targeted tactics, `flat`'s tactics
    for the target None (in the place of that target in the returned lists)."""

    def __init__(self, policy, flat):
        self.policy = policy
        self.flat = flat

    def plan(self, state: str, *, deadline: float | None = None) -> list[Suggestion]:
        return self.policy.plan(state, deadline=deadline)

    def act(self, state: str, targets: Sequence[str | None], *,
            deadline: float | None = None, width: int | None = None) -> list[list[Suggestion]]:
        targeted = [t for t in targets if t is not None]
        toward = iter(self.policy.act(state, targeted, deadline=deadline, width=width) if targeted else [])
        untargeted = (self.flat.act(state, [None], deadline=deadline, width=width) or [[]])[0] \
            if None in targets else []
        return [untargeted if t is None else next(toward, []) for t in targets]
