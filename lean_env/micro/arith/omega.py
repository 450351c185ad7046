"""Lean 4's `omega` (src/Lean/Elab/Tactic/Omega/)."""
from __future__ import annotations

import itertools
import math
from functools import lru_cache

from lean_env.micro.arith.relations import CACHE_SIZE, COMPARISONS, FALSE, NEGATED, comparison_rows
from lean_env.micro.polynomial import Poly, add, constant, evaluate, fourier_motzkin
from lean_env.micro.syntax import (
    And, BinOp, Forall, Iff, Imp, Not, Num, Or, Prop, Rel, Term, Truth, Var, free_vars, fresh_name, subst,
)
from lean_env.micro.z3_encode import OmegaEncoder, check, has_mvar

# omega's own case splits beyond this are left to z3.
MAX_OMEGA_CASES = 16


def omega(hyps: list[Prop], goal: Prop, timeout_ms: int = 2000) -> bool:
    """Lean 4's `omega`: linear ℕ arithmetic under ∧ ∨ ¬ → ↔, nonlinear subterms as atoms."""
    return _omega(tuple(hyps), goal, timeout_ms)


@lru_cache(maxsize=CACHE_SIZE)
def _omega(hyps: tuple[Prop, ...], goal: Prop, timeout_ms: int) -> bool:
    hyps_list, goal = intro_goal(list(hyps), goal)
    return omega_by_cases(hyps_list, goal) or omega_by_z3(hyps_list, goal, timeout_ms)


def omega_by_z3(hyps: list[Prop], goal: Prop, timeout_ms: int) -> bool:
    """z3 on omega's view of `hyps ⊢ goal` (goal already intro'd): unsat closes it."""
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
            goal = goal.body if new == goal.var else subst(goal.body, goal.var, Var(new))
        elif isinstance(goal, Imp):
            hyps.append(goal.left)
            goal = goal.right
        elif isinstance(goal, Not):
            hyps.append(goal.arg)
            goal = FALSE
        else:
            return hyps, goal


def omega_by_cases(hyps: list[Prop], goal: Prop) -> bool:
    """omega's own method, in Python: split disjunctions and truncated subtractions
    into cases and refute each case by Fourier–Motzkin over ℤ. Avoids z3's start-up
    cost on the common easy goals; a refutation is a proof by itself. When it finds
    none (or the cases are too many), z3 decides."""
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

    def var(self, key) -> Poly:
        self.vars.add(key)
        return {((key, 1),): 1}

    def nonneg_rows(self) -> list[Poly]:
        return [{((v, 1),): -1} for v in self.vars]

    def quotient(self, a: Poly, k: int) -> Poly:
        """q = a / k: k·q ≤ a ≤ k·q + k - 1."""
        q = self.var(f"q{len(self.vars)}")
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
        if isinstance(t, Num):
            return constant(t.value)
        if isinstance(t, Var):
            return self.var(t)
        if not isinstance(t, BinOp) or has_mvar(t):
            return None
        v = evaluate(t)
        if v is not None:
            return constant(v)
        if t.op == "-":
            return self.difference(t)
        j, k = evaluate(t.left), evaluate(t.right)
        if t.op == "+" or (t.op == "*" and (j is not None or k is not None)):
            a, b = self.term(t.left), self.term(t.right)
            if a is None or b is None:
                return None
            if t.op == "+":
                return add(a, b)
            return add({}, b, j) if j is not None else add({}, a, k)
        if t.op in ("/", "%") and k:
            a = self.term(t.left)
            if a is None:
                return None
            q = self.quotient(a, k)
            return q if t.op == "/" else add(a, q, -k)
        return self.var(t)  # a nonlinear atom

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
        op = p.op if positive else {**NEGATED, "=": "≠", "≠": "="}.get(p.op)
        if op == "∣":
            k = evaluate(p.left)
            e = None if k is None else self.term(p.right)
            if e is None:
                return None
            e = add(e, self.quotient(e, k), -k) if k else e  # e % k = 0
            return [[e, add({}, e, -1)]]
        if op == "≠":
            a, b = self.term(p.left), self.term(p.right)
            alternatives = [comparison_rows(o, a, b) for o in ("<", ">")]
            return None if None in alternatives else alternatives
        if op not in COMPARISONS:
            return None  # ¬ k ∣ e: left to z3
        rows = comparison_rows(op, self.term(p.left), self.term(p.right))
        return None if rows is None else [rows]


def clear_cache() -> None:
    _omega.cache_clear()
