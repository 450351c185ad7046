"""Mathlib's `linarith` (Mathlib/Tactic/Linarith/: Frontend.lean, Preprocessing.lean).

Modelled: the hypotheses it keeps (comparisons `=`, `≤`, `<`, `≥`, `>` and their
negations; `≠`, ∧, ∨, ∃ and `∣` are not used); the goal negated (`t R 0` by
contradiction, `=` as two goals `<` and `>`, anything else `exfalso`); the ℕ
preprocessing: cast to ℤ, `push_cast`, strict inequalities strengthened (`a < b` to
`a + 1 ≤ b`), and `0 ≤ ↑t` for every cast atom `getNatComparisons` finds, which
walks only `+`, `*`, `-`: ℕ variables and truncated differences `↑(a - b)`, never
`x / k` or `x % k` (`Int.natCast_div`/`Int.natCast_mod` push the cast inside, leaving
ℤ atoms) nor a product or power as a whole. Nonlinear subterms are atoms; closed
ones evaluate. Then a refutation over ℚ: Fourier–Motzkin (exact over ℚ, as
Mathlib's simplex oracle is complete), or z3 on the same ℚ problem when FM grows too
large, which decides exactly that problem and adds nothing.

Weaker than Mathlib: no hypotheses from `∧`-splitting (Mathlib neither), no
preprocessing extensions, atoms up to syntactic equality only (Mathlib uses
`ring_nf`-normal forms, so `x * y` and `y * x` are one atom there).
"""
from __future__ import annotations

from functools import lru_cache

from lean_env.micro.arith.relations import CACHE_SIZE, COMPARISONS, NEGATED, comparison_rows
from lean_env.micro.polynomial import Poly, add, evaluate, fourier_motzkin, to_poly
from lean_env.micro.syntax import BinOp, Not, Num, Prop, Rel, Term, Var
from lean_env.micro.z3_encode import check, has_mvar


Comparison = tuple[Poly, str]  # (p, "=" | "≤") meaning p = 0 or p ≤ 0


def linarith(hyps: list[Prop], goal: Prop, timeout_ms: int = 2000) -> bool:
    """Mathlib's `linarith` over ℕ: comparisons cast to ℤ, strict ones strengthened,
    cast atoms non-negative, then refuted over ℚ (weaker than omega)."""
    return _linarith(tuple(hyps), goal, timeout_ms)


@lru_cache(maxsize=CACHE_SIZE)
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
    if isinstance(h, Not) and isinstance(h.arg, Rel) and h.arg.op in NEGATED:
        return comparison(NEGATED[h.arg.op], h.arg.left, h.arg.right)
    return None


def _goal_cases(goal: Prop) -> list[list[Comparison]]:
    """The facts to add in each refutation: one list per case (two for `=`)."""
    if isinstance(goal, Rel):
        a, b = goal.left, goal.right
        if goal.op == "=":
            cases = [comparison("<", a, b), comparison(">", a, b)]
        elif goal.op in NEGATED:
            cases = [comparison(NEGATED[goal.op], a, b)]
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
    """Atoms linarith knows are ≥ 0: casts of ℕ variables and of truncated `a - b`
    (`getNatComparisons` does not look inside `/`, `%`, `^`)."""
    return isinstance(atom, Var) or (isinstance(atom, BinOp) and atom.op == "-")


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


def clear_cache() -> None:
    _linarith.cache_clear()
