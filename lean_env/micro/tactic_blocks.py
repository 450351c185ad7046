"""The tactic record, and the syntax of tactics that take tactic blocks or manage goals.

`BlockSyntax` is mixed into `lean_env.micro.tactic_parser.TacticParser`, which owns the
layout (`sequence`, `block`, `here`'s position); these methods only read it. Modelled on
Lean 4's src/Init/Tactics.lean (`all_goals`, `any_goals`, `try`, `repeat`, `iterate`,
`focus`, `first`, `case`, `next`, `rotate_left`/`rotate_right`), src/Lean/Parser/Term.lean
(`calc`'s `calcSteps`) and Mathlib's `swap` (Mathlib/Tactic/PermuteGoals.lean).
"""
from __future__ import annotations

from dataclasses import dataclass

from lean_env.micro.parser import is_term
from lean_env.micro.syntax import REL_OPS, Rel


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


class BlockSyntax:
    """Tactic-block and goal-management syntax (method name: t_ + name with '_' doubled)."""

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

    def t_calc(self, kind):
        """`calc a R b := proof` then steps `_ R c := proof` (Lean's calcSteps), or
        `calc a` then steps; rules = ((lhs or None, op, rhs, proof), …), terms = (start,)."""
        outer, start, steps = self.block, None, []
        try:
            self.block = self.here()  # `withPosition(calcFirstStep)`: arguments are colGt
            first = self.expr(0)
            if isinstance(first, Rel) and self.accept(":="):
                steps.append((first.left, first.op, first.right, self.pexpr()))
            elif is_term(first):
                start = first
            else:
                raise self.error("calc step `term R term := proof`")
            self.block = outer
            col = self.raw().col  # `withPosition((calcStep ppLine)*)`: from the first `_`
            if self.calc_step_ahead():
                self.block = self.here()
            while self.calc_step_ahead() and self.raw().col >= col:
                self.i += 1
                op = self.next().text
                rhs = self.term(51)
                self.expect(":=")
                steps.append((None, op, rhs, self.pexpr()))
        finally:
            self.block = outer
        if not steps:
            raise self.error("calc step")
        return Tactic(kind, terms=(start,), rules=tuple(steps))

    def here(self) -> tuple[int, int, int] | None:
        """A block position at the next token (its column, index, bracket depth)."""
        if self.layout is None:
            return None
        return self.raw().col, self.i, self.layout.depth[self.i]

    def calc_step_ahead(self) -> bool:
        """`_ R …` next: a step (the steps' own position, not the tactic block's)."""
        tok, nxt = self.raw(), self.toks[min(self.i + 1, len(self.toks) - 1)]
        if tok.text != "_" or tok.kind != "ident" or nxt.text not in REL_OPS:
            return False
        return self.layout is None or self.block is None or self.layout.depth[self.i] == self.block[2]

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
