"""Lean backends behind one environment protocol.

`make_env("embedded" | "dojo" | "repl", **options)` builds a backend; everything
above this package sees only `Environment`, `TacticState` and the outcomes.
"""
from lean_env.errors import BadInput, MissingDependency, OpenError, RirError
from lean_env.protocol import (
    NO_GOALS,
    Crash,
    Environment,
    LeanError,
    Outcome,
    ProofFinished,
    TacticState,
    Timeout,
)
from lean_env.theorems import Theorem, load_theorems

BACKENDS = ("embedded", "dojo", "repl")


def make_env(backend: str = "embedded", **options) -> Environment:
    """A fresh environment of the named backend (imports it lazily)."""
    if backend == "embedded":
        from lean_env.micro import MicroEnv

        return MicroEnv(**options)
    if backend == "dojo":
        from lean_env.dojo import DojoEnv

        return DojoEnv(**options)
    if backend == "repl":
        from lean_env.repl import ReplEnv

        return ReplEnv(**options)
    raise BadInput(f"unknown backend '{backend}': choose one of {', '.join(BACKENDS)}")


__all__ = [
    "BACKENDS", "BadInput", "Crash", "Environment", "LeanError", "MissingDependency",
    "NO_GOALS", "OpenError", "Outcome", "ProofFinished", "RirError", "TacticState",
    "Theorem", "Timeout", "load_theorems", "make_env",
]
