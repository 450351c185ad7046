"""Parser for tactics, rcases patterns and proof terms.

Names in tactics are user names; they are resolved against the goal when the
tactic runs, so one parse serves every state (the engine caches parses).

Layout follows Lean 4's whitespace-sensitive tactic blocks (src/Lean/Parser/Term.lean
`sepByIndent`, src/Init/Tactics.lean): a tactic sequence is separated by `;` or by a line
break before a tactic at the sequence's column (`checkColEq`); a token that starts a line
at or left of that column ends the current tactic (application arguments are `colGt`),
except inside brackets (`withoutPosition`), a leading `<;>` (a trailing parser with no
position check) and the `|` of `with`/`first` alternatives (`colGe` from the first `|`).
`try`, `all_goals`, `any_goals`, `repeat`, `iterate`, `focus`, `·`, `case`, `next` and
each `first` alternative take a whole tactic sequence, as in Lean (`try t1; t2` is
`try (t1; t2)`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from lean_env.micro.lexer import ParseError, Token, tokenize
from lean_env.micro.parser import ExprParser, is_term

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

# ---- tactics ------------------------------------------------------------------


@dataclass(frozen=True)
class Tactic:
    """One tactic: `kind` is its name; the other fields are its arguments."""

    kind: str
    names: tuple = ()
    exprs: tuple = ()
    prop: object = None
    rules: tuple = ()  # (reverse?, PExpr) for rw / simp only
    loc: tuple = ()  # hypothesis names after `at`; "⊢" for the goal
    pattern: object = None
    body: tuple = ()  # sub-tactics of combinators
    terms: tuple = ()


# `NAME [only] [e, …] [at h… ⊢]`: names=("only",) when `only` is given.
ARITH_TACTICS = {"linarith", "nlinarith", "norm_num", "positivity", "ring_nf", "field_simp",
                 "push_cast", "norm_cast", "push_neg"}
_SIMPLE = {"intros", "constructor", "left", "right", "exfalso", "contradiction", "assumption",
           "trivial", "rfl", "decide", "omega", "ring", "skip", "symm", "done"}
_ARG_END = (",", ")", "⟩", "]", "<;>", ";", "|", ":=", "at", "with", "eof", "}", "then", "else")


_OPEN, _CLOSE = {"(", "[", "⟨", "{"}, {")", "]", "⟩", "}"}


class Layout:
    """Where each token sits: whether it starts a line (its column, else -1) and its
    bracket depth (a closer counts as inside its brackets)."""

    def __init__(self, toks: list[Token]):
        self.line_col, self.depth = [], []
        depth, prev_line = 0, None
        for tok in toks:
            if tok.kind == "sym" and tok.text in _CLOSE:
                self.depth.append(depth)
                depth = max(depth - 1, 0)
            else:
                self.depth.append(depth)
                if tok.kind == "sym" and tok.text in _OPEN:
                    depth += 1
            starts_line = prev_line is not None and tok.line > prev_line and tok.kind != "eof"
            self.line_col.append(tok.col if starts_line else -1)
            prev_line = tok.line

    def cuts(self, j: int, col: int, depth: int) -> bool:
        """Token `j` ends a tactic of a block at `col` and bracket `depth`."""
        return 0 <= self.line_col[j] <= col and self.depth[j] == depth


class TacticParser(ExprParser):
    def __init__(self, text: str):
        toks = tokenize(text)
        super().__init__(toks, flexible=True)
        # single-line text (the common case) has no layout to respect
        self.layout = Layout(toks) if toks[-1].line > 1 else None
        self.block: tuple[int, int, int] | None = None  # (column, first token, depth)

    # ---- layout: a token that ends the current tactic reads as end of input ----
    def peek(self, k: int = 0) -> Token:
        if self.layout is not None and self.block is not None:
            col, start, depth = self.block
            last = len(self.toks) - 1
            for j in range(max(self.i, start + 1), min(self.i + k, last) + 1):
                if self.layout.cuts(j, col, depth):
                    tok = self.toks[j]
                    return Token("eof", "", tok.line, tok.col)
        return super().peek(k)

    def next(self) -> Token:
        tok = self.peek()
        if tok.kind != "eof":
            self.i += 1
        return tok

    def raw(self) -> Token:
        """The next token, ignoring layout (for `<;>` and alternatives' `|`)."""
        return self.toks[min(self.i, len(self.toks) - 1)]

    def raw_accept(self, text: str, min_col: int | None = None) -> Token | None:
        tok = self.raw()
        if tok.kind != "sym" or tok.text != text:
            return None
        if self.layout is not None:
            if self.block is not None and self.layout.depth[self.i] != self.block[2]:
                return None
            if min_col is not None and 0 <= self.layout.line_col[self.i] < min_col:
                return None
        self.i += 1
        return tok

    # ---- tactic sequences ----
    def sequence(self) -> Tactic:
        """`t1; t2` or tactics on successive lines at the column of the first."""
        outer = self.block
        first_tok = self.peek()
        col, depth = first_tok.col, self.layout.depth[self.i] if self.layout else 0
        items = []
        try:
            while True:
                self.block = (col, self.i, depth)
                items.append(self.chain())
                if self.accept(";"):
                    if self.peek().kind == "eof" or self.at(")"):
                        break
                    continue
                if not self.next_line_item(col, depth, outer):
                    break
        finally:
            self.block = outer
        return items[0] if len(items) == 1 else Tactic("seq", body=tuple(items))

    def next_line_item(self, col: int, depth: int, outer) -> bool:
        """A line break before a token at the block's column starts the next tactic."""
        if self.layout is None or self.raw().kind == "eof":
            return False
        j = self.i
        if self.layout.line_col[j] != col or self.layout.depth[j] != depth:
            return False
        if self.raw().text in ("|", "<;>", ")"):
            return False
        # the token must also belong to the enclosing block (not end it)
        if outer is not None and j > outer[1] and self.layout.cuts(j, outer[0], outer[2]):
            return False
        return True

    def chain(self) -> Tactic:
        t = self.tactic()
        while self.raw_accept("<;>"):  # left-associative: `macro:1 x:tactic " <;> " y:tactic:2`
            t = Tactic("<;>", body=(t, self.tactic()))
        return t

    def tactic(self) -> Tactic:
        tok = self.peek()
        if self.accept("("):
            t = self.sequence()
            self.expect(")")
            return t
        if self.accept("·") or self.accept("."):  # focus on the main goal; the block must close it
            return Tactic("·", body=(self.sequence(),))
        if tok.kind != "ident":
            raise self.error("tactic")
        name = tok.text
        self.i += 1
        if name in ("cases'", "induction'"):
            return self.cases_prime(name)
        method = getattr(self, "t_" + name.replace("_", "__"), None) if name not in _SIMPLE else None
        if method is not None:
            return method(name)
        if name in ARITH_TACTICS:
            return self.arith_tactic(name)
        if name in _SIMPLE:
            return Tactic(name)
        raise ParseError(f"unknown tactic '{name}'", tok.line, tok.col)

    def arith_tactic(self, name: str) -> Tactic:
        only = ("only",) if self.peek().text == "only" and self.accept("only") else ()
        exprs = self.expr_list() if self.at("[") else ()
        return Tactic(name, names=only, exprs=exprs, loc=self.location())

    # ---- per-tactic syntax (method name: t_ + name with '_' doubled) ----
    def t_interval__cases(self, kind):
        return Tactic(kind, names=(self.ident(),))

    def t_exact__mod__cast(self, kind):
        return Tactic(kind, exprs=(self.pexpr(),))

    def t_intro(self, kind):
        names = self.binder_idents()
        if self.at("⟨", "("):  # `intro ⟨a, b⟩` destructs like rintro
            pats = [PatName(n) for n in names]
            while not self.at(*_ARG_END) and self.peek().kind != "eof":
                pats.append(self.pattern_atom())
            return Tactic("rintro", body=tuple(pats))
        return Tactic(kind, names=names)

    def t_subst(self, kind):
        return Tactic(kind, names=(self.ident(),))

    def t_intros(self, kind):
        return Tactic(kind, names=self.binder_idents())

    def t_rintro(self, kind):
        pats = []
        while not self.at(*_ARG_END) and self.peek().kind != "eof":
            pats.append(self.pattern_atom())
        if not pats:
            raise self.error("rintro pattern")
        return Tactic(kind, body=tuple(pats))

    def t_exact(self, kind):
        return Tactic(kind, exprs=(self.pexpr(),))

    t_apply = t_exact
    t_refine = t_exact

    def t_rename__i(self, kind):
        names = self.binder_idents()
        if not names:
            raise self.error("identifier")
        return Tactic("rename_i", names=names)

    def t_cases(self, kind):
        name = self.ident()
        if not self.accept("with"):
            return Tactic(kind, names=(name,))
        alts = []  # `| tag names* => tactics`, each closing its goal
        for _ in self.alternatives():
            tag = self.ident()
            names = self.binder_idents()
            self.expect("=>")
            alts.append(Tactic(tag, names=names, body=(self.sequence(),)))
        if not alts:
            raise self.error("'|'")
        return Tactic(kind, names=(name,), body=tuple(alts))

    def alternatives(self):
        """Each `|` of `withPosition((colGe "|" …)+)`: later bars at or right of the first."""
        first = self.raw_accept("|")
        if first is None:
            return
        yield first
        while self.raw_accept("|", min_col=first.col) is not None:
            yield first

    t_induction = t_cases

    def cases_prime(self, kind):
        """Mathlib's `cases' h with x y` / `induction' n with k ih`: names in order."""
        name = self.ident()
        names = []
        if self.accept("with"):
            while self.peek().kind == "ident" and self.peek().text not in _ARG_END + ("generalizing", "using"):
                names.append(self.ident())
        names = tuple(names)
        if self.at("generalizing", "using"):
            raise ParseError(f"the embedded engine does not model `{kind} … {self.peek().text}`",
                             self.peek().line, self.peek().col)
        return Tactic(kind, names=(name,) + names)

    def t_by__contra(self, kind):
        # unnamed: Batteries' `by_contra` binds `_`, an inaccessible hypothesis
        named = self.peek().kind == "ident" and self.peek().text not in _ARG_END
        return Tactic("by_contra", names=(self.ident(),) if named else ())

    def t_rcases(self, kind):
        e = self.pexpr()
        pat = self.pattern() if self.accept("with") else PatName("_")
        return Tactic(kind, exprs=(e,), pattern=pat)

    def t_obtain(self, kind):
        pat = self.pattern()
        prop = self.prop() if self.accept(":") else None
        self.expect(":=")
        return Tactic(kind, exprs=(self.pexpr(),), pattern=pat, prop=prop)

    def t_exists(self, kind):
        terms = [self.term()]
        while self.accept(","):
            terms.append(self.term())
        return Tactic(kind, terms=tuple(terms))

    t_use = t_exists

    def t_specialize(self, kind):
        return Tactic(kind, exprs=(self.pexpr(),))

    def t_have(self, kind):
        name = "this"
        if self.peek().kind == "ident":
            name = self.ident()
        prop = self.prop() if self.accept(":") else None
        self.expect(":=")
        return Tactic(kind, names=(name,), prop=prop, exprs=(self.pexpr(),))

    def t_by__cases(self, kind):
        names: tuple[str, ...] = ()  # unnamed: Lean's hygienic `h✝`
        if self.peek().kind == "ident" and self.peek(1).text == ":":
            names = (self.ident(),)
            self.i += 1
        return Tactic("by_cases", names=names, prop=self.prop())

    def t_show(self, kind):
        return Tactic(kind, prop=self.prop())

    def t_rw(self, kind):
        rules = self.rw_rules()
        return Tactic(kind, rules=rules, loc=self.location())

    t_rewrite = t_rw

    def t_simp(self, kind):
        only = self.accept("only")
        rules = self.rw_rules() if self.at("[") else ()
        return Tactic("simp only" if only else "simp", rules=rules, loc=self.location())

    # combinators taking a tactic sequence (`syntax "try " tacticSeq`, …)
    def t_all__goals(self, kind):
        return Tactic(kind, body=(self.sequence(),))

    t_any__goals = t_all__goals
    t_try = t_all__goals
    t_repeat = t_all__goals
    t_focus = t_all__goals

    def t_iterate(self, kind):
        if self.peek().kind == "num":
            n = int(self.next().text)
            return Tactic(kind, names=(n,), body=(self.sequence(),))
        return Tactic("repeat", body=(self.sequence(),))  # `iterate tacs` is `repeat`

    def t_rotate__left(self, kind):
        n = int(self.next().text) if self.peek().kind == "num" else 1
        return Tactic(kind, names=(n,))

    t_rotate__right = t_rotate__left

    def t_swap(self, kind):  # Mathlib: `swap` is `pick_goal 2`
        return Tactic(kind)

    def t_first(self, kind):
        alts = [self.sequence() for _ in self.alternatives()]
        if not alts:
            raise self.error("'|'")
        return Tactic(kind, body=tuple(alts))

    def t_case(self, kind):
        """`case tag x… | tag' … => tacs`; `_` for the main goal."""
        cases = [self.case_arg()]
        while self.accept("|"):
            cases.append(self.case_arg())
        self.expect("=>")
        return Tactic("case", pattern=tuple(cases), body=(self.sequence(),))

    def t_next(self, kind):
        """`next x… => tacs` is `case _ x… => tacs`."""
        names = self.binder_idents()
        self.expect("=>")
        return Tactic("case", pattern=(("_", names),), body=(self.sequence(),))

    def case_arg(self) -> tuple:
        return self.ident(), self.binder_idents()

    # ---- pieces ----
    def binder_idents(self) -> tuple:
        names = []
        while self.peek().kind == "ident" and self.peek().text not in _ARG_END:
            names.append(self.ident())
        return tuple(names)

    def location(self) -> tuple:
        if not self.accept("at"):
            return ()
        locs = []
        while True:
            if self.accept("⊢"):
                locs.append("⊢")
            elif self.peek().kind == "ident" and self.peek().text not in _ARG_END:
                locs.append(self.ident())
            else:
                break
        if not locs:
            raise self.error("hypothesis name")
        return tuple(locs)

    def rw_rules(self) -> tuple:
        self.expect("[")
        rules = []
        if not self.at("]"):
            while True:
                rev = self.accept("←")
                rules.append((rev, self.pexpr()))
                if not self.accept(","):
                    break
        self.expect("]")
        return tuple(rules)

    def expr_list(self) -> tuple:
        return tuple(e for _, e in self.rw_rules())

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


def parse_tactic(text: str) -> Tactic:
    p = TacticParser(text)
    if p.peek().kind == "eof":
        raise ParseError("empty tactic", 1, 0)
    t = p.sequence()
    p.end()
    return t


def split_tactics(text: str) -> list[str]:
    """A proof's top-level tactics, as Lean's tactic block separates them: a new tactic
    starts on a line whose first token sits at the block's column (outside brackets);
    indented lines, `|` alternatives and a leading `<;>` continue the tactic before.
    Continuation lines are dedented by the block's column. Text the lexer cannot read
    is split line by line."""
    lines = text.splitlines()
    try:
        toks = tokenize(text)
    except ParseError:
        return [line.strip() for line in lines if line.strip()]
    if toks[0].kind == "eof":
        return []
    layout, col = Layout(toks), toks[0].col
    starts = [toks[0].line]
    for j, tok in enumerate(toks[1:-1], start=1):
        c = layout.line_col[j]
        if 0 <= c <= col and layout.depth[j] == 0 and tok.text not in ("|", "<;>", ")"):
            starts.append(tok.line)
    bounds = starts + [len(lines) + 1]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        chunk = [lines[a - 1].strip()] + [_dedent(line, col) for line in lines[a:b - 1]]
        out.append("\n".join(x for x in chunk if x.strip() and not x.lstrip().startswith("--")))
    return out


def _dedent(line: str, col: int) -> str:
    pad = len(line) - len(line.lstrip(" "))
    return line[min(pad, col):].rstrip()
