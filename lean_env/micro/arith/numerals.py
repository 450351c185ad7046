"""Closed terms over ℕ ℤ ℚ ℝ as exact numbers, and numbers back as Lean numerals.

`value` is the exact Lean 4 + Mathlib value of a closed term (ℕ `-` truncates, ℕ `/`
floors, ℤ `/` `%` are `Int.ediv`/`Int.emod`, field `/` with `x / 0 = 0`, `0⁻¹ = 0`,
casts are the injections). `numeral` is the term Mathlib's norm_num writes for a value
(`Result.toSimpResult` in Mathlib/Tactic/NormNum/Core.lean): `n`, `-n`, `n / d`,
`-(n / d)`. Shared by norm_num, ring and the cast tactics.
"""
from __future__ import annotations

from fractions import Fraction

from lean_env.micro.syntax import (
    INT, NAT, RAT, REAL, Abs, BinOp, Cast, Inv, Neg, Num, Term, type_of,
)

FIELDS = (RAT, REAL)
RINGS = (INT, RAT, REAL)  # the types with ring subtraction and negation
# Values beyond this many bits stay symbolic (2^100000 is not worth computing).
MAX_BITS = 4096


def value(t: Term) -> Fraction | None:
    """The exact value of a closed term, or None (a variable, an unmodelled node, too big)."""
    if isinstance(t, Num):
        return Fraction(t.value)
    if isinstance(t, Cast):
        return value(t.arg)
    if isinstance(t, (Neg, Inv, Abs)):
        v = value(t.arg)
        if v is None:
            return None
        if isinstance(t, Neg):
            return -v
        if isinstance(t, Abs):
            return abs(v)
        return 1 / v if v else Fraction(0)
    if isinstance(t, BinOp):
        a = value(t.left)
        b = None if a is None else value(t.right)
        return None if b is None else apply(t.op, type_of(t.left), a, b)
    return None


def apply(op: str, ty: str, a: Fraction, b: Fraction) -> Fraction | None:
    """`a op b` in type `ty` (b is the ℕ exponent for `^`); None when too big or not in ty."""
    if op == "+":
        return a + b
    if op == "*":
        return a * b if _bits(a) + _bits(b) <= MAX_BITS else None
    if op == "-":
        return max(a - b, Fraction(0)) if ty == NAT else a - b
    if op == "^":
        k = int(b)
        if a in (-1, 0, 1) or k <= 1:
            return a**k
        return a**k if _bits(a) * k <= MAX_BITS else None
    if op == "/":
        if not b:
            return Fraction(0)
        if ty in FIELDS:
            return a / b
        return Fraction((a - _emod(a, b)) / b)  # ℕ floor and Int.ediv agree on ℕ
    if op == "%":
        if ty in FIELDS:
            return None  # no `%` on fields in the fragment
        return a if not b else _emod(a, b)
    raise ValueError(f"unknown operator {op!r}")


def _emod(a: Fraction, b: Fraction) -> Fraction:
    """Int.emod: the remainder r with 0 ≤ r < |b|."""
    return Fraction(int(a) % abs(int(b)))


def _bits(v: Fraction) -> int:
    return max(v.numerator.bit_length(), v.denominator.bit_length())


def numeral(v: Fraction, ty: str) -> Term:
    """The normal-form numeral norm_num writes for `v : ty`."""
    n, d = abs(v.numerator), v.denominator
    body: Term = Num(n, ty) if d == 1 else BinOp("/", Num(n, ty), Num(d, ty))
    return Neg(body) if v < 0 else body


def is_numeral(t: Term) -> bool:
    """Whether `t` is already in norm_num's normal form (Core.lean `isNormalForm`)."""
    if isinstance(t, Neg):
        t = t.arg
        if isinstance(t, Num):
            return t.value != 0
    if isinstance(t, BinOp) and t.op == "/":
        return (isinstance(t.left, Num) and isinstance(t.right, Num) and t.right.value > 1
                and type_of(t) in FIELDS and Fraction(t.left.value, t.right.value).denominator
                == t.right.value)
    return isinstance(t, Num)
