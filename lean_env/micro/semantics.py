"""Exact values of typed terms and closed propositions, as Lean 4 + Mathlib defines them.

The reference the soundness tests and the validity oracle trust: every number is a
Python `int` (ℕ, ℤ) or `fractions.Fraction` (ℚ, ℝ; a real-valued term of the
fragment built from rational inputs is rational), so evaluation is exact.

- ℕ: `a - b` truncates (`Nat.sub`), `/` floors (`Nat.div`), `a / 0 = 0`, `a % 0 = a`.
- ℤ: `/` is `Int.ediv` and `%` is `Int.emod` (Lean 4's `Int.instDivInt`/`instModInt`):
  the remainder is in `[0, |b|)`; `a / 0 = 0`, `a % 0 = a`.
- ℚ ℝ: field division with `a / 0 = 0` and `0⁻¹ = 0` (`DivisionRing`/`GroupWithZero`
  conventions); there is no `%`.
- `^` takes an ℕ exponent (`Monoid.npow`, `0 ^ 0 = 1`); casts are the injections
  ℕ → ℤ → ℚ → ℝ (`Nat.cast`, `Int.cast`, `Rat.cast`); `|a| = max a (-a)`.
- `a ∣ b` is `∃ c, b = a * c` (`semigroupDvd`): on ℕ ℤ divisibility, on a field
  `a ≠ 0 ∨ b = 0`.

A term has no value here (None) when a variable is unassigned, it contains a
metavariable or an operation its type does not have (`%` on ℝ, `-a` on ℕ), or a
number would exceed MAX_BITS (a guard above the tactics' own). A proposition has
no truth value when one of its terms has none, or it quantifies other than over a
bounded range of ℕ (`∀ x < n, …`, `∃ x ≤ n, …`, as Lean's `Nat.decidableBallLT`
and friends read them, up to MAX_BOUND values).
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping, Union

from lean_env.micro.syntax import (
    INT, NAT, NUM_TYPES, RAT, REAL, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv,
    Neg, Not, Num, Or, Prop, PVar, Rel, Term, Truth, Var, term_vars, type_of,
)

Value = Union[int, Fraction]
Env = Mapping[str, Union[int, Fraction, bool]]
FIELDS = (RAT, REAL)
INTEGRAL = (NAT, INT)
# The largest bounded quantifier range tried (Lean's kernel gives up well before).
MAX_BOUND = 1024
# Numbers beyond this many bits have no value here. Larger than the tactics' guards
# (polynomial.MAX_BITS), so the oracle can evaluate whatever a tactic computed.
MAX_BITS = 1 << 16

_EMPTY: Env = {}


class IllTyped(ValueError):
    """An assignment gives a variable a value outside its type (a caller's bug)."""


def _bits(v: Value) -> int:
    if isinstance(v, Fraction):
        return max(v.numerator.bit_length(), v.denominator.bit_length())
    return v.bit_length()


def _small(v: Value | None) -> Value | None:
    return None if v is None or _bits(v) > MAX_BITS else v


def in_type(ty: str, v: object) -> bool:
    """Whether the Python value `v` is an element of `ty` (ℕ ⊂ ℤ ⊂ ℚ = ℝ here)."""
    if isinstance(v, bool):
        return False
    if ty == NAT:
        return isinstance(v, int) and v >= 0
    if ty == INT:
        return isinstance(v, int)
    return isinstance(v, (int, Fraction))


def of_type(ty: str, v: Value) -> Value:
    """`v` in the representation of `ty`: int on ℕ ℤ, Fraction on ℚ ℝ."""
    return Fraction(v) if ty in FIELDS else v


# ---- terms -------------------------------------------------------------------------


def ediv(a: int, b: int) -> int:
    """Lean 4's `Int.ediv` (`a / b` on ℤ): the quotient whose remainder is in [0, |b|)."""
    if b == 0:
        return 0
    return (a - a % abs(b)) // b


def emod(a: int, b: int) -> int:
    """Lean 4's `Int.emod` (`a % b` on ℤ): in [0, |b|), and `a % 0 = a`."""
    return a % abs(b) if b else a


def binop(op: str, ty: str, a: Value, b: Value) -> Value | None:
    """`a op b` on `ty` (`b : ℕ` for `^`), or None when `ty` has no such operation or
    the result is too large."""
    if op == "+":
        return _small(a + b)
    if op == "*":
        return _small(a * b) if _bits(a) + _bits(b) <= 2 * MAX_BITS else None
    if op == "-":
        return max(a - b, 0) if ty == NAT else a - b
    if op == "^":
        if b == 0:
            return of_type(ty, 1)
        if a in (0, 1):
            return a
        if a == -1:
            return of_type(ty, 1 if b % 2 == 0 else -1)
        return _small(a**b) if (_bits(a) - 1) * b <= MAX_BITS else None
    if op == "/":
        if ty == NAT:
            return a // b if b else 0
        if ty == INT:
            return ediv(a, b)
        return Fraction(a) / b if b else Fraction(0)
    if op == "%":
        if ty == NAT:
            return a % b if b else a
        if ty == INT:
            return emod(a, b)
    return None


def eval_term(t: Term, env: Env = _EMPTY) -> Value | None:
    """The value of `t` under `env` (variable name → value), or None (see module doc)."""
    if isinstance(t, Num):
        return of_type(t.ty, t.value)
    if isinstance(t, Var):
        v = env.get(t.name)
        if v is None:
            return None
        if not in_type(t.ty, v):
            raise IllTyped(f"{t.name} : {t.ty} cannot be {v!r}")
        return of_type(t.ty, v)
    if isinstance(t, BinOp):
        a = eval_term(t.left, env)
        b = None if a is None else eval_term(t.right, env)
        return None if b is None else binop(t.op, type_of(t.left), a, b)
    if isinstance(t, Cast):
        v = eval_term(t.arg, env)
        return None if v is None else of_type(t.ty, v)
    if isinstance(t, (Neg, Inv, Abs)):
        return _unary(t, env)
    return None  # a metavariable


def _unary(t: Neg | Inv | Abs, env: Env) -> Value | None:
    ty = type_of(t.arg)
    v = eval_term(t.arg, env)
    if v is None:
        return None
    if isinstance(t, Inv):
        return (1 / v if v else Fraction(0)) if ty in FIELDS else None
    if ty == NAT:  # ℕ has no `Neg` and no lattice-ordered group `|·|`
        return None
    return -v if isinstance(t, Neg) else abs(v)


# ---- propositions ------------------------------------------------------------------


def holds(op: str, a: Value, b: Value, ty: str = INT) -> bool:
    """`a op b` on values of `ty` (relations = ≠ ≤ < ≥ > ∣)."""
    if op == "∣":
        if ty in FIELDS:
            return a != 0 or b == 0
        return b == 0 if a == 0 else b % a == 0
    return {"=": a == b, "≠": a != b, "≤": a <= b, "<": a < b, "≥": a >= b, ">": a > b}[op]


def eval_prop(p: Prop, env: Env = _EMPTY) -> bool | None:
    """The truth value of `p` under `env` (Prop variables map to bools), or None."""
    if isinstance(p, Truth):
        return p.value
    if isinstance(p, PVar):
        v = env.get(p.name)
        return v if isinstance(v, bool) else None
    if isinstance(p, Not):
        v = eval_prop(p.arg, env)
        return None if v is None else not v
    if isinstance(p, (And, Or, Imp, Iff)):
        return _connective(p, env)
    if isinstance(p, Rel):
        a = eval_term(p.left, env)
        b = None if a is None else eval_term(p.right, env)
        return None if b is None else holds(p.op, a, b, type_of(p.left))
    if isinstance(p, (Forall, Exists)):
        return _eval_bounded(p, env)
    return None


def _connective(p: And | Or | Imp | Iff, env: Env) -> bool | None:
    a = eval_prop(p.left, env)
    # Short-circuit where the other side cannot matter (its value may not exist here).
    if isinstance(p, And) and a is False or isinstance(p, Or) and a is True:
        return a
    if isinstance(p, Imp) and a is False:
        return True
    b = eval_prop(p.right, env)
    if isinstance(p, And) and b is False or isinstance(p, (Or, Imp)) and b is True:
        return b
    if a is None or b is None:
        return None
    if isinstance(p, And):
        return a and b
    if isinstance(p, Or):
        return a or b
    return (not a or b) if isinstance(p, Imp) else a == b


def bounded_range(p: Forall | Exists, env: Env) -> range | None:
    """The values of `x` in `∀ x : ℕ, x < n → P x` / `∃ x : ℕ, x < n ∧ P x` (`≤` too)."""
    body, shape = p.body, Imp if isinstance(p, Forall) else And
    if not (p.ty == NAT and isinstance(body, shape) and isinstance(body.left, Rel)
            and body.left.op in ("<", "≤") and body.left.left == Var(p.var, NAT)
            and p.var not in term_vars(body.left.right)):
        return None
    bound = eval_term(body.left.right, env)
    if bound is None or bound > MAX_BOUND:
        return None
    return range(bound + 1 if body.left.op == "≤" else bound)


def _eval_bounded(p: Forall | Exists, env: Env) -> bool | None:
    values = bounded_range(p, env)
    if values is None:
        return None
    verdicts = [eval_prop(p.body.right, {**env, p.var: x}) for x in values]
    if isinstance(p, Forall):
        return False if False in verdicts else None if None in verdicts else True
    return True if True in verdicts else None if None in verdicts else False


__all__ = ["FIELDS", "INTEGRAL", "IllTyped", "MAX_BOUND", "NUM_TYPES", "Value", "binop",
           "bounded_range", "ediv", "emod", "eval_prop", "eval_term", "holds", "in_type",
           "of_type"]
