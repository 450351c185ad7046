"""Elaboration of proof terms (after exact/apply/have/specialize/obtain/rw).

A proof term is checked by computing the proposition it proves: a hypothesis
or lemma gives its statement, application is ∀-elimination or modus ponens,
`⟨a, b⟩` introduces ∧/∃/↔, projections eliminate ∧/↔. Implicit lemma
arguments are metavariables solved by first-order unification; arguments
whose type is needed first (`⟨..⟩`, `by tac`, `_`) are checked last.
"""
from __future__ import annotations

from lean_env.micro.binop import resolve_prop, resolve_term  # noqa: F401  (re-exported)
from lean_env.micro.goals import Goal, TacticError
from lean_env.micro.lemmas import get_lemma, lemma_types
from lean_env.micro.printer import format_prop, format_term
from lean_env.micro.proof_terms import show_pexpr
from lean_env.micro.syntax import (
    NAT, NUM_TYPES, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, MVar, Neg, Not, Num, Or,
    PMVar, PVar, Rel, Truth, Var, nat_succ, subst, type_of,
)
from lean_env.micro.tactic_parser import (
    PAnon, PApp, PBy, PHole, PName, PProj, PSection, PTerm,
)
from lean_env.micro.unify import canon, defeq, has_mvars, has_mvars_term, instantiate, match

FALSE = Truth(False)


# ---- names ----------------------------------------------------------------------


def unfold(p):
    """`¬a` and `a ≠ b` are functions into False, as Lean's whnf sees them."""
    if isinstance(p, Not):
        return Imp(p.arg, FALSE)
    if isinstance(p, Rel) and p.op == "≠":
        return Imp(Rel("=", p.left, p.right), FALSE)
    return p


# ---- the elaborator ---------------------------------------------------------------


class Elaborator:
    """Checks proof terms in the context of one goal.

    `prove` runs a `by` block: prove(goal, tactic) raises TacticError unless the
    tactic closes the goal. With `holes`, `_` arguments become new goals (apply).
    """

    def __init__(self, goal: Goal, prove=None, holes: bool = False):
        self.goal = goal
        self.acc = goal.accessible()
        self.sub: dict = {}
        self.fresh = 0
        self.prove = prove
        self.allow_holes = holes
        self.new_goals: list = []  # (tag, Prop) from `_` holes
        self._names = None

    # ---- printing ----
    def show(self, p) -> str:
        if self._names is None:
            self._names = self.goal.display_names()
        return format_prop(instantiate(p, self.sub), self._names)

    def mismatch(self, e, got, want) -> TacticError:
        return TacticError(f"type mismatch\n  {show_pexpr(e)}\nhas type\n  {self.show(got)} : Prop\n"
                           f"but is expected to have type\n  {self.show(want)} : Prop")

    # ---- heads ----
    def head(self, name: str, args=(), want=None):
        """(type, binder names) of a hypothesis or lemma, with projections; a
        polymorphic lemma at the type its arguments or `want` give it."""
        h = self.acc.get(name)
        if h is not None:
            if h.is_var:
                raise TacticError(f"type mismatch: '{name}' is not a proof")
            return h.type, ()
        lem = self.lemma(name, args, want)
        if lem is not None:
            return self.instantiate_lemma(lem)
        parts = name.split(".")
        for k in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:k])
            if prefix in self.acc or get_lemma(prefix) is not None:
                ty, _ = self.head(prefix, args, want)
                for field in parts[k:]:
                    ty = self.project(ty, field, name)
                return ty, ()
        raise TacticError(f"unknown identifier '{name}'")

    def lemma(self, name: str, args, want):
        """The lemma `name`, a polymorphic one instantiated (Lean: α is a metavariable
        fixed by the first argument whose type is known, else by the expected type,
        else stuck; stuck here takes the first listed instance, ℕ where it has one)."""
        types = lemma_types(name)
        if not types:
            return get_lemma(name)
        # (a cast lemma's arguments are of its source type: α comes from the expected type)
        ty = next((t for t in map(self.arg_type, args) if t in types), None) or _rel_type(want)
        if ty is None and NAT in types and any(isinstance(a, PTerm) for a in args):
            ty = NAT  # a numeral argument: OfNat's default instance ℕ (`Eq.refl 2`)
        if ty is None and args:
            raise TacticError(f"typeclass instance problem is stuck, it is often due to "
                              f"metavariables\n  the type of '{name}'")
        if ty is None:
            # a bare name (`rw [mul_comm]`): Lean's rewrite fixes α by unification with
            # the goal; the goal's type picks that instance here (each is a true lemma)
            ty = _rel_type(self.goal.target)
        lem = get_lemma(name, ty)
        if lem is None:
            raise TacticError(f"failed to synthesize the instances of '{name}' at type {ty}")
        return lem

    def arg_type(self, arg) -> str | None:
        """The type an argument fixes: a term's own type, a proof's first relation's."""
        try:
            if isinstance(arg, PName) and arg.name in self.acc and self.acc[arg.name].is_var:
                ty = self.acc[arg.name].type
                return ty if ty in NUM_TYPES else None
            if isinstance(arg, PTerm):
                return type_of(resolve_term(arg.term, self.acc)) if _fixes_type(arg.term) else None
            if isinstance(arg, (PName, PApp, PProj)):
                return _rel_type(instantiate(self.infer(arg), self.sub))
        except TacticError:
            return None
        return None

    def instantiate_lemma(self, lem):
        self.fresh += 1
        k = self.fresh
        pmap: dict = {}
        body = lem.conclusion
        for name, typ in reversed(lem.explicit):
            body = Forall(name, body, typ) if typ in NUM_TYPES else Imp(typ, body)
        for name, typ in lem.implicit:
            if typ in NUM_TYPES:
                body = subst(body, name, MVar(f"{name}_{k}", typ))
            else:
                pmap[name] = PMVar(f"{name}_{k}")
        if pmap:
            body = _subst_pvars(body, pmap)
        return body, tuple(n for n, _ in lem.explicit)

    def project(self, ty, field: str, what: str):
        ty = instantiate(ty, self.sub)
        if isinstance(ty, And) and field in ("1", "left"):
            return ty.left
        if isinstance(ty, And) and field in ("2", "right"):
            return ty.right
        if isinstance(ty, Iff) and field in ("1", "mp"):
            return Imp(ty.left, ty.right)
        if isinstance(ty, Iff) and field in ("2", "mpr"):
            return Imp(ty.right, ty.left)
        if field == "symm":
            if isinstance(ty, Iff):
                return Iff(ty.right, ty.left)
            if isinstance(ty, Rel) and ty.op in ("=", "≠"):
                return Rel(ty.op, ty.right, ty.left)
            if isinstance(ty, And):
                return And(ty.right, ty.left)
            if isinstance(ty, Or):
                return Or(ty.right, ty.left)
        if field == "le" and isinstance(ty, Rel) and ty.op == "<":  # LT.lt.le
            return Rel("≤", ty.left, ty.right)
        if field == "le" and isinstance(ty, Rel) and ty.op in (">", "≥"):
            # `a > b` unfolds to `b < a` (LT.lt.le); GE.ge.le: `a ≥ b → b ≤ a`
            return Rel("≤", ty.right, ty.left)
        if field == "lt" and isinstance(ty, Rel) and ty.op == ">":  # GT.gt.lt
            return Rel("<", ty.right, ty.left)
        if field in ("ne", "ne'") and isinstance(ty, Rel) and ty.op == "<":  # LT.lt.ne, .ne'
            return Rel("≠", ty.left, ty.right) if field == "ne" else Rel("≠", ty.right, ty.left)
        raise TacticError(f"invalid field notation '{field}' in '{what}': "
                          f"type is not of the right form\n  {self.show(ty)}")

    # ---- terms of type ℕ ----
    def term_arg(self, e, ty: str = NAT):
        """An argument for a binder of type `ty` (coerced up to it as Lean's `↑`)."""
        if isinstance(e, PTerm):
            return resolve_term(e.term, self.acc, expected=ty)
        if isinstance(e, PName):
            return resolve_term(Var(e.name), self.acc, expected=ty)
        if isinstance(e, PHole):
            self.fresh += 1
            return MVar(f"_{self.fresh}", ty)
        if isinstance(e, PApp) and e.fn == PName("Nat.succ") and len(e.args) == 1 and ty == NAT:
            return nat_succ(self.term_arg(e.args[0]))
        raise TacticError(f"type mismatch: '{show_pexpr(e)}' is not a term of type {ty}")

    # ---- proofs ----
    def infer(self, e):
        """The proposition `e` proves (possibly with unsolved metavariables)."""
        if isinstance(e, (PName, PApp)):
            ty, _, postponed = self.spine(e)
            self.finish(postponed)
            return ty
        if isinstance(e, PProj):
            return self.project(self.infer(e.expr), e.field, show_pexpr(e))
        if isinstance(e, PAnon):
            raise TacticError("invalid constructor ⟨...⟩, expected type must be known")
        if isinstance(e, PBy):
            raise TacticError("cannot elaborate `by` block: expected type must be known")
        if isinstance(e, PHole):
            raise TacticError("don't know how to synthesize placeholder")
        raise TacticError(f"type mismatch: '{show_pexpr(e)}' is a term of type ℕ, not a proof")

    def spine(self, e, want=None):
        """Apply a head to its arguments; (type, remaining binder names, postponed)."""
        fn, args = (e.fn, e.args) if isinstance(e, PApp) else (e, ())
        if isinstance(fn, PName) and fn.name == "congrArg":
            return self.congr_arg(args), (), []
        if isinstance(fn, PName) and fn.name in _NEEDS_EXPECTED:
            raise TacticError(f"'{fn.name}' needs an expected type")
        if isinstance(fn, PName):
            ty, names = self.head(fn.name, args, want)
        else:
            ty, names = self.infer(fn), ()
        postponed = []
        for i, arg in enumerate(args):
            ty = unfold(instantiate(ty, self.sub) if isinstance(ty, PMVar) else ty)
            if isinstance(ty, Forall):
                ty = subst(ty.body, ty.var, self.term_arg(arg, ty.ty))
            elif isinstance(ty, Imp):
                if isinstance(arg, (PAnon, PBy, PHole)) or (
                        isinstance(arg, PName) and arg.name in _NEEDS_EXPECTED):  # `Or.inl rfl`
                    postponed.append((arg, ty.left, names[i] if i < len(names) else "a"))
                else:
                    got = self.infer(arg)
                    m = match(ty.left, got, self.sub)
                    if m is None:
                        raise self.mismatch(arg, got, ty.left)
                    self.sub = m
                ty = ty.right
            else:
                raise TacticError(f"function expected\n  {show_pexpr(e)}\nterm has type\n  "
                                  f"{self.show(ty)}")
        return ty, names[len(args):], postponed

    def finish(self, postponed) -> None:
        for arg, want, tag in postponed:
            want = instantiate(want, self.sub)
            if has_mvars(want):
                raise TacticError("don't know how to synthesize implicit argument")
            self.check(arg, want, tag)

    def check(self, e, want, tag: str = "") -> None:
        """Check that `e` proves `want` (no metavariables in `want` unless `e` is applied)."""
        if isinstance(e, PAnon):
            return self.constructor(e.items, want)
        if isinstance(e, PBy):
            if self.prove is None:
                raise TacticError("`by` blocks are not allowed here")
            return self.prove(self.goal.with_target(want, ""), e.tactic)
        if isinstance(e, PHole):
            if not self.allow_holes:
                raise TacticError(f"don't know how to synthesize placeholder\n  {self.show(want)}")
            self.new_goals.append((tag, want))
            return
        if isinstance(e, PName) and e.name in _NEEDS_EXPECTED:
            return self.check_special(e.name, want)
        if isinstance(e, (PName, PApp)):
            ty, _, postponed = self.spine(e, want)
            m = match(ty, want, self.sub)
            if m is None:
                raise self.mismatch(e, ty, want)
            self.sub = m
            self.finish(postponed)
            return
        got = self.infer(e)
        m = match(got, want, self.sub)
        if m is None:
            raise self.mismatch(e, got, want)
        self.sub = m

    def check_special(self, name: str, want) -> None:
        want = instantiate(want, self.sub)
        if name == "rfl" and isinstance(want, Rel) and want.op == "=":
            c = canon(want)
            if c.left == c.right:
                return
            raise TacticError(f"type mismatch\n  rfl\nhas type\n  {format_term(want.left)} = "
                              f"{format_term(want.left)} : Prop\nbut is expected to have type\n"
                              f"  {self.show(want)} : Prop")
        if name == "Iff.rfl" and isinstance(want, Iff) and defeq(want.left, want.right):
            return
        if name in ("trivial", "True.intro") and want == Truth(True):
            return
        raise TacticError(f"type mismatch\n  {name}\nis expected to have type\n  {self.show(want)} : Prop")

    def constructor(self, items, want) -> None:
        want = instantiate(want, self.sub)
        if not items:
            if want == Truth(True):
                return
            raise TacticError(f"invalid constructor ⟨...⟩, insufficient number of arguments for\n  "
                              f"{self.show(want)}")
        rest = items[1:]
        if isinstance(want, (And, Iff, Exists)) and not rest:
            raise TacticError(f"invalid constructor ⟨...⟩, insufficient number of arguments, "
                              f"expected type\n  {self.show(want)}")
        tail = (lambda p: self.check(rest[0], p)) if len(rest) == 1 else (
            lambda p: self.constructor(rest, p))
        if isinstance(want, And):
            self.check(items[0], want.left)
            return tail(want.right)
        if isinstance(want, Iff):
            self.check(items[0], Imp(want.left, want.right))
            return tail(Imp(want.right, want.left))
        if isinstance(want, Exists):
            witness = self.term_arg(items[0], want.ty)
            if has_mvars_term(witness):
                raise TacticError("don't know how to synthesize placeholder for the witness")
            return tail(subst(want.body, want.var, witness))
        if len(items) == 1:
            return self.check(items[0], want)
        raise TacticError(f"invalid constructor ⟨...⟩, expected type must be an inductive type \n  "
                          f"{self.show(want)}")

    def congr_arg(self, args):
        if len(args) != 2:
            raise TacticError("congrArg expects a function and an equality")
        f, h = args
        eq = unfold(instantiate(self.infer(h), self.sub))
        if not (isinstance(eq, Rel) and eq.op == "="):
            raise TacticError(f"congrArg: '{show_pexpr(h)}' is not an equality")
        if isinstance(f, PName) and f.name == "Nat.succ":
            return Rel("=", nat_succ(eq.left), nat_succ(eq.right))
        if isinstance(f, PSection):
            other = resolve_term(f.other, self.acc)
            def app(x):
                return BinOp(f.op, x, other) if f.hole_left else BinOp(f.op, other, x)
            return Rel("=", app(eq.left), app(eq.right))
        raise TacticError("congrArg: the function must be `Nat.succ` or a section `(· + c)`")

    # ---- entry points ----
    def result(self, ty):
        ty = instantiate(ty, self.sub)
        if has_mvars(ty):
            raise TacticError("don't know how to synthesize implicit argument")
        return ty


_NEEDS_EXPECTED = ("rfl", "trivial", "True.intro", "Iff.rfl")


def _rel_type(p) -> str | None:
    """The type of the first relation of a proposition (reading order), if any."""
    if isinstance(p, Rel):
        return type_of(p.left)
    if isinstance(p, Not):
        return _rel_type(p.arg)
    if isinstance(p, (And, Or, Imp, Iff)):
        return _rel_type(p.left) or _rel_type(p.right)
    if isinstance(p, (Forall, Exists)):
        return _rel_type(p.body)
    return None


def _fixes_type(t) -> bool:
    """Whether a raw term's type is fixed by its own leaves (not only numerals)."""
    if isinstance(t, (Var, Cast)):
        return True
    if isinstance(t, BinOp):
        return _fixes_type(t.left) or (t.op != "^" and _fixes_type(t.right))
    if isinstance(t, (Neg, Inv, Abs)):
        return _fixes_type(t.arg)
    return False


def _subst_pvars(p, pmap: dict):
    if isinstance(p, PVar):
        return pmap.get(p.name, p)
    if isinstance(p, Not):
        return Not(_subst_pvars(p.arg, pmap))
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(_subst_pvars(p.left, pmap), _subst_pvars(p.right, pmap))
    if isinstance(p, (Forall, Exists)):
        return type(p)(p.var, _subst_pvars(p.body, pmap), p.ty)
    return p


def prop_of(goal: Goal, e, prove=None):
    """The proposition proved by proof term `e` in `goal` (no metavariables)."""
    el = Elaborator(goal, prove)
    return el.result(el.infer(e))


def check_proof(goal: Goal, e, want, prove=None) -> None:
    el = Elaborator(goal, prove)
    el.check(e, want)


__all__ = ["Elaborator", "check_proof", "prop_of", "resolve_prop", "resolve_term", "unfold",
           "canon", "Num", "Or", "Exists"]
