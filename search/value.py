"""Leaf value estimators for MCTS: a tactic state -> an estimate in [0, 1] of
its chance of being proved.

A terminal leaf needs none (reward 1 for a proof, 0 for an error); these value a
new, non-terminal state. Any callable `(TacticState) -> float` plugs in, e.g. a
learned critic.

Default: `GoalCountValue()`, 0.5 ** (number of open goals). One goal left is
worth 0.5, the neutral value, and each further goal halves it, so MCTS prefers
states with fewer open goals, the way a human reads progress; it costs nothing
to compute.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from lean_env.protocol import TacticState


class ValueEstimator(Protocol):
    def __call__(self, state: TacticState) -> float: ...


@dataclass(frozen=True)
class ConstantValue:
    """The same value for every state (0.5: no opinion)."""

    value: float = 0.5

    def __call__(self, state: TacticState) -> float:
        return self.value


@dataclass(frozen=True)
class GoalCountValue:
    """`base ** num_goals`: fewer open goals, higher value."""

    base: float = 0.5

    def __call__(self, state: TacticState) -> float:
        return self.base ** max(state.num_goals, 1)


DEFAULT_VALUE = GoalCountValue()
