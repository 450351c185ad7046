"""Decision procedures behind the arithmetic tactics of the embedded engine.

`omega`, `linarith`, `decide`, `norm_num` and `ring` each follow their Lean 4 /
Mathlib namesake and are never stronger than it, so a proof the engine accepts
replays in Lean. `omega` and `linarith` close a goal only on a refutation of its
negation: a Fourier–Motzkin certificate found in Python (the common small case,
without z3's start-up cost) or z3's `unsat`; z3's `unknown` and timeouts are
failures. (z3 is a complete LIA solver while Lean's omega lacks the dark and grey
shadows, so on rare hard integer problems the engine's omega may be the stronger.)
`is_valid` and
`find_counterexample` decide the full ℕ semantics (quantifiers included) and are
what the soundness tests and self-play's refutation filter trust.
"""
from __future__ import annotations

import itertools
import math
from functools import lru_cache
from typing import Iterable, Mapping

from lean_env.micro.polynomial import (
    Poly, add, apply_op, constant, evaluate, fourier_motzkin, ring_atom, to_poly,
)
from lean_env.micro.syntax import (
    And, BinOp, Exists, Forall, Iff, Imp, MVar, Not, Num, Or, Prop, PVar, Rel, Term, Truth, Var,
    free_vars, fresh_name, subst, term_vars,
)
from lean_env.micro.z3_encode import NatEncoder, OmegaEncoder, Unsupported, check, has_mvar, model_values

FALSE, TRUE = Truth(False), Truth(True)
COMPARISONS = ("=", "≤", "<", "≥", ">")
_NEGATED = {"≤": ">", "<": "≥", "≥": "<", ">": "≤"}
# Search asks the same question many times; answers are pure functions of the input.
_CACHE_SIZE = 8192
# omega's own case splits beyond this are left to z3.
MAX_OMEGA_CASES = 16


def clear_caches() -> None:
    """Forget memoised answers (benchmarks measure the procedures, not the cache)."""
    _omega.cache_clear()
    _linarith.cache_clear()


# ---- omega -----------------------------------------------------------------


def omega(hyps: list[Prop], goal: Prop, timeout_ms: int = 2000) -> bool:
    """Lean 4's `omega`: linear ℕ arithmetic under ∧ ∨ ¬ → ↔, nonlinear subterms as atoms."""
    return _omega(tuple(hyps), goal, timeout_ms)


@lru_cache(maxsize=_CACHE_SIZE)
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
        op = p.op if positive else {**_NEGATED, "=": "≠", "≠": "="}.get(p.op)
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


# ---- linarith ----------------------------------------------------------------

Comparison = tuple[Poly, str]  # (p, "=" | "≤") meaning p = 0 or p ≤ 0


def linarith(hyps: list[Prop], goal: Prop, timeout_ms: int = 2000) -> bool:
    """Mathlib's `linarith` over ℕ: comparisons cast to ℤ, strict ones strengthened,
    atoms non-negative, then refuted over ℚ (weaker than omega)."""
    return _linarith(tuple(hyps), goal, timeout_ms)


@lru_cache(maxsize=_CACHE_SIZE)
def _linarith(hyps: tuple[Prop, ...], goal: Prop, timeout_ms: int) -> bool:
    facts = [c for c in map(hypothesis_comparison, hyps) if c is not None]
    return all(_infeasible(facts + extra, timeout_ms) for extra in _goal_cases(goal))


def comparison(op: str, a: Term, b: Term) -> Comparison | None:
    """`a op b` over ℤ as `p ≤ 0` or `p = 0` (`a < b` becomes `a - b + 1 ≤ 0`)."""
    rows = comparison_rows(op, to_poly(a, _cast_atom), to_poly(b, _cast_atom))
    if rows is None:
        return None
    return (rows[0], "=") if op == "=" else (rows[0], "≤")


def hypothesis_comparison(h: Prop) -> Comparison | None:
    """A hypothesis linarith's preprocessing keeps: `a R b` or `¬ a R b` (R not =)."""
    if isinstance(h, Rel) and h.op in COMPARISONS:
        return comparison(h.op, h.left, h.right)
    if isinstance(h, Not) and isinstance(h.arg, Rel) and h.arg.op in _NEGATED:
        return comparison(_NEGATED[h.arg.op], h.arg.left, h.arg.right)
    return None


def _goal_cases(goal: Prop) -> list[list[Comparison]]:
    """The facts to add in each refutation: one list per case (two for `=`)."""
    if isinstance(goal, Rel):
        a, b = goal.left, goal.right
        if goal.op == "=":
            cases = [comparison("<", a, b), comparison(">", a, b)]
        elif goal.op in _NEGATED:
            cases = [comparison(_NEGATED[goal.op], a, b)]
        elif goal.op == "≠":  # Not.intro: assume a = b
            cases = [comparison("=", a, b)]
        else:
            cases = [None]
        return [[c] if c is not None else [] for c in cases]
    if isinstance(goal, Not) and isinstance(goal.arg, Rel) and goal.arg.op in COMPARISONS:
        c = hypothesis_comparison(goal.arg)
        return [[c] if c is not None else []]
    return [[]]  # False, or any other goal: exfalso


def _cast_atom(t: BinOp) -> Term | None:
    """A non-ring subterm: closed ones evaluate (simp's simprocs), others are atoms."""
    v = evaluate(t)
    if v is not None:
        return Num(v)
    return None if has_mvar(t) else t


def _nonneg(atom: Term) -> bool:
    """Atoms linarith knows are ≥ 0: casts of ℕ variables and of `-`, `/`, `%` terms."""
    return isinstance(atom, Var) or (isinstance(atom, BinOp) and atom.op in "-/%")


def _real(c: int) -> str:
    return f"{c}.0" if c >= 0 else f"(- {-c}.0)"


def _infeasible(facts: list[Comparison], timeout_ms: int) -> bool:
    """Refuted over ℚ: by Fourier–Motzkin (exact over ℚ) when small, else by z3."""
    if not facts:
        return False
    rows = [r for p, op in facts for r in ([p, add({}, p, -1)] if op == "=" else [p])]
    monomials = {m for r in rows for m in r if m}
    rows += [{m: -1} for m in monomials if len(m) == 1 and m[0][1] == 1 and _nonneg(m[0][0])]
    verdict = fourier_motzkin(rows, integer=False)
    if verdict is not None:
        return verdict
    return _infeasible_z3(facts, timeout_ms)


def _infeasible_z3(facts: list[Comparison], timeout_ms: int) -> bool:
    symbols: dict[tuple, str] = {}
    decls, asserts = [], []
    for poly, op in facts:
        terms = []
        for mono, c in poly.items():
            if not mono:
                terms.append(_real(c))
                continue
            sym = symbols.get(mono)
            if sym is None:
                sym = symbols[mono] = f"r{len(symbols)}"
                decls.append(f"(declare-const {sym} Real)")
                if len(mono) == 1 and mono[0][1] == 1 and _nonneg(mono[0][0]):
                    asserts.append(f"(>= {sym} 0.0)")
            terms.append(f"(* {_real(c)} {sym})")
        lhs = "0.0" if not terms else terms[0] if len(terms) == 1 else f"(+ {' '.join(terms)})"
        asserts.append(f"({'=' if op == '=' else '<='} {lhs} 0.0)")
    script = "".join(decls) + "".join(f"(assert {a})" for a in asserts)
    return check(script, timeout_ms)[0] == "unsat"


# ---- decide and exact evaluation -----------------------------------------------


def decide(goal: Prop) -> bool | None:
    """Lean's `decide`: evaluate a closed, quantifier-free proposition; None otherwise."""
    if free_vars(goal):
        return None
    return eval_prop(goal, {})


def eval_prop(p: Prop, env: Mapping[str, int | bool]) -> bool | None:
    """The truth value of a quantifier-free `p` under `env`, or None if it has none here."""
    if isinstance(p, Truth):
        return p.value
    if isinstance(p, PVar):
        v = env.get(p.name)
        return v if isinstance(v, bool) else None
    if isinstance(p, Not):
        v = eval_prop(p.arg, env)
        return None if v is None else not v
    if isinstance(p, (And, Or, Imp, Iff)):
        a, b = eval_prop(p.left, env), eval_prop(p.right, env)
        if a is None or b is None:
            return None
        if isinstance(p, And):
            return a and b
        if isinstance(p, Or):
            return a or b
        return (not a or b) if isinstance(p, Imp) else a == b
    if isinstance(p, Rel):
        nat_env = {k: v for k, v in env.items() if not isinstance(v, bool)}
        a, b = evaluate(p.left, nat_env), evaluate(p.right, nat_env)
        return None if a is None or b is None else _compare(p.op, a, b)
    return None


def _compare(op: str, a: int, b: int) -> bool:
    if op == "∣":
        return b == 0 if a == 0 else b % a == 0
    return {"=": a == b, "≠": a != b, "≤": a <= b, "<": a < b, "≥": a >= b, ">": a > b}[op]


# ---- norm_num ----------------------------------------------------------------

Rewrites = Mapping[Term, Term]
Facts = Mapping[Prop, bool]


def norm_num(goal: Prop, hyps: Iterable[Prop] = ()) -> Prop:
    """Mathlib's `norm_num [hyps]`, in part: evaluate numerals, decide closed relations,
    basic simp lemmas. Returns the simplified goal; `Truth(True)` means closed."""
    rewrites: dict[Term, Term] = {}
    facts: dict[Prop, bool] = {}
    for h in hyps:
        h = simp_prop(h, {}, {})
        if isinstance(h, Rel) and h.op == "=" and not isinstance(h.left, Num):
            rewrites[h.left] = h.right  # simp [h] rewrites left to right
        elif isinstance(h, Rel) and h.op == "≠":
            facts[Rel("=", h.left, h.right)] = False
        elif isinstance(h, Not):
            facts[h.arg] = False
        elif not isinstance(h, Truth):
            facts[h] = True
    return simp_prop(goal, rewrites, facts)


def simp_term(t: Term, rewrites: Rewrites) -> Term:
    if isinstance(t, BinOp):
        t = _simp_binop(t.op, simp_term(t.left, rewrites), simp_term(t.right, rewrites))
    if t in rewrites:  # one rewrite step, not repeated: `h : x = x + 1` cannot loop
        return simp_term(rewrites[t], {})
    return t


def _simp_binop(op: str, a: Term, b: Term) -> Term:
    if isinstance(a, Num) and isinstance(b, Num):
        v = apply_op(op, a.value, b.value)
        if v is not None:
            return Num(v)
    zero, one = Num(0), Num(1)
    rules = {  # Nat.add_zero, Nat.mul_one, Nat.sub_self, Nat.div_one, pow_zero, ... (all simp)
        "+": [(a == zero, b), (b == zero, a)],
        "*": [(a == zero or b == zero, zero), (a == one, b), (b == one, a)],
        "-": [(b == zero, a), (a == zero or a == b, zero)],
        "/": [(b == one, a), (a == zero or b == zero, zero)],
        "%": [(b == one or a == zero, zero), (b == zero, a)],
        "^": [(b == zero, one), (b == one, a), (a == one, one)],
    }[op]
    for applies, result in rules:
        if applies:
            return result
    return BinOp(op, a, b)


def _simp_rel(op: str, a: Term, b: Term) -> Prop:
    if isinstance(a, Num) and isinstance(b, Num):
        return Truth(_compare(op, a.value, b.value))
    if a == b:  # eq_self, le_refl, lt_self_iff_false, dvd_refl, ...
        return Truth(op in ("=", "≤", "≥", "∣"))
    zero = Num(0)
    if (op == "≤" and a == zero) or (op == "≥" and b == zero):  # zero_le
        return TRUE
    if (op == "<" and b == zero) or (op == ">" and a == zero):  # Nat.not_lt_zero
        return FALSE
    if op == "∣" and (a == Num(1) or b == zero):  # one_dvd, dvd_zero
        return TRUE
    return Rel(op, a, b)


def _simp_not(p: Prop) -> Prop:
    if isinstance(p, Truth):
        return Truth(not p.value)
    if isinstance(p, Not):  # not_not
        return p.arg
    if isinstance(p, Rel) and p.op in _NEGATED:  # not_le, not_lt
        flipped = {"≤": "<", "<": "≤", "≥": "<", ">": "≤"}[p.op]
        a, b = (p.right, p.left) if p.op in ("≤", "<") else (p.left, p.right)
        return _simp_rel(flipped, a, b)
    if isinstance(p, Rel) and p.op == "≠":
        return Rel("=", p.left, p.right)
    return Not(p)


def _simp_connective(p: Prop, a: Prop, b: Prop) -> Prop:
    if isinstance(p, And):
        if a == FALSE or b == FALSE:
            return FALSE
        return b if a == TRUE or a == b else a if b == TRUE else And(a, b)
    if isinstance(p, Or):
        if a == TRUE or b == TRUE:
            return TRUE
        return b if a == FALSE or a == b else a if b == FALSE else Or(a, b)
    if isinstance(p, Imp):
        if a == FALSE or b == TRUE or a == b:
            return TRUE
        return b if a == TRUE else _simp_not(a) if b == FALSE else Imp(a, b)
    if a == b:
        return TRUE
    for x, y in ((a, b), (b, a)):  # iff_true, true_iff, iff_false, false_iff
        if x == TRUE:
            return y
        if x == FALSE:
            return _simp_not(y)
    return Iff(a, b)


def simp_prop(p: Prop, rewrites: Rewrites, facts: Facts) -> Prop:
    if isinstance(p, Rel):
        p = _simp_rel(p.op, simp_term(p.left, rewrites), simp_term(p.right, rewrites))
    elif isinstance(p, Not):
        p = _simp_not(simp_prop(p.arg, rewrites, facts))
    elif isinstance(p, (And, Or, Imp, Iff)):
        a, b = simp_prop(p.left, rewrites, facts), simp_prop(p.right, rewrites, facts)
        p = _simp_connective(p, a, b)
    elif isinstance(p, (Forall, Exists)):
        rewrites, facts = _outside_binder(p.var, rewrites, facts)
        body = simp_prop(p.body, rewrites, facts)
        # forall_const, exists_const (ℕ is nonempty), exists_false
        p = body if isinstance(body, Truth) else type(p)(p.var, body)
    if p in facts:
        return Truth(facts[p])
    return p


def _outside_binder(var: str, rewrites: Rewrites, facts: Facts) -> tuple[Rewrites, Facts]:
    """The rewrites and facts that do not mention `var` (a binder shadows it)."""
    rw = {k: v for k, v in rewrites.items() if var not in term_vars(k) | term_vars(v)}
    return rw, {k: v for k, v in facts.items() if var not in free_vars(k)}


# ---- ring ----------------------------------------------------------------------


def ring_equal(a: Term, b: Term) -> bool:
    """Mathlib's `ring` on ℕ: equal as commutative-semiring polynomials (no -, /, %)."""
    if _mentions_non_ring(a) or _mentions_non_ring(b):
        return False
    pa = to_poly(a, ring_atom)
    return pa is not None and pa == to_poly(b, ring_atom)


def _mentions_non_ring(t: Term) -> bool:
    if isinstance(t, MVar):
        return True
    if isinstance(t, BinOp):
        return t.op in "-/%" or _mentions_non_ring(t.left) or _mentions_non_ring(t.right)
    return False


# ---- full semantics ----------------------------------------------------------------


def is_valid(hyps: list[Prop], goal: Prop, timeout_ms: int = 2000) -> bool | None:
    """Whether `hyps → goal` holds for every assignment of ℕ / Prop variables
    (quantifiers over ℕ included); None when z3 cannot tell in time."""
    enc = NatEncoder()
    try:
        facts = [enc.prop(h) for h in hyps] + [f"(not {enc.prop(goal)})"]
    except Unsupported:
        return None
    status, _ = check(enc.script(facts), timeout_ms, simple=False)
    if status == "unsat":
        return True
    return False if status == "sat" and enc.exact else None


def find_counterexample(prop: Prop, timeout_ms: int = 2000) -> dict[str, int | bool] | None:
    """Values of the free variables (and of leading `∀` variables) making `prop` false."""
    names = free_vars(prop)
    while isinstance(prop, Forall):
        new = fresh_name(prop.var, names)
        names.add(new)
        prop = prop.body if new == prop.var else subst(prop.body, prop.var, Var(new))
    enc = NatEncoder()
    try:
        script = enc.script([f"(not {enc.prop(prop)})"])
    except Unsupported:
        return None
    status, model = check(script, timeout_ms, simple=False)
    if status != "sat":
        return None
    values = model_values(model, enc)
    verdict = eval_prop(prop, values)
    if verdict is None:  # quantifiers or huge powers: trust z3 only on an exact encoding
        return values if enc.exact else None
    return values if verdict is False else None
