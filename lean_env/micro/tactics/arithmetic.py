"""Arithmetic tactics: `decide`, `norm_num`, `ring`: thin wrappers
over the decision procedures in `lean_env.micro.arith` (owned with them).

Models Lean 4 `decide` (src/Lean/Elab/Tactic/ElabTerm.lean), Mathlib/Tactic/NormNum/,
Mathlib/Tactic/Ring/. `omega` and `linarith` live in linear.py. Where each procedure is weaker is said in its own module.
"""
from __future__ import annotations

from lean_env.micro import arith
from lean_env.micro.goals import Hyp, TacticError
from lean_env.micro.syntax import Rel, Truth, free_vars
from lean_env.micro.tactic_parser import Tactic
from lean_env.micro.tactics.common import find_hyp, replace_hyp
from lean_env.micro.tactics.registry import tactic

TRUE, FALSE = Truth(True), Truth(False)


@tactic('decide')
def t_decide(r, tac, goal):
    t = goal.target
    if free_vars(t):
        raise TacticError(f"failed to synthesize Decidable: the proposition has free variables\n  "
                          f"{goal.pp().splitlines()[-1][2:]}")
    verdict = arith.decide(t)
    if verdict is True:
        return []
    if verdict is False:
        raise TacticError("decide failed: the proposition evaluates to false")
    raise TacticError("failed to synthesize Decidable instance for the proposition")


def extra_facts(r, tac, goal) -> list:
    el = r.elaborator(goal)
    return [el.result(el.infer(e)) for e in tac.exprs]


@tactic('norm_num')
def t_norm_num(r, tac, goal):
    if "only" in tac.names:  # a smaller simp set than the one modelled: refuse, never stronger
        raise TacticError("the embedded engine does not model `norm_num only`")
    extra = extra_facts(r, tac, goal)
    if tac.loc:
        return norm_num_at(r, tac, goal, extra)
    new = arith.norm_num(goal.target, extra)
    if new == TRUE:
        return []
    if new == goal.target:
        raise TacticError("norm_num failed to simplify")
    return [goal.with_target(new)]


def norm_num_at(r, tac, goal, extra):
    for loc in tac.loc:
        if loc == "⊢":
            goals = t_norm_num(r, Tactic("norm_num", exprs=tac.exprs), goal)
            if not goals:
                return []
            goal = goals[0]
            continue
        h = find_hyp(goal, loc)
        new = arith.norm_num(h.type, extra)
        if new == FALSE:
            return []
        if new == h.type:
            raise TacticError("norm_num failed to simplify")
        goal = replace_hyp(goal, h.name, None if new == TRUE else Hyp(h.name, h.user, new, h.hidden))
    return [goal]


@tactic('ring')
def t_ring(r, tac, goal):
    t = goal.target
    if isinstance(t, Rel) and t.op == "=" and arith.ring_equal(t.left, t.right):
        return []
    raise TacticError("ring failed to prove the equality")
