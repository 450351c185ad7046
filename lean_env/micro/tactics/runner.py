"""The tactic runner: combinators (`;`, `<;>`, `all_goals`, `any_goals`, `try`, `first`,
`repeat`, `skip`, `·`) act on the whole proof state; every other tactic acts on the main
(first) goal, as in Lean 4, and is dispatched through the registry (`registry.TACTICS`).

Models Lean 4 src/Lean/Elab/Tactic/BuiltinTactic.lean (sequencing, focusing, `first`,
`try`, `repeat`, `all_goals`/`any_goals`). Weaker: `repeat` stops after 64 iterations.
"""
from __future__ import annotations

import time

from lean_env.micro.elaborate import Elaborator
from lean_env.micro.goals import Goal, ProofState, TacticError
from lean_env.micro.tactic_parser import Tactic
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
        kind = tac.kind
        if kind == "seq":
            for t in tac.body:
                state = self.run(t, state)
            return state
        if kind == "<;>":
            first = self.run(tac.body[0], ProofState(state.goals[:1]))
            out: list[Goal] = []
            for g in first.goals:
                out += self.run(tac.body[1], ProofState((g,))).goals
            return ProofState(tuple(out) + state.goals[1:])
        if kind in ("all_goals", "any_goals"):
            out, ok, last_error = [], False, None
            for g in state.goals:
                try:
                    out += self.run(tac.body[0], ProofState((g,))).goals
                    ok = True
                except TacticError as e:
                    if kind == "all_goals":
                        raise
                    out.append(g)
                    last_error = e
            if not ok and last_error is not None:
                raise last_error
            return ProofState(tuple(out))
        if kind == "try":
            try:
                return self.run(tac.body[0], state)
            except TacticError:
                return state
        if kind == "first":
            error = None
            for t in tac.body:
                try:
                    return self.run(t, state)
                except TacticError as e:
                    error = e
            raise error
        if kind == "repeat":
            for _ in range(64):
                self.check_time()
                try:
                    new = self.run(tac.body[0], state)
                except TacticError:
                    return state
                if new == state:
                    return state
                state = new
            return state
        if kind == "skip":
            return state
        if kind == "·":
            if not state.goals:
                raise TacticError("no goals to be proved")
            self.prove(state.goals[0], tac.body[0])
            return ProofState(state.goals[1:])
        if not state.goals:
            raise TacticError("no goals to be proved")
        if kind not in TACTICS:  # parsed (Lean syntax) but not modelled by the engine
            raise TacticError(f"the embedded engine does not model the tactic '{kind}'")
        new = TACTICS[kind](self, tac, state.goals[0])
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
