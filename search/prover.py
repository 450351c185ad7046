"""One proof search: `prove(env, policy, theorem, algorithm=...)` opens the theorem,
builds a `ProofSearch` (search.proof_search) and dispatches to best-first or MCTS."""
from __future__ import annotations

import time
from typing import Callable

from lean_env.errors import BadInput, OpenError
from lean_env.protocol import Environment
from lean_env.theorems import Theorem
from search.policy import Policy
from search.proof_search import BackendCrash, ProofSearch
from search.result import Budget, SearchResult, SearchStats
from search.tree import SearchTree

ALGORITHMS = ("bfs", "mcts")


def _algorithm(name: str) -> Callable[..., str | None]:
    if name == "bfs":
        from search.best_first import best_first

        return best_first
    if name == "mcts":
        from search.mcts import mcts

        return mcts
    raise BadInput(f"unknown search '{name}': choose one of {', '.join(ALGORITHMS)}")


def prove(env: Environment, policy: Policy, theorem: Theorem, algorithm: str = "bfs",
          budget: Budget = Budget(), settings: dict | None = None, untargeted: bool = False,
          **options) -> SearchResult:
    """Search for a proof of `theorem`. Never raises for a per-theorem problem: an
    unopenable theorem or a backend crash gives status 'error' with the reason (an
    unopenable one has total_nodes == 0, since no root state exists). Status 'failed'
    says in `reason` whether the budget ran out or the tree was exhausted.
    `untargeted`: bi-level search also asks the actor for tactics without a target
    at every expansion (a model co-trained with flat_weight > 0 can answer).
    `options` go to the algorithm (see search.best_first and search.mcts)."""
    search_fn = _algorithm(algorithm)
    settings = dict(settings) if settings is not None else {"search": algorithm}
    stats = SearchStats()
    start = time.perf_counter()
    try:
        root = env.open(theorem)
    except OpenError as e:
        stats.env_time = stats.total_time = time.perf_counter() - start
        return SearchResult(theorem.full_name, "error", reason=str(e), stats=stats, settings=settings)
    stats.env_time = time.perf_counter() - start
    tree = SearchTree(root)
    search = ProofSearch(env, policy, budget, stats, tree, untargeted)
    try:
        reason = search_fn(search, **options)
        status = "proved" if search.proved else "failed"
    except BackendCrash as e:
        status, reason = "error", str(e)
    finally:
        env.set_deadline(None)  # the search is over: later calls (the final check) are not bound by it
    stats.total_time = time.perf_counter() - start
    stats.total_nodes = len(tree)
    proof = tree.proof()
    return SearchResult(theorem.full_name, status, proof=proof, stats=stats,
                        reason=None if proof else reason, settings=settings, tree=tree)
