"""Mathlib's `linarith` (Mathlib/Tactic/Linarith/: Frontend.lean, Preprocessing.lean,
Parsing.lean, Verification.lean, Oracle/) over ℕ ℤ ℚ ℝ.

Modelled, in Mathlib's order:
- the goal (Frontend `linarith`/`getContrLemma`): `a = b` is two runs (`a < b`, `b < a`
  assumed, `eq_of_not_lt_of_not_gt`); `a ≤ b`, `a < b`, `≥`, `>` add their negation;
  `a ≠ b` and `¬ a R b` add `a = b` / `a R b` (`Not.intro`); any other goal `exfalso`;
  the hypotheses are the context's plus the hint terms' statements (`linarith [t, …]`,
  elaborated by the tactic), or only the hints with `linarith only [...]`;
- `splitConjunctions` (∧ in hypotheses, the default `splitHypotheses`);
- `filterComparisons`: `=`, `≤`, `<`, `≥`, `>` and negations of the order relations;
  `≠`, `¬ =`, `∣`, ∨, ↔, ∃ and quantified facts are dropped;
- `removeNegations` (`¬ a < b` is `b ≤ a`);
- `natToInt`: an ℕ comparison is cast to ℤ and `push_cast` pushes the cast to the
  leaves (`↑(a - b)` stays an atom: `Nat.cast_sub` needs a proof; `↑(a / b)`,
  `↑(a % b)` become ℤ `/` `%` atoms, `Int.natCast_div`/`natCast_mod`; Zify's simp
  call gets no simprocs, so closed `7 - 2` or `7 % 2` are atoms too, while closed
  `+ * ^` are ring arithmetic); then `0 ≤ ↑t` for every cast ℕ atom
  `getNatComparisons` finds in any comparison, in the cast's own type, walking only
  `+ * - Neg` (not `/`, `^`, casts, `|·|`);
- `strengthenStrictInt`: `a < b` over ℤ (ℕ after the cast) is `a + 1 ≤ b`; not over ℚ ℝ;
- `compWithZero`, `cancelDenoms`, `linearFormOfExpr`: `a - b R 0` as a polynomial over
  atoms (polynomial.py: numeral division in ℚ ℝ is a rational coefficient, other
  division an atom; `x ^ e` expands only for a numeral `e`, so `x ^ (1 / 3)` is an
  atom); each nonlinear monomial is one atom, so `x*y` and `y*x` agree;
- `partitionByType` then a run per type (ℕ facts are ℤ facts by then): the goal
  closes when the facts of one type are contradictory over ℚ. The oracle is
  Fourier–Motzkin with strict rows (polynomial.py), exact over ℚ like Mathlib's
  simplex; when it grows too large z3 decides the same linear ℚ problem, nothing more.

Weaker than Mathlib: atoms match syntactically (Mathlib: reducible defeq), `cancelDenoms`
is credited for numeral denominators only where polynomial.py reads them, no `linarith!`,
no `splitNe`, no preprocessing extensions; a hypothesis with a metavariable is dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lean_env.micro.arith.relations import CACHE_SIZE, COMPARISONS, NEGATED
from lean_env.micro.polynomial import (
    STRICT,
    Poly,
    add,
    constant,
    fourier_motzkin,
    integral,
    numeral_exponent,
    to_poly,
)
from lean_env.micro.syntax import (
    INT,
    NAT,
    UNARY_NODES,
    And,
    BinOp,
    Cast,
    MVar,
    Neg,
    Not,
    Num,
    Prop,
    Rel,
    Term,
    Var,
    type_of,
)
from lean_env.micro.z3_encode import check

FLIPPED = {"≥": "≤", ">": "<"}
# Beyond this many rows z3 decides the same linear ℚ problem directly.
MAX_FM_ROWS = 60


@dataclass
class Fact:
    """A preprocessed comparison `poly op 0` (op one of = ≤ <) over type `ty` (ℤ for ℕ
    facts, after `natToInt`), with the sides it came from (nlinarith reads them)."""

    ty: str
    poly: Poly
    op: str
    sides: tuple[Term, ...]


def linarith(hyps: list[Prop], goal: Prop, timeout_ms: int = 2000) -> bool:
    """Mathlib's `linarith`: the hypotheses' comparisons and the negated goal refuted
    over ℚ, one type at a time (see the module docstring)."""
    return _linarith(tuple(hyps), goal, timeout_ms)


@lru_cache(maxsize=CACHE_SIZE)
def _linarith(hyps: tuple[Prop, ...], goal: Prop, timeout_ms: int) -> bool:
    return all(refute(preprocess(list(hyps) + case), timeout_ms) for case in goal_cases(goal))


def goal_cases(goal: Prop) -> list[list[Prop]]:
    """The hypotheses each run adds for the goal (two runs for `=`, one otherwise)."""
    if isinstance(goal, Rel) and goal.op in COMPARISONS:
        a, b = goal.left, goal.right
        if goal.op == "=":  # eq_of_not_lt_of_not_gt
            return [[Rel("<", a, b)], [Rel("<", b, a)]]
        return [[Rel(NEGATED[goal.op], a, b)]]  # lt_of_not_ge, le_of_not_gt
    if isinstance(goal, Rel) and goal.op == "≠":
        return [[Rel("=", goal.left, goal.right)]]
    if isinstance(goal, Not) and isinstance(goal.arg, Rel) and goal.arg.op in COMPARISONS:
        return [[goal.arg]]
    return [[]]  # exfalso


def preprocess(hyps: list[Prop]) -> list[Fact]:
    """Mathlib's default preprocessing chain, from hypotheses to facts `p R 0`."""
    comparisons = [c for h in hyps for c in _comparisons(h)]
    facts = [f for c in comparisons if (f := fact(*c)) is not None]
    nonneg: dict[Term, None] = {}
    for _, a, b in comparisons:
        for side in (a, b):
            nonneg.update(dict.fromkeys(_nat_casts(side)))
    for atom in nonneg:  # natCast_nonneg, in the cast's own type
        facts.append(Fact(atom.ty, {((atom, 1),): -1}, "≤", (Num(0, atom.ty), atom)))
    return facts


def _comparisons(h: Prop) -> list[tuple[str, Term, Term]]:
    """splitConjunctions, filterComparisons, removeNegations and natToInt's cast:
    `(op, a, b)` with op one of = ≤ < over ℤ ℚ ℝ."""
    if isinstance(h, And):
        return _comparisons(h.left) + _comparisons(h.right)
    if isinstance(h, Not) and isinstance(h.arg, Rel) and h.arg.op in NEGATED:
        h = Rel(NEGATED[h.arg.op], h.arg.left, h.arg.right)
    if not isinstance(h, Rel) or h.op not in COMPARISONS:
        return []
    op, a, b = h.op, h.left, h.right
    if op in FLIPPED:
        op, a, b = FLIPPED[op], b, a
    if type_of(a) == NAT:
        a, b = zify(a), zify(b)
        if a is None or b is None:
            return []
    return [(op, a, b)]


def zify(t: Term) -> Term | None:
    """`push_cast` of `(↑t : ℤ)` for an ℕ term (None: a metavariable). zifyProof runs
    simp without simprocs, so closed `-`, `/`, `%` are not evaluated either."""
    if isinstance(t, Num):
        return Num(t.value, INT)  # Nat.cast_ofNat
    if isinstance(t, Var):
        return Cast(INT, t)
    if not isinstance(t, BinOp):
        return None
    if t.op == "-":
        return None if mentions_mvar(t) else Cast(INT, t)
    left = zify(t.left)
    right = t.right if t.op == "^" else zify(t.right)
    if left is None or right is None:
        return None
    return BinOp(t.op, left, right)


def mentions_mvar(t: Term) -> bool:
    if isinstance(t, MVar):
        return True
    if isinstance(t, BinOp):
        return mentions_mvar(t.left) or mentions_mvar(t.right)
    return isinstance(t, UNARY_NODES + (Cast,)) and mentions_mvar(t.arg)


def _nat_casts(t: Term) -> list[Term]:
    """getNatComparisons: the casts `↑(s : ℕ)` reached through `+ * - Neg`."""
    if isinstance(t, Cast) and type_of(t.arg) == NAT:
        return [t]
    if isinstance(t, BinOp) and t.op in "+*-":
        return _nat_casts(t.left) + _nat_casts(t.right)
    if isinstance(t, Neg):
        return _nat_casts(t.arg)
    return []


def fact(op: str, a: Term, b: Term) -> Fact | None:
    """strengthenStrictInt, compWithZero, cancelDenoms and the linear form."""
    pa, pb = to_poly(a, _atom, numeral_exponent), to_poly(b, _atom, numeral_exponent)
    if pa is None or pb is None:
        return None
    ty = type_of(a)
    poly = add(pa, pb, -1)
    if op == "<" and ty == INT:  # Int.add_one_le_iff
        poly, op = add(poly, constant(1)), "≤"
    return Fact(ty, poly, op, (a, b))


def _atom(t: Term) -> Term | None:
    return None if mentions_mvar(t) else t


def refute(facts: list[Fact], timeout_ms: int) -> bool:
    """partitionByType: some type's facts are contradictory over ℚ."""
    by_type: dict[str, list[Fact]] = {}
    for f in facts:
        by_type.setdefault(f.ty, []).append(f)
    return any(infeasible(fs, timeout_ms) for fs in by_type.values())


def _rows(f: Fact) -> list[Poly]:
    if f.op == "=":
        return [f.poly, add({}, f.poly, -1)]
    if f.op == "<":
        return [add(f.poly, {STRICT: 1})]
    return [f.poly]


def infeasible(facts: list[Fact], timeout_ms: int) -> bool:
    """Refuted over ℚ: by Fourier–Motzkin when small, else z3 on the same problem."""
    if not facts:
        return False
    rows = [r for f in facts for r in _rows(f)]
    if len(rows) > MAX_FM_ROWS:  # elimination would blow up before deciding
        return _infeasible_z3(facts, timeout_ms)
    verdict = fourier_motzkin(rows, integer=False)
    if verdict is not None:
        return verdict
    return _infeasible_z3(facts, timeout_ms)


def _real(c) -> str:
    return f"{c}.0" if c >= 0 else f"(- {-c}.0)"


def _infeasible_z3(facts: list[Fact], timeout_ms: int) -> bool:
    symbols: dict[tuple, str] = {}
    decls, asserts = [], []
    for f in facts:
        terms = []
        for mono, c in integral(f.poly).items():
            if not mono:
                terms.append(_real(c))
                continue
            sym = symbols.get(mono)
            if sym is None:
                sym = symbols[mono] = f"r{len(symbols)}"
                decls.append(f"(declare-const {sym} Real)")
            terms.append(f"(* {_real(c)} {sym})")
        lhs = "0.0" if not terms else terms[0] if len(terms) == 1 else f"(+ {' '.join(terms)})"
        asserts.append(f"({'<=' if f.op == '≤' else f.op} {lhs} 0.0)")
    script = "".join(decls) + "".join(f"(assert {a})" for a in asserts)
    return check(script, timeout_ms)[0] == "unsat"


def clear_cache() -> None:
    _linarith.cache_clear()
