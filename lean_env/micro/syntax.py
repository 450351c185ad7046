"""Abstract syntax of the embedded fragment: ℕ terms and propositions.

Shared by the parser, printer, tactics and the z3-backed deciders. Nodes are
frozen (hashable) dataclasses; bound variables are named, and substitution
renames binders to avoid capture.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

# ---- terms of type ℕ -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Var:
    """A ℕ variable (free in the context, or bound by ∀/∃)."""

    name: str


@dataclass(frozen=True, slots=True)
class Num:
    value: int


@dataclass(frozen=True, slots=True)
class BinOp:
    """`left op right` with op one of + - * / % ^ (ℕ semantics: `-` truncates)."""

    op: str
    left: "Term"
    right: "Term"


@dataclass(frozen=True, slots=True)
class MVar:
    """A metavariable (an implicit lemma argument awaiting unification)."""

    name: str


Term = Union[Var, Num, BinOp, MVar]
TERM_OPS = ("+", "-", "*", "/", "%", "^")


def succ(t: Term) -> Term:
    """`Nat.succ t` is the term `t + 1` (printed so, as Lean 4 does)."""
    return BinOp("+", t, Num(1))


# ---- propositions -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Truth:
    """`True` (value=True) or `False`."""

    value: bool


@dataclass(frozen=True, slots=True)
class PVar:
    """A propositional variable `p : Prop`."""

    name: str


@dataclass(frozen=True, slots=True)
class Not:
    arg: "Prop"


@dataclass(frozen=True, slots=True)
class And:
    left: "Prop"
    right: "Prop"


@dataclass(frozen=True, slots=True)
class Or:
    left: "Prop"
    right: "Prop"


@dataclass(frozen=True, slots=True)
class Imp:
    left: "Prop"
    right: "Prop"


@dataclass(frozen=True, slots=True)
class Iff:
    left: "Prop"
    right: "Prop"


@dataclass(frozen=True, slots=True)
class Rel:
    """`left op right`, op one of = ≠ ≤ < ≥ > ∣ (kept as written, for printing)."""

    op: str
    left: Term
    right: Term


@dataclass(frozen=True, slots=True)
class Forall:
    """`∀ var : ℕ, body`."""

    var: str
    body: "Prop"


@dataclass(frozen=True, slots=True)
class Exists:
    """`∃ var : ℕ, body`."""

    var: str
    body: "Prop"


@dataclass(frozen=True, slots=True)
class PMVar:
    """A metavariable standing for a proposition (implicit `{p : Prop}` arguments)."""

    name: str


Prop = Union[Truth, PVar, Not, And, Or, Imp, Iff, Rel, Forall, Exists, PMVar]
REL_OPS = ("=", "≠", "≤", "<", "≥", ">", "∣")


# ---- variables and substitution ---------------------------------------------


def term_vars(t: Term) -> set[str]:
    if isinstance(t, Var):
        return {t.name}
    if isinstance(t, BinOp):
        return term_vars(t.left) | term_vars(t.right)
    return set()


def free_vars(p: Prop) -> set[str]:
    """Free ℕ and Prop variable names of a proposition."""
    if isinstance(p, PVar):
        return {p.name}
    if isinstance(p, Rel):
        return term_vars(p.left) | term_vars(p.right)
    if isinstance(p, Not):
        return free_vars(p.arg)
    if isinstance(p, (And, Or, Imp, Iff)):
        return free_vars(p.left) | free_vars(p.right)
    if isinstance(p, (Forall, Exists)):
        return free_vars(p.body) - {p.var}
    return set()


def subst_term(t: Term, name: str, value: Term) -> Term:
    if isinstance(t, Var):
        return value if t.name == name else t
    if isinstance(t, BinOp):
        return BinOp(t.op, subst_term(t.left, name, value), subst_term(t.right, name, value))
    return t


def fresh_name(base: str, avoid: set[str]) -> str:
    """`base` or the first of base_1, base_2, ... not in `avoid`."""
    if base not in avoid:
        return base
    i = 1
    while f"{base}_{i}" in avoid:
        i += 1
    return f"{base}_{i}"


def subst(p: Prop, name: str, value: Term) -> Prop:
    """Replace free ℕ variable `name` by `value` in `p`, renaming binders as needed."""
    if isinstance(p, Rel):
        return Rel(p.op, subst_term(p.left, name, value), subst_term(p.right, name, value))
    if isinstance(p, Not):
        return Not(subst(p.arg, name, value))
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(subst(p.left, name, value), subst(p.right, name, value))
    if isinstance(p, (Forall, Exists)):
        if p.var == name:
            return p
        body, var = p.body, p.var
        if var in term_vars(value):
            new = fresh_name(var, term_vars(value) | free_vars(body) | {name})
            body, var = subst(body, var, Var(new)), new
        return type(p)(var, subst(body, name, value))
    return p
