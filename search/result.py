"""Search settings and results: the records that cross the search boundary."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

# check_failed: the search closed the goal, but its proof did not replay from the start.
Status = Literal["proved", "failed", "error", "check_failed"]


@dataclass(frozen=True)
class Budget:
    """Limits of one proof search. A proof found in the step that crosses one is kept."""

    timeout: float = 60.0  # wall-clock seconds, checked inside the tactic loop
    max_expansions: int | None = None
    max_env_calls: int | None = None


@dataclass
class SearchStats:
    """Statistics as in the RiR paper's examples (times in seconds)."""

    planner_time: float = 0.0
    actor_time: float = 0.0
    env_time: float = 0.0
    total_time: float = 0.0
    total_nodes: int = 0
    expanded_nodes: int = 0
    env_calls: int = 0


@dataclass
class SearchResult:
    theorem: str
    status: Status
    proof: list[str] | None = None
    stats: SearchStats = field(default_factory=SearchStats)
    reason: str | None = None  # why the search ended in error (or ran out)
    settings: dict[str, Any] = field(default_factory=dict)
    tree: Any = None  # the search tree, for analysis and self-play; not serialised
    retry: bool = False  # an error from the backend's side, not the theorem's: a resume retries it

    def to_dict(self) -> dict[str, Any]:
        """The record as a results file holds it (the tree is not kept)."""
        d = {
            "name": self.theorem,
            "status": self.status,
            "proof": self.proof,
            "reason": self.reason,
            "stats": asdict(self.stats),
            "settings": self.settings,
        }
        if self.retry:
            d["retry"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "SearchResult":
        """The record back; statistics a newer or older writer added are left out.
        TypeError/KeyError on a record of the wrong shape."""
        stats = d.get("stats") or {}
        known = {k: v for k, v in stats.items() if k in _STAT_FIELDS}
        return cls(
            theorem=d["name"], status=d["status"], proof=d.get("proof"),
            stats=SearchStats(**known), reason=d.get("reason"),
            settings=d.get("settings") or {}, retry=bool(d.get("retry", False)),
        )


_STAT_FIELDS = frozenset(f.name for f in fields(SearchStats))
