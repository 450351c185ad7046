"""Best-first search, flat (ReProver) and bi-level (RiR) with one loop.

The open node with the highest priority is expanded next: the policy proposes
candidates (bi-level: G targets and K tactics per target; flat: K tactics), each
is run once, and every new state enters the queue with priority
parent + tactic log-prob + target log-prob (flat: target log-prob 0, so the
priority is ReProver's cumulative tactic log-probability). Ties go to the node
queued first. A seen state is not queued again.

Fallback planning (`planning="fallback"`, bi-level only): a node's first expansion
asks the actor alone, without a target, as flat search does; the node is then queued
again at its priority minus `plan_penalty`, and only when it comes up a second time
(its cheap guesses did not prove it, and nothing in the queue looks better) does the
planner propose targets, toward which the actor proposes tactics not yet tried. A
short proof so pays no planner call; a node that resists pays for one.
"""
from __future__ import annotations

import heapq
import itertools

from search.proof_search import ProofSearch
from search.tree import Status

EXHAUSTED = "tree exhausted: no open node left"


PLANNINGS = ("always", "fallback")
PLAN_PENALTY = 1.0


def best_first(search: ProofSearch, planning: str = "always",
               plan_penalty: float = PLAN_PENALTY) -> str | None:
    """Run until proved, exhausted or out of budget; returns why it stopped unproved.
    `planning`: "always" asks the planner at every expansion; "fallback" only at a
    node's second expansion (see the module docstring)."""
    if planning not in PLANNINGS:
        raise ValueError(f"unknown planning '{planning}': choose one of {', '.join(PLANNINGS)}")
    tree = search.tree
    order = itertools.count()
    lazy = planning == "fallback"
    # entries: (-priority, order, node, plan: whether this expansion asks the planner)
    queue = [(-tree.root.priority, next(order), tree.root, not lazy)]
    while queue:
        reason = search.stop_reason(expanding=True)
        if reason:
            return reason
        _, _, node, plan = heapq.heappop(queue)
        if node.status is not Status.OPEN:
            continue
        candidates = search.expand(node, plan=plan)
        for cand in candidates:
            # The budget is checked before every tactic, not only between expansions.
            reason = search.stop_reason()
            if reason:
                return reason
            edge, new = search.run(node, cand)
            if search.proved:
                return None
            if new and edge.dst.status is Status.OPEN:
                heapq.heappush(queue, (-edge.dst.priority, next(order), edge.dst, not lazy))
        if not candidates:
            reason = search.stop_reason()  # the deadline passed during the model calls
            if reason:
                return reason
        if not plan and node.status is Status.OPEN:  # its targets are still to come
            heapq.heappush(queue, (-(node.priority - plan_penalty), next(order), node, True))
            continue
        tree.mark_explored(node)
    return None if search.proved else EXHAUSTED
