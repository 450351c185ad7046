"""`by_cases`, `by_contra`.

Models Lean 4 `by_cases` (src/Init/ByCases.lean: tags `pos`/`neg`) and Mathlib's
`by_contra` (Mathlib/Tactic/ByContra.lean, Batteries `by_contra`).
Weaker: the decidability instance is not checked (classical logic is assumed, as Mathlib does).
"""
from __future__ import annotations

from lean_env.micro.elaborate import resolve_prop
from lean_env.micro.syntax import Not, Rel, Truth
from lean_env.micro.tactics.common import child_tag
from lean_env.micro.tactics.registry import tactic

FALSE = Truth(False)


@tactic('by_cases')
def t_by_cases(r, tac, goal):
    """`by_cases h : p`: `pos` with `h : p`, `neg` with `h : ¬p`; unnamed, `h✝`."""
    p = resolve_prop(tac.prop, goal.accessible())
    name, hidden = _binder(tac, "h")
    pos, _ = goal.with_target(goal.target, child_tag(goal.tag, "pos")).add(name, p, hidden)
    neg, _ = goal.with_target(goal.target, child_tag(goal.tag, "neg")).add(name, Not(p), hidden)
    return [pos, neg]


@tactic('by_contra')
def t_by_contra(r, tac, goal):
    """Batteries' `by_contra h`: on `¬q` (and `a ≠ b`, reducibly `¬a = b`) it is `intro h`,
    giving `h : q`; otherwise `refine Decidable.byContradiction fun h => ?_`, `h : ¬p`.
    Unnamed, the binder is `_`: an inaccessible `a✝` (from `intro`) or `x✝` (from `fun`)."""
    t = goal.target
    if isinstance(t, Not):
        hyp, default = t.arg, "a"
    elif isinstance(t, Rel) and t.op == "≠":
        hyp, default = Rel("=", t.left, t.right), "a"
    else:
        hyp, default = Not(t), "x"
    name, hidden = _binder(tac, default)
    g, _ = goal.add(name, hyp, hidden)
    return [g.with_target(FALSE)]


def _binder(tac, default: str) -> tuple[str, bool]:
    """The user's name, or an inaccessible `default✝` when none (or `_`) is given."""
    if not tac.names or tac.names[0] == "_":
        return default, True
    return tac.names[0], False
