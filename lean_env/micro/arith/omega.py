"""Lean 4's `omega` (src/Lean/Elab/Tactic/Omega/: Frontend.lean, OmegaM.lean, Core.lean),
over ℕ and ℤ: facts over ℚ or ℝ carry no information (omega ignores them). ℤ `-` and
negation are linear; ℤ `/` and `%` by a numeral are `Int.ediv`/`Int.emod` (the same
quotient bounds as ℕ for a positive divisor); `↑(n : ℕ)` is read as the ℕ term `n`
(`handleNatCast` pushes the cast in), so its atoms are ≥ 0; ℤ atoms carry no facts.

Modelled: `falseOrByContra` on the goal (intro `∀`, `→`, `¬`, else by contradiction);
the facts `omega` collects (`=`, `≤`, `<`, `≠` as `<` ∨ `>`, `k ∣ e` as `e % k = 0`,
`¬ k ∣ e` as `e % k > 0`, ∧, ∨ (case split), →, ↔, ¬ pushed inwards, `∃` hypotheses
by `Exists.choose_spec`; quantified facts dropped); its atoms and the facts it adds
about them (`analyzeAtom`, `handleNatCast`): a cast ℕ variable or atom is ≥ 0, and so
is a product (`Int.ofNat_mul_nonneg`) and `x % y` (`Int.emod_ofNat_nonneg`), but
`x / y` with a non-literal `y` and `b ^ e` with a literal base are bare ℤ atoms with
no facts; `x / k` for a literal `k > 0` is an atom `q` with `k·q ≤ x < k·q + k`;
`x / 0 = 0`, `x % 0 = x` (`Int.ediv_zero`, `Int.emod_def`); `x % k = x - k·(x / k)`;
truncated `a - b` a case split (`Int.ofNat_sub_dichotomy`). The problem is then
refuted by exact elimination of equalities and Fourier–Motzkin with integer
tightening (the real shadow only: Lean's omega has no dark or grey shadows).

Weaker than Lean: exact elimination only through a ±1 coefficient (Lean also
eliminates with balanced remainders), at most MAX_OMEGA_CASES case combinations
(Lean splits lazily without a bound), no `min`/`max`/`if`, `2 ^ (k + 1)` not
unfolded to `2 ^ k * 2`. z3 never accepts: `omega_by_z3` decides the problem
omega receives exactly, an upper bound the tests check the Python path against.
"""
from __future__ import annotations

import itertools
import math
from functools import lru_cache

from lean_env.micro.arith.linarith import mentions_mvar
from lean_env.micro.arith.relations import (
    CACHE_SIZE,
    COMPARISONS,
    FALSE,
    NEGATED,
    comparison_rows,
)
from lean_env.micro.polynomial import (
    Poly,
    add,
    constant,
    evaluate,
    fourier_motzkin,
    to_poly,
)
from lean_env.micro.syntax import (
    INT,
    NAT,
    Abs,
    And,
    BinOp,
    Cast,
    Exists,
    Forall,
    Iff,
    Imp,
    Neg,
    Not,
    Num,
    Or,
    Prop,
    Rel,
    Term,
    Truth,
    Var,
    free_vars,
    fresh_name,
    subst,
    type_of,
)
from lean_env.micro.z3_encode import OmegaEncoder, atom_is_nonneg, check, witness_name

# Case combinations tried before giving up (Lean has no bound; the engine is weaker).
MAX_OMEGA_CASES = 32


def omega(hyps: list[Prop], goal: Prop, timeout_ms: int = 2000) -> bool:
    """Lean 4's `omega`: linear ℕ arithmetic under ∧ ∨ ¬ → ↔, nonlinear subterms as atoms."""
    return _omega(tuple(hyps), goal, timeout_ms)


@lru_cache(maxsize=CACHE_SIZE)
def _omega(hyps: tuple[Prop, ...], goal: Prop, timeout_ms: int) -> bool:
    hyps_list, goal = intro_goal(list(hyps), goal)
    return omega_by_cases(hyps_list, goal)


def omega_by_z3(hyps: list[Prop], goal: Prop, timeout_ms: int) -> bool:
    """z3 on the exact problem omega receives for `hyps ⊢ goal` (goal already intro'd):
    complete where omega is not, so it is only the tests' upper bound, never a prover."""
    enc = OmegaEncoder()
    facts = [enc.fact(h) for h in hyps]
    if goal != FALSE:  # by contradiction: the negated goal is one more fact
        facts.append(enc.fact(goal, positive=False))
    facts = [f for f in facts if f != "true"]
    if not facts:
        return False
    if "false" in facts:
        return True
    return check(enc.script(facts), timeout_ms)[0] == "unsat"


def intro_goal(hyps: list[Prop], goal: Prop) -> tuple[list[Prop], Prop]:
    """Lean's `falseOrByContra` before omega: intro `∀`, `→` and `¬` off the goal."""
    names = free_vars(goal).union(*(free_vars(h) for h in hyps))
    while True:
        if isinstance(goal, Forall):
            new = fresh_name(goal.var, names)
            names.add(new)
            goal = goal.body if new == goal.var else subst(goal.body, goal.var, Var(new, goal.ty))
        elif isinstance(goal, Imp):
            hyps.append(goal.left)
            goal = goal.right
        elif isinstance(goal, Not):
            hyps.append(goal.arg)
            goal = FALSE
        else:
            return hyps, goal


def omega_by_cases(hyps: list[Prop], goal: Prop) -> bool:
    """omega's method: split disjunctions and truncated subtractions into cases and
    refute each case by exact elimination and Fourier–Motzkin over ℤ (real shadow)."""
    lin = _OmegaLinearizer()
    facts = [(h, True) for h in hyps] + ([(goal, False)] if goal != FALSE else [])
    for p, positive in facts:
        cases = lin.cases(p, positive)
        if cases is not None:
            lin.splits.append(cases)
    splits = [s for s in lin.splits if len(s) > 1]
    base = [row for s in lin.splits if len(s) == 1 for row in s[0]]
    if not base and not splits or math.prod(map(len, splits)) > MAX_OMEGA_CASES:
        return False
    base += lin.nonneg_rows()
    return all(fourier_motzkin(base + [r for alt in choice for r in alt], integer=True) is True
               for choice in itertools.product(*splits))


Cases = list[list[Poly]]  # a disjunction of conjunctions of rows (p ≤ 0)


class _OmegaLinearizer:
    """omega's linear forms over ℤ: one variable per ℕ variable or opaque atom, fresh
    quotients for `/`, `%`, `∣` by numerals and fresh differences for truncated `-`."""

    def __init__(self) -> None:
        self.rows: list[Poly] = []  # definitions of quotients, always true
        self.splits: list[Cases] = [[self.rows]]
        self.vars: set[Term | str] = set()
        self.differences: dict[Term, Poly] = {}

    def var(self, key, nonneg: bool = True) -> Poly:
        """An atom; `nonneg` when omega knows it is ≥ 0 (a cast ℕ term)."""
        if nonneg:
            self.vars.add(key)
        return {((key, 1),): 1}

    def nonneg_rows(self) -> list[Poly]:
        return [{((v, 1),): -1} for v in self.vars]

    def quotient(self, a: Poly, k: int) -> Poly:
        """q = a / k: k·q ≤ a ≤ k·q + k - 1 (an ℤ atom: no `q ≥ 0` fact)."""
        q = self.var(f"q{len(self.vars)}_{len(self.rows)}", nonneg=False)
        kq = add({}, q, k)
        self.rows += [add(kq, a, -1), add(add(a, kq, -1), constant(1 - k))]
        return q

    def difference(self, t: BinOp) -> Poly | None:
        """d = a - b truncated: a case split (b ≤ a ∧ d = a - b) ∨ (a < b ∧ d = 0)."""
        if t in self.differences:
            return self.differences[t]
        a, b = self.term(t.left), self.term(t.right)
        if a is None or b is None:
            return None
        d = self.differences[t] = self.var(f"d{len(self.vars)}")
        exact = add(d, add(a, b, -1), -1)
        self.splits.append([[add(b, a, -1), exact, add({}, exact, -1)],
                            [add(add(a, b, -1), constant(1)), d, add({}, d, -1)]])
        return d

    def term(self, t: Term) -> Poly | None:
        """The linear form of an ℕ or ℤ term (ℕ ones are read cast to ℤ, as omega's
        `handleNatCast` pushes `↑` inwards)."""
        if isinstance(t, Num):
            return constant(t.value)
        if isinstance(t, Var):
            return self.var(t, nonneg=t.ty == NAT)
        if isinstance(t, Cast):  # ↑(s : ℕ) : ℤ
            return self.term(t.arg) if t.ty == INT and type_of(t.arg) == NAT else None
        if isinstance(t, Neg):
            a = self.term(t.arg)
            return None if a is None else add({}, a, -1)
        if not isinstance(t, BinOp) or mentions_mvar(t):
            return None if not isinstance(t, Abs) or mentions_mvar(t) else self.var(t, nonneg=False)
        nat = type_of(t) == NAT
        v = _closed(t)
        if v is not None:
            return constant(v)
        if t.op == "-":
            if nat:
                return self.difference(t)
            a, b = self.term(t.left), self.term(t.right)
            return None if a is None or b is None else add(a, b, -1)
        j, k = _closed(t.left), _closed(t.right)
        if t.op == "+" or (t.op == "*" and (j is not None or k is not None)):
            a, b = self.term(t.left), self.term(t.right)
            if a is None or b is None:
                return None
            if t.op == "+":
                return add(a, b)
            return add({}, b, j) if j is not None else add({}, a, k)
        if t.op in ("/", "%") and k is not None and k >= 0:
            a = self.term(t.left)
            if a is None or not k:  # x / 0 = 0, x % 0 = x
                return a if a is None or t.op == "%" else constant(0)
            q = self.quotient(a, k)
            return q if t.op == "/" else add(a, q, -k)
        return self.var(t, nonneg=nat and atom_is_nonneg(t))

    def cases(self, p: Prop, positive: bool) -> Cases | None:
        """`p` (or ¬p) as a disjunction of row sets; None when it says nothing omega uses
        (Prop variables, quantifiers) or would split into too many cases."""
        if isinstance(p, Truth):
            return [[]] if p.value == positive else [[constant(1)]]
        if isinstance(p, Not):
            return self.cases(p.arg, not positive)
        if isinstance(p, Rel):
            return self.relation(p, positive)
        if isinstance(p, Imp):
            parts = [(p.left, not positive), (p.right, positive)]
            return self._join(parts, disjunction=positive)
        if isinstance(p, (And, Or)):
            parts = [(p.left, positive), (p.right, positive)]
            return self._join(parts, disjunction=isinstance(p, Or) == positive)
        if isinstance(p, Exists) and positive:  # Exists.choose_spec: a fresh atom
            return self.cases(subst(p.body, p.var, Var(witness_name(p.var, id(p)), p.ty)), True)
        if isinstance(p, Iff):
            same = [[(p.left, True), (p.right, True)], [(p.left, False), (p.right, False)]]
            differ = [[(p.left, True), (p.right, False)], [(p.left, False), (p.right, True)]]
            alternatives = [self._join(parts, disjunction=False) for parts in (same if positive else differ)]
            if any(a is None for a in alternatives):
                return None
            return self._cap(alternatives[0] + alternatives[1])
        return None

    def _join(self, parts: list[tuple[Prop, bool]], disjunction: bool) -> Cases | None:
        sides = [self.cases(q, pos) for q, pos in parts]
        if disjunction:  # an uninformative side makes the whole disjunction so
            return None if None in sides else self._cap(sides[0] + sides[1])
        sides = [s if s is not None else [[]] for s in sides]
        return self._cap([a + b for a in sides[0] for b in sides[1]])

    @staticmethod
    def _cap(cases: Cases) -> Cases | None:
        return cases if len(cases) <= MAX_OMEGA_CASES else None

    def relation(self, p: Rel, positive: bool) -> Cases | None:
        if type_of(p.left) not in (NAT, INT):  # omega ignores facts over ℚ and ℝ
            return None
        op = p.op if positive else {**NEGATED, "=": "≠", "≠": "=", "∣": "∤"}.get(p.op)
        if op in ("∣", "∤"):  # Nat.mod_eq_zero_of_dvd, Nat.emod_pos_of_not_dvd
            k = _closed(p.left)
            if op == "∤" and type_of(p.left) == INT and not (k and k > 0):
                return None  # Int.emod_pos_of_not_dvd: only `a = 0 ∨ 0 < b % a`
            m = self.term(BinOp("%", p.right, p.left))
            if m is None:
                return None
            return [[m, add({}, m, -1)]] if op == "∣" else [[add(constant(1), m, -1)]]
        if op == "≠":
            a, b = self.term(p.left), self.term(p.right)
            alternatives = [comparison_rows(o, a, b) for o in ("<", ">")]
            return None if None in alternatives else alternatives
        if op not in COMPARISONS:
            return None
        rows = comparison_rows(op, self.term(p.left), self.term(p.right))
        return None if rows is None else [rows]


def _closed(t: Term) -> int | None:
    """The value of a closed ℕ or ℤ term (ring operations only for ℤ), else None."""
    if type_of(t) == NAT:
        return evaluate(t)
    p = to_poly(t, lambda s: None)
    return None if p is None or not set(p) <= {()} else int(p.get((), 0))


def clear_cache() -> None:
    _omega.cache_clear()
