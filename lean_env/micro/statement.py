"""Theorem statements: `theorem NAME binders : P`, as miniF2F and the corpus write them.

Binders are `(x y : T)` with T one of ℕ ℤ ℚ ℝ (or Nat Int Rat Real), `(p : Prop)`,
`(h : P)` or `{…}`; a binder type outside the fragment (`ℝ → ℝ`, `Finset ℕ`,
`[Fintype α]`, `Nat.Prime p`) is refused with "outside the embedded fragment: uses …".
The result is raw (see parser.py): `engine.initial_goal` elaborates it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lean_env.micro.lexer import tokenize
from lean_env.micro.parser import (
    OUTSIDE_TYPES, TYPE_NAMES, ExprParser, HypType, outside,
)
from lean_env.micro.syntax import Prop, Truth


class _Everything:
    def __contains__(self, name) -> bool:
        return True


@dataclass(frozen=True)
class Statement:
    """`theorem name (x y : ℕ) (p : Prop) (h : x < y) : conclusion`."""

    name: str
    binders: list[tuple[str, HypType]] = field(default_factory=list)
    conclusion: Prop = Truth(True)

    def to_lean(self) -> str:
        from lean_env.micro.printer import format_prop

        groups: list[tuple[list[str], HypType]] = []
        for name, typ in self.binders:
            if groups and groups[-1][1] == typ:
                groups[-1][0].append(name)
            else:
                groups.append(([name], typ))
        parts = [self.name]
        for names, typ in groups:
            shown = typ if isinstance(typ, str) else format_prop(typ)
            parts.append(f"({' '.join(names)} : {shown})")
        return f"theorem {' '.join(parts)} : {format_prop(self.conclusion)}"


def parse_binder_group(p: ExprParser, declared=None) -> tuple[list[str], HypType, bool]:
    """`(x y : T)` or `{x : T}`; returns names, type and whether it is implicit.
    `declared`: the variables bound so far (a type starting with another name is
    outside the fragment); None: any name may start a proposition."""
    if p.at("["):
        raise outside("an instance binder [...]", p.peek())
    close = ")" if p.accept("(") else "}" if p.accept("{") else None
    if close is None:
        raise p.error("binder")
    if declared is None:
        declared = _Everything()
    names = [p.ident()]
    while p.peek().kind == "ident":
        names.append(p.ident())
    p.expect(":")
    tok = p.peek()
    if tok.kind == "ident" and tok.text == "Prop" and p.peek(1).text == close:
        p.i += 1
        typ: HypType = "Prop"
    elif tok.kind == "ident" and (tok.text in TYPE_NAMES or tok.text in OUTSIDE_TYPES):
        typ = p.num_type()
    elif (tok.kind == "ident" and not p.flexible and tok.text not in declared
          and tok.text not in ("True", "False", "abs")):
        raise outside(tok.text, tok)  # `(f : Set ℝ)`, `(h : Nat.Prime p)`, ...
    else:
        typ = p.prop()
    p.expect(close)
    return names, typ, close == "}"


def parse_statement(text: str) -> Statement:
    """Read `theorem NAME binders : P` (a trailing `:= ...` is ignored)."""
    p = ExprParser(tokenize(text))
    kw = p.next()
    if kw.text not in ("theorem", "lemma", "example"):
        raise p.error("'theorem'", kw)
    name = "example" if kw.text == "example" else p.ident()
    binders: list[tuple[str, HypType]] = []
    while p.at("(", "{", "["):
        names, typ, _ = parse_binder_group(p, {n for n, _ in binders})
        for n in names:
            if typ == "Prop":
                p.prop_vars.add(n)
            else:
                p.prop_vars.discard(n)
            binders.append((n, typ))
    p.expect(":")
    conclusion = p.prop()
    if not p.at(":="):
        p.end()
    return Statement(name, binders, conclusion)
