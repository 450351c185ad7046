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

Planning when exhausted (`planning="exhausted"`, bi-level only): the first pass is
flat search; the planner is asked only when its queue empties unproved, in a round
of its own before the widening rounds (or after `plan_after` of them): every failed
node, in priority order, gets one planning expansion (targets, and tactics toward them
not yet run), and the new states are searched as in the first pass. When the last
widening round is exhausted too, the states found since the planning round get theirs,
round after round, until no failed node is left unplanned. A proof flat search finds in its first pass pays no
planner call, and no planning expansion comes up before a deeper flat child.

Widening (`widths`, e.g. 16, 32, 64): a small beam of tactics often exhausts the
tree in a second and leaves the budget unused. When the queue empties unproved,
every failed node is opened again and expanded once more, in priority order, by the
actor alone with the next, wider beam, running only tactics it has not run; new
states are searched as usual. ReProver samples 64 tactics per expansion from the
start; widening pays for the wide beam only where the narrow one failed.
"""
from __future__ import annotations

import heapq
import itertools

from search.proof_search import ProofSearch
from search.tree import Status

EXHAUSTED = "tree exhausted: no open node left"


PLANNINGS = ("always", "fallback", "exhausted")
PLAN_ROUND = 0  # in the rounds after the first pass: the planning round, not a beam
PLAN_PENALTY = 1.0
MAX_WIDTH = 64  # ReProver's tactics per expansion


def widths(num_tactics: int, limit: int = MAX_WIDTH) -> tuple[int, ...]:
    """The widening beams after `num_tactics`: doubling, up to `limit`."""
    out, w = [], num_tactics * 2
    while 0 < w <= limit:
        out.append(w)
        w *= 2
    return tuple(out)


def best_first(search: ProofSearch, planning: str = "always", plan_penalty: float = PLAN_PENALTY,
               widths: tuple[int, ...] = (), plan_after: int = 0) -> str | None:
    """Run until proved, exhausted or out of budget; returns why it stopped unproved.
    `planning`: "always" asks the planner at every expansion; "fallback" only at a
    node's second expansion; "exhausted" only in a round after the first pass, or after
    `plan_after` widening rounds. `widths`: the beams of the widening rounds (see the
    module docstring); none when the policy takes no `width`."""
    if planning not in PLANNINGS:
        raise ValueError(f"unknown planning '{planning}': choose one of {', '.join(PLANNINGS)}")
    tree = search.tree
    order = itertools.count()
    lazy = planning != "always"  # first expansions without a target
    # entries: (-priority, order, node, plan: whether this expansion asks the planner,
    #           width: the widening round's beam, None in the first pass)
    queue = [(-tree.root.priority, next(order), tree.root, not lazy, None)]
    beams = widths if search.can_widen else ()
    if planning == "exhausted":
        beams = beams[:plan_after] + (PLAN_ROUND,) + beams[plan_after:]
    rounds = iter(beams)
    replan = plan_penalty if planning == "fallback" else None
    planned: set[int] = set()  # exhausted planning: the nodes a planning round has queued
    while True:
        reason = _search(search, queue, order, lazy, replan)
        if reason != EXHAUSTED:
            return reason
        width = next(rounds, None)
        if width is None and planning == "exhausted" and any(id(n) not in planned for n in tree.failed()):
            width = PLAN_ROUND  # after the last beam, the states found since get their targets
        if width is None:
            return reason
        _reopen(tree, queue, order, width, planned)


def _reopen(tree, queue: list, order, width: int, planned: set[int]) -> None:
    """Queue every failed node again for the round `width`: a widening round's beam, or
    PLAN_ROUND, a planning expansion for each node not planned before."""
    plan = width == PLAN_ROUND
    for node in sorted(tree.reopen(), key=lambda n: -n.priority):
        if plan and id(node) in planned:  # nothing new to try: it fails again with its subtree
            tree.mark_explored(node)
            continue
        if plan:
            planned.add(id(node))
        heapq.heappush(queue, (-node.priority, next(order), node, plan, None if plan else width))


def _search(search: ProofSearch, queue: list, order, lazy: bool, replan: float | None) -> str | None:
    """Expand until proved (None), out of budget (the reason) or the queue is empty (EXHAUSTED).
    `replan`: fallback planning's penalty (a node's planning expansion is queued after its first)."""
    tree = search.tree
    while queue:
        reason = search.stop_reason(expanding=True)
        if reason:
            return reason
        _, _, node, plan, width = heapq.heappop(queue)
        if node.status is not Status.OPEN:
            continue
        candidates = search.expand(node, plan=plan, width=width)
        for cand in candidates:
            # The budget is checked before every tactic, not only between expansions.
            reason = search.stop_reason()
            if reason:
                return reason
            edge, new = search.run(node, cand)
            if search.proved:
                return None
            if new and edge.dst.status is Status.OPEN:
                heapq.heappush(queue, (-edge.dst.priority, next(order), edge.dst, not lazy, None))
        if not candidates:
            reason = search.stop_reason()  # the deadline passed during the model calls
            if reason:
                return reason
        if replan is not None and not plan and width is None and node.status is Status.OPEN:
            # its targets are to come
            heapq.heappush(queue, (-(node.priority - replan), next(order), node, True, None))
            continue
        tree.mark_explored(node)
    return None if search.proved else EXHAUSTED
