"""Definitional equality (a sound under-approximation of Lean's) and first-order
unification with metavariables (`MVar` for terms, typed; `PMVar` for propositions).

A metavariable only takes a value of its own type (ℕ ℤ ℚ ℝ), and terms of
different types never unify. Only ℕ literal arithmetic is evaluated by `canon`
(`(2 : ℝ) + 2 = 4` is not `rfl` at reducible transparency).

`canon` puts a proposition in the form Lean's `isDefEq` sees through cheaply:
`a ≥ b` is `b ≤ a`, `a > b` is `b < a`, `a ≠ b` and `¬p` are `… → False`,
closed ℕ arithmetic is evaluated, `t + 0` is `t`, literal offsets are summed,
and bound variables are renamed by depth so alpha-equivalent props are equal.
"""
from __future__ import annotations

from functools import lru_cache

from lean_env.micro.syntax import (
    INT, NAT, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, MVar, Neg, Not, Num, Or, PMVar,
    Rel, Truth, Var, fresh_name, free_vars, rebuild, subst, term_vars, type_of,
)

FALSE = Truth(False)
_MAX_POW = 256  # don't evaluate huge closed powers


def eval_closed(op: str, a: int, b: int) -> int | None:
    if op == "+":
        return a + b
    if op == "*":
        return a * b
    if op == "-":
        return max(a - b, 0)
    if op == "/":
        return a // b if b else 0
    if op == "%":
        return a % b if b else a
    if op == "^":
        return a ** b if b <= _MAX_POW else None
    return None


def canon_term(t, env: dict[str, str]):
    if isinstance(t, Var):
        return Var(env.get(t.name, t.name), t.ty) if env else t
    if isinstance(t, Cast):
        return Cast(t.ty, canon_term(t.arg, env))
    if isinstance(t, (Neg, Inv, Abs)):
        return type(t)(canon_term(t.arg, env))
    if isinstance(t, BinOp):
        left, right = canon_term(t.left, env), canon_term(t.right, env)
        if type_of(left) != NAT:
            # Lean's defeq check unfolds ℕ literal arithmetic only (ℤ ℚ ℝ
            # numerals are not reduced by `rfl` at reducible transparency)
            return BinOp(t.op, left, right)
        if isinstance(left, Num) and isinstance(right, Num):
            v = eval_closed(t.op, left.value, right.value)
            if v is not None:
                return Num(v)
        if t.op == "+" and isinstance(right, Num):
            if right.value == 0:
                return left
            if isinstance(left, BinOp) and left.op == "+" and isinstance(left.right, Num):
                return BinOp("+", left.left, Num(left.right.value + right.value))
        return BinOp(t.op, left, right)
    return t


def _canon(p, env: dict[str, str], depth: int):
    if isinstance(p, Rel):
        left, right = canon_term(p.left, env), canon_term(p.right, env)
        op = p.op
        if op == "≥":
            return Rel("≤", right, left)
        if op == ">":
            op, left, right = "<", right, left
        if op == "<" and type_of(left) in (NAT, INT):
            # `Nat.lt n m := n + 1 ≤ m` (and `Int.lt`): defeq at default transparency
            return Rel("≤", canon_term(BinOp("+", left, Num(1, type_of(left))), {}), right)
        if op == "≠":
            return Imp(Rel("=", left, right), FALSE)
        return Rel(op, left, right)
    if isinstance(p, Not):
        return Imp(_canon(p.arg, env, depth), FALSE)
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(_canon(p.left, env, depth), _canon(p.right, env, depth))
    if isinstance(p, (Forall, Exists)):
        inner = {**env, p.var: f"#{depth}"}
        return type(p)(f"#{depth}", _canon(p.body, inner, depth + 1), p.ty)
    return p


@lru_cache(maxsize=1 << 16)
def canon(p):
    return _canon(p, {}, 0)


def defeq(a, b) -> bool:
    return a == b or canon(a) == canon(b)


# ---- unification --------------------------------------------------------------


def unify_term(pat, tgt, sub: dict, bound: frozenset = frozenset()) -> bool:
    if isinstance(pat, MVar):
        if pat.name in sub:
            # an assigned value is closed under the binders here: it never equals a
            # target that mentions a bound variable of the same name
            return sub[pat.name] == tgt and not (bound and term_vars(tgt) & bound)
        if bound and term_vars(tgt) & bound:
            return False  # a metavariable cannot capture a bound variable
        if type_of(tgt) != pat.ty:
            return False  # terms of different types never unify
        sub[pat.name] = tgt
        return True
    if isinstance(pat, Cast):
        return isinstance(tgt, Cast) and pat.ty == tgt.ty and unify_term(pat.arg, tgt.arg, sub, bound)
    if isinstance(pat, (Neg, Inv, Abs)):
        return type(tgt) is type(pat) and unify_term(pat.arg, tgt.arg, sub, bound)
    if isinstance(pat, BinOp):
        if isinstance(tgt, BinOp):
            return pat.op == tgt.op and unify_term(pat.left, tgt.left, sub, bound) and unify_term(
                pat.right, tgt.right, sub, bound)
        # `?n + 1` against a positive literal: Nat.succ ?n =?= k.
        if (isinstance(tgt, Num) and tgt.ty == NAT and tgt.value > 0 and pat.op == "+"
                and pat.right == Num(1)):
            return unify_term(pat.left, Num(tgt.value - 1), sub, bound)
        return False
    return pat == tgt


def unify(pat, tgt, sub: dict, bound: frozenset = frozenset()) -> bool:
    """Extend `sub` so that pat[sub] == tgt; False if impossible. `sub` may be
    partly extended on failure: callers pass a copy."""
    if isinstance(pat, PMVar):
        if pat.name in sub:
            return sub[pat.name] == tgt and not (bound and free_vars(tgt) & bound)
        if bound and free_vars(tgt) & bound:
            return False
        sub[pat.name] = tgt
        return True
    if type(pat) is not type(tgt):
        return False
    if isinstance(pat, Rel):
        return pat.op == tgt.op and unify_term(pat.left, tgt.left, sub, bound) and unify_term(
            pat.right, tgt.right, sub, bound)
    if isinstance(pat, (And, Or, Imp, Iff)):
        return unify(pat.left, tgt.left, sub, bound) and unify(pat.right, tgt.right, sub, bound)
    if isinstance(pat, (Forall, Exists)):
        return (pat.var == tgt.var and pat.ty == tgt.ty
                and unify(pat.body, tgt.body, sub, bound | {pat.var}))
    if isinstance(pat, Not):
        return unify(pat.arg, tgt.arg, sub, bound)
    return pat == tgt


def match(pat, tgt, sub: dict) -> dict | None:
    """Unify `pat` (under `sub`) with `tgt` as written, else up to `canon`;
    the extended substitution, or None."""
    pat = instantiate(pat, sub)
    trial: dict = {}
    if unify(pat, tgt, trial):
        return {**sub, **trial} if trial else sub
    trial = {}
    if unify(canon(pat), canon(tgt), trial):
        return {**sub, **trial} if trial else sub
    return None


def instantiate_term(t, sub: dict):
    if isinstance(t, MVar):
        v = sub.get(t.name, t)
        return v if v is t or not has_mvars_term(v) else instantiate_term(v, sub)
    if isinstance(t, BinOp):
        return rebuild(t, instantiate_term(t.left, sub), instantiate_term(t.right, sub))
    if isinstance(t, Cast):
        return Cast(t.ty, instantiate_term(t.arg, sub))
    if isinstance(t, (Neg, Inv, Abs)):
        return type(t)(instantiate_term(t.arg, sub))
    return t


def instantiate(p, sub: dict):
    if not sub:
        return p
    if isinstance(p, PMVar):
        v = sub.get(p.name, p)
        return v if v is p or not has_mvars(v) else instantiate(v, sub)
    if isinstance(p, Rel):
        return Rel(p.op, instantiate_term(p.left, sub), instantiate_term(p.right, sub))
    if isinstance(p, Not):
        return Not(instantiate(p.arg, sub))
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(instantiate(p.left, sub), instantiate(p.right, sub))
    if isinstance(p, (Forall, Exists)):
        return _instantiate_binder(p, sub)
    return p


def _instantiate_binder(p, sub: dict):
    """Instantiate under `∀ x`/`∃ x`, renaming `x` when an assigned value mentions a
    free `x` (capture), as Lean's instantiateMVars keeps de Bruijn indices apart."""
    var, body = p.var, p.body
    incoming: set[str] = set()
    for name in mvar_names(body):
        value = sub.get(name)
        if isinstance(value, _TERMS):
            incoming |= term_vars(instantiate_term(value, sub))
        elif value is not None:
            incoming |= free_vars(instantiate(value, sub))
    if var in incoming:
        new = fresh_name(var, incoming | free_vars(body) | bound_names(body))
        body, var = subst(body, var, Var(new, p.ty)), new
    return type(p)(var, instantiate(body, sub), p.ty)


_TERMS = (Var, Num, BinOp, MVar, Neg, Cast, Inv, Abs)


def mvar_names(p) -> set[str]:
    """Names of the metavariables (ℕ and Prop) occurring in a proposition or term."""
    if isinstance(p, (MVar, PMVar)):
        return {p.name}
    if isinstance(p, (Rel, BinOp)):
        return mvar_names(p.left) | mvar_names(p.right)
    if isinstance(p, (Not, Neg, Cast, Inv, Abs)):
        return mvar_names(p.arg)
    if isinstance(p, (And, Or, Imp, Iff)):
        return mvar_names(p.left) | mvar_names(p.right)
    if isinstance(p, (Forall, Exists)):
        return mvar_names(p.body)
    return set()


def bound_names(p) -> set[str]:
    if isinstance(p, (Forall, Exists)):
        return {p.var} | bound_names(p.body)
    if isinstance(p, Not):
        return bound_names(p.arg)
    if isinstance(p, (And, Or, Imp, Iff)):
        return bound_names(p.left) | bound_names(p.right)
    return set()


def has_mvars_term(t) -> bool:
    if isinstance(t, MVar):
        return True
    if isinstance(t, BinOp):
        return has_mvars_term(t.left) or has_mvars_term(t.right)
    if isinstance(t, (Neg, Cast, Inv, Abs)):
        return has_mvars_term(t.arg)
    return False


def has_mvars(p) -> bool:
    if isinstance(p, PMVar):
        return True
    if isinstance(p, Rel):
        return has_mvars_term(p.left) or has_mvars_term(p.right)
    if isinstance(p, Not):
        return has_mvars(p.arg)
    if isinstance(p, (And, Or, Imp, Iff)):
        return has_mvars(p.left) or has_mvars(p.right)
    if isinstance(p, (Forall, Exists)):
        return has_mvars(p.body)
    return False
