"""Mathlib's `field_simp` (Mathlib/Tactic/FieldSimp.lean, the `qNF` algorithm of Mathlib
for Lean v4.24; Discharger.lean) on ℚ and ℝ.

Each side is normalised (`normalize`) to a sign and a product of integer powers of atoms:
`*`, `/`, `⁻¹`, `^` by a numeral literal and `-a` are read; `1` is the empty product; a
sum or difference `a ± b` pulls out the common factor L of its two sides (`gcd` with no
condition, except that a denominator moves only when proved nonzero) and becomes
L * (a' ± b'), the bracket a new atom; everything else (variables, numerals other
than 1, casts, `|a|`, `x ^ n`) is an atom. Atoms are numbered in order of first
occurrence. A relation `a = b` (`≤`, `<`; `≥ >` are read flipped) cancels the common
factor of its sides (`reduceEqQ`/`reduceLeQ`/`reduceLtQ`): a factor present on both
sides, or a denominator on one side, is cancelled only when the discharger proves it
nonzero (`=`) or positive (`≤ <`); a denominator moved across lands as a positive power
on the other side (`a / b = c` with `hb : b ≠ 0` gives `a = b * c`). Other subterms
(sides of `≠`) are put in the form `n / d`, dropping `x / x` for a proved nonzero x
(`removeZeros`). Products print with atoms in increasing order, left-associated;
`num / den` when denominators remain (`evalPretty`). `t = t` becomes True.

The discharger (`FieldSimp.discharge`): an assumption `e ≠ 0` / `0 < e` (also among the
`field_simp [h]` terms), norm_num on a closed `e ≠ 0`, then positivity (arith/positivity.py).

Weaker than Mathlib: the discharger's last strategy (simp with `mul_ne_zero`,
`pow_ne_zero`, …) is not run; atoms are not normalised inside; no `zpow`.
"""
from __future__ import annotations

from lean_env.micro.arith.numerals import FIELDS, value
from lean_env.micro.arith.positivity import positivity
from lean_env.micro.syntax import (
    And, BinOp, Exists, Forall, Iff, Imp, Inv, Neg, Not, Num, Or, Prop, Rel, Term, Truth, type_of,
)

NF = dict[int, int]  # atom index -> integer exponent
NONZERO, POSITIVE, NO_CONDITION = "nonzero", "positive", None


class FieldSimp:
    """One field_simp run: the atoms, in order of first occurrence, and the context."""

    def __init__(self, facts: list[Prop]) -> None:
        self.facts = facts
        self.atoms: list[Term] = []

    # ---- the discharger ---------------------------------------------------------------

    def discharge(self, i: int, kind: str) -> bool:
        e = self.atoms[i]
        zero = Num(0, type_of(e))
        goal = Rel("≠", e, zero) if kind == NONZERO else Rel("<", zero, e)
        if goal in self.facts or (kind == POSITIVE and Rel(">", e, zero) in self.facts):
            return True
        if kind == NONZERO and Not(Rel("=", e, zero)) in self.facts:
            return True
        v = value(e)
        if kind == NONZERO and v is not None:  # norm_num on a closed `e ≠ 0`
            return v != 0
        return positivity(self.facts, goal)

    # ---- normalize: a sign and a product of powers of atoms ---------------------------

    def atom(self, t: Term) -> NF:
        if t not in self.atoms:
            self.atoms.append(t)
        return {self.atoms.index(t): 1}

    def normalize(self, t: Term) -> tuple[bool, NF]:
        """(negated?, exponents) with t = ±∏ atomᵢ ^ eᵢ."""
        if isinstance(t, Num) and t.value == 1:
            return False, {}
        if isinstance(t, Neg):
            s, nf = self.normalize(t.arg)
            return not s, nf
        if isinstance(t, Inv):
            s, nf = self.normalize(t.arg)
            return s, {i: -e for i, e in nf.items()}
        if not isinstance(t, BinOp):
            return False, self.atom(t)
        if t.op in ("*", "/"):
            s1, a = self.normalize(t.left)
            s2, b = self.normalize(t.right)
            return s1 != s2, _combine(a, b, 1 if t.op == "*" else -1)
        if t.op == "^" and isinstance(t.right, Num):
            k = t.right.value
            if k == 0:
                return False, {}
            s, nf = self.normalize(t.left)
            return s and k % 2 == 1, {i: e * k for i, e in nf.items()}
        if t.op in ("+", "-"):
            s1, a = self.normalize(t.left)
            s2, b = self.normalize(t.right)
            common, a1, b1 = self.gcd(a, b, NO_CONDITION)
            inside = BinOp(t.op, _signed(s1, self.pretty(a1, t)), _signed(s2, self.pretty(b1, t)))
            return False, _combine(common, self.atom(inside), 1)
        return False, self.atom(t)

    def gcd(self, a: NF, b: NF, cond: str | None) -> tuple[NF, NF, NF]:
        """(L, a', b') with a = L * a', b = L * b' (`qNF.gcd`)."""
        common: NF = {}
        a1, b1 = dict(a), dict(b)
        for i in sorted(set(a) | set(b), reverse=True):
            if i in a and i in b:
                m = min(a[i], b[i])
                if cond is None or self.discharge(i, cond):
                    common[i] = m
                    for side, n in ((a1, a[i]), (b1, b[i])):
                        if n == m:
                            side.pop(i)
                        else:
                            side[i] = n - m
                continue
            side, other = (a1, b1) if i in a else (b1, a1)
            n = side[i]
            if n == 0 and self.discharge(i, NONZERO):
                side.pop(i)
            elif n < 0 and self.discharge(i, cond or NONZERO):
                common[i] = n
                side.pop(i)
                other[i] = -n
        return common, a1, b1

    # ---- printing ---------------------------------------------------------------------

    def pretty(self, nf: NF, like: Term) -> Term:
        """`num / den` (`evalPretty`): atoms in increasing order, `x / x` for exponent 0."""
        ty = type_of(like)
        num = {i: e for i, e in nf.items() if e > 0} | {i: 1 for i, e in nf.items() if e == 0}
        den = {i: -e for i, e in nf.items() if e < 0} | {i: 1 for i, e in nf.items() if e == 0}
        top = self._product(num, ty)
        return top if not den else BinOp("/", top, self._product(den, ty))

    def _product(self, nf: NF, ty: str) -> Term:
        out: Term | None = None
        for i in sorted(nf):
            f = self.atoms[i] if nf[i] == 1 else BinOp("^", self.atoms[i], Num(nf[i]))
            out = f if out is None else BinOp("*", out, f)
        return Num(1, ty) if out is None else out

    # ---- entry points -----------------------------------------------------------------

    def relation(self, r: Rel) -> Prop:
        if type_of(r.left) not in FIELDS:
            return r
        if r.op in ("=", "≤", "<", "≥", ">"):
            op, a, b = (r.op, r.left, r.right) if r.op in ("=", "≤", "<") else \
                ({"≥": "≤", ">": "<"}[r.op], r.right, r.left)
            s1, na = self.normalize(a)
            s2, nb = self.normalize(b)
            _, a1, b1 = self.gcd(na, nb, NONZERO if op == "=" else POSITIVE)
            new = Rel(op, _signed(s1, self.pretty(a1, a)), _signed(s2, self.pretty(b1, b)))
            return Truth(True) if op == "=" and new.left == new.right else new
        return Rel(r.op, self.expression(r.left), self.expression(r.right))

    def expression(self, t: Term) -> Term:
        if not isinstance(t, (BinOp, Inv, Neg)) or (isinstance(t, BinOp) and t.op == "%"):
            return t
        s, nf = self.normalize(t)
        nf = {i: e for i, e in nf.items() if e != 0 or not self.discharge(i, NONZERO)}
        return _signed(s, self.pretty(nf, t))


def _combine(a: NF, b: NF, sign: int) -> NF:
    out = dict(a)
    for i, e in b.items():
        out[i] = out.get(i, 0) + sign * e  # an exponent 0 stays until proved cancellable
    return out


def _signed(negated: bool, t: Term) -> Term:
    return Neg(t) if negated else t


def field_simp(p: Prop, facts: list[Prop]) -> Prop:
    """field_simp's result on a proposition, with `facts` for the discharger."""
    return _map(p, FieldSimp(facts))


def _map(p: Prop, fs: FieldSimp) -> Prop:
    if isinstance(p, Rel):
        return fs.relation(p)
    if isinstance(p, Not):
        return Not(_map(p.arg, fs))
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(_map(p.left, fs), _map(p.right, fs))
    if isinstance(p, (Forall, Exists)):
        return type(p)(p.var, _map(p.body, fs), p.ty)
    return p
