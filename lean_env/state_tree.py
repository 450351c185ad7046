"""How each state of the open theorem was reached, so a restarted Lean can be brought back.

Shared by the LeanDojo and REPL backends, which both restart their Lean process
after a timeout or crash and replay the tactics leading to the state asked for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable


class ReplayFailed(Exception):
    """A tactic on the path to a state did not reproduce after a restart."""


# Numbers Lean gives metavariables and fresh names differ from one run to the next.
_FRESH_NUMBER = re.compile(r"(\?[\w.]*?|_uniq)\.\d+")


def same_state(replayed: str, expected: str) -> bool:
    """Whether a replayed state is the one the search recorded, up to fresh-name numbering.

    Any other difference means the search would go on from a state it never saw.
    """
    return replayed == expected or _FRESH_NUMBER.sub(r"\1", replayed) == _FRESH_NUMBER.sub(r"\1", expected)


@dataclass(frozen=True)
class _Node:
    parent: int | None
    tactic: str | None
    pp: str


class StateTree:
    """How every state of the open theorem was reached, and its handle in the live process.

    State ids are this environment's own, stable across restarts; `live` maps
    them to the backend's handle (LeanDojo's sid, the REPL's proofState) in the
    process now running. A restart empties `live`; `restore` refills it on demand.
    """

    def __init__(self) -> None:
        self.nodes: dict[int, _Node] = {}
        self.live: dict[int, int] = {}

    def add(self, parent: int | None, tactic: str | None, pp: str, handle: int) -> int:
        sid = len(self.nodes)
        self.nodes[sid] = _Node(parent, tactic, pp)
        self.live[sid] = handle
        return sid

    def path(self, sid: int) -> list[int]:
        """State ids from the root to `sid`, both included."""
        if sid not in self.nodes:
            raise KeyError(f"unknown state id {sid} for the open theorem")
        ids = []
        node_id: int | None = sid
        while node_id is not None:
            ids.append(node_id)
            node_id = self.nodes[node_id].parent
        return ids[::-1]

    def restart(self, root_handle: int) -> None:
        """The process was replaced: only the root is live again."""
        self.live = {0: root_handle}

    def restore(self, sid: int, step: Callable[[int, str, str], int]) -> int:
        """The live handle of `sid`, replaying tactics from its nearest live ancestor.

        `step(parent_sid, tactic, expected_pp)` runs one tactic on the live parent
        and returns the new handle, or raises ReplayFailed.
        """
        for node_id in self.path(sid):
            if node_id in self.live:
                continue
            node = self.nodes[node_id]
            self.live[node_id] = step(node.parent, node.tactic, node.pp)
        return self.live[sid]


def one_line(e: BaseException | str) -> str:
    """The first line of an error, for one-line messages."""
    text = str(e).strip()
    if not text:
        return type(e).__name__ if isinstance(e, BaseException) else "(no message)"
    return text.splitlines()[0]
