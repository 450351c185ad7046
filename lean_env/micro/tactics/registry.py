"""The tactic registry: each tactic family module registers its tactics by name with
`@tactic("name", ...)`; the runner dispatches through `TACTICS`."""
from __future__ import annotations

from typing import Callable

# name -> function(runner, tactic, goal) -> list of goals replacing the main goal
TACTICS: dict[str, Callable] = {}


def tactic(*names: str) -> Callable[[Callable], Callable]:
    """Register the decorated function under each of `names` (e.g. "rw", "rewrite")."""
    def register(fn: Callable) -> Callable:
        for name in names:
            if name in TACTICS:
                raise ValueError(f"tactic '{name}' registered twice")
            TACTICS[name] = fn
        return fn
    return register
