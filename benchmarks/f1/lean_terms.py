"""Formatting of Lean terms for the F1 corpus templates (families_*.py): constants,
linear forms and polynomials written as a Mathlib user writes them."""
from __future__ import annotations

import random
from fractions import Fraction
from typing import Optional

# One instance of a family: (binders, conclusion, tactics), or None for a degenerate draw.
Instance = Optional[tuple[str, str, list[str]]]


def num(q: Fraction | int) -> str:
    """A rational constant as a Lean term: `7`, `-3`, `7 / 3`, `-7 / 3`."""
    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator)
    return f"{q.numerator} / {q.denominator}"


def pnum(q: Fraction | int) -> str:
    """`num`, parenthesised where it is not atomic (under * or ^)."""
    text = num(q)
    return f"({text})" if " " in text or text.startswith("-") else text


def lin(terms: list[tuple[int, str]], const: int = 0) -> str:
    """`a * x + b * y - c` from (coefficient, variable) pairs and a constant."""
    out = ""
    for c, v in terms:
        if c == 0:
            continue
        mag = abs(c)
        body = v if mag == 1 else f"{mag} * {v}"
        if not out:
            out = body if c > 0 else f"-{body}" if mag == 1 else f"-{mag} * {v}"
        else:
            out += f" + {body}" if c > 0 else f" - {body}"
    if const or not out:
        out = str(const) if not out else out + (f" + {const}" if const > 0 else f" - {-const}")
    return out


def poly(coeffs: list[int], x: str) -> str:
    """c₀ + c₁ x + … written highest degree first: `2 * x ^ 3 - x + 5`."""
    terms = []
    for k in range(len(coeffs) - 1, 0, -1):
        terms.append((coeffs[k], x if k == 1 else f"{x} ^ {k}"))
    return lin(terms, coeffs[0])


def par(text: str) -> str:
    """Parenthesise a compound term where it is a factor."""
    return f"({text})" if " " in text else text


def nonzero(r: random.Random, lo: int, hi: int) -> int:
    while True:
        v = r.randint(lo, hi)
        if v:
            return v


VAR_PAIRS = [("x", "y"), ("a", "b"), ("m", "n"), ("u", "v"), ("p", "q"), ("s", "t")]
VAR_ONE = ["x", "y", "a", "b", "t", "r", "z", "u"]
REALS = ["ℝ", "ℚ"]


CHAIN_VARS = ["a", "b", "c", "d", "u", "v", "w", "z"]
SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉"


def sub(i: int) -> str:
    return "".join(SUBSCRIPT[int(ch)] for ch in str(i))
