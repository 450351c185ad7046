"""Fragment propositions as SMT-LIB scripts for z3, and one-shot solving.

Two readings of the same AST:
- `NatEncoder`: the full ℕ semantics (quantifiers over Int ≥ 0, truncated `-`,
  `a / 0 = 0`, `a % 0 = a`), for `is_valid` and counterexamples;
- `OmegaEncoder`: Lean's `omega`: linear integer arithmetic in which every
  nonlinear subterm is an opaque ℕ atom and every non-arithmetic fact carries
  no information.
Scripts are built as text and parsed by z3 in one call: much cheaper than
building z3 terms through the Python API, which matters at >1,000 tactics/s.
"""
from __future__ import annotations

from lean_env.micro.polynomial import evaluate
from lean_env.micro.syntax import (
    And, BinOp, Exists, Forall, Iff, Imp, MVar, Not, Num, Or, Prop, PVar, Rel, Term, Truth, Var,
    subst, term_vars,
)

# x ^ k with a numeral k up to this is a product; beyond, an uninterpreted power.
MAX_UNFOLDED_POWER = 32
ARITH_RELS = {"=": "=", "≤": "<=", "<": "<", "≥": ">=", ">": ">"}


class Unsupported(Exception):
    """A subterm or fact that this encoding cannot express."""


def has_mvar(t: Term) -> bool:
    if isinstance(t, MVar):
        return True
    return isinstance(t, BinOp) and (has_mvar(t.left) or has_mvar(t.right))


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


def _power_facts(pw: str, a: str, e: str) -> list[str]:
    """True facts about `pw = a ^ e` on ℕ, for an otherwise uninterpreted power."""
    return [
        f"(>= {pw} 0)", f"(=> (= {e} 0) (= {pw} 1))", f"(=> (= {a} 1) (= {pw} 1))",
        f"(=> (= {e} 1) (= {pw} {a}))", f"(=> (and (= {a} 0) (> {e} 0)) (= {pw} 0))",
        f"(=> (and (>= {a} 1) (>= {e} 1)) (>= {pw} {a}))", f"(=> (>= {a} 2) (> {pw} {e}))",
    ]


class NatEncoder:
    """Full ℕ semantics. `exact` turns False when a power had to be left uninterpreted
    (then `unsat` still means valid, but a model may be spurious)."""

    def __init__(self) -> None:
        self.decls: list[str] = []
        self.facts: list[str] = []
        self.symbols: dict[str, str] = {}  # free source name -> SMT symbol
        self.sorts: dict[str, str] = {}  # free source name -> "Int" | "Bool"
        self.exact = True
        self._count = 0

    # ---- symbols ----
    def _fresh(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def free(self, name: str, sort: str) -> str:
        sym = self.symbols.get(name)
        if sym is None:
            sym = self.symbols[name] = self._fresh("v")
            self.sorts[name] = sort
            self.decls.append(f"(declare-const {sym} {sort})")
            if sort == "Int":
                self.facts.append(f"(>= {sym} 0)")
        return sym

    def script(self, asserts: list[str]) -> str:
        body = "".join(f"(assert {a})" for a in self.facts + asserts)
        return "".join(self.decls) + body

    # ---- terms ----
    def term(self, t: Term, env: dict[str, str]) -> str:
        if isinstance(t, Var):
            return env.get(t.name) or self.free(t.name, "Int")
        if isinstance(t, Num):
            return str(t.value)
        if not isinstance(t, BinOp):
            raise Unsupported("metavariable")
        value = evaluate(t)
        if value is not None:
            return str(value)
        return self.binop(t, env)

    def binop(self, t: BinOp, env: dict[str, str]) -> str:
        a = self.term(t.left, env)
        if t.op == "^":
            return self.power(t, a, env)
        b = self.term(t.right, env)
        if t.op == "+":
            return _join("+", a, b)
        if t.op == "*":
            return _join("*", a, b)
        if t.op == "-":
            return f"(ite (>= {a} {b}) (- {a} {b}) 0)"
        if t.op == "/":
            return f"(ite (= {b} 0) 0 (div {a} {b}))"
        return f"(ite (= {b} 0) {a} (mod {a} {b}))"

    def power(self, t: BinOp, base: str, env: dict[str, str]) -> str:
        k = evaluate(t.right)
        if k is not None and k <= MAX_UNFOLDED_POWER:
            return "1" if k == 0 else base if k == 1 else _join("*", *[base] * k)
        if self.exact:
            self.decls.append("(declare-fun pw (Int Int) Int)")
            self.exact = False
        exp = self.term(t.right, env)
        pw = _join("pw", base, exp)
        if not (term_vars(t) & env.keys()):  # ground facts of ℕ powers, outside binders
            self.facts += _power_facts(pw, base, exp)
        return pw

    # ---- propositions ----
    def prop(self, p: Prop, env: dict[str, str] | None = None) -> str:
        env = env or {}
        if isinstance(p, Truth):
            return "true" if p.value else "false"
        if isinstance(p, PVar):
            return env.get(p.name) or self.free(p.name, "Bool")
        if isinstance(p, Not):
            return _join("not", self.prop(p.arg, env))
        if isinstance(p, (And, Or, Imp, Iff)):
            op = {And: "and", Or: "or", Imp: "=>", Iff: "="}[type(p)]
            return _join(op, self.prop(p.left, env), self.prop(p.right, env))
        if isinstance(p, Rel):
            return self.rel(p, env)
        if isinstance(p, (Forall, Exists)):
            sym = self._fresh("b")
            body = self.prop(p.body, {**env, p.var: sym})
            if isinstance(p, Forall):
                return f"(forall (({sym} Int)) (=> (>= {sym} 0) {body}))"
            return f"(exists (({sym} Int)) (and (>= {sym} 0) {body}))"
        raise Unsupported("proposition metavariable")

    def rel(self, p: Rel, env: dict[str, str]) -> str:
        a, b = self.term(p.left, env), self.term(p.right, env)
        if p.op in ARITH_RELS:
            return _join(ARITH_RELS[p.op], a, b)
        if p.op == "≠":
            return f"(not (= {a} {b}))"
        if p.op == "∣":
            return f"(ite (= {a} 0) (= {b} 0) (= (mod {b} {a}) 0))"
        raise Unsupported(f"relation {p.op}")


class OmegaEncoder(NatEncoder):
    """Lean 4's omega: linear ℕ arithmetic; `x * y`, `x / y`, `x ^ k`, ... are atoms
    (one fresh ℕ variable per distinct subterm, as omega's atoms are syntactic)."""

    def __init__(self) -> None:
        super().__init__()
        self.atoms: dict[Term, str] = {}

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


def model_values(model, enc: NatEncoder) -> dict[str, int | bool]:
    """The model's value for each free variable of `enc` (unconstrained ones read 0 / False)."""
    import z3

    by_symbol = {d.name(): model[d] for d in model.decls() if d.arity() == 0}
    out: dict[str, int | bool] = {}
    for name, sym in enc.symbols.items():
        v = by_symbol.get(sym)
        if v is None:
            out[name] = 0 if enc.sorts[name] == "Int" else False
        elif z3.is_int_value(v):
            out[name] = v.as_long()
        else:
            out[name] = z3.is_true(v)
    return out
