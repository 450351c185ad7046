"""The context both search algorithms share: `ProofSearch`.

`ProofSearch` holds the environment, the policy, the budget, the statistics and
the tree. It is the only place that calls the policy and the environment, so
time is measured in one place: planner time inside `policy.plan`, actor time
inside `policy.act`, environment time inside `env.open` and `env.run_tac`;
whatever else the wall clock shows is search overhead.

The time budget is an absolute `time.monotonic()` deadline, checked before each
model call and before each tactic, and handed to the policy (`deadline=`), which
stops generating once it passes; so a search overruns by at most one model call
or one tactic. A proof found in the step that overruns is kept.
"""
from __future__ import annotations

import inspect
import time

from lean_env.protocol import Crash, Environment
from search.policy import Policy
from search.result import Budget, SearchStats
from search.tree import Candidate, Edge, Node, SearchTree, Status


class BackendCrash(Exception):
    """The environment crashed: the search ends with status 'error'."""


class ProofSearch:
    def __init__(self, env: Environment, policy: Policy, budget: Budget, stats: SearchStats,
                 tree: SearchTree, untargeted: bool = False):
        self.env = env
        self.policy = policy
        self.untargeted = untargeted
        self.budget = budget
        self.stats = stats
        self.tree = tree
        # The clock starts once the theorem is open (as in ReProver): opening a
        # LeanDojo repository can take far longer than the search itself.
        self.deadline = time.monotonic() + budget.timeout
        # The backend bounds each tactic's own timeout by what is left of the budget.
        env.set_deadline(self.deadline)
        self._policy_takes_deadline = _takes_deadline(policy)

    def out_of_time(self) -> bool:
        return time.monotonic() >= self.deadline

    def stop_reason(self, expanding: bool = False) -> str | None:
        """Why the budget forbids the next step (an env call, or an expansion too)."""
        b, s = self.budget, self.stats
        if self.out_of_time():
            return f"timeout: {b.timeout:g} s wall clock"
        if b.max_env_calls is not None and s.env_calls >= b.max_env_calls:
            return f"budget: {b.max_env_calls} environment calls"
        if expanding and b.max_expansions is not None and s.expanded_nodes >= b.max_expansions:
            return f"budget: {b.max_expansions} expansions"
        return None

    def expand(self, node: Node, plan: bool = True, width: int | None = None) -> list[Candidate]:
        """Ask the planner for targets and the actor for tactics toward each, and toward
        None (no target) when there are no targets or `untargeted` is set. A tactic
        proposed under several targets is kept once, with its best joint score. Best first.
        `plan=False`: the actor alone, without a target (the cheap first guesses of
        fallback planning). `width`: that many tactics per target instead of the policy's
        own number (a widening round). A node expanded before gets only tactics it has not run."""
        s = self.stats
        s.expanded_nodes += 1
        again = bool(node.out_edges)
        t0 = time.perf_counter()
        plans = self._ask(self.policy.plan, node.pp) if plan else []
        t1 = time.perf_counter()
        targets: list[str | None] = [p.text for p in plans]
        target_lps = [p.logprob for p in plans]
        if not plan or (not again and (not targets or self.untargeted)):
            # An untargeted tactic scores its own log-prob, as in flat search.
            targets.append(None)
            target_lps.append(0.0)
        # Past the deadline the actor is not called: the search stops before any tactic.
        wide = {"width": width} if width is not None else {}
        tactic_lists = [] if self.out_of_time() or not targets else self._ask(self.policy.act, node.pp, targets,
                                                                             **wide)
        t2 = time.perf_counter()
        s.planner_time += t1 - t0
        s.actor_time += t2 - t1
        best: dict[str, Candidate] = {}
        tried = {e.tactic for e in node.out_edges}
        for target, target_lp, tactics in zip(targets, target_lps, tactic_lists):
            for t in tactics:
                if t.text in tried:
                    continue
                old = best.get(t.text)
                if old is None or t.logprob + target_lp > old.score:
                    best[t.text] = Candidate(t.text, t.logprob, target, target_lp)
        return sorted(best.values(), key=lambda c: c.score, reverse=True)

    def _ask(self, method, *args, **kw):
        if self._policy_takes_deadline:
            return method(*args, deadline=self.deadline, **kw)
        return method(*args, **kw)

    @property
    def can_widen(self) -> bool:
        """Whether the policy's `act` takes the `width=` keyword (search.best_first's widening)."""
        return _takes(self.policy.act, "width")

    def run(self, node: Node, cand: Candidate) -> tuple[Edge, bool]:
        """Run one tactic and record the edge; raises BackendCrash on a crash."""
        t0 = time.perf_counter()
        outcome = self.env.run_tac(node.state, cand.tactic)
        self.stats.env_time += time.perf_counter() - t0
        self.stats.env_calls += 1
        if isinstance(outcome, Crash):
            raise BackendCrash(outcome.message)
        return self.tree.add_edge(node, cand, outcome)

    @property
    def proved(self) -> bool:
        return self.tree.root.status is Status.PROVED


def _takes_deadline(policy: Policy) -> bool:
    """Whether the policy takes the agreed `deadline=` keyword (a policy written before
    it still works, checked only between its calls)."""
    return _takes(policy.plan, "deadline")


def _takes(method, keyword: str) -> bool:
    try:
        params = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False
    return keyword in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
