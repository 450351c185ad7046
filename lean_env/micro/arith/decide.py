"""Lean 4's `decide` (src/Lean/Elab/Tactic/ElabTerm.lean, `evalDecide`) on the fragment.

Modelled: the `Decidable` instance of a closed proposition evaluated to `isTrue`;
`decide` fails on a false one and on one with free variables (it does not revert
hypotheses). ℕ numerals are exact (the kernel has GMP-accelerated `Nat` arithmetic).

Weaker than Lean: bounded quantifiers (`∀ x < 3, …`, `Nat.decidableBallLT`) and
other instances beyond the connectives, `=`, `≠`, `≤`, `<`, `∣` are not evaluated.
"""
from __future__ import annotations

from typing import Mapping

from lean_env.micro.arith.relations import compare
from lean_env.micro.polynomial import evaluate
from lean_env.micro.syntax import And, Iff, Imp, Not, Or, Prop, PVar, Rel, Truth, free_vars


def decide(goal: Prop) -> bool | None:
    """Lean's `decide`: evaluate a closed, quantifier-free proposition; None otherwise."""
    if free_vars(goal):
        return None
    return eval_prop(goal, {})


def eval_prop(p: Prop, env: Mapping[str, int | bool]) -> bool | None:
    """The truth value of a quantifier-free `p` under `env`, or None if it has none here."""
    if isinstance(p, Truth):
        return p.value
    if isinstance(p, PVar):
        v = env.get(p.name)
        return v if isinstance(v, bool) else None
    if isinstance(p, Not):
        v = eval_prop(p.arg, env)
        return None if v is None else not v
    if isinstance(p, (And, Or, Imp, Iff)):
        a, b = eval_prop(p.left, env), eval_prop(p.right, env)
        if a is None or b is None:
            return None
        if isinstance(p, And):
            return a and b
        if isinstance(p, Or):
            return a or b
        return (not a or b) if isinstance(p, Imp) else a == b
    if isinstance(p, Rel):
        nat_env = {k: v for k, v in env.items() if not isinstance(v, bool)}
        a, b = evaluate(p.left, nat_env), evaluate(p.right, nat_env)
        return None if a is None or b is None else compare(p.op, a, b)
    return None
