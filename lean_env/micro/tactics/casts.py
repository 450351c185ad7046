"""Cast tactics: `push_cast at …`, `norm_cast at …`, `exact_mod_cast e`: thin wrappers over
the normal forms in `lean_env.micro.arith.casts` (owned with them).

Models Lean core's src/Lean/Elab/Tactic/NormCast.lean: `norm_cast` is the macro
`norm_cast0 <;> try trivial`; `exact_mod_cast e` normalises the casts in the goal and in
the type of `e` and closes the goal when they agree; `push_cast` is simp with the push
lemmas. Weaker than Lean: simp arguments (`push_cast [h]`) are refused, and a location
left unchanged fails (Lean may leave it silently); agreement is syntactic, not up to defeq.
"""
from __future__ import annotations

from lean_env.micro.arith.casts import norm_cast, push_cast
from lean_env.micro.goals import TacticError
from lean_env.micro.tactics.arithmetic import at_locations, extra_facts
from lean_env.micro.tactics.registry import tactic


def _plain(tac, name: str) -> None:
    if tac.exprs or tac.names:
        raise TacticError(f"the embedded engine does not model `{name}` with simp arguments")


@tactic('push_cast')
def t_push_cast(r, tac, goal):
    _plain(tac, "push_cast")
    return at_locations(goal, tac.loc, push_cast, "push_cast made no progress")


@tactic('norm_cast')
def t_norm_cast(r, tac, goal):
    _plain(tac, "norm_cast")
    goals = at_locations(goal, tac.loc, norm_cast, "norm_cast made no progress")
    return [g for g in goals if not r.closes_trivially(g)]  # `<;> try trivial`


@tactic('exact_mod_cast')
def t_exact_mod_cast(r, tac, goal):
    (fact,) = extra_facts(r, tac, goal)
    if norm_cast(fact) == norm_cast(goal.target):
        return []
    raise TacticError("exact_mod_cast: type mismatch: the hypothesis and the goal differ "
                      "after normalising casts")
