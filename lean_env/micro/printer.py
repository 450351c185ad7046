"""Lean 4 pretty printing of terms and propositions: minimal parentheses.

As Lean's pp: a cast is `↑x` (its target type not shown), numerals are plain
at every type, `-x` has precedence 75 (`-x ^ 2` is `-(x ^ 2)`; never `--`),
`x⁻¹` and `|x|` are maximal, `∀` groups consecutive binders of one type
(`∀ (x y : ℝ) (n : ℕ), …`) and `∃` shows no binder types.

A binder (`∀`, `∃`) extends as far right as possible, so it is parenthesized
exactly when something follows it. `names` maps internal variable names to
the names shown (inaccessible `x✝`); absent names print as they are.
"""
from __future__ import annotations

from lean_env.micro.parser import INFIX, MAX_PREC, NEG_PREC
from lean_env.micro.syntax import (
    Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, MVar, Neg, Not, Num, Or, PMVar, PVar,
    Rel, Succ, Truth, Var, term_vars,
)

_CONN = {And: "∧", Or: "∨", Imp: "→", Iff: "↔"}


def format_term(t, names: dict[str, str] | None = None, min_prec: int = 0) -> str:
    if isinstance(t, Var):
        return names.get(t.name, t.name) if names else t.name
    if isinstance(t, Num):
        return str(t.value)
    if isinstance(t, Succ):  # pp.fieldNotation: `n.succ`, `(n + 1).succ`
        if isinstance(t.left, Num):
            s = f"Nat.succ {t.left.value}"
            return f"({s})" if min_prec >= MAX_PREC else s
        return format_term(t.left, names, MAX_PREC) + ".succ"
    if isinstance(t, BinOp):
        prec, lmin, rmin = INFIX[t.op]
        s = f"{format_term(t.left, names, lmin)} {t.op} {format_term(t.right, names, rmin)}"
        return f"({s})" if prec < min_prec else s
    if isinstance(t, MVar):
        return f"?{t.name}"
    if isinstance(t, Cast):  # Lean's pp.coercions: `↑x`
        return "↑" + format_term(t.arg, names, MAX_PREC)
    if isinstance(t, Neg):
        arg = format_term(t.arg, names, NEG_PREC)
        s = f"- {arg}" if arg.startswith("-") else f"-{arg}"  # never `--`, a comment
        return f"({s})" if NEG_PREC < min_prec else s
    if isinstance(t, Inv):
        arg = format_term(t.arg, names, MAX_PREC)
        # `↑x⁻¹` reads as `↑(x⁻¹)`: Lean prints `(↑x)⁻¹`
        return (f"({arg})" if isinstance(t.arg, Cast) else arg) + "⁻¹"
    if isinstance(t, Abs):
        return f"|{format_term(t.arg, names, 0)}|"
    raise TypeError(f"not a term: {t!r}")


def format_prop(p, names: dict[str, str] | None = None) -> str:
    return _prop(p, names, 0, False)


def _prop(p, names, min_prec: int, trailing: bool) -> str:
    """`trailing`: something follows this text at the same nesting level."""
    if isinstance(p, Rel):
        s = f"{format_term(p.left, names, 51)} {p.op} {format_term(p.right, names, 51)}"
        return f"({s})" if min_prec > 50 else s
    if isinstance(p, Truth):
        return "True" if p.value else "False"
    if isinstance(p, PVar):
        return names.get(p.name, p.name) if names else p.name
    if isinstance(p, PMVar):
        return f"?{p.name}"
    if isinstance(p, Not):
        return "¬" + _prop(p.arg, names, 40, trailing)
    op = _CONN.get(type(p))
    if op is not None:
        prec, lmin, rmin = INFIX[op]
        lmin = 26 if op == "→" else lmin  # `(a → b) → c` keeps its parentheses
        wrap = prec < min_prec
        inner_trailing = trailing and not wrap
        s = f"{_prop(p.left, names, lmin, True)} {op} {_prop(p.right, names, rmin, inner_trailing)}"
        return f"({s})" if wrap else s
    if isinstance(p, (Forall, Exists)):
        s = _binder(p, names)
        return f"({s})" if trailing or min_prec >= MAX_PREC else s
    raise TypeError(f"not a proposition: {p!r}")


_BINDER_PREDS = ("<", "≤", ">", "≥", "≠")


def _binder_pred(p):
    """Mathlib prints `∃ x, x > 0 ∧ q` as `∃ x > 0, q` and `∀ x, x > 0 → q` as `∀ x > 0, q`."""
    inner = And if isinstance(p, Exists) else Imp
    body = p.body
    if isinstance(body, inner) and isinstance(body.left, Rel) and body.left.op in _BINDER_PREDS:
        rel = body.left
        if isinstance(rel.left, Var) and rel.left.name == p.var and p.var not in term_vars(rel.right):
            return rel.op, rel.right, body.right
    return None


def _binder(p, names) -> str:
    pred = _binder_pred(p)
    if pred is not None:
        op, bound, rest = pred
        if names:
            names = {k: v for k, v in names.items() if k != p.var}
        sym = "∀" if isinstance(p, Forall) else "∃"
        return f"{sym} {p.var} {op} {format_term(bound, names, 51)}, {_prop(rest, names, 0, False)}"
    kind = type(p)
    groups: list[tuple[list[str], str]] = []  # consecutive binders of one type
    vars_ = []
    while isinstance(p, kind) and (not vars_ or _binder_pred(p) is None):
        vars_.append(p.var)
        if groups and groups[-1][1] == p.ty:
            groups[-1][0].append(p.var)
        else:
            groups.append(([p.var], p.ty))
        p = p.body
    if names:
        names = {k: v for k, v in names.items() if k not in vars_}
    body = _prop(p, names, 0, False)
    if kind is Forall:
        shown = " ".join(f"({' '.join(vs)} : {ty})" for vs, ty in groups)
        return f"∀ {shown}, {body}"
    return f"∃ {' '.join(vars_)}, {body}"
