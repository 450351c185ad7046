"""Best-first search, flat (ReProver) and bi-level (RiR) with one loop.

The open node with the highest priority is expanded next: the policy proposes
candidates (bi-level: G targets and K tactics per target; flat: K tactics), each
is run once, and every new state enters the queue with priority
parent + tactic log-prob + target log-prob (flat: target log-prob 0, so the
priority is ReProver's cumulative tactic log-probability). Ties go to the node
queued first. A seen state is not queued again.
"""
from __future__ import annotations

import heapq
import itertools

from search.proof_search import ProofSearch
from search.tree import Status

EXHAUSTED = "tree exhausted: no open node left"


def best_first(search: ProofSearch) -> str | None:
    """Run until proved, exhausted or out of budget; returns why it stopped unproved."""
    tree = search.tree
    order = itertools.count()
    queue = [(-tree.root.priority, next(order), tree.root)]
    while queue:
        reason = search.stop_reason(expanding=True)
        if reason:
            return reason
        _, _, node = heapq.heappop(queue)
        if node.status is not Status.OPEN:
            continue
        candidates = search.expand(node)
        for cand in candidates:
            # The budget is checked before every tactic, not only between expansions.
            reason = search.stop_reason()
            if reason:
                return reason
            edge, new = search.run(node, cand)
            if search.proved:
                return None
            if new and edge.dst.status is Status.OPEN:
                heapq.heappush(queue, (-edge.dst.priority, next(order), edge.dst))
        if not candidates:
            reason = search.stop_reason()  # the deadline passed during the model calls
            if reason:
                return reason
        tree.mark_explored(node)
    return None if search.proved else EXHAUSTED
