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

from lean_env.micro.layout import Layout
from lean_env.micro.lexer import ParseError, Token, tokenize
from lean_env.micro.proof_terms import (  # noqa: F401  (re-exported: the proof-term syntax)
    _ARG_END, PAnon, PApp, PatAlts, PatName, PatTuple, PBy, PExpr, PHole, PName, PProj,
    ProofTermParser, PSection, PTerm, Pattern,
)
from lean_env.micro.tactic_blocks import BlockSyntax, Tactic

# `NAME [only] [e, …] [at h… ⊢]`: names=("only",) when `only` is given.
ARITH_TACTICS = {"linarith", "nlinarith", "norm_num", "positivity", "ring_nf", "field_simp",
                 "push_cast", "norm_cast", "push_neg"}
_SIMPLE = {"intros", "constructor", "left", "right", "exfalso", "contradiction", "assumption",
           "trivial", "rfl", "decide", "omega", "ring", "skip", "symm", "done"}


class TacticParser(BlockSyntax, ProofTermParser):
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
        if self.raw().text in ("|", "<;>", ")", "_"):
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
        if name == "by_contra!":  # Mathlib: `by_contra! [h] [: t]`
            named = self.peek().kind == "ident" and self.peek().text not in _ARG_END
            names = (self.ident(),) if named else ()
            return Tactic(name, names=names, prop=self.prop() if self.accept(":") else None)
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

    def t_simpa(self, kind):
        """`simpa [only] [rules] [using e]` (Mathlib/Tactic/Simpa.lean)."""
        only = ("only",) if self.accept("only") else ()
        rules = self.rw_rules() if self.at("[") else ()
        exprs = (self.pexpr(),) if self.accept("using") else ()
        return Tactic(kind, names=only, rules=rules, exprs=exprs)

    def t_simp__all(self, kind):
        only = ("only",) if self.accept("only") else ()
        return Tactic(kind, names=only, rules=self.rw_rules() if self.at("[") else ())

    def t_simp(self, kind):
        only = self.accept("only")
        rules = self.rw_rules() if self.at("[") else ()
        return Tactic("simp only" if only else "simp", rules=rules, loc=self.location())

    # combinators taking a tactic sequence (`syntax "try " tacticSeq`, …)
    # ---- pieces ----
    def binder_idents(self) -> tuple:
        names = []
        while self.peek().kind == "ident" and self.peek().text not in _ARG_END:
            names.append(self.ident())
        return tuple(names)

    def location(self) -> tuple:
        if not self.accept("at"):
            return ()
        if self.accept("*"):  # every hypothesis and the goal
            return ("*",)
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


def parse_tactic(text: str) -> Tactic:
    p = TacticParser(text)
    if p.peek().kind == "eof":
        raise ParseError("empty tactic", 1, 0)
    t = p.sequence()
    p.end()
    return t

