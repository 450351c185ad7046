"""`by_cases`, `by_contra`.

Models Lean 4 `by_cases` (src/Init/ByCases.lean: tags `pos`/`neg`) and Mathlib's
`by_contra` (Mathlib/Tactic/ByContra.lean, Batteries `by_contra`).
Weaker: the decidability instance is not checked (classical logic is assumed, as Mathlib does).
"""
from __future__ import annotations

from lean_env.micro.elaborate import resolve_prop
from lean_env.micro.syntax import Not, Truth
from lean_env.micro.tactics.common import child_tag
from lean_env.micro.tactics.registry import tactic

FALSE = Truth(False)


@tactic('by_cases')
def t_by_cases(r, tac, goal):
    p = resolve_prop(tac.prop, goal.accessible())
    pos, _ = goal.with_target(goal.target, child_tag(goal.tag, "pos")).add(tac.names[0], p)
    neg, _ = goal.with_target(goal.target, child_tag(goal.tag, "neg")).add(tac.names[0], Not(p))
    return [pos, neg]


@tactic('by_contra')
def t_by_contra(r, tac, goal):
    t = goal.target
    hyp = t.arg if isinstance(t, Not) else Not(t)
    g, _ = goal.add(tac.names[0], hyp)
    return [g.with_target(FALSE)]
