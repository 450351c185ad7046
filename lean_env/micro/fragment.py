"""Why a statement is outside the embedded fragment, and the typing contract inside it.

Two checks, used by `MicroEnv.open`:
- `outside_reason(text)`: the first construct of the statement, in reading order, that
  the fragment does not have ("outside the embedded fragment: uses Real.sqrt"). The
  parser stops at its first error, which may come after (or, for characters the lexer
  does not know, before) the real reason; this scan reads the whole text, so a
  statement over ℂ is reported as using ℂ and not as a stray `‖`. Asked only once a
  statement has failed to parse, so it never refuses a statement the parser accepts.
- `ill_typed(prop)`: whether an elaborated proposition breaks the typed-term contract
  every decision procedure relies on (syntax.py): operands of one type, ℕ exponents,
  `-a` on ℤ ℚ ℝ, `⁻¹` on ℚ ℝ, no `%` on a field, `∣` on ℕ ℤ, casts up NUM_TYPES.
  A goal that breaks it must not reach the procedures (they would read it with the
  wrong semantics), so it does not open.
"""
from __future__ import annotations

import re

from lean_env.micro.lexer import OUTSIDE_SYMBOLS
from lean_env.micro.parser import OUTSIDE_TYPES
from lean_env.micro.semantics import FIELDS
from lean_env.micro.syntax import (
    NAT, NUM_TYPES, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, MVar, Neg, Not,
    Num, Or, Prop, Rel, Term, Var, type_of,
)

PREFIX = "outside the embedded fragment: uses "
# Notations spelled with several characters or with characters the fragment also uses.
NOTATIONS = (
    (r"≡[^\n]*?\[MOD\b", "Nat.ModEq (≡ [MOD n])"),
    (r"≡[^\n]*?\[ZMOD\b", "Int.ModEq (≡ [ZMOD n])"),
    (r"‖", "norms (‖·‖)"),
    (r"\{\s*[^\W\d][\w']*\s*(:[^|{}]*)?\|", "set-builder notation ({x | …})"),
    (r"(?<![\w'])(fun|λ)\s", "lambda abstractions (fun)"),
    (r"\([^()]*,[^()]*\)\s*=", "tuples (Prod)"),
    (r"\.(den|num)\b", "Rat.num / Rat.den"),
    (r"(?<![\w'.])(Real|Nat|Int|Rat|Complex|Finset|Set|Polynomial|Function)\.[A-Za-z_][\w'.]*",
     None),  # a named Mathlib constant: named by itself
    (r"(?<![\w'.])(IsLeast|IsGreatest|Even|Odd|Irrational|Equiv|deriv|Fintype)\b", None),
)
_ALLOWED_CONSTANTS = ("Nat.succ",)


def outside_reason(text: str) -> str | None:
    """"outside the embedded fragment: uses X" for the first X of `text`, or None."""
    found: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if ch in OUTSIDE_SYMBOLS:
            found.append((i, OUTSIDE_SYMBOLS[ch]))
            break
    for pattern, what in NOTATIONS:
        for m in re.finditer(pattern, text):
            if what is None and m.group() in _ALLOWED_CONSTANTS:
                continue
            found.append((m.start(), what or m.group()))
            break
    for m in re.finditer(r"(?<![\w'.])([^\W\d][\w']*)", text):
        if m.group() in OUTSIDE_TYPES:
            found.append((m.start(), OUTSIDE_TYPES[m.group()]))
            break
    return PREFIX + min(found, key=lambda f: (f[0], -len(f[1])))[1] if found else None


# ---- the typed-term contract -----------------------------------------------------


def ill_typed(p: Prop) -> str | None:
    """What in `p` breaks the typed-term contract, or None when it keeps it."""
    if isinstance(p, Not):
        return ill_typed(p.arg)
    if isinstance(p, (And, Or, Imp, Iff)):
        return ill_typed(p.left) or ill_typed(p.right)
    if isinstance(p, (Forall, Exists)):
        return None if p.ty in NUM_TYPES else f"a binder of type {p.ty}"
    if isinstance(p, Rel):
        bad = term_ill_typed(p.left) or term_ill_typed(p.right)
        if bad:
            return bad
        ty = type_of(p.left)
        if type_of(p.right) != ty:
            return f"a relation between {ty} and {type_of(p.right)}"
        if p.op == "∣" and ty in FIELDS:
            return f"∣ on {ty}"
    return None


def term_ill_typed(t: Term) -> str | None:
    if isinstance(t, (Var, Num, MVar)):
        return None if t.ty in NUM_TYPES else f"a term of type {t.ty}"
    if isinstance(t, BinOp):
        bad = term_ill_typed(t.left) or term_ill_typed(t.right)
        ty, other = type_of(t.left), type_of(t.right)
        if bad:
            return bad
        if t.op == "^":
            return None if other == NAT else f"a power with exponent of type {other}"
        if other != ty:
            return f"{t.op} between {ty} and {other}"
        return f"% on {ty}" if t.op == "%" and ty in FIELDS else None
    bad = term_ill_typed(t.arg)
    if bad:
        return bad
    ty = type_of(t.arg)
    if isinstance(t, Cast) and NUM_TYPES.index(ty) >= NUM_TYPES.index(t.ty):
        return f"a cast from {ty} to {t.ty}"
    if isinstance(t, (Neg, Abs)) and ty == NAT:
        return f"{'-' if isinstance(t, Neg) else '|·|'} on ℕ"
    if isinstance(t, Inv) and ty not in FIELDS:
        return f"⁻¹ on {ty}"
    return None




def goal_ill_typed(goal) -> str | None:
    """`ill_typed` over a goal's proposition hypotheses and its target."""
    for hyp in goal.hyps:
        if not isinstance(hyp.type, str):
            bad = ill_typed(hyp.type)
            if bad:
                return f"{hyp.user}: {bad}"
    return ill_typed(goal.target)


__all__ = ["goal_ill_typed", "ill_typed", "outside_reason", "term_ill_typed"]
