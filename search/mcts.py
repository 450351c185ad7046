"""Monte Carlo tree search with PUCT, flat and bi-level with one loop.

Each simulation walks down from the root, choosing at every node the candidate
tactic with the best  Q + c_puct * P * sqrt(N + 1) / (1 + n):
  P  the prior: a softmax over the node's candidate scores (bi-level: the joint
     target x tactic log-probability, renormalised over the candidates),
  Q  the mean reward through that candidate, n its visits, N the node's visits.
A node is expanded (one policy call) the first time a walk reaches it. A tactic
runs (one environment call) the first time it is chosen, and the walk ends there
with a reward: 1 for a proof, 0 for an error or timeout, and for a new state the
value estimator's guess (search.value; default 0.5 ** open goals). The reward is
added along the walk.

Widening: with `widening=(c, alpha)` a node visited N times considers only its
best ceil(c * (N + 1) ** alpha) candidates (progressive widening); with
`widening=None` it considers all of them (a fixed branching set, which
`max_children` can cap).

Only edges that created their state are walked down (the state's tree edge); an
edge that reached a state already in the tree keeps the graph's status
propagation but is not walked, so a walk never cycles. A node whose candidates
have all run and lead nowhere walkable is exhausted; an exhausted root ends the
search.
"""
from __future__ import annotations

import math

from search.proof_search import ProofSearch
from search.tree import Candidate, Edge, Node, Status
from search.value import DEFAULT_VALUE, ValueEstimator

EXHAUSTED = "tree exhausted: no open node left"
C_PUCT = 1.0  # the defaults, also of `rir prove/eval --c-puct/--widening`
WIDENING = (2.0, 0.5)


class _Stats:
    """Per-node MCTS statistics, aligned with the node's candidates (best first)."""

    __slots__ = ("cands", "priors", "visits", "rewards", "edges", "walkable", "n", "exhausted", "unrun")

    def __init__(self, cands: list[Candidate], max_children: int | None):
        cands = cands[:max_children] if max_children else cands
        self.cands = cands
        self.priors = _softmax([c.score for c in cands])
        k = len(cands)
        self.visits = [0] * k
        self.rewards = [0.0] * k
        self.edges: list[Edge | None] = [None] * k
        self.walkable = [False] * k  # the edge created its state: walks continue there
        self.n = 0
        self.exhausted = False
        self.unrun = k


def _softmax(scores: list[float]) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def mcts(search: ProofSearch, c_puct: float = C_PUCT,
         widening: tuple[float, float] | None = WIDENING, max_children: int | None = None,
         value: ValueEstimator = DEFAULT_VALUE) -> str | None:
    """Simulate until proved, exhausted or out of budget; returns why it stopped unproved."""
    stats: dict[str, _Stats] = {}
    root = search.tree.root
    while not search.proved:
        if root.status is Status.FAILED or (root.pp in stats and stats[root.pp].exhausted):
            return EXHAUSTED
        reason = _simulate(search, stats, c_puct, widening, max_children, value)
        if reason:
            return reason
    return None


def _simulate(search, stats, c_puct, widening, max_children, value) -> str | None:
    node: Node = search.tree.root
    path: list[tuple[_Stats, int]] = []
    while True:
        st = stats.get(node.pp)
        if st is None:
            reason = search.stop_reason(expanding=True)
            if reason:
                return reason
            cands = search.expand(node)
            reason = search.stop_reason()  # the deadline passed during the model calls
            if reason:
                return reason
            st = stats[node.pp] = _Stats(cands, max_children)
            if not st.cands:
                search.tree.mark_explored(node)  # nothing to try: the node fails
        i = _select(st, stats, c_puct, widening)
        if i is None:
            st.exhausted = True
            _backup(path, 0.0)
            return None
        path.append((st, i))
        edge = st.edges[i]
        if edge is None:
            reason = search.stop_reason()
            if reason:
                return reason
            edge, new = search.run(node, st.cands[i])
            st.edges[i] = edge
            st.walkable[i] = new
            st.unrun -= 1
            if st.unrun == 0:
                search.tree.mark_explored(node)
            _backup(path, _reward(edge, value))
            return None
        node = edge.dst


def _reward(edge: Edge, value: ValueEstimator) -> float:
    status = edge.status
    if status is Status.PROVED:
        return 1.0
    if status is Status.FAILED:
        return 0.0
    return value(edge.dst.state)


def _select(st: _Stats, stats: dict[str, _Stats], c_puct: float,
            widening: tuple[float, float] | None) -> int | None:
    """The PUCT choice among the widened candidates; if none of them is usable,
    the best usable one beyond (so widening never blocks a node)."""
    k = len(st.cands)
    if widening is not None:
        c, alpha = widening
        k = min(k, max(1, math.ceil(c * (st.n + 1) ** alpha)))
    explore = c_puct * math.sqrt(st.n + 1)
    best, best_score = None, -math.inf
    for i in range(k):
        if not _usable(st, i, stats):
            continue
        n = st.visits[i]
        q = st.rewards[i] / n if n else 0.0
        score = q + explore * st.priors[i] / (1 + n)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        best = next((i for i in range(k, len(st.cands)) if _usable(st, i, stats)), None)
    return best


def _usable(st: _Stats, i: int, stats: dict[str, _Stats]) -> bool:
    edge = st.edges[i]
    if edge is None:
        return True
    if not st.walkable[i] or edge.dst.status is not Status.OPEN:
        return False
    child = stats.get(edge.dst.pp)
    return child is None or not child.exhausted


def _backup(path: list[tuple[_Stats, int]], reward: float) -> None:
    for st, i in path:
        st.n += 1
        st.visits[i] += 1
        st.rewards[i] += reward
