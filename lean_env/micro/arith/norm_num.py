"""Mathlib's `norm_num [hyps]` (Mathlib/Tactic/NormNum/Core.lean, Basic, DivMod, Pow, Ineq,
Inv) on ℕ ℤ ℚ ℝ, in part.

Modelled: `simp` with the norm_num extensions. Every closed subterm is evaluated exactly
in its own type (arith/numerals.py: ℕ truncating `-` and floor `/`, ℤ `Int.ediv`/`Int.emod`,
field `/` with `x / 0 = 0`, `⁻¹`, `^` by ℕ, casts of numerals, `|c|`) and written back as
norm_num writes numerals (`-3`, `5 / 6`, `-(1 / 2)`); closed `= ≠ ≤ < ≥ >` and `∣` (ℕ ℤ)
are decided. The subset of the default simp set modelled, typed: `add_zero`, `zero_add`,
`mul_one`, `one_mul`, `mul_zero`, `zero_mul`, `sub_zero`, `sub_self`, `zero_sub` (ℤ ℚ ℝ:
`0 - a = -a`; ℕ `zero_tsub`: `0 - a = 0`), `div_one`, `zero_div`, `div_zero`, `Nat/Int`
`mod_one`, `zero_mod`, `mod_zero`, `pow_zero`, `pow_one`, `one_pow`, `neg_neg`, `inv_inv`,
`eq_self`, `le_refl`, `lt_self_iff_false`, `dvd_refl`, `one_dvd`, `dvd_zero`, on ℕ only
`zero_le` and `not_lt_zero`, `not_le`, `not_lt`, `not_not`, `and_true`, `or_false`,
`imp_self`, `iff_self`, `forall_const`, `exists_const` …; the push_cast lemmas, which are
simp lemmas (`Nat.cast_add`, `Int.cast_mul`, `Nat.cast_pow`, `Int.cast_natCast`, …; see
arith/casts.py: ℕ `-` does not move), and the elim lemmas `Nat.cast_inj`, `Nat.cast_le`,
`Nat.cast_lt`, `Int.cast_inj`, …, `Nat.cast_eq_ofNat`, `Nat.cast_le_ofNat`, … (a cast from ℕ
against a numeral). `[h]` rewrites with an equation left to right (once), with
`h : p ↔ q` p to q, and uses other propositions as facts (a quantified lemma is not used).

Also `ne_eq` (`a ≠ b` is `¬a = b`), the additive cancellations (`add_left_inj`,
`add_le_add_iff_right`, `lt_add_iff_pos_right`, `self_eq_add_right`, … : `x + 1 > x` closes),
`sub_nonneg`, `sub_pos` (ℤ ℚ ℝ), `neg_mul`, `mul_neg`, `neg_add_eq_sub`, `sub_neg_eq_add`,
`add_sub_cancel_right/left` (ℕ: `add_tsub_cancel_right/left`), `sub_add_cancel` (not ℕ),
`mul_eq_zero`, `zero_eq_mul`, `pow_eq_zero_iff`, `one_div` (`1 / x` is `x⁻¹`), `abs_neg`,
`abs_abs`, `sq_abs`, `abs_nonneg`, `abs_pos`; on ℕ, `a ^ b % m` of numerals by modular
exponentiation (NormNum/PowMod.lean: `5 ^ 999999 % 7` without the power).

Weaker than Mathlib: a small simp set (no `add_comm`/`mul_comm` normalisation, few
conditional lemmas), each lemma tried once per
node bottom-up, and one rewrite step per hypothesis, rather than simp's fixpoint. Never stronger: what it decides is decided exactly in the right type.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from lean_env.micro.arith.relations import FALSE, NEGATED, TRUE, compare
from lean_env.micro.arith.casts import pushed_cast
from lean_env.micro.arith.numerals import FIELDS, RINGS, is_numeral, numeral, value
from lean_env.micro.syntax import (
    NAT, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, Neg, Not, Num, Or, Prop, Rel, Term,
    Truth, free_vars, term_vars, type_of,
)


Rewrites = Mapping[Term, Term]
Facts = Mapping[Prop, bool | Prop]  # a fact's truth, or what `h : p ↔ q` rewrites it to


def norm_num(goal: Prop, hyps: Iterable[Prop] = ()) -> Prop:
    """Mathlib's `norm_num [hyps]`, in part: evaluate numerals, decide closed relations,
    basic simp lemmas. Returns the simplified goal; `Truth(True)` means closed."""
    rewrites: dict[Term, Term] = {}
    facts: dict[Prop, bool] = {}
    for h in hyps:  # as simp's `preprocess` reads them: the statement itself, not simplified
        if isinstance(h, Rel) and h.op == "=" and not is_numeral(h.left):
            rewrites[h.left] = h.right  # simp [h] rewrites left to right
        elif isinstance(h, Rel) and h.op == "≠":
            facts[Rel("=", h.left, h.right)] = False
        elif isinstance(h, Not):
            facts[h.arg] = False
        elif isinstance(h, Iff) and not isinstance(h.left, Truth):
            facts[h.left] = h.right  # simp [h] with `h : p ↔ q` rewrites p to q
        elif not isinstance(h, Truth):
            facts[h] = True
    return simp_prop(goal, rewrites, facts)


def simp_term(t: Term, rewrites: Rewrites) -> Term:
    if isinstance(t, BinOp):
        t = _simp_binop(t.op, simp_term(t.left, rewrites), simp_term(t.right, rewrites))
    elif isinstance(t, (Neg, Inv, Abs)):
        t = _simp_unary(type(t), simp_term(t.arg, rewrites))
    elif isinstance(t, Cast):
        arg = simp_term(t.arg, rewrites)
        v = value(arg) if is_numeral(arg) else None  # Nat.cast_ofNat, … (norm_num evaluates)
        if v is not None:
            t = numeral(v, t.ty)
        else:  # the push_cast lemmas are simp lemmas (Nat.cast_add, Int.cast_mul, ...)
            pushed = pushed_cast(t.ty, arg)
            t = pushed if isinstance(pushed, Cast) else simp_term(pushed, {})
    if t in rewrites:  # one rewrite step, not repeated: `h : x = x + 1` cannot loop
        return simp_term(rewrites[t], {})
    return t


def _simp_unary(node: type, a: Term) -> Term:
    t = node(a)
    v = value(t) if is_numeral(a) else None
    if v is not None:
        return numeral(v, type_of(a))
    if node in (Neg, Inv) and isinstance(a, node):  # neg_neg, inv_inv
        return a.arg
    if node is Abs and isinstance(a, (Neg, Abs)):  # abs_neg, abs_abs
        return Abs(a.arg) if isinstance(a, Neg) else a
    return t


def _simp_binop(op: str, a: Term, b: Term) -> Term:
    ty = type_of(a)
    v = value(BinOp(op, a, b)) if is_numeral(a) and is_numeral(b) else None
    if v is not None:  # the norm_num extensions evaluate closed subterms, in their type
        return numeral(v, ty)
    zero, one = Num(0, ty), Num(1, ty)
    special = _group_rules(op, a, b, ty)
    if special is not None:
        return special
    rules = {  # add_zero, mul_one, sub_self, zero_sub, div_one, pow_zero, ... (all simp)
        "+": [(a == zero, b), (b == zero, a)],
        "*": [(a == zero or b == zero, zero), (a == one, b), (b == one, a)],
        "-": [(b == zero or a == b, zero if a == b else a),
              (a == zero, zero if ty == NAT else Neg(b))],  # Nat zero_tsub / zero_sub
        "/": [(b == one, a), (a == zero or b == zero, zero)],
        "%": [(b == one or a == zero, zero), (b == zero, a)],
        "^": [(b == Num(0), one), (b == Num(1), a), (a == one, one)],
    }[op]
    for applies, result in rules:
        if applies:
            return result
    return BinOp(op, a, b)


def _group_rules(op: str, a: Term, b: Term, ty: str) -> Term | None:
    """`neg_mul`, `mul_neg`, `neg_add_eq_sub`, `sub_neg_eq_add`, `add_sub_cancel_right`,
    `add_sub_cancel_left` (on ℕ `add_tsub_cancel_right/left`), `sub_add_cancel` (not on ℕ)."""
    if op == "*" and isinstance(a, Neg):
        return Neg(BinOp("*", a.arg, b))
    if op == "*" and isinstance(b, Neg):
        return Neg(BinOp("*", a, b.arg))
    if op == "+" and isinstance(a, Neg):
        return BinOp("-", b, a.arg)
    if op == "-" and isinstance(b, Neg):
        return BinOp("+", a, b.arg)
    if (op == "%" and ty == NAT and isinstance(b, Num) and b.value > 0 and _is(a, "^")
            and isinstance(a.left, Num) and isinstance(a.right, Num)):  # NormNum/PowMod.lean
        return Num(pow(a.left.value, a.right.value, b.value))
    if op == "/" and a == Num(1, ty) and ty in FIELDS and not is_numeral(b):  # one_div
        return Inv(b)
    if op == "^" and isinstance(a, Abs) and b == Num(2):  # sq_abs
        return BinOp("^", a.arg, b)
    if op == "-" and _is(a, "+") and b in (a.left, a.right):
        return a.left if b == a.right else a.right
    if op == "+" and ty in RINGS and _is(a, "-") and a.right == b:
        return a.left
    return None


def _simp_rel(op: str, a: Term, b: Term) -> Prop:
    va, vb = (value(a), value(b)) if is_numeral(a) and is_numeral(b) else (None, None)
    if va is not None and vb is not None:
        if op == "∣":  # Nat.dvd / Int.dvd evaluation (NormNum/DivMod.lean)
            return Truth(compare(op, int(va), int(vb)))
        return Truth(compare(op, va, vb))
    if a == b:  # eq_self, le_refl, lt_self_iff_false, dvd_refl, ...
        return Truth(op in ("=", "≤", "≥", "∣"))
    uncast = _uncast(a, b)
    if uncast is not None:  # Nat.cast_inj, Nat.cast_le, Nat.cast_lt_ofNat, Int.natCast_dvd_natCast
        return _simp_rel(op, *uncast)
    if op == "≠":  # ne_eq: `a ≠ b` is `¬a = b`
        return _simp_not(_simp_rel("=", a, b))
    cancelled = _cancel(op, a, b) if op in ("=", "≤", "<", "≥", ">") else None
    if cancelled is not None:
        return _simp_rel(*cancelled)
    ty = type_of(a)
    zero = Num(0, ty)
    if ty in RINGS and op in ("≤", "<") and a == zero and _is(b, "-"):  # sub_nonneg, sub_pos
        return _simp_rel(op, b.right, b.left)
    if op == "=" and zero in (a, b):
        product = _zero_product(b if a == zero else a)
        if product is not None:
            return product
    if ty != NAT and isinstance(b, Abs) and a == zero and op in ("≤", "<"):  # abs_nonneg, abs_pos
        return TRUE if op == "≤" else _simp_not(_simp_rel("=", b.arg, zero))
    if ty == NAT:  # only on ℕ: zero_le, Nat.not_lt_zero
        if (op == "≤" and a == zero) or (op == "≥" and b == zero):
            return TRUE
        if (op == "<" and b == zero) or (op == ">" and a == zero):
            return FALSE
    if op == "∣" and (a == Num(1, ty) or b == zero):  # one_dvd, dvd_zero
        return TRUE
    return Rel(op, a, b)


def _is(t: Term, op: str) -> bool:
    return isinstance(t, BinOp) and t.op == op


def _zero_product(t: Term) -> Prop | None:
    """`t = 0` for a product or power: `mul_eq_zero`, `zero_eq_mul`, `pow_eq_zero_iff`
    (its side condition `n ≠ 0` discharged by norm_num)."""
    zero = Num(0, type_of(t))
    if _is(t, "*"):
        left, right = _simp_rel("=", t.left, zero), _simp_rel("=", t.right, zero)
        return _simp_connective(Or(left, right), left, right)
    if _is(t, "^") and isinstance(t.right, Num) and t.right.value > 0:
        return _simp_rel("=", t.left, zero)
    return None


def _cancel(op: str, a: Term, b: Term) -> tuple[str, Term, Term] | None:
    """The additive cancellation simp lemmas: `add_left_inj`, `add_right_inj`,
    `add_le_add_iff_left/right`, `add_lt_add_iff_left/right`, `lt_add_iff_pos_right/left`,
    `le_add_iff_nonneg_right/left`, `self_eq_add_right/left`, `add_lt_iff_neg_left/right`,
    `add_le_iff_nonpos_left/right`, `add_right_eq_self`/`add_left_eq_self`."""
    if op in ("≥", ">"):  # notation: `a ≥ b` is `b ≤ a`
        op, a, b = ("≤" if op == "≥" else "<"), b, a
    zero = Num(0, type_of(a))
    if _is(a, "+") and _is(b, "+"):
        if a.right == b.right:
            return op, a.left, b.left
        if a.left == b.left:
            return op, a.right, b.right
    if _is(b, "+") and a in (b.left, b.right):  # a ⋈ a + c
        c = b.right if a == b.left else b.left
        return ("=", c, zero) if op == "=" else (op, zero, c)
    if _is(a, "+") and b in (a.left, a.right):  # b + c ⋈ b
        c = a.right if b == a.left else a.left
        return op, c, zero
    return None


def _uncast(a: Term, b: Term) -> tuple[Term, Term] | None:
    """Both sides without their casts when simp's elim lemmas apply: `↑x op ↑y` from one
    source type, or, from ℕ, `↑x op n` with a numeral n (`Nat.cast_le_ofNat`, ...)."""
    if isinstance(a, Cast) and isinstance(b, Cast) and type_of(a.arg) == type_of(b.arg):
        return a.arg, b.arg
    for x, y, flip in ((a, b, False), (b, a, True)):
        if isinstance(x, Cast) and type_of(x.arg) == NAT and isinstance(y, Num):
            pair = (x.arg, Num(y.value, NAT))
            return pair[::-1] if flip else pair
    return None


def _simp_not(p: Prop) -> Prop:
    if isinstance(p, Truth):
        return Truth(not p.value)
    if isinstance(p, Not):  # not_not
        return p.arg
    if isinstance(p, Rel) and p.op in NEGATED:  # not_le, not_lt
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
        p = body if isinstance(body, Truth) else type(p)(p.var, body, p.ty)
    if isinstance(p, Not) and isinstance(facts.get(p.arg), bool):  # `¬a = b` against h : a ≠ b
        return Truth(not facts[p.arg])
    if p in facts:
        v = facts[p]
        return Truth(v) if isinstance(v, bool) else simp_prop(v, {}, {})  # once, as for terms
    return p


def _outside_binder(var: str, rewrites: Rewrites, facts: Facts) -> tuple[Rewrites, Facts]:
    """The rewrites and facts that do not mention `var` (a binder shadows it)."""
    rw = {k: v for k, v in rewrites.items() if var not in term_vars(k) | term_vars(v)}
    return rw, {k: v for k, v in facts.items()
                if var not in free_vars(k) and (isinstance(v, bool) or var not in free_vars(v))}
