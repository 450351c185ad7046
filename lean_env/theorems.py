"""Theorem records and their JSONL loader."""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Iterable

from lean_env import jsonl
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
        statement = d.get("statement")
        if statement is None and not (d.get("url") and d.get("file_path")):
            # A LeanDojo theorem is found by its coordinates; any other needs its statement.
            raise BadInput(f"theorem '{name}' has no 'statement' field")
        if statement is not None and not isinstance(statement, str):
            raise BadInput(f"theorem '{name}': 'statement' is {type(statement).__name__}, not a string")
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
        """The reference proof split into its top-level tactics as Lean's layout does
        (a multi-line `have … := by` block or `·` block is one tactic; blank lines dropped)."""
        if not self.proof:
            return []
        from lean_env.micro.layout import split_tactics

        return split_tactics(self.proof)


def read_theorems(path: str | Path) -> tuple[list[Theorem], list[str]]:
    """The theorems of a JSONL file, and a `path:line: why` for each line skipped
    (not JSON, not UTF-8, not a theorem record)."""
    path = Path(path)
    if path.is_dir():
        raise BadInput(f"{path} is a folder, not a theorem file")
    if not path.is_file():
        raise BadInput(f"theorem file not found: {path}")
    try:
        entries = jsonl.read_entries(path)
    except OSError as e:
        raise BadInput(f"cannot read theorem file {path}: {e.strerror}") from None
    theorems, problems = [], []
    for lineno, value in entries:
        if isinstance(value, ValueError):  # not UTF-8, or not JSON
            what = "not UTF-8" if str(value) == "not UTF-8" else f"not JSON ({getattr(value, 'msg', value)})"
            problems.append(f"{path}:{lineno}: skipped line: {what}")
            continue
        try:
            theorems.append(Theorem.from_dict(value))
        except (BadInput, TypeError, ValueError, AttributeError) as e:
            problems.append(f"{path}:{lineno}: skipped line: {e}")
    return theorems, problems


def load_theorems(path: str | Path) -> list[Theorem]:
    """Read a JSONL file of theorems. A bad line is logged with its number and skipped."""
    theorems, problems = read_theorems(path)
    for problem in problems:
        log.warning("%s", problem)
    return theorems


def write_theorems(path: str | Path, theorems: Iterable[Theorem]) -> None:
    jsonl.write_atomic(path, (t.to_dict() for t in theorems))
