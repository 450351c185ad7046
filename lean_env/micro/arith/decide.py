"""Lean 4's `decide` (src/Lean/Elab/Tactic/ElabTerm.lean, `evalDecide`) on the fragment.

Modelled: the `Decidable` instance of a closed proposition evaluated to `isTrue`;
`decide` fails on a false one and on one with free variables (it does not revert
hypotheses). ℕ numerals are exact (the kernel has GMP-accelerated `Nat` arithmetic).

Bounded quantifiers are decided as Lean's instances do: `∀ x < n, P x` and
`∀ x ≤ n, P x` (`Nat.decidableBallLT`, `Nat.decidableBallLe`), `∃ x < n, P x` and
`∃ x ≤ n, P x` (`Nat.decidableExistsLT`, `Nat.decidableExistsLE`), by trying every x.

Weaker than Lean: bounds above MAX_BOUND, and instances beyond the connectives,
`=`, `≠`, `≤`, `<`, `∣` and those bounded quantifiers, are not evaluated.
"""
from __future__ import annotations

from typing import Mapping

from lean_env.micro.arith.relations import compare
from lean_env.micro.polynomial import evaluate
from lean_env.micro.syntax import (
    And, Exists, Forall, Iff, Imp, Not, Or, Prop, PVar, Rel, Truth, Var, free_vars, term_vars,
)

# The largest bound tried (Lean's kernel would hit its recursion limit well before).
MAX_BOUND = 1024


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
    if isinstance(p, (Forall, Exists)):
        return _eval_bounded(p, env)
    if isinstance(p, Rel):
        nat_env = {k: v for k, v in env.items() if not isinstance(v, bool)}
        a, b = evaluate(p.left, nat_env), evaluate(p.right, nat_env)
        return None if a is None or b is None else compare(p.op, a, b)
    return None


def _eval_bounded(p: Forall | Exists, env: Mapping[str, int | bool]) -> bool | None:
    """`∀ x < n, P x` (`Imp`) or `∃ x < n, P x` (`And`), `≤` too: every x up to the bound."""
    body = p.body
    shape = Imp if isinstance(p, Forall) else And
    if not (isinstance(body, shape) and isinstance(body.left, Rel) and body.left.op in ("<", "≤")
            and body.left.left == Var(p.var) and p.var not in term_vars(body.left.right)):
        return None
    nat_env = {k: v for k, v in env.items() if not isinstance(v, bool)}
    bound = evaluate(body.left.right, nat_env)
    if bound is None or bound > MAX_BOUND:
        return None
    top = bound if body.left.op == "≤" else bound - 1
    verdicts = [eval_prop(body.right, {**env, p.var: x}) for x in range(top + 1)]
    if None in verdicts:
        return None
    return all(verdicts) if isinstance(p, Forall) else any(verdicts)
