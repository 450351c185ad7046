"""Fragment propositions as SMT-LIB scripts for z3, and one-shot solving.

Two readings of the same AST:
- `ExactEncoder` (alias `NatEncoder`): the full Lean 4 + Mathlib semantics of
  semantics.py, for `is_valid` and counterexamples. ℕ is Int ≥ 0 with truncated `-`;
  ℤ is Int, whose SMT-LIB `div`/`mod` are exactly `Int.ediv`/`Int.emod` (remainder in
  [0, |b|)); ℚ and ℝ are Real with `x / 0 = 0`, `0⁻¹ = 0`; casts are `to_real` (or the
  identity on Int, and ℚ → ℝ); `a ∣ b` is `∃ c, b = a * c` spelled out; `|a|` an `ite`.
  ℚ is read as ℝ: sound for validity (a formula true on ℝ is true on ℚ) except under a
  ℚ binder that is universal in the asserted formula, which is refused; a model whose
  ℚ values are irrational is no counterexample (`model_values` leaves them out).
- `OmegaEncoder`: Lean's `omega`: linear integer arithmetic in which every
  nonlinear subterm is an opaque ℕ atom and every non-arithmetic fact carries
  no information.
Scripts are built as text and parsed by z3 in one call: much cheaper than
building z3 terms through the Python API, which matters at >1,000 tactics/s.
"""
from __future__ import annotations

from fractions import Fraction

from lean_env.micro.polynomial import evaluate
from lean_env.micro.semantics import FIELDS, eval_term
from lean_env.micro.syntax import (
    INT, NAT, RAT, REAL, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, MVar, Neg, Not,
    Num, Or, Prop, PVar, Rel, Term, Truth, Var, subst, term_vars, type_of,
)

# x ^ k with a numeral k up to this is a product; beyond, an uninterpreted power.
MAX_UNFOLDED_POWER = 32
ARITH_RELS = {"=": "=", "≤": "<=", "<": "<", "≥": ">=", ">": ">"}
SORTS = {NAT: "Int", INT: "Int", RAT: "Real", REAL: "Real"}
POWER_FUNCTIONS = {NAT: "pwN", INT: "pwZ", RAT: "pwR", REAL: "pwR"}


class Unsupported(Exception):
    """A subterm or fact that this encoding cannot express."""


def has_mvar(t: Term) -> bool:
    if isinstance(t, MVar):
        return True
    if isinstance(t, BinOp):
        return has_mvar(t.left) or has_mvar(t.right)
    return isinstance(t, (Neg, Cast, Inv, Abs)) and has_mvar(t.arg)


def atom_is_nonneg(t: Term) -> bool:
    """Whether Lean's omega knows the atom `t` is ≥ 0: it does for a cast ℕ atom, a
    product and `x % y`, not for `x / y` (non-literal `y`, `Int.ofNat_ediv` leaves an ℤ
    quotient) nor for `b ^ e` with a literal base (`Int.ofNat_pow` leaves an ℤ power)."""
    if isinstance(t, BinOp) and t.op == "/":
        return False
    return not (isinstance(t, BinOp) and t.op == "^" and evaluate(t.left) is not None)


def witness_name(var: str, key: int) -> str:
    """The name of `Exists.choose h` for a hypothesis `h : ∃ var, …`: inaccessible, so
    it clashes with no name in the goal."""
    return f"{var}✝{key}"


def _join(op: str, *args: str) -> str:
    return f"({op} {' '.join(args)})"


def literal(v: int | Fraction, ty: str) -> str:
    """The SMT-LIB literal of the value `v : ty` (`(- 3)`, `(/ 1.0 3.0)`)."""
    v = Fraction(v)
    if ty in FIELDS:
        text = f"{abs(v.numerator)}.0" if v.denominator == 1 else \
            f"(/ {abs(v.numerator)}.0 {v.denominator}.0)"
    else:
        text = str(abs(v.numerator))
    return f"(- {text})" if v < 0 else text


def _power_facts(pw: str, a: str, e: str, ty: str) -> list[str]:
    """True facts about `pw = a ^ e : ty`, for an otherwise uninterpreted power."""
    zero, one = literal(0, ty), literal(1, ty)
    facts = [f"(=> (= {e} 0) (= {pw} {one}))", f"(=> (= {a} {one}) (= {pw} {one}))",
             f"(=> (= {e} 1) (= {pw} {a}))", f"(=> (and (= {a} {zero}) (> {e} 0)) (= {pw} {zero}))"]
    if ty == NAT:
        facts += [f"(>= {pw} 0)", f"(=> (and (>= {a} 1) (>= {e} 1)) (>= {pw} {a}))",
                  f"(=> (>= {a} 2) (> {pw} {e}))"]
    return facts


class ExactEncoder:
    """The semantics of semantics.py. `exact` turns False when a power had to be left
    uninterpreted (then `unsat` still means valid, but a model may be spurious)."""

    def __init__(self) -> None:
        self.decls: list[str] = []
        self.facts: list[str] = []
        self.symbols: dict[str, str] = {}  # free source name -> SMT symbol
        self.sorts: dict[str, str] = {}  # free source name -> a NUM_TYPES type or "Prop"
        self.exact = True
        self._count = 0
        self._functions: set[str] = set()
        self.rat_binders = False  # whether a ℚ binder was read as ℝ

    # ---- symbols ----
    def _fresh(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def free(self, name: str, ty: str) -> str:
        """The SMT symbol of the free variable `name : ty` (ty a type or "Prop")."""
        sym = self.symbols.get(name)
        if sym is not None:
            if self.sorts[name] != ty:
                raise Unsupported(f"{name} used at two types")
            return sym
        sym = self.symbols[name] = self._fresh("v")
        self.sorts[name] = ty
        self.decls.append(f"(declare-const {sym} {SORTS.get(ty, 'Bool')})")
        if ty == NAT:
            self.facts.append(f"(>= {sym} 0)")
        return sym

    def script(self, asserts: list[str]) -> str:
        body = "".join(f"(assert {a})" for a in self.facts + asserts)
        return "".join(self.decls) + body

    # ---- terms ----
    def term(self, t: Term, env: dict[str, str]) -> str:
        if isinstance(t, Var):
            return env.get(t.name) or self.free(t.name, t.ty)
        if isinstance(t, Num):
            return literal(t.value, t.ty)
        if isinstance(t, MVar) or has_mvar(t):
            raise Unsupported("metavariable")
        if not term_vars(t):
            value = eval_term(t)
            if value is not None:
                return literal(value, type_of(t))
        if isinstance(t, BinOp):
            return self.binop(t, env)
        if isinstance(t, Cast):
            return self.cast(t, env)
        return self.unary(t, env)

    def binop(self, t: BinOp, env: dict[str, str]) -> str:
        ty = type_of(t.left)
        a = self.term(t.left, env)
        if t.op == "^":
            return self.power(t, a, env)
        b = self.term(t.right, env)
        zero = literal(0, ty)
        if t.op in ("+", "*"):
            return _join(t.op, a, b)
        if t.op == "-":
            return f"(ite (>= {a} {b}) (- {a} {b}) 0)" if ty == NAT else _join("-", a, b)
        if t.op == "/":
            return f"(ite (= {b} {zero}) {zero} ({'/' if ty in FIELDS else 'div'} {a} {b}))"
        if t.op == "%" and ty not in FIELDS:
            return f"(ite (= {b} 0) {a} (mod {a} {b}))"
        raise Unsupported(f"{t.op} on {ty}")

    def power(self, t: BinOp, base: str, env: dict[str, str]) -> str:
        ty = type_of(t.left)
        k = evaluate(t.right) if not term_vars(t.right) else None
        if k is not None and k <= MAX_UNFOLDED_POWER:
            return literal(1, ty) if k == 0 else base if k == 1 else _join("*", *[base] * k)
        fn = POWER_FUNCTIONS[ty]
        if fn not in self._functions:
            self.decls.append(f"(declare-fun {fn} ({SORTS[ty]} Int) {SORTS[ty]})")
            self._functions.add(fn)
        self.exact = False
        exp = self.term(t.right, env)
        pw = _join(fn, base, exp)
        if not (term_vars(t) & env.keys()):  # ground facts of powers, outside binders
            self.facts += _power_facts(pw, base, exp, ty)
        return pw

    def cast(self, t: Cast, env: dict[str, str]) -> str:
        a = self.term(t.arg, env)
        return _join("to_real", a) if t.ty in FIELDS and type_of(t.arg) not in FIELDS else a

    def unary(self, t: Neg | Inv | Abs, env: dict[str, str]) -> str:
        ty = type_of(t.arg)
        a = self.term(t.arg, env)
        zero = literal(0, ty)
        if isinstance(t, Inv) and ty in FIELDS:
            return f"(ite (= {a} {zero}) {zero} (/ 1.0 {a}))"
        if isinstance(t, Neg) and ty != NAT:
            return _join("-", a)
        if isinstance(t, Abs) and ty != NAT:
            return f"(ite (>= {a} {zero}) {a} (- {a}))"
        raise Unsupported(f"{type(t).__name__} on {ty}")

    # ---- propositions ----
    def prop(self, p: Prop, env: dict[str, str] | None = None, positive: bool | None = True) -> str:
        """`p` as SMT; `positive` is its polarity in the asserted formula (None: both)."""
        env = env or {}
        if isinstance(p, Truth):
            return "true" if p.value else "false"
        if isinstance(p, PVar):
            return env.get(p.name) or self.free(p.name, "Prop")
        if isinstance(p, Not):
            return _join("not", self.prop(p.arg, env, _flip(positive)))
        if isinstance(p, (And, Or)):
            op = "and" if isinstance(p, And) else "or"
            return _join(op, self.prop(p.left, env, positive), self.prop(p.right, env, positive))
        if isinstance(p, Imp):
            return _join("=>", self.prop(p.left, env, _flip(positive)),
                         self.prop(p.right, env, positive))
        if isinstance(p, Iff):
            return _join("=", self.prop(p.left, env, None), self.prop(p.right, env, None))
        if isinstance(p, Rel):
            return self.rel(p, env)
        if isinstance(p, (Forall, Exists)):
            return self.binder(p, env, positive)
        raise Unsupported("proposition metavariable")

    def binder(self, p: Forall | Exists, env: dict[str, str], positive: bool | None) -> str:
        universal = positive is None or (isinstance(p, Forall) == positive)
        if p.ty == RAT and universal:  # true on ℚ does not make it true on ℝ
            raise Unsupported("a universal ℚ binder")
        self.rat_binders |= p.ty == RAT
        sym = self._fresh("b")
        body = self.prop(p.body, {**env, p.var: sym}, positive)
        guard = f"(>= {sym} 0)" if p.ty == NAT else "true"
        if isinstance(p, Forall):
            return f"(forall (({sym} {SORTS[p.ty]})) (=> {guard} {body}))"
        return f"(exists (({sym} {SORTS[p.ty]})) (and {guard} {body}))"

    def rel(self, p: Rel, env: dict[str, str]) -> str:
        ty = type_of(p.left)
        a, b = self.term(p.left, env), self.term(p.right, env)
        zero = literal(0, ty)
        if p.op in ARITH_RELS:
            return _join(ARITH_RELS[p.op], a, b)
        if p.op == "≠":
            return f"(not (= {a} {b}))"
        if p.op == "∣" and ty in FIELDS:
            return f"(or (not (= {a} {zero})) (= {b} {zero}))"
        if p.op == "∣":
            return f"(ite (= {a} 0) (= {b} 0) (= (mod {b} {a}) 0))"
        raise Unsupported(f"relation {p.op}")


NatEncoder = ExactEncoder


def _flip(positive: bool | None) -> bool | None:
    return None if positive is None else not positive


class OmegaEncoder(ExactEncoder):
    """Lean 4's omega: linear ℕ arithmetic; `x * y`, `x / y`, `x ^ k`, ... are atoms
    (one fresh ℕ variable per distinct subterm, as omega's atoms are syntactic)."""

    def __init__(self) -> None:
        super().__init__()
        self.atoms: dict[Term, str] = {}

    def term(self, t: Term, env: dict[str, str]) -> str:
        if type_of(t) != NAT:  # omega over ℤ is not modelled here: no facts about it
            raise Unsupported(f"a term of type {type_of(t)}")
        return super().term(t, env)

    def atom(self, t: Term) -> str:
        if has_mvar(t):
            raise Unsupported("metavariable")
        sym = self.atoms.get(t)
        if sym is None:
            sym = self.atoms[t] = self._fresh("a")
            self.decls.append(f"(declare-const {sym} Int)")
            if atom_is_nonneg(t):
                self.facts.append(f"(>= {sym} 0)")
        return sym

    def binop(self, t: BinOp, env: dict[str, str]) -> str:
        if t.op in ("+", "-"):
            return super().binop(t, env)
        k = evaluate(t.right)
        if t.op == "*":
            j = evaluate(t.left)
            if j is not None:
                return _join("*", str(j), self.term(t.right, env))
            if k is not None:
                return _join("*", self.term(t.left, env), str(k))
        elif t.op in ("/", "%") and k == 0:  # Int.ediv_zero; x % 0 = x - 0 * (x / 0)
            return "0" if t.op == "/" else self.term(t.left, env)
        elif t.op in ("/", "%") and k:  # by a nonzero numeral
            return _join("div" if t.op == "/" else "mod", self.term(t.left, env), str(k))
        return self.atom(t)

    def fact(self, p: Prop, positive: bool = True) -> str:
        """`p` (or `¬p`) in negation normal form; an unsupported literal becomes `true`,
        i.e. it is dropped, which is what omega does with facts it does not understand."""
        if isinstance(p, Truth):
            return "true" if p.value == positive else "false"
        if isinstance(p, Not):
            return self.fact(p.arg, not positive)
        if isinstance(p, (And, Or)):
            conj = isinstance(p, And) == positive
            return _join("and" if conj else "or", self.fact(p.left, positive),
                         self.fact(p.right, positive))
        if isinstance(p, Imp):
            if positive:
                return _join("or", self.fact(p.left, False), self.fact(p.right, True))
            return _join("and", self.fact(p.left, True), self.fact(p.right, False))
        if isinstance(p, Iff):
            l_pos, l_neg = self.fact(p.left, True), self.fact(p.left, False)
            r_pos, r_neg = self.fact(p.right, True), self.fact(p.right, False)
            if positive:
                return f"(or (and {l_pos} {r_pos}) (and {l_neg} {r_neg}))"
            return f"(or (and {l_pos} {r_neg}) (and {l_neg} {r_pos}))"
        if isinstance(p, Rel):
            try:
                lit = self.omega_rel(p)
            except Unsupported:
                return "true"
            return lit if positive else _join("not", lit)
        if isinstance(p, Exists) and positive:  # Exists.choose_spec
            return self.fact(subst(p.body, p.var, Var(witness_name(p.var, id(p)))), True)
        return "true"  # Prop variables, quantified facts

    def omega_rel(self, p: Rel) -> str:
        if p.op == "∣":  # Nat.mod_eq_zero_of_dvd: e % k = 0
            return f"(= {self.term(BinOp('%', p.right, p.left), {})} 0)"
        return self.rel(p, {})


def check(script: str, timeout_ms: int, simple: bool = True):
    """z3 on `script`: ("unsat" | "sat" | "unknown", model or None). A fresh solver each
    call; a timeout or a z3 error is "unknown"."""
    import z3  # lazily: `rir --help` must not pay for z3

    solver = z3.SimpleSolver() if simple else z3.Solver()
    solver.set("timeout", int(timeout_ms))
    try:
        solver.from_string(script)
        result = solver.check()
    except z3.Z3Exception:
        return "unknown", None
    if result == z3.unsat:
        return "unsat", None
    if result == z3.sat:
        return "sat", solver.model()
    return "unknown", None


def model_values(model, enc: ExactEncoder) -> dict[str, int | Fraction | bool]:
    """The model's value for each free variable of `enc` (unconstrained ones read 0 /
    False); a Real variable whose value is irrational (an algebraic number) is left out."""
    import z3

    by_symbol = {d.name(): model[d] for d in model.decls() if d.arity() == 0}
    out: dict[str, int | Fraction | bool] = {}
    for name, sym in enc.symbols.items():
        v, ty = by_symbol.get(sym), enc.sorts[name]
        if v is None:
            out[name] = False if ty == "Prop" else literal_zero(ty)
        elif z3.is_int_value(v):
            out[name] = v.as_long()
        elif z3.is_rational_value(v):
            out[name] = Fraction(v.numerator_as_long(), v.denominator_as_long())
        elif z3.is_bool(v):
            out[name] = z3.is_true(v)
    return out


def literal_zero(ty: str) -> int | Fraction:
    return Fraction(0) if ty in FIELDS else 0
