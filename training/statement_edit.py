"""Editing raw statements of the embedded fragment (as `parse_statement` reads them), for the
symbolic evolver: rewriting terms inside propositions, numeral sites, typed binders.

A raw statement is Lean source before elaboration: numerals carry no type, `(e : ℝ)` is
`Cast(ℝ, e)` and `↑e` is `Cast(?, e)`; only binders say a variable's type. Helpers that
need a type read it from there: a variable's type is its binder's, and a statement's
domain is the largest of its binder and ascription types (ℕ < ℤ < ℚ < ℝ), the type Lean's
`binop%` would give an arithmetic tree mixing them.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from lean_env.micro.parser import UNKNOWN
from lean_env.micro.statement import Statement
from lean_env.micro.syntax import (
    NAT, NUM_TYPES, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, Neg, Not, Num, Or, Prop,
    Rel, Succ, Term, rebuild,
)

# ---- generic rewriting of terms inside propositions --------------------------


def map_terms(p: Prop, fn: Callable[[Term], Term]) -> Prop:
    """Apply `fn` to every maximal term of `p` (the two sides of each relation)."""
    if isinstance(p, Rel):
        return Rel(p.op, fn(p.left), fn(p.right))
    if isinstance(p, Not):
        return Not(map_terms(p.arg, fn))
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(map_terms(p.left, fn), map_terms(p.right, fn))
    if isinstance(p, (Forall, Exists)):
        return type(p)(p.var, map_terms(p.body, fn), p.ty)
    return p


def map_props(p: Prop, fn: Callable[[Prop], Prop | None]) -> Prop:
    """Rebuild `p` bottom-up, replacing each node for which `fn` returns a Prop."""
    if isinstance(p, Not):
        p = Not(map_props(p.arg, fn))
    elif isinstance(p, (And, Or, Imp, Iff)):
        p = type(p)(map_props(p.left, fn), map_props(p.right, fn))
    elif isinstance(p, (Forall, Exists)):
        p = type(p)(p.var, map_props(p.body, fn), p.ty)
    out = fn(p)
    return p if out is None else out


def map_numerals(t: Term, fn: Callable[[Num, str], Term]) -> Term:
    """Rebuild `t` with `fn(numeral, parent)` for each numeral outside an exponent (exponents
    decide the shape); `parent` is the operator above it (`+ - * / %`, `unary`, or `rel`)."""

    def go(t: Term, parent: str) -> Term:
        if isinstance(t, Num):
            return fn(t, parent)
        if isinstance(t, BinOp):
            if t.op == "^" or isinstance(t, Succ):  # `n.succ` keeps its 1
                return rebuild(t, go(t.left, "^" if t.op == "^" else "+"), t.right)
            return rebuild(t, go(t.left, t.op), go(t.right, t.op))
        if isinstance(t, Cast):
            return Cast(t.ty, go(t.arg, parent))
        if isinstance(t, (Neg, Inv, Abs)):
            return type(t)(go(t.arg, "unary"))
        return t

    return go(t, "rel")


def term_numerals(t: Term) -> list[tuple[int, str]]:
    """(value, parent operator) of each numeral outside exponents, left to right."""
    found: list[tuple[int, str]] = []
    map_numerals(t, lambda n, parent: found.append((n.value, parent)) or n)
    return found


def prop_numerals(p: Prop) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    map_terms(p, lambda t: found.extend(term_numerals(t)) or t)
    return found


def replace_numeral_at(p: Prop, index: int, new: Term) -> Prop:
    """`p` with its `index`-th numeral (prop_numerals' order) replaced by `new`."""
    seen = -1

    def swap(n: Num, parent: str) -> Term:
        nonlocal seen
        seen += 1
        return new if seen == index else n

    return map_terms(p, lambda t: map_numerals(t, swap))


def replace_numeral(t: Term, old: int, new: Term) -> Term:
    """Every numeral `old` of `t` (outside exponents) replaced by `new`."""
    return map_numerals(t, lambda n, parent: new if n.value == old else n)


def swap_ops(t: Term, table: dict[str, str]) -> Term:
    if isinstance(t, BinOp):
        return BinOp(table.get(t.op, t.op), swap_ops(t.left, table), swap_ops(t.right, table))
    return t


def term_casts(t: Term) -> set[str]:
    """The ascription types `(e : T)` written in `t`."""
    if isinstance(t, Cast):
        return ({t.ty} - {UNKNOWN}) | term_casts(t.arg)
    if isinstance(t, BinOp):
        return term_casts(t.left) | term_casts(t.right)
    if isinstance(t, (Neg, Inv, Abs)):
        return term_casts(t.arg)
    return set()


def map_casts(t: Term, table: dict[str, str]) -> Term:
    """Ascriptions `(e : A)` retyped `(e : table[A])`."""
    if isinstance(t, Cast):
        return Cast(table.get(t.ty, t.ty), map_casts(t.arg, table))
    if isinstance(t, BinOp):
        return rebuild(t, map_casts(t.left, table), map_casts(t.right, table))
    if isinstance(t, (Neg, Inv, Abs)):
        return type(t)(map_casts(t.arg, table))
    return t


# ---- statements ---------------------------------------------------------------


def num_vars(st: Statement, ty: str | None = None) -> list[str]:
    """The statement's variables of ℕ ℤ ℚ ℝ (of type `ty` only, if given)."""
    return [n for n, typ in st.binders if typ in NUM_TYPES and (ty is None or typ == ty)]


def nat_vars(st: Statement) -> list[str]:
    return num_vars(st, NAT)


def var_types(st: Statement) -> dict[str, str]:
    return {n: typ for n, typ in st.binders if typ in NUM_TYPES}


def prop_vars(st: Statement) -> list[str]:
    return [n for n, typ in st.binders if typ == "Prop"]


def binder_names(st: Statement) -> set[str]:
    return {n for n, _ in st.binders}


def hypotheses(st: Statement) -> list[tuple[str, Prop]]:
    return [(n, typ) for n, typ in st.binders if not isinstance(typ, str)]


def props_of(st: Statement) -> list[Prop]:
    return [t for _, t in hypotheses(st)] + [st.conclusion]


def domain(st: Statement) -> str:
    """The largest type among the binders and ascriptions (ℕ when there are none)."""
    types = set(var_types(st).values())
    for p in props_of(st):
        map_terms(p, lambda t: types.update(term_casts(t)) or t)
    return max(types, key=NUM_TYPES.index) if types else NAT


def with_binder(st: Statement, name: str, typ, before_hyps: bool = False) -> Statement:
    """Add a binder; variables go before the first hypothesis, as people write them."""
    binders = list(st.binders)
    if before_hyps:
        first_hyp = next((i for i, (_, t) in enumerate(binders) if not isinstance(t, str)), len(binders))
        binders.insert(first_hyp, (name, typ))
    else:
        binders.append((name, typ))
    return replace(st, binders=binders)


def map_statement(st: Statement, fn: Callable[[Prop], Prop]) -> Statement:
    """`fn` applied to every hypothesis and to the conclusion."""
    return replace(st, binders=[(n, t if isinstance(t, str) else fn(t)) for n, t in st.binders],
                   conclusion=fn(st.conclusion))


def numeral(value: int, ty: str | None = None) -> Term:
    """The numeral `value` (negative: `-k`), ascribed `(k : ty)` when ty is given and not ℕ."""
    base: Term = Num(abs(value))
    if ty is not None and ty != NAT:
        base = Cast(ty, base)
    return Neg(base) if value < 0 else base
