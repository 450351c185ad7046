"""`interval_cases x` (Mathlib/Tactic/IntervalCases.lean) for a variable x : ℕ or ℤ.

As Mathlib: every hypothesis `a ≤ x`, `a < x`, `x ≤ b`, `x < b` (also written `≥ >`, or
negated, `¬x < a`) whose other side norm_num evaluates to a numeral is a bound; on ℕ,
`0 ≤ x` is the initial lower bound (`Nat.zero_le`); the best lower and upper bounds are
kept. Inconsistent bounds close the goal; otherwise one goal per value z from the lower
to the upper bound, tagged `z` (Lean's `appendTag tag (toString z)`, printed `«z»`), in
which `substCore` has replaced x by the numeral: the hypotheses that mention x are
rewritten (not simplified) and move after the others, and x is gone. Without both
bounds: "interval_cases failed: could not find lower bound on x" (upper, bounds).

Weaker than Mathlib: only a variable, not an arbitrary term; no `using hl, hu` or
`h :` naming; at most MAX_CASES values.
"""
from __future__ import annotations

from fractions import Fraction

from lean_env.micro.arith.numerals import numeral, value
from lean_env.micro.goals import Goal, Hyp, TacticError
from lean_env.micro.syntax import INT, NAT, Not, Rel, Var, free_vars, subst
from lean_env.micro.tactics.common import child_tag, find_hyp
from lean_env.micro.tactics.registry import tactic

MAX_CASES = 256


def _bound(prop, x: str) -> tuple[str, int] | None:
    """("lower" | "upper", inclusive integer bound) when `prop` bounds variable `x`."""
    negated = isinstance(prop, Not)
    r = prop.arg if negated else prop
    if not isinstance(r, Rel) or r.op not in ("≤", "<", "≥", ">"):
        return None
    lo, hi = (r.left, r.right) if r.op in ("≤", "<") else (r.right, r.left)
    strict = r.op in ("<", ">")
    if negated:  # ¬lo < hi is hi ≤ lo; ¬lo ≤ hi is hi < lo
        lo, hi, strict = hi, lo, not strict
    for var, other, side in ((lo, hi, "upper"), (hi, lo, "lower")):
        if isinstance(var, Var) and var.name == x:
            v = value(other)
            if v is None or v.denominator != 1:
                return None
            z = int(v)
            if strict:
                z = z - 1 if side == "upper" else z + 1
            return side, z
    return None


@tactic('interval_cases')
def t_interval_cases(r, tac, goal):
    (name,) = tac.names
    h = find_hyp(goal, name)
    if h.type not in (NAT, INT):
        what = h.type if h.is_var else "Prop"
        raise TacticError(f"interval_cases failed: unsupported type {what}")
    lower = 0 if h.type == NAT else None
    upper = None
    for hyp in goal.hyps:
        b = None if hyp.is_var else _bound(hyp.type, h.name)
        if b is None:
            continue
        side, z = b
        if side == "lower" and (lower is None or z > lower):
            lower = z
        if side == "upper" and (upper is None or z < upper):
            upper = z
    if lower is None or upper is None:
        what = "bounds" if lower is None and upper is None else \
            "lower bound" if lower is None else "upper bound"
        raise TacticError(f"interval_cases failed: could not find {what} on {name}")
    if upper - lower + 1 > MAX_CASES:
        raise TacticError(f"the embedded engine splits at most {MAX_CASES} cases")
    return [_case(goal, h, z) for z in range(lower, upper + 1)]


def _case(goal: Goal, x: Hyp, z: int) -> Goal:
    num = numeral(Fraction(z), x.type)
    keep, moved = [], []
    for h in goal.hyps:
        if h.name == x.name:
            continue
        if not h.is_var and x.name in free_vars(h.type):
            moved.append(Hyp(h.name, h.user, subst(h.type, x.name, num), h.hidden))
        else:
            keep.append(h)
    tag = child_tag(goal.tag, f"«{z}»")
    return Goal(tuple(keep + moved), subst(goal.target, x.name, num), tag)
