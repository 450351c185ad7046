"""Test doubles for search: a scripted policy and a scripted environment.

`ScriptedPolicy` maps a state's text to the tactics a flat policy proposes, and
(bi-level) to targets, each with the tactics proposed toward it. Unknown states
get nothing. Every call is logged, so tests can check expansion order.

`ScriptedEnv` is a tiny deterministic backend: a table from (state, tactic) to
the outcome; any other tactic is a Lean error. Outcomes can be crashes and
timeouts, and each call can sleep to exercise wall-clock budgets.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Sequence

from lean_env.errors import OpenError
from lean_env.protocol import Environment, LeanError, Outcome, TacticState
from lean_env.theorems import Theorem
from search.policy import Suggestion

Tactics = list[tuple[str, float]]


@dataclass
class ScriptedPolicy:
    tactics: dict[str, Tactics] = field(default_factory=dict)  # flat: state -> tactics
    plans: dict[str, list[tuple[str, float, Tactics]]] = field(default_factory=dict)  # state -> targets
    calls: list[tuple] = field(default_factory=list)
    delay: float = 0.0  # seconds each call takes, as a slow model would
    deadlines: list[float | None] = field(default_factory=list)  # the deadline of each call
    num_tactics: int | None = None  # tactics per target unless `width` says (None: all scripted)
    widths: list[int | None] = field(default_factory=list)  # the width of each act call

    def _call(self, deadline: float | None) -> None:
        self.deadlines.append(deadline)
        time.sleep(self.delay)

    def plan(self, state: str, *, deadline: float | None = None) -> list[Suggestion]:
        self.calls.append(("plan", state))
        self._call(deadline)
        return [Suggestion(target, lp) for target, lp, _ in self.plans.get(state, [])]

    def act(self, state: str, targets: Sequence[str | None], *,
            deadline: float | None = None, width: int | None = None) -> list[list[Suggestion]]:
        self.calls.append(("act", state, tuple(targets)))
        self.widths.append(width)
        self._call(deadline)
        by_target = {target: tactics for target, _, tactics in self.plans.get(state, [])}
        by_target[None] = self.tactics.get(state, [])
        n = width or self.num_tactics
        return [[Suggestion(t, lp) for t, lp in by_target.get(target, [])[:n]] for target in targets]

    def expanded(self) -> list[str]:
        """States the policy was asked about, in order."""
        return [c[1] for c in self.calls if c[0] == "act"]


def state(pp: str, num_goals: int = 1) -> TacticState:
    return TacticState(pp, num_goals)


class ScriptedEnv(Environment):
    name = "scripted"

    def __init__(self, root: str, transitions: dict[tuple[str, str], Outcome], delay: float = 0.0,
                 bad_statements: tuple[str, ...] = ()):
        self.root = root
        self.transitions = transitions
        self.delay = delay
        self.bad_statements = bad_statements
        self.runs: list[tuple[str, str]] = []

    def open(self, theorem: Theorem) -> TacticState:
        if theorem.statement in self.bad_statements:
            raise OpenError(f"cannot parse statement of {theorem.full_name}")
        return state(self.root)

    def run_tac(self, st: TacticState, tactic: str) -> Outcome:
        self.runs.append((st.pp, tactic))
        if self.delay:
            time.sleep(self.delay)
        return self.transitions.get((st.pp, tactic), LeanError(f"unknown tactic '{tactic}'"))


def script_reference_proof(env: Environment, theorem: Theorem, wrong: str = "exact False.elim") -> ScriptedPolicy:
    """A policy that knows `theorem`'s reference proof on a real backend: at each
    state on the way it proposes a wrong tactic first (more likely) and the right
    one second; bi-level, it targets the state the right tactic reaches (Lean
    prints it; the planner omits the goal-count line) and a wrong target."""
    from lean_env.protocol import ProofFinished

    policy = ScriptedPolicy()
    current = env.open(theorem)
    for tactic in theorem.tactics():
        outcome = env.run_tac(current, tactic)
        after = "no goals" if isinstance(outcome, ProofFinished) else outcome.pp
        policy.tactics[current.pp] = [(wrong, -0.1), (tactic, -0.5)]
        policy.plans[current.pp] = [("⊢ False", -0.2, [(wrong, -0.1)]), (after, -0.4, [(tactic, -0.3)])]
        if isinstance(outcome, ProofFinished):
            return policy
        current = outcome
    raise AssertionError(f"the reference proof of {theorem.full_name} does not finish")
