"""Tokens of the fragment, with Lean-style `line:column` positions.

Lines count from 1 and columns from 0, as in Lean's messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


class ParseError(Exception):
    """A syntax error; the message starts with `line:column:`."""

    def __init__(self, message: str, line: int = 1, col: int = 0):
        super().__init__(f"{line}:{col}: {message}")
        self.line, self.col, self.reason = line, col, message


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # 'ident' | 'num' | 'sym' | 'eof'
    text: str
    line: int
    col: int


# ASCII spellings Lean accepts for the unicode symbols.
ASCII = {"->": "→", "<->": "↔", "/\\": "∧", "\\/": "∨", "<=": "≤", ">=": "≥", "!=": "≠",
         "<-": "←", "fun": "fun", "λ": "fun"}

_SYMBOLS = ["?_", ":=", "=>", "⊢", "<;>", "<->", "->", "<-", "<=", ">=", "!=", "/\\", "\\/",
            "(", ")", "[", "]", "{", "}", "⟨", "⟩", ",", ":", "|", "←", "→", "↔", "∧", "∨",
            "¬", "∀", "∃", "=", "≠", "≤", "<", "≥", ">", "∣", "+", "-", "*", "/", "%", "^",
            "·", ".", ";", "λ", "@", "↑", "⁻¹'", "⁻¹"]
_IDENT = r"[^\W\d][\w'!?✝]*(?:\.(?:[^\W\d][\w'!?✝]*|\d+))*"
_TOKEN = re.compile(
    r"(?P<ws>\s+|--[^\n]*)|(?P<num>\d+(?:\.\d+)?)|(?P<ident>" + _IDENT + r")|(?P<sym>"
    + "|".join(re.escape(s) for s in _SYMBOLS) + ")"
)


# Characters of Mathlib notation outside the fragment, with what they stand for.
OUTSIDE_SYMBOLS = {
    "√": "Real.sqrt (√)", "∑": "Finset.sum (∑)", "∏": "Finset.prod (∏)", "⌊": "Int.floor (⌊·⌋)",
    "⌈": "Int.ceil (⌈·⌉)", "!": "Nat.factorial (!)", "π": "Real.pi (π)", "∘": "function composition",
    "∈": "set membership (∈)", "∉": "set membership (∉)", "∪": "sets (∪)", "∩": "sets (∩)",
    "×": "product types (×)", "∫": "integrals (∫)", "∞": "∞", "≡": "Nat.ModEq (≡ [MOD])",
    "‖": "norms (‖·‖)", "⊂": "sets (⊂)", "⊆": "sets (⊆)", "∅": "sets (∅)",
}


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos, line, line_start = 0, 1, 0
    n = len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            if ch in OUTSIDE_SYMBOLS:
                raise ParseError(f"outside the embedded fragment: uses {OUTSIDE_SYMBOLS[ch]}",
                                 line, pos - line_start)
            raise ParseError(f"unexpected character '{ch}'", line, pos - line_start)
        kind = m.lastgroup
        chunk = m.group()
        if kind == "ws":
            newlines = chunk.count("\n")
            if newlines:
                line += newlines
                line_start = pos + chunk.rindex("\n") + 1
        else:
            if kind == "sym":
                chunk = ASCII.get(chunk, chunk)
            elif kind == "ident" and chunk in ("fun", "λ"):
                kind = "sym"
            tokens.append(Token(kind, chunk, line, pos - line_start))
        pos = m.end()
    tokens.append(Token("eof", "", line, pos - line_start))
    return tokens
