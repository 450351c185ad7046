"""Lean 4's `decide` (src/Lean/Elab/Tactic/ElabTerm.lean, `evalDecide`) on the fragment.

Modelled: the `Decidable` instance of a closed proposition evaluated to `isTrue`;
`decide` fails on a false one and on one with free variables (it does not revert
hypotheses). ℕ numerals are exact (the kernel has GMP-accelerated `Nat` arithmetic);
ℤ arithmetic reduces through `Int`'s constructor-matching definitions (`Int.ediv`,
`Int.emod`, `Int.neg`), and `↑(n : ℕ) : ℤ` is `Int.ofNat`. Values as semantics.py.

Bounded quantifiers are decided as Lean's instances do: `∀ x < n, P x` and
`∀ x ≤ n, P x` (`Nat.decidableBallLT`, `Nat.decidableBallLe`), `∃ x < n, P x` and
`∃ x ≤ n, P x` (`Nat.decidableExistsLT`, `Nat.decidableExistsLE`), by trying every x.

Refused (weaker than or equal to Lean):
- anything of type ℝ: `Real.decidableLT`/`decidableEq` are classical
  (`Classical.propDecidable`), so Lean's `decide` cannot reduce them;
- ℚ: `Rat.add`, `Rat.mul`, `Rat.inv` are `@[irreducible]` (Batteries/Lean core
  `Rat` basics), so `decide` does not evaluate ℚ arithmetic; all of ℚ is refused;
- `|·|` on ℤ (a lattice `⊔` through Mathlib's order instances) and powers with an
  exponent above MAX_EXPONENT (Lean's `exponentiation.threshold`);
- bounds above MAX_BOUND, and instances beyond the connectives, `=`, `≠`, `≤`, `<`,
  `∣` and those bounded quantifiers.
"""
from __future__ import annotations

from lean_env.micro import semantics
from lean_env.micro.syntax import (
    INT, NAT, And, BinOp, Cast, Exists, Forall, Iff, Imp, Neg, Not, Num, Or, Prop, Rel,
    Term, Var, free_vars,
)

MAX_BOUND = semantics.MAX_BOUND
# Lean's `exponentiation.threshold` (default 256): `whnf` does not evaluate `b ^ e` beyond
# it, so `decide` fails there; `Int.pow` also unfolds once per step.
MAX_EXPONENT = 256


def decide(goal: Prop) -> bool | None:
    """Lean's `decide`: the value of a closed proposition whose instance computes; None
    where Lean's `decide` would fail to evaluate it."""
    if free_vars(goal) or not _computable_prop(goal):
        return None
    return semantics.eval_prop(goal)


def eval_prop(p: Prop, env=None) -> bool | None:
    """The truth value of `p` under `env` (semantics.py, every type)."""
    return semantics.eval_prop(p, env or {})


def _computable_prop(p: Prop) -> bool:
    if isinstance(p, Not):
        return _computable_prop(p.arg)
    if isinstance(p, (And, Or, Imp, Iff)):
        return _computable_prop(p.left) and _computable_prop(p.right)
    if isinstance(p, Rel):
        return _computable_term(p.left) and _computable_term(p.right)
    if isinstance(p, (Forall, Exists)):
        return p.ty == NAT and _computable_prop(p.body)
    return True  # True, False; Prop variables are free, refused above


def _computable_term(t: Term) -> bool:
    if isinstance(t, (Var, Num)):
        return t.ty in (NAT, INT)
    if isinstance(t, BinOp):
        if t.op == "^":
            k = semantics.eval_term(t.right)
            if k is None or k > MAX_EXPONENT:
                return False
        return _computable_term(t.left) and _computable_term(t.right)
    if isinstance(t, Cast):
        return t.ty == INT and _computable_term(t.arg)
    if isinstance(t, Neg):
        return _computable_term(t.arg)
    return False  # Inv, Abs, metavariables


__all__ = ["MAX_BOUND", "MAX_EXPONENT", "decide", "eval_prop"]
