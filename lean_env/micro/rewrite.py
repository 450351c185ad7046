"""`rw` and `simp only`: rewriting with equations and iffs.

`rw` follows Lean's `kabstract`: the first instance of the left-hand side in
pre-order, left to right, fixes the metavariables; then every occurrence of
that instance is replaced. Subterms mentioning a bound variable are never
rewritten (Lean's "motive is not type correct" cases are simply not found).
`simp only` rewrites bottom-up to a fixpoint, evaluates closed arithmetic and
closes `a = a`; a permutation lemma (`Nat.add_comm`) rewrites only when the
result is smaller in a fixed term order, so it cannot loop.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lean_env.micro.goals import TacticError
from lean_env.micro.syntax import (
    NAT, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, MVar, Neg, Not, Num, Or, PMVar, Rel,
    Succ, Truth, Var, rebuild, term_vars, free_vars,
)

UNARY = (Neg, Cast, Inv, Abs)
from lean_env.micro.unify import eval_closed, has_mvars, has_mvars_term, instantiate, instantiate_term, unify, unify_term

TRUE, FALSE = Truth(True), Truth(False)


@dataclass(frozen=True)
class Rule:
    lhs: object  # a term or a proposition, with metavariables
    rhs: object
    is_prop: bool  # an iff (rewrites propositions) rather than an equation

    @property
    def perm(self) -> bool:
        return _shape(self.lhs) == _shape(self.rhs)


def _shape(x):
    """`x` with metavariables renamed in order of occurrence (to detect permutations)."""
    seen: dict = {}

    def go(t):
        if isinstance(t, MVar):
            return MVar(seen.setdefault(t.name, f"#{len(seen)}"))
        if isinstance(t, BinOp):
            return BinOp(t.op, go(t.left), go(t.right))
        return t
    return go(x) if not isinstance(x, (Rel,)) else Rel(x.op, go(x.left), go(x.right))


def make_rule(prop, reverse: bool) -> Rule:
    """A rewrite rule from the (metavariable-instantiated) type of a rule term."""
    if isinstance(prop, Rel) and prop.op == "=":
        lhs, rhs, is_prop = prop.left, prop.right, False
    elif isinstance(prop, Iff):
        lhs, rhs, is_prop = prop.left, prop.right, True
    else:
        raise TacticError("equality or iff proof expected")
    if reverse:
        lhs, rhs = rhs, lhs
    if isinstance(lhs, (MVar, PMVar)):
        raise TacticError("motive is not type correct: the pattern is a metavariable")
    return Rule(lhs, rhs, is_prop)


# ---- rw ---------------------------------------------------------------------------


def rewrite_once(p, rule: Rule):
    """Rewrite every instance of the first match of rule.lhs in `p`; (new, sub) or None."""
    found = _find_prop(p, rule, frozenset()) if rule.is_prop else _find_in_prop_terms(p, rule, frozenset())
    if found is None:
        return None
    inst = instantiate(rule.lhs, found) if rule.is_prop else instantiate_term(rule.lhs, found)
    rhs = instantiate(rule.rhs, found) if rule.is_prop else instantiate_term(rule.rhs, found)
    return _replace_prop(p, inst, rhs, rule.is_prop, frozenset()), found


def _first(a, b):
    """The first search result that is not None (an empty substitution counts)."""
    found = a()
    return found if found is not None else b()


def _same_head(pat, t) -> bool:
    """kabstract only tries subterms whose head symbol is the pattern's: `?n + 1`
    (HAdd.hAdd) is never tried against the literal `3` (OfNat.ofNat)."""
    if isinstance(pat, MVar):
        return True
    if isinstance(pat, BinOp):  # `Nat.succ` (its own head) is not `HAdd.hAdd`
        return isinstance(t, BinOp) and t.op == pat.op and (type(t) is Succ) == (type(pat) is Succ)
    return type(pat) is type(t)


def _find_term(t, rule: Rule, bound):
    if _same_head(rule.lhs, t) and not (bound and term_vars(t) & bound):
        sub: dict = {}
        if unify_term(rule.lhs, t, sub):
            return sub
    if isinstance(t, BinOp):
        return _first(lambda: _find_term(t.left, rule, bound), lambda: _find_term(t.right, rule, bound))
    if isinstance(t, UNARY):
        return _find_term(t.arg, rule, bound)
    return None


def _find_in_prop_terms(p, rule, bound):
    if isinstance(p, Rel):
        return _first(lambda: _find_term(p.left, rule, bound), lambda: _find_term(p.right, rule, bound))
    if isinstance(p, Not):
        return _find_in_prop_terms(p.arg, rule, bound)
    if isinstance(p, (And, Or, Imp, Iff)):
        return _first(lambda: _find_in_prop_terms(p.left, rule, bound),
                      lambda: _find_in_prop_terms(p.right, rule, bound))
    if isinstance(p, (Forall, Exists)):
        return _find_in_prop_terms(p.body, rule, bound | {p.var})
    return None


def _find_prop(p, rule, bound):
    if not (bound and free_vars(p) & bound):
        sub: dict = {}
        if unify(rule.lhs, p, sub):
            return sub
    if isinstance(p, Not):
        return _find_prop(p.arg, rule, bound)
    if isinstance(p, (And, Or, Imp, Iff)):
        return _first(lambda: _find_prop(p.left, rule, bound), lambda: _find_prop(p.right, rule, bound))
    if isinstance(p, (Forall, Exists)):
        return _find_prop(p.body, rule, bound | {p.var})
    return None


def _succ_blind(t):
    """`t` with every `Nat.succ e` as `e + 1`: kabstract replaces each subterm with the
    pattern's head that is defeq to the instance, and these two are."""
    if isinstance(t, BinOp):
        return BinOp(t.op, _succ_blind(t.left), _succ_blind(t.right))
    if isinstance(t, UNARY):
        return _rebuild(t, _succ_blind(t.arg))
    return t


def _instance_of(t, old) -> bool:
    return t == old or (_same_head(old, t) and _succ_blind(t) == _succ_blind(old))


def _replace_term(t, old, new, bound):
    if _instance_of(t, old) and not (bound and term_vars(t) & bound):
        return new
    if isinstance(t, BinOp):
        return rebuild(t, _replace_term(t.left, old, new, bound), _replace_term(t.right, old, new, bound))
    if isinstance(t, UNARY):
        return _rebuild(t, _replace_term(t.arg, old, new, bound))
    return t


def _rebuild(t, arg):
    """The unary node `t` (Neg, Cast, Inv, Abs) over a new argument."""
    if arg is t.arg:
        return t
    return Cast(t.ty, arg) if isinstance(t, Cast) else type(t)(arg)


def _replace_prop(p, old, new, is_prop: bool, bound):
    if is_prop and p == old and not (bound and free_vars(p) & bound):
        return new
    if isinstance(p, Rel):
        if is_prop:
            return p
        return Rel(p.op, _replace_term(p.left, old, new, bound), _replace_term(p.right, old, new, bound))
    if isinstance(p, Not):
        return Not(_replace_prop(p.arg, old, new, is_prop, bound))
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(_replace_prop(p.left, old, new, is_prop, bound),
                       _replace_prop(p.right, old, new, is_prop, bound))
    if isinstance(p, (Forall, Exists)):
        inner = bound | {p.var}
        if p.var in (free_vars(new) if is_prop else term_vars(new)):
            return p  # would capture: leave this binder alone
        return type(p)(p.var, _replace_prop(p.body, old, new, is_prop, inner), p.ty)
    return p


# ---- simp only -------------------------------------------------------------------


def _order_key(t) -> tuple:
    """A total order on terms with atoms before compound terms, so that comm,
    assoc and left_comm together normalize (as Lean's ordered rewriting does)."""
    if isinstance(t, Num):
        return (0, f"{t.value:020d}", (), ())
    if isinstance(t, Var):
        return (1, t.name, (), ())
    if isinstance(t, BinOp):
        return (2, t.op, _order_key(t.left), _order_key(t.right))
    return (3, repr(t), (), ())


class _Fuel:
    """Bounds the rewrite steps of one simp call (a rule set may still loop)."""

    def __init__(self, steps: int = 2000):
        self.steps = steps

    def spend(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise TacticError("simp failed, maximum number of steps exceeded")


def _apply_rules_term(t, rules) -> object:
    for rule in rules:
        if rule.is_prop:
            continue
        sub: dict = {}
        if unify_term(rule.lhs, t, sub):
            new = instantiate_term(rule.rhs, sub)
            if has_mvars_term(new) or new == t:
                continue
            if rule.perm and not _order_key(new) < _order_key(t):
                continue
            return new
    return None


def simp_term(t, rules, fuel: _Fuel):
    if isinstance(t, BinOp):
        left, right = simp_term(t.left, rules, fuel), simp_term(t.right, rules, fuel)
        # ℕ literals only (`Nat.reduce*` simprocs): ℕ semantics on `(0 : ℚ) - 2` is unsound
        if isinstance(left, Num) and isinstance(right, Num) and left.ty == NAT == right.ty:
            v = eval_closed(t.op, left.value, right.value)
            if v is not None:
                return Num(v)
        t = BinOp(t.op, left, right) if (left is not t.left or right is not t.right) else t
    elif isinstance(t, UNARY):
        t = _rebuild(t, simp_term(t.arg, rules, fuel))
    for _ in range(32):
        new = _apply_rules_term(t, rules)
        if new is None:
            return t
        fuel.spend()
        t = simp_term(new, rules, fuel) if isinstance(new, (BinOp,) + UNARY) else new
    return t


_COMPARE = {"=": lambda a, b: a == b, "≠": lambda a, b: a != b, "≤": lambda a, b: a <= b,
            "<": lambda a, b: a < b, "≥": lambda a, b: a >= b, ">": lambda a, b: a > b,
            "∣": lambda a, b: (b % a == 0) if a else b == 0}


def simp_prop(p, rules, facts: dict, fuel: _Fuel, full: bool = True):
    """One bottom-up simp pass; `facts` maps a proposition to True/False (from hyps).

    Every simp closes `a = a` (`eq_self`), `p ↔ p` (`iff_self`) and decides ℕ literal
    comparisons (core's `Nat.reduce*` simprocs, on in `simp only` too). Only the full simp
    set (`full`) has `le_refl` and the normal form `ne_eq`, `ge_iff_le`, `gt_iff_lt`,
    `not_lt`, `not_le`."""
    if isinstance(p, Rel):
        left, right = simp_term(p.left, rules, fuel), simp_term(p.right, rules, fuel)
        p = Rel(p.op, left, right)
        if isinstance(left, Num) and isinstance(right, Num):
            return TRUE if _COMPARE[p.op](left.value, right.value) else FALSE
        if left == right and (p.op == "=" or full and p.op in ("≤", "≥")):
            return TRUE
        if full:
            p = _normal_rel(p)
    elif isinstance(p, Not):
        arg = simp_prop(p.arg, rules, facts, fuel, full)
        if isinstance(arg, Truth):
            return Truth(not arg.value)
        p = Not(arg)
        if full and isinstance(arg, Rel) and arg.op in ("<", "≤"):
            # not_lt : ¬a < b ↔ b ≤ a, not_le : ¬a ≤ b ↔ b < a
            p = Rel("≤" if arg.op == "<" else "<", arg.right, arg.left)
    elif isinstance(p, (And, Or, Imp, Iff)):
        p = type(p)(simp_prop(p.left, rules, facts, fuel, full), simp_prop(p.right, rules, facts, fuel, full))
        if isinstance(p, Iff) and p.left == p.right:
            return TRUE
    elif isinstance(p, (Forall, Exists)):
        inner = [r for r in rules if not (free_vars_of_rule(r) & {p.var})]
        p = type(p)(p.var, simp_prop(p.body, inner, {}, fuel, full), p.ty)
    if p in facts:
        return Truth(facts[p])
    for rule in rules:
        if not rule.is_prop:
            continue
        sub: dict = {}
        if unify(rule.lhs, p, sub):
            new = instantiate(rule.rhs, sub)
            if not has_mvars(new) and new != p:
                fuel.spend()
                return simp_prop(new, rules, facts, fuel, full)
    return p


def _normal_rel(p: Rel):
    """Mathlib's simp normal form: `ge_iff_le`, `gt_iff_lt`, `ne_eq`."""
    if p.op == "≥":
        return Rel("≤", p.right, p.left)
    if p.op == ">":
        return Rel("<", p.right, p.left)
    if p.op == "≠":
        return Not(Rel("=", p.left, p.right))
    return p


def free_vars_of_rule(rule: Rule) -> set:
    if rule.is_prop:
        return free_vars(rule.lhs) | free_vars(rule.rhs)
    return term_vars(rule.lhs) | term_vars(rule.rhs)


def simp_fix(p, rules, facts, full: bool = True):
    """Simp to a fixpoint; `full`: the default simp set is on (`simp`, not `simp only`)."""
    fuel = _Fuel()
    for _ in range(16):
        new = simp_prop(p, rules, facts, fuel, full)
        if new == p:
            return p
        p = new
    return p


# ---- the default simp set (a small part of Lean's, so `simp` stays weaker) ----

_DEFAULT_EQS = ["Nat.add_zero", "Nat.zero_add", "Nat.mul_one", "Nat.one_mul", "Nat.mul_zero",
                "Nat.zero_mul", "Nat.pow_zero", "Nat.pow_one", "Nat.sub_self", "Nat.sub_zero",
                "Nat.add_sub_cancel"]


def _logic_rules() -> list[Rule]:
    a = PMVar("a")
    pairs = [(And(a, TRUE), a), (And(TRUE, a), a), (And(a, FALSE), FALSE), (And(FALSE, a), FALSE),
             (Or(a, TRUE), TRUE), (Or(TRUE, a), TRUE), (Or(a, FALSE), a), (Or(FALSE, a), a),
             (Imp(a, TRUE), TRUE), (Imp(TRUE, a), a), (Imp(FALSE, a), TRUE), (Not(TRUE), FALSE),
             (Not(FALSE), TRUE), (Not(Not(a)), a), (And(a, a), a), (Or(a, a), a), (Iff(a, TRUE), a),
             (Iff(TRUE, a), a)]
    return [Rule(lhs, rhs, True) for lhs, rhs in pairs]


@lru_cache(maxsize=1)
def default_simp_rules() -> tuple[Rule, ...]:
    """`simp`'s lemmas here: the ℕ identities above and the logic of True/False."""
    from lean_env.micro.lemmas import get_lemma
    from lean_env.micro.syntax import subst

    rules = []
    for name in _DEFAULT_EQS:
        lem = get_lemma(name)
        body = lem.conclusion
        while isinstance(body, Forall):
            body = body.body
        for var in [n for n, _ in lem.implicit] + [n for n, _ in lem.explicit] + _bound_names(lem.conclusion):
            body = subst(body, var, MVar(f"{var}_s"))
        rules.append(make_rule(body, False))
    return tuple(rules + _logic_rules())


def _bound_names(p) -> list[str]:
    out = []
    while isinstance(p, Forall):
        out.append(p.var)
        p = p.body
    return out
