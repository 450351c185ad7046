"""The environment protocol: the one interface every backend implements.

Search, evaluation and self-play drive a backend only through `Environment`:
open a theorem to get its initial state, run a tactic on a state to get an
`Outcome`, close. They never know which backend is underneath.
"""
from __future__ import annotations

import abc
import inspect
import time
from dataclasses import dataclass, field
from typing import Sequence, Union

from lean_env.theorems import Theorem


@dataclass(frozen=True)
class TacticState:
    """A proof state as Lean pretty-prints it. Equal and hashed by its text alone."""

    pp: str
    num_goals: int = field(compare=False)
    # The backend's handle for this state (an index, a REPL proof-state id).
    id: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ProofFinished:
    """The tactic closed the last goal (Lean prints `no goals`)."""

    id: int = 0


@dataclass(frozen=True)
class LeanError:
    """The tactic failed; `message` is Lean's (or a Lean-like) error message."""

    message: str


@dataclass(frozen=True)
class Timeout:
    """The tactic ran past its time limit. Search treats it as a failed edge."""

    message: str = "tactic timed out"


@dataclass(frozen=True)
class Crash:
    """The backend process died; the current search cannot go on."""

    message: str
    out_of_memory: bool = False


Outcome = Union[TacticState, ProofFinished, LeanError, Timeout, Crash]

NO_GOALS = "no goals"


@dataclass(frozen=True)
class ProofCheck:
    """The verdict of checking a whole proof once, from the theorem's start."""

    ok: bool
    reason: str = ""


class Environment(abc.ABC):
    """A Lean backend holding at most one open theorem at a time.

    `open` closes any theorem opened before. States returned for one theorem are
    valid until the next `open` or `close`. Backends that must restart after a
    timeout or crash reopen and replay tactics themselves: callers never replay.
    """

    name: str = "abstract"
    # The search's time.monotonic() deadline for the open theorem (None: no limit).
    # A backend bounds each tactic's timeout by what is left of it.
    deadline: float | None = None

    def setup(self, theorems: Sequence[Theorem] = ()) -> None:
        """Do the backend's one-time preparation (fetch, build, trace) for `theorems` now.

        Called once before worker processes start, so they find everything ready;
        raises `lean_env.errors.SetupError` when it cannot (the run stops). The
        embedded engine needs none.
        """

    @classmethod
    def open_allowance(cls, options: dict, first: bool) -> float:
        """Seconds a worker's watchdog adds for opening a theorem (`first`: the
        worker's first open, which may import Mathlib) beyond the search's time."""
        return 0.0

    @classmethod
    def _option(cls, options: dict, name: str):
        """An option's value as given, else the constructor's default."""
        if options.get(name) is not None:
            return options[name]
        return inspect.signature(cls.__init__).parameters[name].default

    def set_deadline(self, deadline: float | None) -> None:
        self.deadline = deadline

    def tactic_limit(self, limit: float, floor: float = 0.05) -> float:
        """`limit` bounded by the time left before the deadline (never below `floor`)."""
        if self.deadline is None:
            return limit
        return max(floor, min(limit, self.deadline - time.monotonic()))

    def past_deadline(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    @abc.abstractmethod
    def open(self, theorem: Theorem) -> TacticState:
        """Start proving `theorem`; raises `lean_env.errors.OpenError` if it cannot."""

    @abc.abstractmethod
    def run_tac(self, state: TacticState, tactic: str) -> Outcome:
        """Run one tactic on `state`. Never raises for a bad tactic: returns LeanError."""

    def close(self) -> None:
        """Release the open theorem and any process behind it."""

    def check_proof(self, theorem: Theorem, tactics: list[str]) -> ProofCheck:
        """Replay `tactics` in sequence from a fresh start of `theorem`; ok only if they close it.

        A search tree merges states by printed text, so its path may never have run
        in sequence: this is the verdict to report. Leaves the theorem closed.
        The check is not bound by the search's deadline.
        """
        self.set_deadline(None)
        try:
            state: Outcome = self.open(theorem)
            for i, tactic in enumerate(tactics, 1):
                if not isinstance(state, TacticState):
                    return ProofCheck(False, f"no goals left before step {i} `{tactic}`")
                state = self.run_tac(state, tactic)
                if isinstance(state, (LeanError, Timeout, Crash)):
                    return ProofCheck(False, f"step {i} `{tactic}`: {type(state).__name__}: {state.message}")
            if not isinstance(state, ProofFinished):
                return ProofCheck(False, f"goals remain after the proof: {state.pp}")
            return ProofCheck(True)
        finally:
            self.close()

    def __enter__(self) -> "Environment":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
