"""Terms over ℕ ℤ ℚ ℝ as polynomials, and ℕ terms as numbers.

`to_poly` puts a term in the canonical sum-of-monomials form that `ring` compares
and `linarith` reads as a linear form over monomials (Mathlib's
Linarith/Parsing.lean `linearFormOfExpr`: `x*y` and `y*x` are one monomial). The
semantics is the term's own type: in ℤ ℚ ℝ `-` and `Neg` are ring subtraction; in
ℚ ℝ `a / k` for a nonzero numeral `k` (or `-k`) is `a * (1/k)` and `k⁻¹` is `1/k`
(what linarith's `cancelDenoms` preprocessing achieves); every other `/`, `%`,
`⁻¹`, `|·|`, cast, and ℕ `-`, is handed to the caller's `opaque` (an atom, a
value, or give up). Coefficients are ints or Fractions (ℚ).

`evaluate` gives the exact value of a closed or assigned ℕ term (truncated `-`,
`a / 0 = 0`, `a % 0 = a`) and None for any term with a non-ℕ node: it never
applies ℕ semantics to a term of another type. Pure Python, no z3.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction

from lean_env.micro.syntax import (
    NAT,
    RAT,
    REAL,
    BinOp,
    Inv,
    MVar,
    Neg,
    Num,
    Term,
    Var,
    type_of,
)

# Values beyond this many bits stay symbolic (2^100000 is not worth computing).
MAX_BITS = 4096
# Expanding (x + y + 1)^40 is not worth it either: such polynomials are refused.
MAX_TERMS = 2000
FIELDS = (RAT, REAL)

Coeff = int | Fraction
Monomial = tuple[tuple[Term, int], ...]  # (atom, exponent), sorted by repr(atom)
Poly = dict[Monomial, Coeff]  # monomial -> nonzero coefficient; {} is 0
# What to do with a subterm that is not a ring operation of its type (ℕ `-`, `/`,
# `%`, `x ^ y`, a cast, `⁻¹`, `|·|`): a Num (its value), another term (an opaque
# atom), or None (give up).
Opaque = Callable[[Term], Term | None]
Exponent = Callable[[Term], int | None]

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
    """The ℕ value of the ℕ term `t`, or None (unassigned variable, metavariable, too
    large, or a node or leaf of another type: ℕ semantics is never applied to those)."""
    if isinstance(t, Num):
        return t.value if t.ty == NAT else None
    if isinstance(t, Var):
        return env.get(t.name) if t.ty == NAT else None
    if isinstance(t, BinOp):
        a = evaluate(t.left, env)
        if a is None:
            return None
        b = evaluate(t.right, env)
        return None if b is None else apply_op(t.op, a, b)
    return None


# ---- polynomial arithmetic --------------------------------------------------


def _norm(c: Coeff) -> Coeff:
    """An integral Fraction as an int (keeps the common case fast and printable)."""
    return c.numerator if isinstance(c, Fraction) and c.denominator == 1 else c


def constant(c: Coeff) -> Poly:
    return {(): _norm(c)} if c else {}


def add(p: Poly, q: Poly, scale: Coeff = 1) -> Poly:
    """p + scale * q."""
    out = dict(p)
    for m, c in q.items():
        v = out.get(m, 0) + scale * c
        if v:
            out[m] = _norm(v)
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
                out[k] = _norm(v)
            else:
                out.pop(k, None)
    return out if len(out) <= MAX_TERMS else None


def _power_of(c: Coeff, k: int) -> Coeff | None:
    """c ** k, or None when its numerator or denominator would exceed MAX_BITS."""
    c = Fraction(c)
    num = apply_op("^", abs(c.numerator), k)
    den = apply_op("^", c.denominator, k)
    if num is None or den is None:
        return None
    return _norm(Fraction(-num if c < 0 and k % 2 else num, den))


def power(p: Poly, k: int) -> Poly | None:
    if set(p) <= {()}:  # a constant: compute the number itself
        v = _power_of(p.get((), 0), k)
        return None if v is None else constant(v)
    if len(p) == 1:  # a monomial: multiply the exponents
        ((m, c),) = p.items()
        ck = _power_of(c, k)
        if ck is None:
            return None
        return {tuple((a, e * k) for a, e in m): ck} if k else constant(1)
    if k > 64:
        return None
    out: Poly | None = constant(1)
    for _ in range(k):
        out = mul(out, p)
        if out is None:
            return None
    return out


def numeral_divisor(t: Term) -> Fraction | None:
    """`1/k` when `t` is a nonzero numeral `k` or `-k` (cancelDenoms' `e₂.nat?` after
    `div_neg`); None otherwise (`x / 0` and `x / y` stay atoms)."""
    sign = 1
    if isinstance(t, Neg):
        t, sign = t.arg, -1
    if isinstance(t, Num) and t.value:
        return Fraction(sign, t.value)
    return None


def to_poly(t: Term, opaque: Opaque, exponent: Exponent = evaluate) -> Poly | None:
    """The canonical polynomial of `t` in its own type, or None when `opaque` gives up
    or it is too big. `exponent` reads the ℕ exponent of `^` (None: `x ^ e` is not
    expanded but handed to `opaque`); the default evaluates any closed exponent,
    `numeral_exponent` only a literal (linarith's `Expr.numeral?`)."""
    if isinstance(t, Num):
        return constant(t.value)
    if isinstance(t, Var):
        return {((t, 1),): 1}
    if isinstance(t, MVar):
        return None
    if isinstance(t, Neg):
        a = to_poly(t.arg, opaque, exponent)
        return None if a is None else add({}, a, -1)
    if isinstance(t, Inv) and type_of(t) in FIELDS:
        inverse = numeral_divisor(t.arg)
        if inverse is not None:
            return constant(inverse)
    if isinstance(t, BinOp):
        ty = type_of(t.left)
        k = exponent(t.right) if t.op == "^" else None
        if k is not None:
            base = to_poly(t.left, opaque, exponent)
            return None if base is None else power(base, k)
        if t.op in ("+", "*") or (t.op == "-" and ty != NAT):
            a = to_poly(t.left, opaque, exponent)
            b = None if a is None else to_poly(t.right, opaque, exponent)
            if b is None:
                return None
            return mul(a, b) if t.op == "*" else add(a, b, -1 if t.op == "-" else 1)
        inverse = numeral_divisor(t.right) if t.op == "/" and ty in FIELDS else None
        if inverse is not None:
            a = to_poly(t.left, opaque, exponent)
            return None if a is None else add({}, a, inverse)
    atom = opaque(t)
    if atom is None:
        return None
    if isinstance(atom, Num):
        return constant(atom.value)
    return {((atom, 1),): 1}


def numeral_exponent(t: Term) -> int | None:
    """The exponent when it is a numeral literal, as linarith's parser reads it."""
    return t.value if isinstance(t, Num) else None


def ring_atom(t: Term) -> Term | None:
    """`ring`'s view: `x ^ e` with a non-numeral exponent, casts, `|·|`, `⁻¹` and
    division that are not numeral arithmetic, and ℤ `/` `%`, are atoms; ℕ `-`, `/`,
    `%` give up (ring.py refuses them)."""
    if isinstance(t, BinOp) and type_of(t) == NAT and t.op in "-/%":
        return None
    return t


def is_integral(p: Poly) -> bool:
    return all(not isinstance(c, Fraction) for c in p.values())


def integral(p: Poly) -> Poly:
    """`p` scaled by the positive lcm of its denominators (same sign, same zero set)."""
    lcm = 1
    for c in p.values():
        if isinstance(c, Fraction):
            lcm = lcm * c.denominator // math.gcd(lcm, c.denominator)
    return p if lcm == 1 else {m: _norm(c * lcm) for m, c in p.items()}


# ---- linear constraints ---------------------------------------------------------
# A row is a degree-1 polynomial p standing for the constraint p ≤ 0; its
# monomials are the variables. A strict row p < 0 is written p + ε ≤ 0 with the
# monomial STRICT standing for an infinitesimal ε > 0, never eliminated.
# Fourier–Motzkin refutes a set of rows by deriving a constant row c + e·ε ≤ 0 with
# c > 0, or c = 0 and e > 0 (a strict row took part): a nonnegative combination
# of the rows, which is itself the proof of infeasibility (Positivstellensatz).

MAX_ROWS = 400
STRICT: Monomial = (("ε", 1),)  # type: ignore[assignment]
_CONSTANT = frozenset({(), STRICT})


def _normalise(row: Poly, integer: bool) -> Poly:
    """Divide by the gcd of the coefficients; over ℤ, round the constant up
    (Σ g·aᵢxᵢ + c ≤ 0 implies Σ aᵢxᵢ + ⌈c/g⌉ ≤ 0 for integers xᵢ)."""
    g = 0
    for m, c in row.items():
        if m != () or not integer:
            g = math.gcd(g, c)
    if g <= 1:
        return row
    if integer:
        return {m: (-(-c // g) if m == () else c // g) for m, c in row.items() if m != () or -(-c // g)}
    return {m: c // g for m, c in row.items()}


def _refuted(row: Poly) -> bool:
    c, e = row.get((), 0), row.get(STRICT, 0)
    return c > 0 or (c == 0 and e > 0)


def fourier_motzkin(rows: list[Poly], integer: bool) -> bool | None:
    """Whether the rows (each p ≤ 0) are contradictory: True when refuted; False when
    satisfiable over ℚ (only when not `integer`); None when it gave up or, over ℤ,
    found no refutation. Rows may have Fraction coefficients and, when not
    `integer`, the STRICT monomial."""
    current = {frozenset(r.items()): r for r in (_normalise(integral(r), integer) for r in _indexed(rows))}
    while True:
        live: list[Poly] = []
        for r in current.values():
            if set(r) <= _CONSTANT:
                if _refuted(r):
                    return True
            else:
                live.append(r)
        if not live:
            return None if integer else False
        var = _equality_variable(live, current)
        if var is None:
            var = _cheapest_variable(live)
        pos = [r for r in live if r.get(var, 0) > 0]
        neg = [r for r in live if r.get(var, 0) < 0]
        if len(pos) * len(neg) + len(live) > MAX_ROWS:
            return None
        current = {frozenset(r.items()): r for r in live if var not in r}
        for p in pos:
            for n in neg:
                combined = _normalise(add(add({}, p, -n[var]), n, p[var]), integer)
                current[frozenset(combined.items())] = combined


def _indexed(rows: list[Poly]) -> list[dict]:
    """The rows with each variable monomial replaced by a small int (hashing terms is
    the cost of elimination otherwise); the constant and STRICT keys stay."""
    ids: dict[Monomial, int] = {}
    return [{m if m in _CONSTANT else ids.setdefault(m, len(ids)): c for m, c in r.items()} for r in rows]


def _equality_variable(rows: list[Poly], keys) -> Monomial | None:
    """A variable with coefficient ±1 in an equality (rows p and -p): eliminating it is
    exact substitution, as omega does first, and keeps the integer tightening strong."""
    for r in rows:
        if frozenset((m, -c) for m, c in r.items()) in keys:
            for m, c in r.items():
                if m not in _CONSTANT and abs(c) == 1:
                    return m
    return None


def _cheapest_variable(rows: list[Poly]):
    """The variable whose elimination adds the fewest rows."""
    counts: dict = {}
    for r in rows:
        for m, c in r.items():
            if m not in _CONSTANT:
                pos, neg = counts.get(m, (0, 0))
                counts[m] = (pos + 1, neg) if c > 0 else (pos, neg + 1)
    return min(counts, key=lambda m: counts[m][0] * counts[m][1])
