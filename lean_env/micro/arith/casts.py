"""The cast normal forms behind `push_cast`, `norm_cast` and `exact_mod_cast` (Lean core's
src/Lean/Elab/Tactic/NormCast.lean, Mathlib/Tactic/NormCast lemmas) on ℕ → ℤ → ℚ → ℝ.

`push_cast` moves `↑` to the leaves with the "move" lemmas, oriented as push_cast uses
them: `↑(a + b) = ↑a + ↑b`, `↑(a * b)`, `↑(a ^ n) = ↑a ^ n` (`Nat.cast_add`, `Int.cast_mul`,
`Nat.cast_pow`, …); from ℤ and ℚ also `↑(-a)`, `↑(a - b)` and `↑|a|`; from ℚ also `↑(a / b)`,
`↑a⁻¹`. ℕ `-` and ℕ/ℤ `/` and `%` do not move (`Nat.cast_sub` needs `b ≤ a`). Squash
lemmas: `((3 : ℕ) : ℝ) = 3` (`Nat.cast_ofNat`), `((n : ℤ) : ℝ) = (n : ℝ)` (`Int.cast_natCast`).

`norm_cast` moves casts up instead: a subterm whose leaves are casts from smaller types
and numerals, joined by operations that move, becomes one cast `↑(…)` from the largest
of those types (`↑a + 1` to `↑(a + 1)`); a relation whose two sides are such casts loses
them by the "elim" lemmas `Nat.cast_inj`, `Nat.cast_le`, `Nat.cast_lt`,
`Int.natCast_dvd_natCast` (`(↑a : ℝ) < ↑b + 1` to `a < b + 1`), repeated while it applies.

Weaker than Lean: no simp arguments (`push_cast [h]` is refused by the tactics), no
`Nat.cast_sub` with a hypothesis, casts out of other nodes stay where they are.
"""
from __future__ import annotations

from lean_env.micro.syntax import (
    INT, NAT, NUM_TYPES, RAT, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, Neg, Not,
    Num, Or, Prop, Rel, Term, Truth, type_of,
)

# The source types from which each node's cast moves (both directions).
_MOVES_FROM = {"+": NUM_TYPES, "*": NUM_TYPES, "^": NUM_TYPES, "-": (INT, RAT), "/": (RAT,)}
_UNARY_MOVES_FROM = {Neg: (INT, RAT), Abs: (INT, RAT), Inv: (RAT,)}


# ---- push_cast -------------------------------------------------------------------------


def push_term(t: Term) -> Term:
    if isinstance(t, Cast):
        return pushed_cast(t.ty, push_term(t.arg))
    if isinstance(t, BinOp):
        return BinOp(t.op, push_term(t.left), push_term(t.right))
    if isinstance(t, (Neg, Inv, Abs)):
        return type(t)(push_term(t.arg))
    return t


def pushed_cast(ty: str, arg: Term) -> Term:
    """`(↑arg : ty)` pushed to the leaves, `arg` already pushed (norm_num's simp uses it too)."""
    src = type_of(arg)
    if src == ty:
        return arg
    if isinstance(arg, Num):  # Nat.cast_ofNat, Int.cast_ofNat, cast_zero, cast_one
        return Num(arg.value, ty)
    if isinstance(arg, Cast):  # Int.cast_natCast, Rat.cast_intCast, ... (squash)
        return pushed_cast(ty, arg.arg)
    if isinstance(arg, BinOp) and src in _MOVES_FROM.get(arg.op, ()):
        right = arg.right if arg.op == "^" else pushed_cast(ty, arg.right)
        return BinOp(arg.op, pushed_cast(ty, arg.left), right)
    if type(arg) in _UNARY_MOVES_FROM and src in _UNARY_MOVES_FROM[type(arg)]:
        return type(arg)(pushed_cast(ty, arg.arg))
    return Cast(ty, arg)


def push_cast(p: Prop) -> Prop:
    """push_cast's result on a proposition; `t = t` becomes True (simp's `eq_self`)."""
    return _map_rels(p, lambda r: _eq_self(Rel(r.op, push_term(r.left), push_term(r.right))))


# ---- norm_cast ---------------------------------------------------------------------------


def _sources(t: Term) -> set[str] | None:
    """The source types of the casts at the leaves of `t`, or None when some leaf is not a
    cast or numeral, or some operation does not move."""
    if isinstance(t, Num):
        return set()
    if isinstance(t, Cast):
        return {_squashed(t.arg)[0]}
    if isinstance(t, BinOp):
        a = _sources(t.left)
        if a is None:
            return None
        return a if t.op == "^" else (None if (b := _sources(t.right)) is None else a | b)
    if isinstance(t, (Neg, Inv, Abs)):
        return _sources(t.arg)
    return None


def _squashed(t: Term) -> tuple[str, Term]:
    """A cast's argument with inner casts removed (squash): (its type, the term)."""
    while isinstance(t, Cast):
        t = t.arg
    return type_of(t), t


def _lift(t: Term, src: str) -> Term | None:
    """`t` (cast leaves, numerals) rewritten in the smaller type `src`, or None."""
    if isinstance(t, Num):
        return Num(t.value, src)
    if isinstance(t, Cast):
        ty, arg = _squashed(t.arg)
        if isinstance(arg, Num):
            return Num(arg.value, src)
        if ty == src:
            return arg
        return Cast(src, arg) if NUM_TYPES.index(ty) < NUM_TYPES.index(src) else None
    if isinstance(t, BinOp):
        if src not in _MOVES_FROM.get(t.op, ()):
            return None
        a = _lift(t.left, src)
        b = t.right if t.op == "^" else _lift(t.right, src)
        return None if a is None or b is None else BinOp(t.op, a, b)
    if type(t) in _UNARY_MOVES_FROM:
        if src not in _UNARY_MOVES_FROM[type(t)]:
            return None
        a = _lift(t.arg, src)
        return None if a is None else type(t)(a)
    return None


def _largest(types: set[str]) -> str:
    return max(types, key=NUM_TYPES.index)


def _move_up(t: Term) -> Term:
    """Each maximal subterm made of casts and numerals by moving operations, as one cast."""
    ty = type_of(t)
    src = _sources(t)
    if src and not isinstance(t, Cast) and _largest(src) != ty:
        lifted = _lift(t, _largest(src))
        if lifted is not None:
            return Cast(ty, lifted)
    if isinstance(t, Cast):
        arg = _squashed(t.arg)[1]
        return Num(arg.value, t.ty) if isinstance(arg, Num) else Cast(t.ty, _move_up(arg))
    if isinstance(t, BinOp):
        return BinOp(t.op, _move_up(t.left), _move_up(t.right))
    if isinstance(t, (Neg, Inv, Abs)):
        return type(t)(_move_up(t.arg))
    return t


def _elim(r: Rel) -> Rel:
    """Drop the casts on both sides of `r` while the elim lemmas apply."""
    while True:
        src = _sources(r.left)
        other = _sources(r.right)
        if src is None or other is None or not (src | other):
            return r
        s = _largest(src | other)
        if s == type_of(r.left) or (r.op == "∣" and s not in (NAT, INT)):
            return r
        a, b = _lift(r.left, s), _lift(r.right, s)
        if a is None or b is None:
            return r
        r = Rel(r.op, a, b)


def norm_cast(p: Prop) -> Prop:
    """norm_cast's result on a proposition; `t = t` becomes True."""
    return _map_rels(p, _norm_rel)


def _norm_rel(r: Rel) -> Prop:
    for _ in range(len(NUM_TYPES)):  # each round drops at least one type, or stops
        new = _elim(Rel(r.op, _move_up(r.left), _move_up(r.right)))
        if new == r:
            break
        r = new
    return _eq_self(r)


# ---- shared ----------------------------------------------------------------------------


def _eq_self(r: Rel) -> Prop:
    return Truth(True) if r.op == "=" and r.left == r.right else r


def _map_rels(p: Prop, f) -> Prop:
    if isinstance(p, Rel):
        return f(p)
    if isinstance(p, Not):
        return Not(_map_rels(p.arg, f))
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(_map_rels(p.left, f), _map_rels(p.right, f))
    if isinstance(p, (Forall, Exists)):
        return type(p)(p.var, _map_rels(p.body, f), p.ty)
    return p
