"""The tactic runner: combinators act on the whole proof state (combinators.py); every
other tactic acts on the main (first) goal, as in Lean 4, and is dispatched through the
registry (`registry.TACTICS`).
"""
from __future__ import annotations

import time

from lean_env.micro.elaborate import Elaborator
from lean_env.micro.goals import Goal, ProofState, TacticError
from lean_env.micro.tactic_parser import Tactic
from lean_env.micro.tactics.combinators import COMBINATORS as _COMBINATORS
from lean_env.micro.tactics.registry import TACTICS


class Runner:
    """Runs parsed tactics on proof states."""

    def __init__(self, solver_timeout_ms: int = 2000, deadline: float | None = None):
        self.timeout_ms = solver_timeout_ms
        self.deadline = deadline

    def check_time(self) -> None:
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise TimeoutError

    def run(self, tac: Tactic, state: ProofState) -> ProofState:
        combinator = _COMBINATORS.get(tac.kind)
        if combinator is not None:
            return combinator(self, tac, state)
        if not state.goals:
            raise TacticError("no goals to be proved")
        if tac.kind not in TACTICS:  # parsed (Lean syntax) but not modelled by the engine
            raise TacticError(f"the embedded engine does not model the tactic '{tac.kind}'")
        new = TACTICS[tac.kind](self, tac, state.goals[0])
        return state.replace_main(new)

    def prove(self, goal: Goal, tac: Tactic) -> None:
        """A `by` block: the tactic must close `goal`."""
        rest = self.run(tac, ProofState((goal,)))
        if rest.goals:
            raise TacticError("unsolved goals\n" + rest.pp())

    def elaborator(self, goal: Goal, holes: bool = False) -> Elaborator:
        return Elaborator(goal, self.prove, holes)

    def closes_trivially(self, goal: Goal) -> bool:
        """`trivial` closes `goal` (used by `exists`/`use` and `trivial` on `∧`)."""
        try:
            return not TACTICS["trivial"](self, None, goal)
        except TacticError:
            return False
