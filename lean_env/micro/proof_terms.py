"""Proof terms and rcases patterns: their syntax (user names, resolved when a tactic
runs), their parser, `ProofTermParser`, an `ExprParser` that the tactic parser extends
(it supplies `sequence()` for `by` blocks), and `show_pexpr`, which error messages quote."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from lean_env.micro.lexer import ParseError
from lean_env.micro.parser import ExprParser, is_term
from lean_env.micro.printer import format_term

if TYPE_CHECKING:  # a `by` block holds a tactic; the tactic parser imports this module
    from lean_env.micro.tactic_blocks import Tactic

# tokens that end an argument list

_ARG_END = (",", ")", "⟩", "]", "<;>", ";", "|", ":=", "at", "with", "eof", "}", "then", "else",
            "using")


# ---- proof terms ------------------------------------------------------------


@dataclass(frozen=True)
class PName:
    name: str  # possibly dotted: `h.1`, `Nat.le_trans`, `h.mp`


@dataclass(frozen=True)
class PTerm:
    term: object  # a ℕ term (user names)


@dataclass(frozen=True)
class PApp:
    fn: "PExpr"
    args: tuple


@dataclass(frozen=True)
class PAnon:
    items: tuple


@dataclass(frozen=True)
class PProj:
    expr: "PExpr"
    field: str


@dataclass(frozen=True)
class PHole:
    pass


@dataclass(frozen=True)
class PBy:
    tactic: "Tactic"


@dataclass(frozen=True)
class PSection:
    """`(· op t)` or `(t op ·)`: a ℕ function, for `congrArg`."""

    op: str
    other: object
    hole_left: bool


PExpr = Union[PName, PTerm, PApp, PAnon, PProj, PHole, PBy, PSection]

# ---- rcases patterns ----------------------------------------------------------


@dataclass(frozen=True)
class PatName:
    name: str  # `_` for an inaccessible name


@dataclass(frozen=True)
class PatTuple:
    items: tuple


@dataclass(frozen=True)
class PatAlts:
    alts: tuple


Pattern = Union[PatName, PatTuple, PatAlts]


class ProofTermParser(ExprParser):
    """Patterns and proof terms; `sequence()` (a `by` block) comes from the subclass."""

    def pattern(self) -> Pattern:
        first = self.pattern_atom()
        if not self.at("|"):
            return first
        alts = [first]
        while self.accept("|"):
            alts.append(self.pattern_atom())
        return PatAlts(tuple(alts))

    def pattern_atom(self) -> Pattern:
        if self.accept("⟨"):
            items = [] if self.at("⟩") else [self.pattern()]
            while self.accept(","):
                items.append(self.pattern())
            self.expect("⟩")
            return PatTuple(tuple(items))
        if self.accept("("):
            pat = self.pattern()
            self.expect(")")
            return pat
        if self.accept("-"):
            return PatName("-")
        return PatName(self.ident())

    # ---- proof terms ----
    def pexpr(self) -> PExpr:
        if self.accept("by"):  # `by` takes the whole sequence: `by tac1; tac2`
            return PBy(self.sequence())
        start = self.i
        head = self.patom()
        args = []
        while self.starts_atom():
            args.append(self.patom())
        e = PApp(head, tuple(args)) if args else head
        if self.peek().kind == "sym" and self.peek().text in ("+", "-", "*", "/", "%", "^"):
            self.i = start  # a ℕ term such as `n - 1` (a witness, an argument)
            return PTerm(self.term(0))
        return e

    def starts_atom(self) -> bool:
        tok = self.peek()
        if tok.kind == "num":
            return True
        if tok.kind == "ident":
            return tok.text not in _ARG_END and tok.text != "by"
        return tok.text in ("(", "⟨", "?_")

    def patom(self) -> PExpr:
        tok = self.peek()
        if tok.kind == "num":
            self.i += 1
            e = PTerm(self.as_num(tok))
        elif tok.kind == "ident" or tok.text == "?_":
            self.i += 1
            e = PHole() if tok.text in ("_", "?_") else PName(tok.text)
        elif self.accept("⟨"):
            items = [] if self.at("⟩") else [self.pexpr()]
            while self.accept(","):
                items.append(self.pexpr())
            self.expect("⟩")
            e = PAnon(tuple(items))
        elif self.accept("("):
            e = self.paren()
        else:
            raise self.error("term")
        while self.at(".") and self.peek(1).kind in ("ident", "num"):
            self.i += 1
            e = PProj(e, self.next().text)
        return e

    def as_num(self, tok):
        from lean_env.micro.syntax import Num

        return Num(int(tok.text))

    def paren(self) -> PExpr:
        if self.accept("·"):
            op = self.next().text
            other = self.term(71)
            self.expect(")")
            return PSection(op, other, True)
        start = self.i
        if self.accept("by"):
            e = PBy(self.sequence())
            self.expect(")")
            return e
        try:
            e = self.pexpr()
            if self.accept(")"):
                return e
        except ParseError:
            pass
        self.i = start
        t = self.expr(0)
        if is_term(t) and self.at("+", "-", "*", "/", "%", "^") and self.peek(1).text == "·":
            op = self.next().text
            self.i += 1
            self.expect(")")
            return PSection(op, t, False)
        self.expect(")")
        if not is_term(t):
            tok = self.toks[start]
            raise ParseError("expected a proof term or a term of type ℕ", tok.line, tok.col)
        return PTerm(t)


# ---- printing (for error messages) ----


def show_pexpr(e) -> str:
    """A proof term as error messages quote it (a `by` block as `by …`)."""
    if isinstance(e, PName):
        return e.name
    if isinstance(e, PTerm):
        return format_term(e.term)
    if isinstance(e, PApp):
        parts = [show_pexpr(e.fn)] + [_arg(a) for a in e.args]
        return " ".join(parts)
    if isinstance(e, PAnon):
        return "⟨" + ", ".join(show_pexpr(i) for i in e.items) + "⟩"
    if isinstance(e, PProj):
        return f"{_arg(e.expr)}.{e.field}"
    if isinstance(e, PHole):
        return "_"
    if isinstance(e, PBy):
        return "by …"
    if isinstance(e, PSection):
        o = format_term(e.other, None, 71)
        return f"(· {e.op} {o})" if e.hole_left else f"({o} {e.op} ·)"
    return "?"


def _arg(e) -> str:
    s = show_pexpr(e)
    return f"({s})" if isinstance(e, (PApp, PBy)) or (isinstance(e, PTerm) and " " in s) else s
