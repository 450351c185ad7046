"""Mathlib's `nlinarith` (Mathlib/Tactic/Linarith/Preprocessing.lean `nlinarithExtras`,
Frontend.lean): `linarith` with one more preprocessing step after the default chain.

Modelled (`nlinarithExtras`):
- `findSquares`: every subterm `a ^ 2` (exponent the numeral 2) and `a * a` (both factors
  the same atom) of the preprocessed comparisons, at any depth, gives `0 ≤ a ^ 2` /
  `0 ≤ a * a` in the type of `a` (over ℕ that fact does not survive `compWithZero`:
  ℕ has no subtraction, so it is dropped as in Mathlib);
- `nlinarithGetProductsProofs`: for every pair (with repetition, `mapDiagM`) of the
  comparisons `t₁ R₁ 0`, `t₂ R₂ 0` of one type, squares included, the product fact
  `0 R t₁·t₂` (`<` when both are strict, `=` when one is an equality, else `≤`);
- then linarith's oracle on everything, per type, with every monomial an atom (so
  products of degree 2 in the hypotheses, degree ≤ 4 in the atoms).

Weaker than Mathlib, to keep one call under the tactic timeout: products are formed
among the first MAX_PRODUCT_FACTS comparisons only (Mathlib: all of them; a
refutation from fewer facts is still one from all), taken in the order squares,
negated goal, hypotheses and hint terms, cast nonnegativity facts; a product whose
expansion exceeds polynomial.MAX_TERMS is skipped.
"""
from __future__ import annotations

from functools import lru_cache

from lean_env.micro.arith.linarith import Fact, fact, goal_cases, preprocess, refute
from lean_env.micro.arith.relations import CACHE_SIZE
from lean_env.micro.polynomial import add, mul
from lean_env.micro.syntax import NAT, BinOp, Num, Prop, Term, type_of

# 24 comparisons give 300 products: enough for miniF2F-style hint lists.
MAX_PRODUCT_FACTS = 24


def nlinarith(hyps: list[Prop], goal: Prop, timeout_ms: int = 2000) -> bool:
    """Mathlib's `nlinarith`: linarith after adding squares and pairwise products."""
    return _nlinarith(tuple(hyps), goal, timeout_ms)


@lru_cache(maxsize=CACHE_SIZE)
def _nlinarith(hyps: tuple[Prop, ...], goal: Prop, timeout_ms: int) -> bool:
    # the negated goal first: if the product bound bites, its products are kept
    return all(refute(extras(preprocess(case + list(hyps))), timeout_ms) for case in goal_cases(goal))


def extras(facts: list[Fact]) -> list[Fact]:
    """nlinarithExtras: square facts first, then the facts, then the products."""
    squares = [_square_fact(a, op) for a, op in _squares(facts)]
    squares = [f for f in squares if f is not None]
    every = squares + facts
    return every + products(every[:MAX_PRODUCT_FACTS])


def _squares(facts: list[Fact]) -> dict[tuple[Term, str], None]:
    """findSquares over every side of every fact, in order, without repeats."""
    found: dict[tuple[Term, str], None] = {}
    for f in facts:
        for side in f.sides:
            _find_squares(side, found)
    return found


def _find_squares(t: Term, found: dict) -> None:
    if isinstance(t, BinOp):
        if t.op == "^" and t.right == Num(2):
            _find_squares(t.left, found)
            found[(t.left, "^")] = None
            return
        if t.op == "*" and t.left == t.right:
            _find_squares(t.left, found)
            found[(t.left, "*")] = None
            return
        _find_squares(t.left, found)
        _find_squares(t.right, found)
        return
    arg = getattr(t, "arg", None)
    if arg is not None:
        _find_squares(arg, found)


def _square_fact(a: Term, how: str) -> Fact | None:
    """sq_nonneg a / mul_self_nonneg a as `-(a^2) ≤ 0`; None over ℕ (compWithZero fails)."""
    ty = type_of(a)
    if ty == NAT:
        return None
    square = BinOp("^", a, Num(2)) if how == "^" else BinOp("*", a, a)
    return fact("≤", Num(0, ty), square)


def products(facts: list[Fact]) -> list[Fact]:
    """The product of each pair of same-type facts `t₁ R₁ 0`, `t₂ R₂ 0` as `-(t₁·t₂) R 0`."""
    out = []
    for i, f in enumerate(facts):
        for g in facts[i:]:
            if f.ty != g.ty:
                continue
            p = mul(f.poly, g.poly)
            if p is None:
                continue
            if "=" in (f.op, g.op):
                out.append(Fact(f.ty, p, "=", ()))
            else:
                out.append(Fact(f.ty, add({}, p, -1), "<" if f.op == g.op == "<" else "≤", ()))
    return out


def clear_cache() -> None:
    _nlinarith.cache_clear()
