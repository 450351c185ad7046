"""MicroEnv: the embedded Lean engine behind the environment protocol.

States live in a dict keyed by id (TacticState.id); tactic parses are cached by
text. run_tac never raises: a bad tactic, a parse error, or even a bug in a
tactic comes back as LeanError.
"""
from __future__ import annotations

import logging
import textwrap
import time
from functools import lru_cache

from lean_env.errors import OpenError
from lean_env.micro import fragment
from lean_env.micro.goals import Goal, Hyp, ProofState, TacticError
from lean_env.micro.lexer import ParseError
from lean_env.micro.statement import Statement, parse_statement
from lean_env.micro.tactic_parser import parse_tactic
from lean_env.micro.tactics import Runner
from lean_env.protocol import Environment, LeanError, Outcome, ProofFinished, TacticState, Timeout
from lean_env.theorems import Theorem

log = logging.getLogger("rir")


@lru_cache(maxsize=1 << 15)
def cached_tactic(text: str):
    """A parsed tactic, or the ParseError (cached too: search retries the same text)."""
    try:
        return parse_tactic(text)
    except ParseError as e:
        return e


def initial_goal(stmt: Statement) -> Goal:
    """The goal of a statement: binders become hypotheses (later names shadow earlier).

    Built in one pass (linear in the number of binders): internal names as
    `Goal.add` would give them, the accessible names kept up to date as we go."""
    from lean_env.micro.elaborate import resolve_prop

    hyps: list[Hyp] = []
    taken: set[str] = set()
    accessible: dict[str, Hyp] = {}
    for name, typ in stmt.binders:
        if not isinstance(typ, str):
            typ = resolve_prop(typ, accessible)
        internal = name if name not in taken else _next_free(name, taken)
        hyp = Hyp(internal, name, typ)
        hyps.append(hyp)
        taken.add(internal)
        accessible[name] = hyp
    return Goal(tuple(hyps), resolve_prop(stmt.conclusion, accessible))


def _next_free(user: str, taken: set[str]) -> str:
    i = 1
    while f"{user}.{i}" in taken:
        i += 1
    return f"{user}.{i}"


class MicroEnv(Environment):
    """The embedded engine. `solver_timeout_ms` bounds each z3 call; `tactic_timeout`
    (seconds, optional) bounds one tactic's wall-clock time."""

    name = "embedded"

    def __init__(self, solver_timeout_ms: int = 2000, tactic_timeout: float | None = None):
        self.solver_timeout_ms = solver_timeout_ms
        self.tactic_timeout = tactic_timeout
        self.states: dict[int, ProofState] = {}
        self.theorem: Theorem | None = None

    def open(self, theorem: Theorem) -> TacticState:
        self.close()
        try:
            stmt = parse_statement(theorem.statement)
            goal = initial_goal(stmt)
        except (ParseError, TacticError) as e:  # name the construct outside the fragment
            reason = fragment.outside_reason(theorem.statement) or str(e)
            raise OpenError(f"cannot open theorem '{theorem.full_name}': {reason}") from None
        bad = fragment.goal_ill_typed(goal)
        if bad:
            raise OpenError(f"cannot open theorem '{theorem.full_name}': ill-typed: {bad}")
        self.theorem = theorem
        return self._store(ProofState((goal,)))

    def _store(self, state: ProofState) -> TacticState:
        sid = len(self.states)
        self.states[sid] = state
        return TacticState(state.pp(), len(state.goals), sid)

    def run_tac(self, state: TacticState, tactic: str) -> Outcome:
        current = self.states.get(state.id)
        if current is None:
            return LeanError(f"unknown proof state {state.id}")
        # a uniformly indented block (as copied from under `:= by`) keeps its layout
        tac = cached_tactic((textwrap.dedent(tactic) if "\n" in tactic else tactic).strip())
        if isinstance(tac, ParseError):
            return LeanError(f"<input>:{tac}")
        deadline = time.perf_counter() + self.tactic_timeout if self.tactic_timeout else None
        runner = Runner(self.solver_timeout_ms, deadline)
        try:
            new = runner.run(tac, current)
        except TacticError as e:
            return LeanError(str(e))
        except TimeoutError:
            return Timeout()
        except RecursionError:
            return LeanError("maximum recursion depth has been reached")
        except Exception as e:  # a bug must not escape into search
            log.debug("micro engine bug on %r: %r", tactic, e, exc_info=True)
            return LeanError(f"internal error: {type(e).__name__}: {e}")
        if deadline is not None and time.perf_counter() > deadline:
            return Timeout()
        if not new.goals:
            sid = len(self.states)
            self.states[sid] = new
            return ProofFinished(sid)
        return self._store(new)

    def state(self, state: TacticState) -> ProofState | None:
        """The internal proof state behind a TacticState (for tests and traces)."""
        return self.states.get(state.id)

    def close(self) -> None:
        self.states = {}
        self.theorem = None


def run_proof(statement: str, tactics: list[str], **options) -> list[tuple[str, str, Outcome]]:
    """Run a tactic script from the statement's initial state; one
    (state_before, tactic, outcome) per tactic, stopping at the first non-state."""
    env = MicroEnv(**options)
    state = env.open(Theorem(full_name="proof", statement=statement))
    steps = []
    for tac in tactics:
        outcome = env.run_tac(state, tac)
        steps.append((state.pp, tac, outcome))
        if not isinstance(outcome, TacticState):
            break
        state = outcome
    return steps


__all__ = ["MicroEnv", "initial_goal", "run_proof"]
