"""Lean 4 source of a raw (unelaborated) statement, as `parse_statement` reads it back.

`Statement.to_lean` prints as Lean's pretty printer does: a type ascription `(e : ℝ)` and a
coercion `↑e` both print as `↑e`, and `∀ x, …` without a type prints `(x : ?)`. That is
right for goals, wrong for source: `(5 : ℚ) / 3` printed `↑5 / 3` elaborates as `((5 : ℕ) :
?) / 3` (Lean's `binop%` then picks ℕ). Evolved conjectures are source, so they print here:

  Cast(T, e)        `(e : T)`        (the ascription as written)
  Cast(?, e)        `↑e`             (a coercion whose type elaboration decides)
  Forall(x, b, ?)   `∀ x, b`         (the binder's type left to elaboration)

Everything else prints as lean_env.micro.printer (minimal parentheses by Lean 4's
precedences, `∀ x ≥ 5, …` binder predicates, `-x ^ 2` is `-(x ^ 2)`, never `--`).
"""
from __future__ import annotations

from lean_env.micro.parser import INFIX, MAX_PREC, NEG_PREC, UNKNOWN
from lean_env.micro.statement import Statement
from lean_env.micro.syntax import (
    Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, Neg, Not, Num, Or, PVar, Rel, Succ,
    Truth, Var, term_vars,
)

_CONN = {And: "∧", Or: "∨", Imp: "→", Iff: "↔"}
_BINDER_PREDS = ("<", "≤", ">", "≥", "≠")


def term_source(t, min_prec: int = 0) -> str:
    if isinstance(t, Var):
        return t.name
    if isinstance(t, Num):
        return str(t.value)
    if isinstance(t, Succ):
        if isinstance(t.left, Num):
            s = f"Nat.succ {t.left.value}"
            return f"({s})" if min_prec >= MAX_PREC else s
        return term_source(t.left, MAX_PREC) + ".succ"
    if isinstance(t, BinOp):
        prec, lmin, rmin = INFIX[t.op]
        s = f"{term_source(t.left, lmin)} {t.op} {term_source(t.right, rmin)}"
        return f"({s})" if prec < min_prec else s
    if isinstance(t, Cast):
        if t.ty == UNKNOWN:
            return "↑" + term_source(t.arg, MAX_PREC)
        return f"({term_source(t.arg)} : {t.ty})"
    if isinstance(t, Neg):
        arg = term_source(t.arg, NEG_PREC)
        s = f"- {arg}" if arg.startswith("-") else f"-{arg}"
        return f"({s})" if NEG_PREC < min_prec else s
    if isinstance(t, Inv):
        arg = term_source(t.arg, MAX_PREC)
        return (f"({arg})" if arg.startswith("↑") else arg) + "⁻¹"
    if isinstance(t, Abs):
        return f"|{term_source(t.arg)}|"
    raise TypeError(f"not a term: {t!r}")


def prop_source(p, min_prec: int = 0, trailing: bool = False) -> str:
    """`trailing`: something follows at the same nesting level (a binder must be closed)."""
    if isinstance(p, Rel):
        s = f"{term_source(p.left, 51)} {p.op} {term_source(p.right, 51)}"
        return f"({s})" if min_prec > 50 else s
    if isinstance(p, Truth):
        return "True" if p.value else "False"
    if isinstance(p, PVar):
        return p.name
    if isinstance(p, Not):
        return "¬" + prop_source(p.arg, 40, trailing)
    op = _CONN.get(type(p))
    if op is not None:
        prec, lmin, rmin = INFIX[op]
        lmin = 26 if op == "→" else lmin
        wrap = prec < min_prec
        s = f"{prop_source(p.left, lmin, True)} {op} {prop_source(p.right, rmin, trailing and not wrap)}"
        return f"({s})" if wrap else s
    if isinstance(p, (Forall, Exists)):
        s = _binder(p)
        return f"({s})" if trailing or min_prec >= MAX_PREC else s
    raise TypeError(f"not a proposition: {p!r}")


def _binder_pred(p):
    """`∀ x, x ≥ 5 → q` is written `∀ x ≥ 5, q` (and `∃ x, x > 0 ∧ q` as `∃ x > 0, q`)."""
    inner = And if isinstance(p, Exists) else Imp
    body = p.body
    if (p.ty == UNKNOWN and isinstance(body, inner) and isinstance(body.left, Rel)
            and body.left.op in _BINDER_PREDS and isinstance(body.left.left, Var)
            and body.left.left.name == p.var and p.var not in term_vars(body.left.right)):
        return body.left.op, body.left.right, body.right
    return None


def _binder(p) -> str:
    sym = "∀" if isinstance(p, Forall) else "∃"
    pred = _binder_pred(p)
    if pred is not None:
        op, bound, rest = pred
        return f"{sym} {p.var} {op} {term_source(bound, 51)}, {prop_source(rest)}"
    # consecutive binders of one type: (x y : ℝ); untyped ones (`∀ x y, …`) never mix with typed
    kind, groups = type(p), []
    while isinstance(p, kind) and (not groups or (_binder_pred(p) is None
                                                  and (p.ty == UNKNOWN) == (groups[0][1] == UNKNOWN))):
        if groups and groups[-1][1] == p.ty:
            groups[-1][0].append(p.var)
        else:
            groups.append(([p.var], p.ty))
        p = p.body
    shown = " ".join(" ".join(vs) if ty == UNKNOWN else f"({' '.join(vs)} : {ty})" for vs, ty in groups)
    return f"{sym} {shown}, {prop_source(p)}"


def statement_source(st: Statement) -> str:
    """`theorem NAME (x y : ℝ) (h₀ : …) : conclusion`, binders of one type grouped."""
    groups: list[tuple[list[str], object]] = []
    for name, typ in st.binders:
        if groups and groups[-1][1] == typ and isinstance(typ, str):
            groups[-1][0].append(name)
        else:
            groups.append(([name], typ))
    parts = [st.name] + [f"({' '.join(names)} : {typ if isinstance(typ, str) else prop_source(typ)})"
                         for names, typ in groups]
    return f"theorem {' '.join(parts)} : {prop_source(st.conclusion)}"
