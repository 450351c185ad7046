"""Theorems from LeanDojo Benchmark 4 files, or from a repository coordinate.

A benchmark file (e.g. `leandojo_benchmark_4/random/test.json`) is a JSON list
of entries with url, commit, file_path, full_name, theorem_statement, start,
end and traced_tactics, kept as the statement and the reference proof.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from lean_env.errors import BadInput
from lean_env.theorems import Theorem

log = logging.getLogger("rir")

SPLITS = ("train", "val", "test")
REQUIRED = ("url", "commit", "file_path", "full_name")


def theorem_from_repo(url: str, commit: str, file_path: str, full_name: str) -> Theorem:
    """The theorem `full_name` in `file_path` of the repository `url` at `commit`."""
    given = {"url": url, "commit": commit, "file_path": file_path, "full_name": full_name}
    empty = [k for k, v in given.items() if not v or not str(v).strip()]
    if empty:
        raise BadInput(f"theorem '{full_name}': missing {', '.join(empty)}")
    if not str(file_path).endswith(".lean"):
        raise BadInput(f"theorem '{full_name}': file '{file_path}' is not a .lean file")
    return Theorem(full_name=full_name, url=url, commit=commit, file_path=str(file_path))


def theorem_from_entry(entry: Any, split: str | None = None) -> Theorem:
    """One benchmark entry as a Theorem; BadInput says which field is wrong."""
    if not isinstance(entry, dict):
        raise BadInput(f"expected a JSON object, got {type(entry).__name__}")
    missing = [k for k in REQUIRED if not isinstance(entry.get(k), str) or not entry[k]]
    if missing:
        raise BadInput(f"missing or empty {', '.join(missing)}")
    thm = theorem_from_repo(entry["url"], entry["commit"], entry["file_path"], entry["full_name"])
    start = entry.get("start")
    if start is not None:
        if not (isinstance(start, list) and len(start) == 2 and all(isinstance(x, int) for x in start)):
            raise BadInput(f"'start' must be [line, column], got {start!r}")
        start = (start[0], start[1])
    return Theorem(full_name=thm.full_name, url=thm.url, commit=thm.commit,
                   file_path=thm.file_path, start=start, split=split,
                   statement=_text(entry.get("theorem_statement")), proof=_reference_proof(entry))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _reference_proof(entry: dict) -> str | None:
    """The traced tactics, one per line, as `rir check`/`trace` read a proof.

    A multi-line tactic cannot be told apart from two tactics in that form, so
    an entry with one has no reference proof rather than a wrong one.
    """
    traced = entry.get("traced_tactics")
    if not isinstance(traced, list) or not traced:
        return None
    tactics = [t.get("tactic") if isinstance(t, dict) else None for t in traced]
    if not all(isinstance(t, str) and t.strip() and "\n" not in t for t in tactics):
        return None
    return "\n".join(tactics)


def load_benchmark_theorems(path: str | Path) -> list[Theorem]:
    """Theorems of one LeanDojo Benchmark 4 JSON file; a bad entry is logged and skipped."""
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"LeanDojo benchmark file not found: {path}")
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise BadInput(f"{path}: not a LeanDojo benchmark JSON file: {e}") from None
    if not isinstance(entries, list):
        raise BadInput(f"{path}: expected a JSON list of theorem entries, got {type(entries).__name__}")
    # The split is the file's stem in the benchmark layout (random/train.json, ...).
    split = path.stem if path.stem in SPLITS else None
    theorems = []
    for index, entry in enumerate(entries):
        try:
            theorems.append(theorem_from_entry(entry, split))
        except BadInput as e:
            log.warning("%s: entry %d: skipped malformed theorem entry: %s", path, index, e)
    return theorems
