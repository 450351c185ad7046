"""The search tree: one node per distinct tactic state, edges carrying tactics.

Nodes are keyed by the state's pretty-printed text, so a state reached twice is
one node (the tree is really a graph). An edge records the tactic, the target
goal it was proposed for (bi-level search; None in flat search), both
log-probabilities and the outcome: a new or seen state, `no goals` (proved), an
error or a timeout. Status follows ReProver: a node is PROVED when one of its
edges is, FAILED when it is explored and every edge failed, OPEN otherwise;
changes propagate to the parents. Since the graph can have cycles, explored nodes
whose open edges only lead among themselves fail together.

Self-play and analysis read the tree through `edge_records()` (flat tuples),
`to_dict()` / `to_json()`, or `to_networkx()` (built on demand, never per node).
"""
from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from lean_env.protocol import NO_GOALS, LeanError, Outcome, ProofFinished, TacticState, Timeout


class Status(str, Enum):
    PROVED = "proved"
    FAILED = "failed"
    OPEN = "open"


# Outcome kinds of an edge.
STATE, PROVED, ERROR, TIMEOUT = "state", "proved", "error", "timeout"

_GOALS_LINE = re.compile(r"^\d+ goals?\n")


def same_goal(state: str, target: str) -> bool:
    """Whether a reached state is the planned target. The planner writes targets
    without Lean's leading `N goals` line, so that line is ignored on both sides."""
    return _GOALS_LINE.sub("", state.strip(), count=1) == _GOALS_LINE.sub("", target.strip(), count=1)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A tactic proposed for a state, toward `target` (None: flat search)."""

    tactic: str
    logprob: float
    target: str | None = None
    target_logprob: float = 0.0

    @property
    def score(self) -> float:
        """Joint log-probability of target and tactic."""
        return self.logprob + self.target_logprob


@dataclass(eq=False, slots=True)
class Node:
    state: TacticState
    priority: float  # cumulative log-probability of the path that created it
    depth: int
    status: Status = Status.OPEN
    explored: bool = False  # every proposed tactic has been run
    out_edges: list["Edge"] = field(default_factory=list)
    in_edges: list["Edge"] = field(default_factory=list)

    @property
    def pp(self) -> str:
        return self.state.pp


@dataclass(eq=False, slots=True)
class Edge:
    src: Node
    tactic: str
    logprob: float
    target: str | None
    target_logprob: float
    outcome: str  # STATE, PROVED, ERROR or TIMEOUT
    dst: Node | None = None  # the reached node when outcome is STATE
    message: str | None = None  # Lean's error message
    reached_target: bool | None = None  # None in flat search

    @property
    def status(self) -> Status:
        if self.outcome == STATE:
            return self.dst.status
        return Status.PROVED if self.outcome == PROVED else Status.FAILED


class EdgeRecord(NamedTuple):
    """One tactic application, flat, for self-play (hindsight triples, DPO pairs).
    `state_after` is `no goals` for a finishing tactic and None for a failed one."""

    state_before: str
    tactic: str
    target: str | None
    outcome: str
    state_after: str | None
    on_proof_path: bool


class SearchTree:
    def __init__(self, root: TacticState):
        self.root = Node(root, priority=0.0, depth=0)
        self.nodes: dict[str, Node] = {root.pp: self.root}
        self.edges: list[Edge] = []

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def status(self) -> Status:
        return self.root.status

    def add_edge(self, src: Node, cand: Candidate, outcome: Outcome) -> tuple[Edge, bool]:
        """Record running `cand` on `src`; returns the edge and whether it made a new node."""
        new = False
        dst = None
        message = None
        if isinstance(outcome, TacticState):
            kind = STATE
            dst = self.nodes.get(outcome.pp)
            if dst is None:
                new = True
                dst = Node(outcome, src.priority + cand.score, src.depth + 1)
                self.nodes[outcome.pp] = dst
        elif isinstance(outcome, ProofFinished):
            kind = PROVED
        elif isinstance(outcome, Timeout):
            kind, message = TIMEOUT, outcome.message
        elif isinstance(outcome, LeanError):
            kind, message = ERROR, outcome.message
        else:
            raise TypeError(f"not an edge outcome: {outcome!r}")
        reached = None
        if cand.target is not None:
            reached = same_goal(dst.pp if dst else NO_GOALS, cand.target) if kind in (STATE, PROVED) else False
        edge = Edge(src, cand.tactic, cand.logprob, cand.target, cand.target_logprob,
                    kind, dst, message, reached)
        src.out_edges.append(edge)
        if dst is not None:
            dst.in_edges.append(edge)
        self.edges.append(edge)
        if edge.status is not Status.OPEN:
            self._update(src)
        return edge, new

    def mark_explored(self, node: Node) -> None:
        """Every tactic proposed for `node` has run: it fails if all of them failed."""
        node.explored = True
        self._update(node)

    def failed(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.status is Status.FAILED]

    def reopen(self) -> list[Node]:
        """Every failed node open again and unexplored (a widening round expands them
        again); returns them. Their failed tactics stay on record, so are not rerun."""
        failed = self.failed()
        for n in failed:
            n.status, n.explored = Status.OPEN, False
        return failed

    def _update(self, node: Node) -> None:
        # Iterative, since proofs can be deep; only changed nodes notify parents.
        stack = [node]
        while stack:
            n = stack.pop()
            if n.status is not Status.OPEN:
                continue
            statuses = [e.status for e in n.out_edges]
            if Status.PROVED in statuses:
                n.status = Status.PROVED
            elif n.explored and all(s is Status.FAILED for s in statuses):
                n.status = Status.FAILED
            else:
                dead = self._dead_region(n) if n.explored else []
                for d in dead:
                    d.status = Status.FAILED
                    stack.extend(e.src for e in d.in_edges)
                continue
            stack.extend(e.src for e in n.in_edges)

    @staticmethod
    def _dead_region(node: Node) -> list[Node]:
        """The open nodes reachable from an explored `node` through open edges, when none
        of them is still to be expanded: a cycle of states (a tactic that leads back to
        an earlier state, or leaves it unchanged) can never be proved, but no edge in it
        fails, so the rule above alone would keep it, and its ancestors, open forever."""
        seen, todo = {id(node): node}, [node]
        while todo:
            n = todo.pop()
            if not n.explored:
                return []
            for e in n.out_edges:
                if e.outcome == STATE and e.dst.status is Status.OPEN and id(e.dst) not in seen:
                    seen[id(e.dst)] = e.dst
                    todo.append(e.dst)
        return list(seen.values())

    def proof_edges(self) -> list[Edge] | None:
        """The shortest proof (fewest tactics) from the root, or None if not proved.
        Breadth-first over PROVED nodes: the first with a finishing edge is nearest."""
        if self.root.status is not Status.PROVED:
            return None
        parent: dict[int, Edge | None] = {id(self.root): None}
        queue = deque([self.root])
        while queue:
            node = queue.popleft()
            for edge in node.out_edges:
                if edge.outcome == PROVED:
                    path = [edge]
                    back = parent[id(node)]
                    while back is not None:
                        path.append(back)
                        back = parent[id(back.src)]
                    return path[::-1]
                dst = edge.dst
                if dst is not None and dst.status is Status.PROVED and id(dst) not in parent:
                    parent[id(dst)] = edge
                    queue.append(dst)
        raise AssertionError("root is PROVED but no finishing edge is reachable")

    def proof(self) -> list[str] | None:
        edges = self.proof_edges()
        return None if edges is None else [e.tactic for e in edges]

    def edge_records(self) -> list[EdgeRecord]:
        """Every tactic run during the search, in the order it ran."""
        on_path = {id(e) for e in self.proof_edges() or []}
        return [
            EdgeRecord(e.src.pp, e.tactic, e.target, e.outcome, _state_after(e), id(e) in on_path)
            for e in self.edges
        ]

    def to_dict(self) -> dict:
        index = {id(n): i for i, n in enumerate(self.nodes.values())}
        on_path = {id(e) for e in self.proof_edges() or []}
        return {
            "root": 0,
            "status": self.root.status.value,
            "nodes": [
                {"id": index[id(n)], "state": n.pp, "num_goals": n.state.num_goals,
                 "status": n.status.value, "depth": n.depth, "explored": n.explored}
                for n in self.nodes.values()
            ],
            "edges": [
                {"src": index[id(e.src)], "dst": index[id(e.dst)] if e.dst else None,
                 "tactic": e.tactic, "logprob": e.logprob, "target": e.target,
                 "target_logprob": e.target_logprob, "outcome": e.outcome,
                 "message": e.message, "reached_target": e.reached_target,
                 "on_proof_path": id(e) in on_path}
                for e in self.edges
            ],
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_networkx(self):
        """A networkx MultiDiGraph: states keyed by their text, one `no goals` node for
        finished proofs, one `error:<i>` node per failed edge (i = its index in `edges`)."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        for n in self.nodes.values():
            graph.add_node(n.pp, kind="state", status=n.status.value, depth=n.depth,
                           num_goals=n.state.num_goals)
        on_path = {id(e) for e in self.proof_edges() or []}
        for i, e in enumerate(self.edges):
            if e.outcome == STATE:
                dst = e.dst.pp
            elif e.outcome == PROVED:
                dst = NO_GOALS
                graph.add_node(dst, kind="proved", status=Status.PROVED.value)
            else:
                dst = f"error:{i}"
                graph.add_node(dst, kind=e.outcome, status=Status.FAILED.value, message=e.message)
            graph.add_edge(e.src.pp, dst, tactic=e.tactic, logprob=e.logprob, target=e.target,
                           target_logprob=e.target_logprob, outcome=e.outcome,
                           reached_target=e.reached_target, on_proof_path=id(e) in on_path)
        return graph


def _state_after(edge: Edge) -> str | None:
    if edge.outcome == STATE:
        return edge.dst.pp
    return NO_GOALS if edge.outcome == PROVED else None
