"""Mathlib's `positivity` (Mathlib/Tactic/Positivity/Core.lean, Basic.lean): syntactic
proofs of `0 ≤ e`, `0 < e`, `e ≠ 0` (also written `e ≥ 0`, `e > 0`, `0 ≠ e`).

Modelled: `Positivity.core` on `e` combines, with `orElse` (nonnegative and nonzero
make positive), the extension matching `e`'s head, then `normNumPositivity` (a closed
term's value: > 0 positive, = 0 nonnegative, < 0 nonzero), then `positivityCanon`
(every ℕ term is nonnegative), and, unless already positive, `compareHyp` on each
hypothesis: `0 ≤ e` / `0 < e` / `e ≠ 0` / `0 ≠ e`, `lo ≤ e` / `lo < e` with a closed
`lo ≥ 0` or `> 0`, and `e = c` / `c = e` with a closed `c`. A subterm on which core
finds nothing makes the extension fail. The extensions (Basic.lean):
- `a + b`: positive if one is positive and the other nonnegative, nonnegative if both are;
- `a * b`: positive / nonnegative / nonzero when both factors are;
- `a / b` and `a⁻¹` in ℚ ℝ: as `*` (`div_pos`, `div_nonneg`, `div_ne_zero`, `inv_pos`, …);
- `a / b` in ℤ (`evalIntDiv`): nonnegative when both are at least nonnegative
  (positive only for `a / a` with `a` positive);
- `a ^ n`: `a ^ 0` positive; an even numeral `n` nonnegative over ℤ ℚ ℝ; otherwise
  as `a` (`pow_pos`, `pow_nonneg`, `pow_ne_zero`);
- `|a|` (`evalAbs`): positive when `a` is positive or nonzero, nonnegative when core
  fails on `a`, and nothing when `a` is only nonnegative (as in the source);
- casts: `↑(n : ℕ)` positive if `n` is, else nonnegative; `↑(z : ℤ)`, `↑(q : ℚ)` as `z`, `q`.
There is no extension for `-` or negation: `0 < x - 1` fails whatever the hypotheses,
unless one of them is literally about `x - 1`.

Weaker than Mathlib: closed terms evaluate only through ring operations, numeral
division and ℕ arithmetic (norm_num also does ℤ `/` `%` of numerals); no `min`, `max`,
`ite`, `Finset` sums or real functions; hypotheses match `e` syntactically.
"""
from __future__ import annotations

from lean_env.micro.polynomial import evaluate, to_poly
from lean_env.micro.syntax import (
    INT,
    NAT,
    RAT,
    REAL,
    Abs,
    BinOp,
    Cast,
    Inv,
    Num,
    Prop,
    Rel,
    Term,
    type_of,
)

POS, NONNEG, NONZERO = "positive", "nonnegative", "nonzero"
FIELDS = (RAT, REAL)


def positivity(hyps: list[Prop], goal: Prop) -> bool:
    """Whether Mathlib's positivity closes `goal` with `hyps` in the context."""
    return failure(hyps, goal) is None


def failure(hyps: list[Prop], goal: Prop) -> str | None:
    """None when positivity closes `goal`, else Mathlib's error message (`solve`)."""
    want, e = _goal(goal)
    if e is None:
        return "not a positivity goal"
    got = core(e, hyps)
    if got == POS or got == want:
        return None
    if got is None:
        return "failed to prove positivity/nonnegativity/nonzeroness"
    return f"failed to prove {_WORDS[want]}, but it would be possible to prove {_WORDS[got]} if desired"


_WORDS = {POS: "strict positivity", NONNEG: "nonnegativity", NONZERO: "nonzeroness"}


def _goal(goal: Prop) -> tuple[str, Term | None]:
    if not isinstance(goal, Rel):
        return "", None
    op, a, b = goal.op, goal.left, goal.right
    if op in ("≥", ">"):
        op, a, b = {"≥": "≤", ">": "<"}[op], b, a
    if op in ("≤", "<") and _is_zero(a):
        return (NONNEG if op == "≤" else POS), b
    if op == "≠" and _is_zero(b):
        return NONZERO, a
    if op == "≠" and _is_zero(a):
        return NONZERO, b
    return "", None


def _is_zero(t: Term) -> bool:
    return isinstance(t, Num) and t.value == 0


def or_else(r: str | None, s: str | None) -> str | None:
    """Core.lean `orElse`: the better result; nonnegative and nonzero make positive."""
    if r == POS or s == POS:
        return POS
    if {r, s} == {NONNEG, NONZERO}:
        return POS
    return r or s


def core(e: Term, hyps: list[Prop]) -> str | None:
    """Positivity.core: the strictness proved for `e`, or None (core fails)."""
    r = _extension(e, hyps)
    r = or_else(r, norm_num_positivity(e))
    if type_of(e) == NAT:  # positivityCanon
        r = or_else(r, NONNEG)
    if r == POS:
        return r
    for h in hyps:
        r = or_else(r, compare_hyp(e, h))
    return r


def norm_num_positivity(e: Term) -> str | None:
    v = closed_value(e)
    if v is None:
        return None
    return POS if v > 0 else NONNEG if v == 0 else NONZERO


def closed_value(e: Term):
    """The value of a closed term, through ring operations and numeral division."""
    if type_of(e) == NAT:
        return evaluate(e)
    p = to_poly(e, lambda s: None)
    if p is None or not set(p) <= {()}:
        return None
    return p.get((), 0)


def compare_hyp(e: Term, h: Prop) -> str | None:
    if not isinstance(h, Rel) or type_of(h.left) != type_of(e):
        return None
    op, lo, hi = h.op, h.left, h.right
    if op in ("≥", ">"):
        op, lo, hi = {"≥": "≤", ">": "<"}[op], hi, lo
    if op in ("≤", "<") and hi == e:
        r = norm_num_positivity(lo)
        if op == "≤":
            return r if r in (POS, NONNEG) else None
        return POS if r in (POS, NONNEG) else None
    if op == "=":
        other = h.left if h.right == e else h.right if h.left == e else None
        return None if other is None else norm_num_positivity(other)
    if op == "≠" and ((h.left == e and _is_zero(h.right)) or (h.right == e and _is_zero(h.left))):
        return NONZERO
    return None


def _extension(e: Term, hyps: list[Prop]) -> str | None:
    if isinstance(e, BinOp):
        if e.op == "^":
            return _power(e, hyps)
        if e.op not in "+*/":
            return None
        a, b = core(e.left, hyps), core(e.right, hyps)
        if a is None or b is None:
            return None
        if e.op == "+":
            return _add(a, b)
        if e.op == "*" or type_of(e) in FIELDS:
            return _mul(a, b)
        if type_of(e) == INT:
            if a == b == POS:
                return POS if e.left == e.right else NONNEG
            return NONNEG if a in (POS, NONNEG) and b in (POS, NONNEG) else None
        return None
    if isinstance(e, Inv):
        return core(e.arg, hyps) if type_of(e) in FIELDS else None
    if isinstance(e, Abs):
        a = core(e.arg, hyps)
        if a is None:
            return NONNEG  # abs_nonneg, in evalAbs's catch
        return POS if a in (POS, NONZERO) else None
    if isinstance(e, Cast):
        a = core(e.arg, hyps)
        if type_of(e.arg) == NAT:
            return POS if a == POS else NONNEG
        return a
    return None


def _add(a: str, b: str) -> str | None:
    if POS in (a, b) and {a, b} <= {POS, NONNEG}:
        return POS
    return NONNEG if a == b == NONNEG else None


def _mul(a: str, b: str) -> str | None:
    r = POS if a == b == POS else None
    if a in (POS, NONNEG) and b in (POS, NONNEG):
        r = or_else(r, NONNEG)
    if a in (POS, NONZERO) and b in (POS, NONZERO):
        r = or_else(r, NONZERO)
    return r


def _power(e: BinOp, hyps: list[Prop]) -> str | None:
    n = e.right
    if n == Num(0):  # evalPowZeroNat
        return POS
    even = NONNEG if isinstance(n, Num) and n.value % 2 == 0 and type_of(e) != NAT else None
    a = core(e.left, hyps)
    return or_else(even, a)
