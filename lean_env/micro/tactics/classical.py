"""`by_cases`, `by_contra`, `by_contra!`.

Models Lean 4 `by_cases` (src/Init/ByCases.lean: tags `pos`/`neg`), Batteries' `by_contra`
and Mathlib's `by_contra!` (Mathlib/Tactic/ByContra.lean: `by_contra h; try push_neg at h`,
the name `this` when none is given; with `: t`, the hypothesis is `t`, which must equal
the pushed negation once `t` is pushed too).
Weaker: the decidability instance is not checked (classical logic is assumed, as Mathlib does).
"""
from __future__ import annotations

from lean_env.micro.elaborate import resolve_prop
from lean_env.micro.goals import Hyp, TacticError
from lean_env.micro.syntax import Not, Rel, Truth
from lean_env.micro.tactic_parser import Tactic
from lean_env.micro.tactics.common import child_tag, replace_hyp
from lean_env.micro.tactics.push_neg import push_neg
from lean_env.micro.tactics.registry import tactic
from lean_env.micro.unify import defeq

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


@tactic('by_contra!')
def t_by_contra_bang(r, tac, goal):
    name = tac.names[0] if tac.names and tac.names[0] != "_" else "this"
    g = t_by_contra(r, Tactic("by_contra", names=(name,)), goal)[0]
    h = g.hyps[-1]
    pushed = push_neg(h.type)
    if tac.prop is None:
        return [replace_hyp(g, h.name, Hyp(h.name, h.user, pushed, h.hidden))]
    want = resolve_prop(tac.prop, goal.accessible())
    if not defeq(push_neg(want), pushed):
        raise TacticError("type mismatch: the given type is not the negated goal after push_neg")
    return [replace_hyp(g, h.name, Hyp(h.name, h.user, want, h.hidden))]


def _binder(tac, default: str) -> tuple[str, bool]:
    """The user's name, or an inaccessible `default✝` when none (or `_`) is given."""
    if not tac.names or tac.names[0] == "_":
        return default, True
    return tac.names[0], False
