"""What self-play may start from and what it must never see: seeds and held-out sets.

Seeds are statements only, and only those that open on the embedded engine (a statement
outside the fragment cannot be searched, so it cannot be scored or evolved).

A protected set (miniF2F-test, where the issue's figures are measured) must never reach
the pool or the training data, neither as itself nor as anything derived from it: a seed
set naming one of its theorems (by name or by statement up to renaming) is refused, the
held-out set of a run is protected too, and the creator's filter rejects any evolved
variant that equals a protected statement up to renaming (training.conjecture_filter).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

from lean_env.errors import BadInput, OpenError
from lean_env.micro.lexer import ParseError
from lean_env.micro.statement import parse_statement
from lean_env.protocol import Environment
from lean_env.theorem_sets import NAMED_SETS, load_theorem_set
from lean_env.theorems import Theorem

log = logging.getLogger("rir")

PROTECTED_SETS = ("minif2f-test",)  # never a seed, never in a pool, never trained on


def default_heldout(seed_theorems: str) -> str:
    """The held-out set `auto` stands for: miniF2F-test for miniF2F seeds, else micro-test."""
    name = Path(seed_theorems).name if seed_theorems not in NAMED_SETS else seed_theorems
    return "minif2f-test" if name.lower().startswith("minif2f") else "micro-test"


def statement_key(text: str) -> str | None:
    """The statement up to names (training.conjecture_filter.canonical_key); None if it
    does not parse in the fragment."""
    from training.conjecture_filter import canonical_key

    try:
        return canonical_key(parse_statement(text))
    except ParseError:
        return None


class Protected:
    """The statement keys of the protected sets and of `extra` held-out sets (what no pool
    may hold), and the names of the protected sets' theorems (what no seed or replay set
    may name)."""

    def __init__(self, extra: Iterable[str] = ()):
        self.sets = list(dict.fromkeys([*PROTECTED_SETS, *(s for s in extra if s)]))
        loaded = {name: _load_quietly(name) for name in self.sets}
        self.names = {t.full_name for name in PROTECTED_SETS for t in loaded[name]}
        self.keys = {k for ts in loaded.values() for k in (statement_key(t.statement) for t in ts) if k}

    def refuse_named(self, theorems: list[Theorem], where: str, what: str = "seed theorems") -> None:
        """A set naming a protected theorem is refused outright: the figures would measure recall."""
        bad = [t.full_name for t in theorems if t.full_name in self.names]
        if bad:
            shown = ", ".join(bad[:3]) + (", ..." if len(bad) > 3 else "")
            raise BadInput(f"{what} '{where}' include {len(bad)} theorem(s) of {', '.join(PROTECTED_SETS)} "
                           f"({shown}): self-play must never start from or train on them")

    def without_heldout(self, theorems: list[Theorem]) -> list[Theorem]:
        """The theorems whose statement is no held-out statement up to renaming."""
        return [t for t in theorems if statement_key(t.statement) not in self.keys]


def _load_quietly(name: str) -> list[Theorem]:
    try:
        return load_theorem_set(name)
    except BadInput:  # a protected set not shipped here protects nothing
        return []


def that_open(theorems: list[Theorem], env: Environment) -> list[Theorem]:
    """The theorems whose statement opens on `env` (in their order)."""
    out = []
    for t in theorems:
        try:
            env.open(t)
        except OpenError:
            continue
        out.append(t)
    env.close()
    return out


def select_seeds(theorems: list[Theorem], env: Environment, limit: int | None) -> list[Theorem]:
    """The theorems that open, as statements to search; with `limit`, the first `limit` of
    them in rir eval's order (a deterministic draw across domains), kept in their own order."""
    from rir.evaluation.loop import order_theorems

    opened = that_open(theorems, env)
    if limit is None:
        return opened
    chosen = {t.full_name for t in order_theorems(opened, limit)}
    return [t for t in opened if t.full_name in chosen]
