"""Lean's `binop%` / `binrel%` elaborator for the arithmetic fragment (ℕ ℤ ℚ ℝ).

Models lean4 `src/Lean/Elab/Extra.lean`: the operators `+ - * / %` and prefix `-`
(`unop%`) form one tree; its leaves are elaborated on their own, the "maximal"
type of the leaves (and of the expected type, if known) is the tree's type, and
`↑` is inserted at each leaf of a smaller type. A numeral has no type of its own:
it takes the tree's type, or ℕ (the default instance) when nothing fixes it.
`x ^ n` is `rightact%`: only `x` belongs to the tree, `n` is elaborated alone
(so `(n : ℝ) ^ (1 / 3)` has exponent `1 / 3 : ℕ`). Relations `= ≠ < ≤ > ≥`
are `binrel%`: both sides form one tree. `a ∣ b` is a plain application
(`Dvd.dvd`): `b` is elaborated against the type of `a`.

Input is the parser's raw tree: every `Var` is looked up by name, a `Num` is an
unannotated numeral, `Cast(T, e)` is the ascription `(e : T)` and
`Cast(UNKNOWN, e)` is `↑e`; a binder of type UNKNOWN (`∀ x, …`) gets the type its
uses give it, as unification would, else ℕ. Weaker than Lean: a term outside the
fragment (real powers, `∣` on fields, …) is refused with a reason.
"""
from __future__ import annotations

from typing import Callable

from lean_env.micro.goals import TacticError
from lean_env.micro.syntax import (
    INT, NAT, NUM_TYPES, RAT, REAL, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, MVar,
    Neg, Not, Num, Or, PVar, Rel, Succ, Var, free_vars, fresh_name, nat_succ, subst,
)
from lean_env.micro.syntax import type_of as _type

UNKNOWN = "?"  # the type of a raw `↑e` or of an unannotated binder, before elaboration
Lookup = Callable[[str], tuple[str, str]]  # user name -> (internal name, type)
_TREE_OPS = ("+", "-", "*", "/", "%")
_FIELDS = (RAT, REAL)


def outside(what: str) -> TacticError:
    return TacticError(f"outside the embedded fragment: uses {what}")


def larger(a: str, b: str) -> str:
    """The maximal type of two (UNKNOWN is the bottom)."""
    if a == UNKNOWN:
        return b
    if b == UNKNOWN:
        return a
    return a if NUM_TYPES.index(a) >= NUM_TYPES.index(b) else b


class BinopElaborator:
    """Elaborates one raw proposition; `guesses` holds binder types found by use."""

    def __init__(self, lookup: Lookup, guesses: dict[int, str], final: bool,
                 default_pass: bool = False):
        self.lookup = lookup
        self.guesses = guesses
        self.final = final  # last pass: unresolved binders are ℕ
        self.default_pass = default_pass  # binders take the default instances' types
        self.scope: list[tuple[str, int, str]] = []  # (name, binder id, declared type)
        self.saw_unknown = False  # met a binder whose type is still to be found
        self.defaulted = False  # building a tree whose type nothing fixed (ℕ by default)

    # ---- variables ----
    def var_type(self, name: str) -> tuple[str, str, int | None]:
        """(internal name, type, binder id if bound)."""
        for bname, bid, ty in reversed(self.scope):
            if bname == name:
                if ty == UNKNOWN:
                    self.saw_unknown = True
                    ty = self.guesses.get(bid, NAT if self.final else UNKNOWN)
                return name, ty, bid
        internal, ty = self.lookup(name)
        if ty not in NUM_TYPES:
            raise TacticError(f"type mismatch: '{name}' is not a term of type ℕ, ℤ, ℚ or ℝ")
        return internal, ty, None

    # ---- analysis: the maximal type of a tree ----
    def max_type(self, t, expected: str = UNKNOWN) -> str:
        out = expected
        for leaf in self.leaves(t):
            out = larger(out, self.leaf_type(leaf))
        return out

    def leaves(self, t):
        if isinstance(t, BinOp) and not isinstance(t, Succ):
            yield from self.leaves(t.left)
            if t.op != "^":
                yield from self.leaves(t.right)
        elif isinstance(t, Neg):
            yield from self.leaves(t.arg)
        else:
            yield t

    def leaf_type(self, t) -> str:
        if isinstance(t, Succ):
            return NAT
        if isinstance(t, Var):
            return self.var_type(t.name)[1]
        if isinstance(t, Num):
            return UNKNOWN
        if isinstance(t, MVar):
            return t.ty
        if isinstance(t, Cast):
            return t.ty
        if isinstance(t, (Inv, Abs)):
            return self.max_type(t.arg)
        raise TacticError(f"type mismatch: expected a term, got {t!r}")

    # ---- building the elaborated tree at type `ty` ----
    def term(self, t, expected: str = UNKNOWN):
        """Elaborate a whole tree (an argument, a witness, an ascription's body)."""
        ty = self.max_type(t, expected)
        if expected != UNKNOWN and ty != expected:
            raise TacticError(f"type mismatch: a term of type {ty} where {expected} is expected")
        return self.build_at(t, ty)

    def build_at(self, t, ty: str, negates: bool | None = None):
        """Build at the tree's maximal type `ty`; if it is UNKNOWN, at the default
        instance's type: ℤ when the tree negates (`Neg Int`, priority mid), else ℕ
        (`OfNat ℕ`, low). Lean applies defaults last, so binders only take them in
        the default pass."""
        if ty != UNKNOWN:
            return self.build(t, ty)
        ty = INT if (_negates(t) if negates is None else negates) else NAT
        saved, self.defaulted = self.defaulted, not (self.default_pass and ty == INT)
        try:
            return self.build(t, ty)
        finally:
            self.defaulted = saved

    def build(self, t, ty: str):
        if isinstance(t, BinOp) and not isinstance(t, Succ):
            if t.op == "^":
                return BinOp("^", self.build(t.left, ty), self.exponent(t.right))
            if t.op == "%" and ty in _FIELDS:
                raise TacticError(f"failed to synthesize HMod {ty} {ty} ?m")
            return BinOp(t.op, self.build(t.left, ty), self.build(t.right, ty))
        if isinstance(t, Neg):
            if ty == NAT:
                raise TacticError("failed to synthesize Neg ℕ")
            return Neg(self.build(t.arg, ty))
        return self.leaf(t, ty)

    def exponent(self, e):
        n = self.term(e)
        et = _type(n)
        if et in _FIELDS:
            raise outside(f"a power with exponent of type {et} (Real.rpow)")
        if et == INT:
            raise outside("a power with exponent of type ℤ (zpow)")
        return n

    def leaf(self, t, ty: str):
        if isinstance(t, Succ):  # `Nat.succ e`: e against ℕ, then the coercion
            return coerce(nat_succ(self.term(t.left, NAT)), NAT, ty)
        if isinstance(t, Var):
            internal, vt, bid = self.var_type(t.name)
            if vt == UNKNOWN:
                if bid is not None and not self.defaulted:
                    self.guesses[bid] = ty
                vt = ty
            return coerce(Var(internal, vt), vt, ty)
        if isinstance(t, Num):
            return Num(t.value, ty)
        if isinstance(t, MVar):
            return coerce(t, t.ty, ty)
        if isinstance(t, Cast) and t.ty != UNKNOWN:
            return coerce(self.term(t.arg, t.ty), t.ty, ty)
        if isinstance(t, Cast):  # `↑e`: e alone (numerals ℕ), then the coercion
            inner = self.term(t.arg)
            return coerce(inner, _type(inner), ty)
        if isinstance(t, (Inv, Abs)):
            inner_ty = self.max_type(t.arg)
            inner_ty = ty if inner_ty == UNKNOWN else inner_ty  # `|2|` takes the outer type
            if isinstance(t, Inv) and inner_ty not in _FIELDS:
                raise TacticError(f"failed to synthesize Inv {inner_ty}")
            if isinstance(t, Abs) and inner_ty == NAT:
                raise TacticError("failed to synthesize Lattice ℕ AddGroup ℕ (|·| on ℕ)")
            return coerce(type(t)(self.build(t.arg, inner_ty)), inner_ty, ty)
        raise TacticError(f"type mismatch: expected a term, got {t!r}")

    # ---- propositions ----
    def prop(self, p):
        if isinstance(p, Rel):
            return self.rel(p)
        if isinstance(p, PVar):
            return self.prop_var(p.name)
        if isinstance(p, Not):
            return Not(self.prop(p.arg))
        if isinstance(p, (And, Or, Imp, Iff)):
            return type(p)(self.prop(p.left), self.prop(p.right))
        if isinstance(p, (Forall, Exists)):
            p = self.avoid_capture(p)
            bid = id(p)
            self.scope.append((p.var, bid, p.ty))
            try:
                body = self.prop(p.body)
            finally:
                self.scope.pop()
            ty = p.ty if p.ty != UNKNOWN else self.guesses.get(bid, NAT)
            return type(p)(p.var, body, ty)
        return p

    def prop_var(self, name: str) -> PVar:
        if any(bname == name for bname, _, _ in self.scope):
            raise TacticError(f"type mismatch: '{name}' is not a proposition")
        internal, ty = self.lookup(name)
        if ty != "Prop":
            raise TacticError(f"type mismatch: '{name}' is not a proposition")
        return PVar(internal)

    def avoid_capture(self, p):
        """A user binder named like the internal name of a free variable it encloses
        would capture it: rename the binder."""
        bound = {bname for bname, _, _ in self.scope} | {p.var}
        inner = set()
        for u in free_vars(p.body) - bound:
            try:
                inner.add(self.lookup(u)[0])
            except TacticError:
                pass
        if p.var not in inner:
            return p
        var = fresh_name(p.var, inner | free_vars(p.body) | bound)
        return type(p)(var, subst(p.body, p.var, Var(var)), p.ty)

    def rel(self, p: Rel) -> Rel:
        if p.op == "∣":
            ty = self.max_type(p.left)
            if ty == UNKNOWN:
                ty = self.max_type(p.right)
            if ty in _FIELDS:
                raise outside(f"∣ on {ty}")
            negates = _negates(p.left) or _negates(p.right)
            left = self.build_at(p.left, ty, negates)
            return Rel("∣", left, self.term(p.right, _type(left)))
        ty = larger(self.max_type(p.left), self.max_type(p.right))
        negates = _negates(p.left) or _negates(p.right)  # one type for both sides
        return Rel(p.op, self.build_at(p.left, ty, negates), self.build_at(p.right, ty, negates))


def coerce(t, have: str, want: str):
    """`t : have` at type `want`: itself, or `↑t` up the cast order."""
    if have == want or want == UNKNOWN:
        return t
    if NUM_TYPES.index(have) > NUM_TYPES.index(want):
        raise TacticError(f"type mismatch: a term of type {have} where {want} is expected "
                          f"(no coercion {have} → {want})")
    return Cast(want, t)


def _negates(t) -> bool:
    """Whether a tree (not its exponents or function arguments) has a `-x`."""
    if isinstance(t, Neg):
        return True
    if isinstance(t, BinOp) and not isinstance(t, Succ):
        return _negates(t.left) or (t.op != "^" and _negates(t.right))
    return False


def _run(fn, lookup: Lookup):
    """Run `fn(elaborator)`; with unannotated binders, again until the types their
    uses give them are stable, then with the default instances (Neg ℤ), then once
    more with ℕ for the rest."""
    guesses: dict[int, str] = {}
    el = BinopElaborator(lookup, guesses, final=False)
    result = fn(el)
    if not el.saw_unknown:
        return result
    _stabilise(fn, lookup, guesses)
    before = dict(guesses)
    try:
        fn(BinopElaborator(lookup, guesses, final=False, default_pass=True))
    except TacticError:
        pass
    if guesses != before:
        _stabilise(fn, lookup, guesses)
    return fn(BinopElaborator(lookup, guesses, final=True))


def _stabilise(fn, lookup: Lookup, guesses: dict[int, str]) -> None:
    for _ in range(3):
        before = dict(guesses)
        try:
            fn(BinopElaborator(lookup, guesses, final=False))
        except TacticError:
            return
        if guesses == before:
            return


def elab_prop(p, lookup: Lookup):
    """The elaborated proposition of a raw one."""
    return _run(lambda el: el.prop(p), lookup)


def elab_term(t, lookup: Lookup, expected: str | None = None):
    """The elaborated term of a raw one (at `expected`, if given)."""
    return _run(lambda el: el.term(t, expected or UNKNOWN), lookup)


# ---- in a goal: user names -> the goal's hypotheses ----------------------------------


def _lookup(acc: dict, bound=frozenset()):
    def look(name: str) -> tuple[str, object]:
        if name in bound:
            return name, NAT
        h = acc.get(name)
        if h is None:
            raise TacticError(f"unknown identifier '{name}'")
        return h.name, h.type
    return look


def resolve_term(t, acc: dict, bound: frozenset = frozenset(), expected: str | None = None):
    """Elaborate a parsed term in a goal's context (`acc`: user name -> hypothesis),
    at type `expected` if given."""
    return elab_term(t, _lookup(acc, bound), expected)


def resolve_prop(p, acc: dict, bound: frozenset = frozenset()):
    """Elaborate a parsed proposition in a goal's context."""
    return elab_prop(p, _lookup(acc, bound))

