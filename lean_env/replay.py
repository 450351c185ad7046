"""Replaying a reference proof through any backend: checking it and tracing it.

A proof is a list of tactics, each acting on the first goal of the current state
(Lean 4 without bullets). Replay runs them one by one through the `Environment`
protocol, so the same code checks proofs on the embedded engine, LeanDojo or the
REPL. A trace is the LeanDojo Benchmark 4 record of the replay: one
`{tactic, annotated_tactic, state_before, state_after}` per tactic, where each
state_after is the next state_before and the last one reads `no goals`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from lean_env.errors import OpenError
from lean_env.protocol import NO_GOALS, Environment, ProofFinished, TacticState
from lean_env.theorems import Theorem


@dataclass(frozen=True)
class TracedTactic:
    tactic: str
    state_before: str
    state_after: str

    def to_dict(self) -> dict[str, Any]:
        # LeanDojo annotates premises used by the tactic; replay knows none.
        return {"tactic": self.tactic, "annotated_tactic": [self.tactic, []],
                "state_before": self.state_before, "state_after": self.state_after}


@dataclass(frozen=True)
class CheckResult:
    """Whether a reference proof replays; `error` names the failing tactic and Lean's message."""

    name: str
    ok: bool
    steps: int
    error: str | None = None
    time: float = 0.0


@dataclass(frozen=True)
class TracedTheorem:
    """A theorem with the states its reference proof passes through (LeanDojo layout)."""

    theorem: Theorem
    traced_tactics: list[TracedTactic] = field(default_factory=list)
    check: CheckResult | None = None

    @property
    def ok(self) -> bool:
        return self.check is not None and self.check.ok

    def to_dict(self) -> dict[str, Any]:
        t = self.theorem
        record: dict[str, Any] = {"full_name": t.full_name, "statement": t.statement}
        for key in ("url", "commit", "file_path"):
            if getattr(t, key) is not None:
                record[key] = getattr(t, key)
        if t.start is not None:
            record["start"] = list(t.start)
        record["traced_tactics"] = [s.to_dict() for s in self.traced_tactics]
        return record


def trace_proof(env: Environment, theorem: Theorem) -> TracedTheorem:
    """Replay `theorem.proof` on `env`, recording every state; never raises for a bad proof."""
    start = time.perf_counter()
    tactics = theorem.tactics()
    steps: list[TracedTactic] = []

    def done(error: str | None) -> TracedTheorem:
        check = CheckResult(theorem.full_name, error is None, len(steps), error,
                            time.perf_counter() - start)
        return TracedTheorem(theorem, steps, check)

    if not tactics:
        return done("no reference proof")
    try:
        state = env.open(theorem)
    except OpenError as e:
        return done(str(e))
    for i, tactic in enumerate(tactics, 1):
        if state is None:
            return done(f"tactic {i} `{tactic}`: no goals to be proved")
        outcome = env.run_tac(state, tactic)
        if isinstance(outcome, ProofFinished):
            steps.append(TracedTactic(tactic, state.pp, NO_GOALS))
            state = None
        elif isinstance(outcome, TacticState):
            steps.append(TracedTactic(tactic, state.pp, outcome.pp))
            state = outcome
        else:  # LeanError, Timeout, Crash all carry a message
            return done(f"tactic {i} `{tactic}`: {outcome.message}")
    if state is not None:
        return done(f"unsolved goals after {len(tactics)} tactics:\n{state.pp}")
    return done(None)


def check_proof(env: Environment, theorem: Theorem) -> CheckResult:
    """Replay the reference proof of `theorem` and say whether it closes every goal."""
    return trace_proof(env, theorem).check
