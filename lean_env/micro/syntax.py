"""Abstract syntax of the embedded fragment: terms over ℕ ℤ ℚ ℝ and propositions.

Shared by the parser, printer, tactics and the z3-backed deciders. Nodes are
frozen (hashable) dataclasses; bound variables are named, and substitution
renames binders to avoid capture.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

# ---- terms over ℕ ℤ ℚ ℝ -----------------------------------------------------

NAT, INT, RAT, REAL = "ℕ", "ℤ", "ℚ", "ℝ"
# In cast order: a `Cast(ty, arg)` only goes from an earlier type to a later one.
NUM_TYPES = (NAT, INT, RAT, REAL)


@dataclass(frozen=True, slots=True)
class Var:
    """A variable of type `ty` (free in the context, or bound by ∀/∃)."""

    name: str
    ty: str = NAT


@dataclass(frozen=True, slots=True)
class Num:
    """A numeral literal `value : ty` (Lean's `OfNat`); value ≥ 0."""

    value: int
    ty: str = NAT


@dataclass(frozen=True, slots=True)
class BinOp:
    """`left op right`, op one of + - * / % ^.

    Both operands have one type, except `^`, whose exponent is always ℕ; the
    node's type is its left operand's (ℕ `-` truncates, `/` floors, `x / 0 = 0`).
    """

    op: str
    left: "Term"
    right: "Term"


@dataclass(frozen=True, slots=True)
class MVar:
    """A metavariable of type `ty` (an implicit lemma argument awaiting unification)."""

    name: str
    ty: str = NAT


@dataclass(frozen=True, slots=True)
class Neg:
    """`-arg` on ℤ ℚ ℝ."""

    arg: "Term"


@dataclass(frozen=True, slots=True)
class Cast:
    """`(↑arg : ty)`, the injection from an earlier type of NUM_TYPES into `ty`."""

    ty: str
    arg: "Term"


@dataclass(frozen=True, slots=True)
class Inv:
    """`arg⁻¹` on ℚ ℝ (`0⁻¹ = 0`)."""

    arg: "Term"


@dataclass(frozen=True, slots=True)
class Abs:
    """`|arg|`."""

    arg: "Term"


Term = Union[Var, Num, BinOp, MVar, Neg, Cast, Inv, Abs]
TERM_OPS = ("+", "-", "*", "/", "%", "^")
UNARY_NODES = (Neg, Inv, Abs)


def type_of(t: Term) -> str:
    """The type (one of NUM_TYPES) of a well-formed term."""
    while True:
        if isinstance(t, (Var, Num, MVar, Cast)):
            return t.ty
        if isinstance(t, BinOp):
            t = t.left
        else:
            t = t.arg

def succ(t: Term) -> Term:
    """`t + 1`, the successor as Lean 4's `induction`/`cases` on ℕ write it."""
    return BinOp("+", t, Num(1))


@dataclass(frozen=True, slots=True)
class Succ(BinOp):
    """`Nat.succ t` as the user wrote it: printed `t.succ`, and distinct from `t + 1`
    for rewriting (kabstract's head symbol) though definitionally equal to it. A
    `BinOp("+", t, Num(1))` for every procedure that does not ask (same value)."""


def nat_succ(t: Term) -> Succ:
    return Succ("+", t, Num(1))


def rebuild(t: BinOp, left: Term, right: Term) -> BinOp:
    """`t` over new operands, keeping a `Nat.succ` a `Nat.succ`."""
    if left is t.left and right is t.right:
        return t
    return Succ("+", left, right) if type(t) is Succ else BinOp(t.op, left, right)


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
    """`∀ var : ty, body`."""

    var: str
    body: "Prop"
    ty: str = NAT


@dataclass(frozen=True, slots=True)
class Exists:
    """`∃ var : ty, body`."""

    var: str
    body: "Prop"
    ty: str = NAT


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
    if isinstance(t, (Neg, Cast, Inv, Abs)):
        return term_vars(t.arg)
    return set()


def free_vars(p: Prop) -> set[str]:
    """Free term and Prop variable names of a proposition."""
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
        return rebuild(t, subst_term(t.left, name, value), subst_term(t.right, name, value))
    if isinstance(t, Cast):
        return Cast(t.ty, subst_term(t.arg, name, value))
    if isinstance(t, (Neg, Inv, Abs)):
        return type(t)(subst_term(t.arg, name, value))
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
    """Replace free variable `name` by `value` in `p`, renaming binders as needed."""
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
            body, var = subst(body, var, Var(new, p.ty)), new
        return type(p)(var, subst(body, name, value), p.ty)
    return p
