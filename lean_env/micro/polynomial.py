"""ℕ terms as numbers and as polynomials.

`evaluate` gives the exact ℕ value of a term under an assignment (truncated
`-`, `a / 0 = 0`, `a % 0 = a`). `to_poly` puts a term in the canonical
sum-of-monomials form that `ring` compares and `linarith` reads as a linear
form over monomials. Coefficients are Python ints (ℤ, so that `lhs - rhs` is a
polynomial too). Pure Python, no z3.
"""
from __future__ import annotations

import math
from typing import Callable, Mapping

from lean_env.micro.syntax import BinOp, Num, Term, Var

# Values beyond this many bits stay symbolic (2^100000 is not worth computing).
MAX_BITS = 4096
# Expanding (x + y + 1)^40 is not worth it either: such polynomials are refused.
MAX_TERMS = 2000

Monomial = tuple[tuple[Term, int], ...]  # (atom, exponent), sorted by repr(atom)
Poly = dict[Monomial, int]  # monomial -> nonzero coefficient; {} is 0
# What to do with a subterm that is not a ring operation (`-`, `/`, `%`, `x ^ y`):
# a Num (its value), another term (an opaque atom), or None (give up).
Opaque = Callable[[BinOp], Term | None]

_EMPTY: Mapping[str, int] = {}


def apply_op(op: str, a: int, b: int) -> int | None:
    """`a op b` on ℕ, or None when the result would exceed MAX_BITS."""
    if op == "+":
        return a + b
    if op == "-":
        return a - b if a >= b else 0
    if op == "*":
        return a * b if a.bit_length() + b.bit_length() <= MAX_BITS + 1 else None
    if op == "/":
        return a // b if b else 0
    if op == "%":
        return a % b if b else a
    if op == "^":
        if a <= 1 or b == 0:
            return 1 if b == 0 else a
        return a**b if (a.bit_length() - 1) * b <= MAX_BITS else None
    raise ValueError(f"unknown operator {op!r}")


def evaluate(t: Term, env: Mapping[str, int] = _EMPTY) -> int | None:
    """The ℕ value of `t`, or None (unassigned variable, metavariable, too large)."""
    if isinstance(t, Num):
        return t.value
    if isinstance(t, Var):
        return env.get(t.name)
    if isinstance(t, BinOp):
        a = evaluate(t.left, env)
        if a is None:
            return None
        b = evaluate(t.right, env)
        return None if b is None else apply_op(t.op, a, b)
    return None


# ---- polynomial arithmetic --------------------------------------------------


def constant(c: int) -> Poly:
    return {(): c} if c else {}


def add(p: Poly, q: Poly, scale: int = 1) -> Poly:
    """p + scale * q."""
    out = dict(p)
    for m, c in q.items():
        v = out.get(m, 0) + scale * c
        if v:
            out[m] = v
        else:
            out.pop(m, None)
    return out


def _mul_monomials(m: Monomial, n: Monomial) -> Monomial:
    exps: dict[Term, int] = dict(m)
    for atom, e in n:
        exps[atom] = exps.get(atom, 0) + e
    return tuple(sorted(exps.items(), key=lambda ae: repr(ae[0])))


def mul(p: Poly, q: Poly) -> Poly | None:
    if len(p) * len(q) > MAX_TERMS * 4:
        return None
    out: Poly = {}
    for m, c in p.items():
        for n, d in q.items():
            k = _mul_monomials(m, n)
            v = out.get(k, 0) + c * d
            if v:
                out[k] = v
            else:
                out.pop(k, None)
    return out if len(out) <= MAX_TERMS else None


def power(p: Poly, k: int) -> Poly | None:
    if set(p) <= {()}:  # a constant: compute the number itself
        v = apply_op("^", p.get((), 0), k)
        return None if v is None else constant(v)
    if len(p) == 1:  # a monomial: multiply the exponents
        ((m, c),) = p.items()
        ck = apply_op("^", abs(c), k)
        if ck is None:
            return None
        sign = -1 if c < 0 and k % 2 else 1
        return {tuple((a, e * k) for a, e in m): sign * ck}
    if k > 64:
        return None
    out: Poly | None = constant(1)
    for _ in range(k):
        out = mul(out, p)
        if out is None:
            return None
    return out


def to_poly(t: Term, opaque: Opaque) -> Poly | None:
    """The canonical polynomial of `t`, or None when `opaque` gives up or it is too big."""
    if isinstance(t, Num):
        return constant(t.value)
    if isinstance(t, Var):
        return {((t, 1),): 1}
    if not isinstance(t, BinOp):
        return None
    if t.op == "^":
        k = evaluate(t.right)
        if k is not None:
            base = to_poly(t.left, opaque)
            return None if base is None else power(base, k)
    if t.op in ("+", "*"):
        a = to_poly(t.left, opaque)
        b = None if a is None else to_poly(t.right, opaque)
        if b is None:
            return None
        return add(a, b) if t.op == "+" else mul(a, b)
    atom = opaque(t)
    if atom is None:
        return None
    if isinstance(atom, Num):
        return constant(atom.value)
    return {((atom, 1),): 1}


def ring_atom(t: BinOp) -> Term | None:
    """`ring`'s view: only `x ^ e` with a non-numeral exponent is an atom."""
    return t if t.op == "^" else None


# ---- linear constraints ---------------------------------------------------------
# A row is a degree-1 polynomial p standing for the constraint p ≤ 0; its
# monomials are the variables. Fourier–Motzkin refutes a set of rows by deriving
# a constant row c ≤ 0 with c > 0, a nonnegative combination of the rows, which
# is itself the proof of infeasibility.

MAX_ROWS = 400


def _normalise(row: Poly, integer: bool) -> Poly:
    """Divide by the gcd of the coefficients; over ℤ, round the constant up
    (Σ g·aᵢxᵢ + c ≤ 0 implies Σ aᵢxᵢ + ⌈c/g⌉ ≤ 0 for integers xᵢ)."""
    g = 0
    for m, c in row.items():
        if m or not integer:
            g = math.gcd(g, c)
    if g <= 1:
        return row
    if integer:
        return {m: (-(-c // g) if not m else c // g) for m, c in row.items() if m or -(-c // g)}
    return {m: c // g for m, c in row.items()}


def fourier_motzkin(rows: list[Poly], integer: bool) -> bool | None:
    """Whether the rows (each p ≤ 0) are contradictory: True when refuted; False when
    satisfiable over ℚ (only when not `integer`); None when it gave up or, over ℤ,
    found no refutation."""
    current = {frozenset(r.items()): r for r in (_normalise(r, integer) for r in rows)}
    while True:
        live: list[Poly] = []
        for r in current.values():
            if set(r) <= {()}:
                if r.get((), 0) > 0:
                    return True
            else:
                live.append(r)
        if not live:
            return None if integer else False
        var = _equality_variable(live, current) or _cheapest_variable(live)
        pos = [r for r in live if r.get(var, 0) > 0]
        neg = [r for r in live if r.get(var, 0) < 0]
        if len(pos) * len(neg) + len(live) > MAX_ROWS:
            return None
        current = {frozenset(r.items()): r for r in live if var not in r}
        for p in pos:
            for n in neg:
                combined = _normalise(add(add({}, p, -n[var]), n, p[var]), integer)
                current[frozenset(combined.items())] = combined


def _equality_variable(rows: list[Poly], keys) -> Monomial | None:
    """A variable with coefficient ±1 in an equality (rows p and -p): eliminating it is
    exact substitution, as omega does first, and keeps the integer tightening strong."""
    for r in rows:
        if frozenset((m, -c) for m, c in r.items()) in keys:
            for m, c in r.items():
                if m and abs(c) == 1:
                    return m
    return None


def _cheapest_variable(rows: list[Poly]):
    """The variable whose elimination adds the fewest rows."""
    counts: dict = {}
    for r in rows:
        for m, c in r.items():
            if m:
                pos, neg = counts.get(m, (0, 0))
                counts[m] = (pos + 1, neg) if c > 0 else (pos, neg + 1)
    return min(counts, key=lambda m: counts[m][0] * counts[m][1])
