"""Closing tactics next to the model's: Mathlib's decision procedures at every expansion.

A small model proposes the first steps of a proof well (`intro`, `cases`, `have`,
`interval_cases`, `rw [h]`) but spells a closing call such as `nlinarith [sq_nonneg (a -
b), …]` less reliably than a fixed list does. `WithClosers` wraps any policy and adds,
at each expansion, the closing tactics it did not propose itself, each with one fixed
log-probability (`logprob`), so best-first search tries them after the model's likelier
tactics and their children queue below the model's. The same list is the no-model
baseline of benchmarks/f1_baseline.py (those tactics at the root alone), so what the
search adds over it is the model's.

The list: `norm_num`, `linarith`, `nlinarith [sq_nonneg (a - b), …]` (the squares of the
differences of the goal's same-typed ℤ ℚ ℝ variables), `omega`, `positivity`, `ring`,
`decide`.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from search.policy import Suggestion

FIXED = ("norm_num", "linarith", "omega", "positivity", "ring", "decide")
MAX_HINTS = 10  # nlinarith multiplies hints pairwise: keep the products bounded
LOGPROB = -2.0
_VARS = re.compile(r"^((?:[^\s:⊢]+ )*[^\s:⊢]+) : ([ℤℚℝ])$")


def typed_variables(state: str) -> dict[str, list[str]]:
    """The first goal's variables of type ℤ, ℚ or ℝ by type, from Lean's printed state
    (`x y : ℝ` lines before its `⊢`); inaccessible names (`x✝`) are left out."""
    by_type: dict[str, list[str]] = {}
    for line in state.splitlines():
        if line.startswith("⊢"):
            break
        m = _VARS.match(line.strip())
        if m:
            names = [n for n in m.group(1).split() if "✝" not in n]
            by_type.setdefault(m.group(2), []).extend(names)
    return by_type


def nlinarith_call(state: str) -> str:
    """`nlinarith [sq_nonneg (a - b), …]` over pairs of same-typed ℤ ℚ ℝ variables."""
    hints = [f"sq_nonneg ({u} - {v})" for names in typed_variables(state).values()
             for u, v in itertools.combinations(names, 2)][:MAX_HINTS]
    return f"nlinarith [{', '.join(hints)}]" if hints else "nlinarith"


def closing_tactics(state: str) -> list[str]:
    """The fixed closing tactics for a printed tactic state, in the order they are tried."""
    return ["norm_num", "linarith", nlinarith_call(state), *FIXED[2:]]


class WithClosers:
    """search.policy.Policy: `policy`'s targets and tactics, plus the closing tactics it
    did not propose, at `logprob`, in the list without a target (else the first list)."""

    def __init__(self, policy, logprob: float = LOGPROB):
        self.policy = policy
        self.logprob = logprob

    def plan(self, state: str, *, deadline: float | None = None) -> list[Suggestion]:
        return self.policy.plan(state, deadline=deadline)

    def act(self, state: str, targets: Sequence[str | None], *,
            deadline: float | None = None, width: int | None = None) -> list[list[Suggestion]]:
        lists = self.policy.act(state, targets, deadline=deadline, width=width)
        if not lists:
            return lists
        where = list(targets).index(None) if None in targets else 0
        proposed = {s.text for tactics in lists for s in tactics}
        extra = [Suggestion(t, self.logprob) for t in closing_tactics(state) if t not in proposed]
        return [tactics + extra if i == where else tactics for i, tactics in enumerate(lists)]
