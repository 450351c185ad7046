"""Theorem records and their JSONL loader."""
from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Iterable

from lean_env.errors import BadInput

log = logging.getLogger("rir")


@dataclass(frozen=True)
class Theorem:
    """One theorem to prove, with the fields each backend needs.

    `statement` is Lean source: `theorem NAME (x : ℕ) ... : P` (a trailing
    `:= by ...` is ignored by readers). `proof`, when given, is the reference
    tactic script: the body of the `by` block, one tactic per line.
    LeanDojo uses url/commit/file_path/start; the REPL uses header.
    """

    full_name: str
    statement: str = ""
    proof: str | None = None
    url: str | None = None
    commit: str | None = None
    file_path: str | None = None
    start: tuple[int, int] | None = None
    header: str | None = None
    split: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Theorem":
        if not isinstance(d, dict):
            raise BadInput(f"expected a JSON object, got {type(d).__name__}")
        name = d.get("full_name")
        if not isinstance(name, str) or not name:
            raise BadInput("missing or empty 'full_name'")
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in known}
        if kw.get("start") is not None:
            kw["start"] = tuple(kw["start"])
        if isinstance(kw.get("proof"), list):
            kw["proof"] = "\n".join(kw["proof"])
        return cls(**kw)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def tactics(self) -> list[str]:
        """The reference proof split into tactics (blank lines dropped)."""
        if not self.proof:
            return []
        return [line.strip() for line in self.proof.splitlines() if line.strip()]


def load_theorems(path: str | Path) -> list[Theorem]:
    """Read a JSONL file of theorems. A bad line is logged with its number and skipped."""
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"theorem file not found: {path}")
    theorems = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                theorems.append(Theorem.from_dict(json.loads(line)))
            except (json.JSONDecodeError, BadInput, TypeError) as e:
                log.warning("%s:%d: skipped malformed theorem line: %s", path, lineno, e)
    return theorems


def write_theorems(path: str | Path, theorems: Iterable[Theorem]) -> None:
    with Path(path).open("w", encoding="utf-8") as f:
        for t in theorems:
            f.write(json.dumps(t.to_dict(), ensure_ascii=False) + "\n")
