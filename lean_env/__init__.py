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
    cls = backend_class(backend)
    check_options(backend, options)
    return cls(**options)


def backend_class(backend: str) -> type:
    if backend == "embedded":
        from lean_env.micro import MicroEnv as cls
    elif backend == "dojo":
        from lean_env.dojo import DojoEnv as cls
    elif backend == "repl":
        from lean_env.repl import ReplEnv as cls
    else:
        raise BadInput(f"unknown backend '{backend}': choose one of {', '.join(BACKENDS)}")
    return cls


def check_options(backend: str, options: dict) -> None:
    """Name a misspelt backend option or a bad value instead of failing mid-run."""
    from lean_env.options import check_options as check

    check(backend_class(backend), backend, options)


__all__ = [
    "BACKENDS", "BadInput", "Crash", "Environment", "LeanError", "MissingDependency",
    "NO_GOALS", "OpenError", "Outcome", "ProofFinished", "RirError", "TacticState",
    "Theorem", "Timeout", "load_theorems", "make_env",
]
