"""The policy interface that drives every search.

Flat versus bi-level is a policy-side difference: a flat policy (ReProver's
tactic generator) proposes no targets, and search then asks for tactics with
target `None`. One best-first and one MCTS implementation serve both modes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence


@dataclass(frozen=True)
class Suggestion:
    """A generated text with its log-probability (sum over its tokens)."""

    text: str
    logprob: float


class Policy(Protocol):
    """`deadline`: an absolute `time.monotonic()` value; once it passes, the policy
    stops generating and returns what it has (possibly nothing)."""

    def plan(self, state: str, *, deadline: float | None = None) -> list[Suggestion]:
        """Target goal states for `state`, best first. A flat policy returns []."""
        ...

    def act(self, state: str, targets: Sequence[str | None], *,
            deadline: float | None = None, width: int | None = None) -> list[list[Suggestion]]:
        """Tactics for `state` toward each target (None: no target), one list per
        target, each best first; `width` tactics per target (None: the policy's own
        number). Implementations batch over targets."""
        ...
