"""Layout of tactic text, as Lean 4's whitespace-sensitive tactic blocks see it
(src/Lean/Parser/Term.lean `sepByIndent`/`checkColGe`, `withoutPosition` in brackets):
where each token sits (starts a line at which column, inside how many brackets), and the
split of a proof into its top-level tactics.
"""
from __future__ import annotations

from lean_env.micro.lexer import ParseError, Token, tokenize

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


def split_tactics(text: str) -> list[str]:
    """A proof's top-level tactics, as Lean's tactic block separates them: a new tactic
    starts on a line whose first token sits at the block's column (outside brackets);
    indented lines, `|` alternatives, `_` calc steps and a leading `<;>` continue the
    tactic before.
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
        if 0 <= c <= col and layout.depth[j] == 0 and tok.text not in ("|", "<;>", ")", "_"):
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
