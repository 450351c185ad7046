"""`push_neg`, `push_neg at h… ⊢`.

Models Mathlib/Tactic/PushNeg.lean: `Simp.main` with no simp lemmas and
`transformNegation` as the pre-procedure, so negations are pushed at every position
(under ∀/∃, through →, ∧, ∨, ↔), each step as `transformNegationStep` does it:
`¬¬p` to `p`; `¬(p ∧ q)` to `p → ¬q` (the default, `push_neg.use_distrib` off);
`¬(p ∨ q)` to `¬p ∧ ¬q`; `¬(p ↔ q)` to `p ∧ ¬q ∨ ¬p ∧ q`; `¬a = b` to `a ≠ b`;
`¬a ≠ b` to `a = b`; on the linear orders ℕ ℤ ℚ ℝ `¬a ≤ b` to `b < a`, `¬a < b` to
`b ≤ a`, `¬a ≥ b` to `a < b`, `¬a > b` to `a ≤ b`; `¬∃ x, p` to `∀ x, ¬p`; `¬(p → q)` to
`p ∧ ¬q`; `¬∀ x, p` to `∃ x, ¬p`. Binder names are kept. An unchanged goal or
hypothesis is "push_neg made no progress" (`pushNegTarget`/`pushNegLocalDecl`); the
hypothesis is rewritten in place and never closes the goal; `at *` never fails (Mathlib
only logs that nothing moved). Weaker: no `Set.Nonempty`/`∅` rules (no sets here).
"""
from __future__ import annotations

from lean_env.micro.goals import Hyp, TacticError
from lean_env.micro.syntax import And, Exists, Forall, Iff, Imp, Not, Or, Rel
from lean_env.micro.tactics.common import find_hyp, replace_hyp, wildcard_locations
from lean_env.micro.tactics.registry import tactic

_NOT_REL = {"≤": ("<", True), "<": ("≤", True), "≥": ("<", False), ">": ("≤", False)}


def negation_step(arg):
    """`transformNegationStep` on `¬arg`: the pushed proposition, or None."""
    if isinstance(arg, Not):
        return arg.arg
    if isinstance(arg, And):
        return Imp(arg.left, Not(arg.right))
    if isinstance(arg, Or):
        return And(Not(arg.left), Not(arg.right))
    if isinstance(arg, Iff):
        return Or(And(arg.left, Not(arg.right)), And(Not(arg.left), arg.right))
    if isinstance(arg, Imp):
        return And(arg.left, Not(arg.right))
    if isinstance(arg, Exists):
        return Forall(arg.var, Not(arg.body), arg.ty)
    if isinstance(arg, Forall):
        return Exists(arg.var, Not(arg.body), arg.ty)
    if isinstance(arg, Rel):
        if arg.op == "=":
            return Rel("≠", arg.left, arg.right)
        if arg.op == "≠":
            return Rel("=", arg.left, arg.right)
        if arg.op in _NOT_REL:
            op, swap = _NOT_REL[arg.op]
            return Rel(op, arg.right, arg.left) if swap else Rel(op, arg.left, arg.right)
    return None  # `¬(a ∣ b)`, `¬p`, `¬True`, `¬False` stay


def push_neg(p):
    """Push negations through `p`, top-down (simp's `pre`), then into the parts."""
    while isinstance(p, Not):
        q = negation_step(p.arg)
        if q is None:
            return Not(push_neg(p.arg))
        p = q
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(push_neg(p.left), push_neg(p.right))
    if isinstance(p, (Forall, Exists)):
        return type(p)(p.var, push_neg(p.body), p.ty)
    return p


@tactic('push_neg')
def t_push_neg(r, tac, goal):
    if tac.exprs or tac.names:
        raise TacticError("push_neg takes no lemmas: `push_neg` or `push_neg at h`")
    wild = wildcard_locations(goal, tac.loc)
    if wild is not None:
        return [push_neg_everywhere(goal, wild)]
    for loc in tac.loc or ("⊢",):
        if loc == "⊢":
            new = push_neg(goal.target)
            if new == goal.target:
                raise TacticError("push_neg made no progress")
            goal = goal.with_target(new)
            continue
        h = find_hyp(goal, loc)
        new = h.type if h.is_var else push_neg(h.type)
        if new == h.type:
            raise TacticError("push_neg made no progress")
        goal = replace_hyp(goal, h.name, Hyp(h.name, h.user, new, h.hidden))
    return [goal]


def push_neg_everywhere(goal, names):
    """`push_neg at *` (`withLocation` with a wildcard): every hypothesis and the goal where
    a negation moves; where none does, Mathlib only logs "push_neg couldn't find a negation
    to push", no error."""
    for name in names:
        if name == "⊢":
            goal = goal.with_target(push_neg(goal.target))
            continue
        h = next(x for x in goal.hyps if x.name == name)
        goal = replace_hyp(goal, h.name, Hyp(h.name, h.user, push_neg(h.type), h.hidden))
    return goal
