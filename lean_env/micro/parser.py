"""Parser for terms, propositions and theorem statements (Lean 4 precedences).

One Pratt parser reads both terms and propositions; an identifier is a Prop
variable when it is in `prop_vars`, else a term variable. The result is raw:
types are given by `binop.elab_prop` (a `Num` is an unannotated numeral,
`Cast(T, e)` the ascription `(e : T)`, `Cast(UNKNOWN, e)` is `↑e`, and an
unannotated binder has type UNKNOWN). Notation outside the fragment (Real.sqrt,
functions, Finset, decimals, ...) is refused with "outside the embedded
fragment: uses ...". Errors are `ParseError` with a `line:column:` prefix.
"""
from __future__ import annotations

from typing import Union

from lean_env.micro.lexer import ParseError, Token, tokenize
from lean_env.micro.syntax import (
    INT, NAT, RAT, REAL, REL_OPS, Abs, And, BinOp, Cast, Exists, Forall, Iff, Imp, Inv, Neg, Not,
    Num, Or, Prop, PVar, Rel, Term, Truth, Var, nat_succ,
)

UNKNOWN = "?"  # see binop.UNKNOWN

# op -> (precedence, lhs minimum, rhs minimum), as Lean 4's notation declarations.
INFIX: dict[str, tuple[int, int, int]] = {
    "↔": (20, 21, 21), "→": (25, 0, 25), "∨": (30, 31, 30), "∧": (35, 36, 35),
    "+": (65, 65, 66), "-": (65, 65, 66), "*": (70, 70, 71), "/": (70, 70, 71),
    "%": (70, 70, 71), "^": (75, 76, 75),
    **{op: (50, 51, 51) for op in REL_OPS},
}
MAX_PREC = 1024
# Deepest expression tree (and parser nesting) accepted. Every engine pass over a
# proposition is recursive, so deeper input is refused with a clean ParseError
# rather than a RecursionError somewhere later (the engine is the weaker one).
MAX_DEPTH = 150
MAX_NESTING = 2 * MAX_DEPTH
NAT_TYPES = ("ℕ", "Nat")
TYPE_NAMES = {"ℕ": NAT, "Nat": NAT, "ℤ": INT, "Int": INT, "ℚ": RAT, "Rat": RAT, "ℝ": REAL,
              "Real": REAL}
NEG_PREC = 75  # `-x`: Lean's `neg` notation, `-x ^ 2` is `-(x ^ 2)`
_CONNECTIVES = {"↔": Iff, "→": Imp, "∨": Or, "∧": And}
_BINDER_PREDS = ("<", "≤", ">", "≥", "≠")

HypType = Union[str, Prop]  # one of ℕ ℤ ℚ ℝ | 'Prop' | a proposition
OUTSIDE_TYPES = {"ℂ": "ℂ", "Complex": "ℂ", "Finset": "Finset", "Set": "Set", "Fin": "Fin",
                 "Polynomial": "Polynomial", "ZMod": "ZMod", "PNat": "ℕ+ (PNat)",
                 "NNReal": "NNReal", "EReal": "EReal"}



def is_term(x) -> bool:
    return isinstance(x, (Var, Num, BinOp, Neg, Cast, Inv, Abs))


def outside(what: str, tok: Token) -> ParseError:
    return ParseError(f"outside the embedded fragment: uses {what}", tok.line, tok.col)


class ExprParser:
    """Recursive-descent/Pratt reader over a token list; reusable by the tactic parser."""

    def __init__(self, tokens: list[Token], prop_vars: frozenset[str] | set[str] = frozenset(),
                 flexible: bool = False):
        self.toks = tokens
        self.i = 0
        self.prop_vars = set(prop_vars)
        # Flexible: names are resolved later against a goal; a name in a
        # proposition position is read as a Prop variable.
        self.flexible = flexible
        self.nesting = 0  # open expr() and leading() calls
        self._depths: dict[int, int] = {}  # id(node) -> tree depth, for nodes built here

    def as_prop(self, e, tok: Token, what: str = "expected a proposition, got a term of type ℕ"):
        if is_term(e):
            if self.flexible and isinstance(e, Var):
                return PVar(e.name)
            raise ParseError(f"type mismatch: {what}", tok.line, tok.col)
        return e

    # ---- token helpers ----
    def peek(self, k: int = 0) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def next(self) -> Token:
        tok = self.toks[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def at(self, *texts: str) -> bool:
        tok = self.peek()
        return tok.kind in ("sym", "ident") and tok.text in texts

    def accept(self, text: str) -> bool:
        if self.at(text):
            self.i += 1
            return True
        return False

    def error(self, expected: str, tok: Token | None = None) -> ParseError:
        tok = tok or self.peek()
        found = "end of input" if tok.kind == "eof" else f"token '{tok.text}'"
        return ParseError(f"unexpected {found}; expected {expected}", tok.line, tok.col)

    def expect(self, text: str) -> Token:
        if not self.at(text):
            raise self.error(f"'{text}'")
        return self.next()

    def ident(self) -> str:
        tok = self.peek()
        if tok.kind != "ident":
            raise self.error("identifier")
        self.i += 1
        return tok.text

    # ---- expressions ----
    def prop(self, min_prec: int = 0) -> Prop:
        tok = self.peek()
        return self.as_prop(self.expr(min_prec), tok)

    def term(self, min_prec: int = 0) -> Term:
        tok = self.peek()
        e = self.expr(min_prec)
        if not is_term(e):
            raise ParseError("type mismatch: expected a term of type ℕ, got a proposition",
                             tok.line, tok.col)
        return e

    def expr(self, min_prec: int = 0):
        self.enter()
        try:
            lhs, lhs_prec = self.leading()
            while True:
                tok = self.peek()
                if tok.text == "⁻¹" and tok.kind == "sym" and lhs_prec >= MAX_PREC:
                    self.i += 1
                    lhs = self.node(Inv(self.as_term(lhs, tok)), lhs)
                    continue
                field = self.peek(1).text.split(".")
                if (tok.text == "." and tok.kind == "sym" and set(field) == {"succ"}
                        and lhs_prec >= MAX_PREC and is_term(lhs)):
                    self.i += 2  # `(n + 1).succ`, `(n + m).succ.succ`
                    for _ in field:
                        lhs = self.node(nat_succ(lhs), lhs)
                    continue
                if tok.text == "." and tok.kind == "sym" and not self.flexible:
                    raise outside(f"field notation (.{self.peek(1).text})", tok)
                spec = INFIX.get(tok.text) if tok.kind == "sym" else None
                if spec is None:
                    return lhs
                prec, lhs_min, rhs_min = spec
                if prec < min_prec or lhs_prec < lhs_min:
                    return lhs
                self.i += 1
                rhs = self.expr(rhs_min)
                lhs, lhs_prec = self.node(self.combine(tok, lhs, rhs), lhs, rhs), prec
        finally:
            self.nesting -= 1

    def enter(self) -> None:
        """One more expr()/leading() call open: bounds the parser's own recursion
        (at most ~5 Python frames per level) well before Python's limit."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.too_deep()

    def too_deep(self) -> ParseError:
        tok = self.peek()
        return ParseError(f"expression nested too deeply (more than {MAX_DEPTH} levels)",
                          tok.line, tok.col)

    def depth(self, node) -> int:
        return self._depths.get(id(node), 1)

    def node(self, node, *children):
        """Record the depth of a node built from `children`; refuse one too deep."""
        d = 1 + max(self.depth(c) for c in children)
        if d > MAX_DEPTH:
            raise self.too_deep()
        self._depths[id(node)] = d
        return node

    def as_term(self, e, tok: Token):
        if not is_term(e):
            raise ParseError("type mismatch: expected a term, got a proposition", tok.line, tok.col)
        return e

    def combine(self, tok: Token, lhs, rhs):
        op = tok.text
        if op in _CONNECTIVES:
            what = f"'{op}' expects propositions"
            return _CONNECTIVES[op](self.as_prop(lhs, tok, what), self.as_prop(rhs, tok, what))
        for side in (lhs, rhs):
            if not is_term(side):
                raise ParseError(f"type mismatch: '{op}' expects terms", tok.line, tok.col)
        if op in REL_OPS:
            return Rel(op, lhs, rhs)
        return BinOp(op, lhs, rhs)

    def leading(self):
        self.enter()
        try:
            return self._leading()
        finally:
            self.nesting -= 1

    def _leading(self):
        tok = self.peek()
        if tok.kind == "num":
            self.i += 1
            if "." in tok.text:
                raise outside(f"a decimal literal {tok.text} (OfScientific)", tok)
            return Num(int(tok.text)), MAX_PREC
        if tok.kind == "ident":
            return self.identifier(), MAX_PREC
        if tok.text == "(" and tok.kind == "sym":
            self.i += 1
            e = self.expr(0)
            if self.at(",") and not self.flexible:
                raise outside("tuples (a, b)", self.peek())
            if self.accept(":"):
                e = self.node(Cast(self.num_type(), self.as_term(e, tok)), e)
            self.expect(")")
            return e, MAX_PREC
        if tok.kind != "sym":
            raise self.error("term")
        if tok.text == "-":
            self.i += 1
            arg = self.as_term(self.expr(NEG_PREC), tok)
            return self.node(Neg(arg), arg), NEG_PREC
        if tok.text == "↑":
            self.i += 1
            arg, _ = self.argument()
            return self.node(Cast(UNKNOWN, self.as_term(arg, tok)), arg), MAX_PREC
        if tok.text == "|":
            self.i += 1
            arg = self.as_term(self.expr(0), tok)
            self.expect("|")
            return self.node(Abs(arg), arg), MAX_PREC
        if tok.text == "⁻¹'":
            raise outside("Set.preimage (⁻¹')", tok)
        if tok.text == "{" and not self.flexible:
            raise outside("set-builder notation {x | …}", tok)
        if tok.text == "¬":
            self.i += 1
            arg = self.prop(40)
            return self.node(Not(arg), arg), MAX_PREC
        if tok.text in ("∀", "∃"):
            self.i += 1
            return self.binder(tok.text == "∀"), MAX_PREC - 1
        raise self.error("term")

    def identifier(self):
        tok = self.next()
        name = tok.text
        if name == "True":
            return Truth(True)
        if name == "False":
            return Truth(False)
        if name in ("Nat.succ", "succ"):
            arg, _ = self.argument()
            if not is_term(arg):
                raise ParseError("type mismatch: Nat.succ expects a term of type ℕ", tok.line, tok.col)
            return self.node(nat_succ(arg), arg)
        head, *fields = name.split(".")
        if fields and set(fields) == {"succ"} and head != "Nat":  # `n.succ`, `n.succ.succ`
            t = Var(head)
            for _ in fields:
                t = nat_succ(t)
            return t
        if name == "abs":
            arg, _ = self.argument()
            return self.node(Abs(self.as_term(arg, tok)), arg)
        if name in self.prop_vars:
            return PVar(name)
        if not self.flexible and (name in TYPE_NAMES or name in OUTSIDE_TYPES):
            raise outside(f"the type {name} as a term", tok)
        if not self.flexible and ("." in name or self.peek().kind in ("ident", "num")
                                  or self.peek().text in ("(", "↑", "{")):
            raise outside(name, tok)  # a constant or a function application
        if "." in name or name == "_":
            raise ParseError(f"unknown identifier '{name}'", tok.line, tok.col)
        return Var(name)

    def argument(self):
        """An argument of a function application (max precedence)."""
        tok = self.peek()
        if tok.kind == "num" or tok.kind == "ident" or tok.text in ("(", "↑", "|"):
            e, prec = self.leading()
            while self.peek().text == "⁻¹" and self.peek().kind == "sym":
                e = self.node(Inv(self.as_term(e, self.next())), e)
            return e, prec
        raise self.error("argument")

    def binder(self, universal: bool) -> Prop:
        names: list[tuple[str, str]] = []
        pred = None
        if self.at("("):
            while self.accept("("):
                group = self.binder_names()
                self.expect(":")
                ty = self.num_type()
                self.expect(")")
                names += [(n, ty) for n in group]
        else:
            group = self.binder_names()
            ty = UNKNOWN
            if self.accept(":"):
                ty = self.num_type()
            elif self.peek().text in _BINDER_PREDS and len(group) == 1:
                op = self.next().text
                pred = (op, self.term(51))
            elif self.peek().text in ("∈", "∉"):
                raise outside("set membership (∈)", self.peek())
            names = [(n, ty) for n in group]
        self.expect(",")
        saved = set(self.prop_vars)
        self.prop_vars -= {n for n, _ in names}
        body = self.prop(0)
        self.prop_vars = saved
        if pred is not None:
            cond = Rel(pred[0], Var(names[0][0]), pred[1])
            body = self.node(Imp(cond, body) if universal else And(cond, body), body, pred[1])
        for name, ty in reversed(names):
            body = self.node(Forall(name, body, ty) if universal else Exists(name, body, ty), body)
        return body

    def binder_names(self) -> list[str]:
        names = [self.ident()]
        while self.peek().kind == "ident" and self.peek().text not in TYPE_NAMES:
            names.append(self.ident())
        return names

    def num_type(self) -> str:
        """One of ℕ ℤ ℚ ℝ (or Nat Int Rat Real); anything else is outside the fragment."""
        tok = self.next()
        ty = TYPE_NAMES.get(tok.text)
        if ty is None:
            what = OUTSIDE_TYPES.get(tok.text, f"the type {tok.text}")
            raise outside(what, tok)
        nxt = self.peek()
        if nxt.text == "→":
            raise outside(f"a function type {tok.text} → …", nxt)
        if nxt.text == "+" and ty == NAT:
            raise outside("ℕ+ (PNat)", tok)
        return ty

    def end(self) -> None:
        if self.peek().kind != "eof":
            raise self.error("end of input")


def parse_prop(text: str, prop_vars=frozenset(), types: dict[str, str] | None = None) -> Prop:
    """An elaborated proposition; a free name is a Prop variable if in `prop_vars`,
    else a variable of type `types.get(name, ℕ)`."""
    p = ExprParser(tokenize(text), prop_vars)
    result = p.prop()
    p.end()
    return _elaborate(lambda el: el(result, _free_lookup(prop_vars, types)), "prop")


def parse_term(text: str, types: dict[str, str] | None = None, expected: str | None = None) -> Term:
    p = ExprParser(tokenize(text))
    result = p.term()
    p.end()
    return _elaborate(lambda el: el(result, _free_lookup((), types), expected), "term")


def _free_lookup(prop_vars, types):
    def look(name: str):
        if name in prop_vars:
            return name, "Prop"
        return name, (types or {}).get(name, NAT)
    return look


def _elaborate(run, kind: str):
    from lean_env.micro.binop import elab_prop, elab_term
    from lean_env.micro.goals import TacticError

    try:
        return run(elab_prop if kind == "prop" else elab_term)
    except TacticError as e:
        raise ParseError(str(e)) from None


def __getattr__(name: str):
    """`Statement`, `parse_statement`, `parse_binder_group` live in statement.py
    (importable from here, as before)."""
    if name in ("Statement", "parse_statement", "parse_binder_group"):
        from lean_env.micro import statement

        return getattr(statement, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
