"""Mathlib's `ring1` and `ring_nf` (Mathlib/Tactic/Ring/Basic.lean, RingNF.lean) on ℕ ℤ ℚ ℝ.

A term is read as a polynomial with rational coefficients over atoms, in its own type:
numerals, `+`, `*`, `^` by a closed ℕ exponent in every type; `-` and `-a` in ℤ ℚ ℝ;
in ℚ ℝ `a / b = a * b⁻¹`, the inverse of a numeral is a number (`0⁻¹ = 0`), of a
monomial the product of the inverses (`(2 * x ^ 2)⁻¹ = x⁻¹ ^ 2 * (1 / 2)`), of a sum an
atom. Atoms: variables, ℕ `-` `/` `%`, ℤ `/` `%`, `x ^ n` for a variable exponent (below),
casts `↑x` of non-numerals, `|a|`, `(a + b)⁻¹`; as with `ring_nf`'s default
`recursive := true`, the inside of an atom is normalised first. Closed subterms are
evaluated as norm_num does (`evalAtom` calls `NormNum.derive`). `x * x⁻¹` stays (it is
not 1 at x = 0).

`ring1` closes `a = b` when both sides have the same normal form (the tactic `ring` is
`first | ring1 | ring_nf`, tactics/arithmetic.py). `ring_nf` rewrites
each side of each relation into the printed normal form (RingNF's `SOP` cleanup:
`a * b * 2`, `a - b * 3`, `-(a * 2)`, `-x`, `x * (1 / 2)`, `x * (-1 / 2)`); a relation
`t = t` becomes `True` (simp's `eq_self`).

Monomials print in Mathlib's order (`ExSum` sorted by `ExProd.cmp`: the constant first,
then lexicographically by (atom index, exponent), atoms numbered in order of first
occurrence, left to right, as `AtomM` does).

A variable exponent splits as Mathlib's does (`x ^ (n + 1)` is `x ^ n * x`, `2 ^ (2 * n)`
is `(2 ^ n) ^ 2`, `(a + b) ^ (n + 1)` is `(a + b) ^ n * (a + b)`, `(x ^ n) ^ m` is
`x ^ (n * m)`), with `x ^ n`, `2 ^ n` and `(a + b) ^ n` as atoms.

Weaker than Mathlib: a sum in an exponent of an atom's exponent stays inside the atom
(`(x ^ (n + 1)) ^ m` is the atom `x ^ (n + 1)` to the m); `a⁻¹⁻¹` is an atom (Mathlib's
`ExBase.evalInv` also keeps it). Printing differs where Mathlib's atom numbering does (it also numbers atoms
met while proving side goals) and for inverses, which Mathlib orders as atoms of their own.
"""
from __future__ import annotations

from fractions import Fraction

from lean_env.micro.arith.numerals import FIELDS, RINGS, is_numeral, numeral, value
from lean_env.micro.syntax import (
    Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, MVar, Neg, Not, Num, Or, Prop, Rel,
    Term, Truth, Var, type_of,
)

MAX_TERMS = 2000
MAX_EXPONENT = 64

Monomial = tuple[tuple[int, int], ...]  # (atom index, exponent), by index
Poly = dict[Monomial, Fraction]


class Refused(Exception):
    """The term has a part `ring` does not read (a metavariable) or is too big."""


class RingNF:
    """One normalisation run: the atoms in order of first occurrence (Mathlib's AtomM)."""

    def __init__(self) -> None:
        self.atoms: list[Term] = []

    # ---- reading terms as polynomials ------------------------------------------

    def poly(self, t: Term) -> Poly:
        ty = type_of(t)
        if isinstance(t, Num):
            return _const(Fraction(t.value))
        if isinstance(t, MVar):
            raise Refused("a metavariable")
        if isinstance(t, BinOp):
            return self._binop(t, ty)
        if isinstance(t, Neg) and ty in RINGS:
            return _scale(self.poly(t.arg), Fraction(-1))
        if isinstance(t, Inv) and ty in FIELDS:
            return self._inverse(self.poly(t.arg), t)
        v = value(t)
        if v is not None:  # a closed cast or |c|: norm_num evaluates it
            return _const(v)
        return self._atom(t)

    def _binop(self, t: BinOp, ty: str) -> Poly:
        op = t.op
        if op == "^":
            k = value(t.right)
            if k is None:
                return self._variable_power(t)
            if k > MAX_EXPONENT and len(self.poly(t.left)) > 1:
                raise Refused("too large a power")
            return _power(self.poly(t.left), int(k))
        if op in ("+", "*") or (op == "-" and ty in RINGS) or (op == "/" and ty in FIELDS):
            a, b = self.poly(t.left), self.poly(t.right)
            if op == "+":
                return _add(a, b)
            if op == "-":
                return _add(a, _scale(b, Fraction(-1)))
            if op == "/":
                b = self._inverse(b, Inv(t.right))
            return _mul(a, b)
        v = value(t)
        return _const(v) if v is not None else self._atom(t)

    def _variable_power(self, t: BinOp) -> Poly:
        """`b ^ e` with a non-numeral ℕ exponent, for a monomial b = c * ∏ yᵢ ^ jᵢ:
        with e = k + Σ dₘ * tₘ, it is b ^ k * ∏ₘ ((c ^ tₘ) * ∏ᵢ (yᵢ ^ tₘ) ^ jᵢ) ^ dₘ
        (`pow_add`, `pow_mul`, `mul_pow`), each `c ^ tₘ`, `yᵢ ^ tₘ` an atom. A sum base
        gives `(a + b) ^ k * ((a + b) ^ tₘ) ^ dₘ`, the numeral power expanded."""
        base = self.poly(t.left)
        out = _const(Fraction(1))
        for em, ec in self.poly(t.right).items():
            if not em:
                out = _mul(out, _power(base, int(ec)))
                continue
            e = self._monomial(em, Fraction(1), type_of(t.right))
            if len(base) != 1:
                factor = self._atom(BinOp("^", self.term(base, type_of(t)), e))
            else:
                ((m, c),) = base.items()
                factor = _const(Fraction(1)) if c == 1 else \
                    self._atom(BinOp("^", numeral(c, type_of(t)), e))
                for i, j in m:
                    factor = _mul(factor, _power(self._power_atom(self.atoms[i], e), j))
            out = _mul(out, _power(factor, int(ec)))
        return out

    def _power_atom(self, atom: Term, e: Term) -> Poly:
        """The atom `atom ^ e`; `(y ^ t) ^ e` is `y ^ (t * e)` (`pow_mul`), so that
        `(x ^ n) ^ m` and `x ^ (n * m)` are one atom."""
        if isinstance(atom, BinOp) and atom.op == "^" and value(atom.right) is None:
            product = self.poly(BinOp("*", atom.right, e))
            if len(product) == 1:
                ((mm, cc),) = product.items()
                inner = self._monomial(mm, Fraction(1), type_of(e))
                return _power(self._atom(BinOp("^", atom.left, inner)), int(cc))
        return self._atom(BinOp("^", atom, e))

    def _inverse(self, p: Poly, original: Inv) -> Poly:
        if not p:
            return {}
        if len(p) == 1:
            ((m, c),) = p.items()
            inv: Poly = _const(1 / c)
            for i, e in m:
                inv = _mul(inv, _power(self._atom(Inv(self.atoms[i])), e))
            return inv
        return self._atom(Inv(self.term(p, type_of(original))))

    def _atom(self, t: Term) -> Poly:
        t = self._inside(t)
        if t not in self.atoms:
            self.atoms.append(t)
        return {((self.atoms.index(t), 1),): Fraction(1)}

    def _inside(self, t: Term) -> Term:
        """The atom with its arguments normalised (ring_nf's `recursive := true`)."""
        if isinstance(t, BinOp):
            return BinOp(t.op, self.normal(t.left), self.normal(t.right))
        if isinstance(t, Cast):
            return Cast(t.ty, self.normal(t.arg))
        if isinstance(t, (Inv, Abs, Neg)):
            return type(t)(self.normal(t.arg))
        return t

    # ---- printing polynomials as terms ---------------------------------------------

    def normal(self, t: Term) -> Term:
        """The printed normal form of `t` (itself when it is an atom or a numeral)."""
        if isinstance(t, (Var, MVar)) or is_numeral(t):
            return t
        return self.term(self.poly(t), type_of(t))

    def term(self, p: Poly, ty: str) -> Term:
        if not p:
            return Num(0, ty)
        out: Term | None = None
        for m in sorted(p, key=_order):
            c = p[m]
            # RingNF's cleanup: `x * -2` is `-(x * 2)` (mul_neg) and `a + -b` is `a - b`
            # (add_neg); a negative fraction stays a coefficient `x * (-1 / 2)`
            negated = c < 0 and c.denominator == 1
            body = self._monomial(m, -c if negated else c, ty)
            if out is None:
                out = Neg(body) if negated else body  # a constant keeps its sign too
            else:
                out = BinOp("-" if negated else "+", out, body)
        return out

    def _monomial(self, m: Monomial, c: Fraction, ty: str) -> Term:
        out: Term | None = None
        for i, e in m:
            f = self.atoms[i] if e == 1 else BinOp("^", self.atoms[i], Num(e))
            out = f if out is None else BinOp("*", out, f)
        if out is None:
            return _coefficient(c, ty)
        return out if c == 1 else BinOp("*", out, _coefficient(c, ty))


def _coefficient(c: Fraction, ty: str) -> Term:
    """A coefficient as RingNF prints it: `2`, `-2`, `1 / 2`, `-1 / 2` (`rat_rawCast_neg`)."""
    if c.denominator == 1 or c > 0:
        return numeral(c, ty)
    return BinOp("/", Neg(Num(-c.numerator, ty)), Num(c.denominator, ty))


def _order(m: Monomial):
    """Mathlib's `ExProd.cmp`: the constant first, then by the first atom's index, its
    exponent (smaller first), then the rest of the product (`x * y * 2 + x ^ 2 + y ^ 2`)."""
    return m


# ---- polynomial arithmetic (coefficients in ℚ) ---------------------------------------


def _const(c: Fraction) -> Poly:
    return {(): c} if c else {}


def _add(p: Poly, q: Poly) -> Poly:
    out = dict(p)
    for m, c in q.items():
        v = out.get(m, 0) + c
        if v:
            out[m] = v
        else:
            out.pop(m, None)
    return out


def _scale(p: Poly, c: Fraction) -> Poly:
    return {m: c * d for m, d in p.items()} if c else {}


def _mul(p: Poly, q: Poly) -> Poly:
    if len(p) * len(q) > MAX_TERMS * 4:
        raise Refused("too large a product")
    out: Poly = {}
    for m, c in p.items():
        for n, d in q.items():
            exps = dict(m)
            for i, e in n:
                exps[i] = exps.get(i, 0) + e
            k = tuple(sorted(exps.items()))
            v = out.get(k, 0) + c * d
            if v:
                out[k] = v
            else:
                out.pop(k, None)
    if len(out) > MAX_TERMS:
        raise Refused("too many monomials")
    return out


def _power(p: Poly, k: int) -> Poly:
    if len(p) <= 1:  # a monomial: multiply the exponents (`value` bounds the numbers)
        if not p:
            return _const(Fraction(1)) if k == 0 else {}
        ((m, c),) = p.items()
        if (max(c.numerator.bit_length(), c.denominator.bit_length()) - 1) * k > 4096:
            raise Refused("too large a number")
        return {tuple((i, e * k) for i, e in m): c**k} if k else _const(Fraction(1))
    out = _const(Fraction(1))
    for _ in range(k):
        out = _mul(out, p)
    return out


# ---- the tactics' entry points -------------------------------------------------------


def ring_equal(a: Term, b: Term) -> bool:
    """`ring1` on `a = b`: the same normal form."""
    nf = RingNF()
    try:
        return nf.poly(a) == nf.poly(b)
    except Refused:
        return False


def ring_nf(p: Prop, nf: RingNF | None = None) -> Prop:
    """`ring_nf` on a proposition: every relation's sides in normal form; `t = t` is True.
    One `nf` for all the locations of a call shares its atom order, as Mathlib's `ring_nf`
    shares one `AtomM` state. Raises Refused when a side cannot be read."""
    return _nf_prop(p, RingNF() if nf is None else nf)


def _nf_prop(p: Prop, nf: RingNF) -> Prop:
    if isinstance(p, Rel):
        a, b = nf.normal(p.left), nf.normal(p.right)
        return Truth(True) if p.op == "=" and a == b else Rel(p.op, a, b)
    if isinstance(p, Not):
        return Not(_nf_prop(p.arg, nf))
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(_nf_prop(p.left, nf), _nf_prop(p.right, nf))
    if isinstance(p, (Forall, Exists)):
        return type(p)(p.var, _nf_prop(p.body, nf), p.ty)
    return p
