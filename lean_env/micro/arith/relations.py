"""Shared by the arithmetic procedures: the comparison relations, their negations,
their truth on numerals, and comparisons as linear rows `p ≤ 0` over ℤ."""
from __future__ import annotations

from lean_env.micro.polynomial import Poly, add, constant
from lean_env.micro.syntax import Truth

FALSE, TRUE = Truth(False), Truth(True)
COMPARISONS = ("=", "≤", "<", "≥", ">")
NEGATED = {"≤": ">", "<": "≥", "≥": "<", ">": "≤"}
# Search asks the same question many times; answers are pure functions of the input.
CACHE_SIZE = 8192


def compare(op: str, a: int, b: int) -> bool:
    if op == "∣":
        return b == 0 if a == 0 else b % a == 0
    return {"=": a == b, "≠": a != b, "≤": a <= b, "<": a < b, "≥": a >= b, ">": a > b}[op]




def comparison_rows(op: str, a: Poly | None, b: Poly | None) -> list[Poly] | None:
    """`a op b` over ℤ as rows p ≤ 0 (`a < b` becomes a - b + 1 ≤ 0; `=` two rows)."""
    if a is None or b is None:
        return None
    if op in ("≥", ">"):
        a, b, op = b, a, "≤" if op == "≥" else "<"
    diff = add(a, b, -1)
    if op == "=":
        return [diff, add({}, diff, -1)]
    return [add(diff, constant(1)) if op == "<" else diff]
