"""Mathlib's `ring` on ℕ (Mathlib/Tactic/Ring/Basic.lean, `ring1`): an equation closes when
both sides have the same commutative-semiring normal form (numerals, `+`, `*`,
`^` by a numeral).

Weaker than Mathlib: a side with `-`, `/` or `%` fails (Mathlib's `ring` treats
truncated `a - b` and `a / b` in ℕ as atoms and may still close the goal), and
`x ^ n` with a variable exponent is an atom (Mathlib normalises `x ^ (n + 1)`).
"""
from __future__ import annotations

from lean_env.micro.polynomial import ring_atom, to_poly
from lean_env.micro.syntax import BinOp, MVar, Term


def ring_equal(a: Term, b: Term) -> bool:
    """Mathlib's `ring` on ℕ: equal as commutative-semiring polynomials (no -, /, %)."""
    if _mentions_non_ring(a) or _mentions_non_ring(b):
        return False
    pa = to_poly(a, ring_atom)
    return pa is not None and pa == to_poly(b, ring_atom)


def _mentions_non_ring(t: Term) -> bool:
    if isinstance(t, MVar):
        return True
    if isinstance(t, BinOp):
        return t.op in "-/%" or _mentions_non_ring(t.left) or _mentions_non_ring(t.right)
    return False
