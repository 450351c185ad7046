"""The results file of `rir eval`: one `SearchResult.to_dict()` line per theorem.

Only the parent process writes it: one whole line, flushed and fsynced, per theorem
(through lean_env.jsonl), so a kill loses at most the theorems in flight; a line
torn by a kill mid-write is cut off on the next run, and that theorem is proved again.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from lean_env import jsonl
from lean_env.errors import BadInput
from rir.prover import ProverSettings

log = logging.getLogger("rir")

# Settings that do not change what a search finds, so a resumed run may differ in them.
_IRRELEVANT_SETTINGS = ("device",)


def parse_results(data: bytes, path: Path) -> tuple[list[dict], int]:
    """Records in a results file's bytes, and the length of its whole lines.

    Bytes after the last newline are a line torn by a kill: not a record. A
    malformed whole line is not ours to repair: BadInput naming it.
    """
    whole = data.rfind(b"\n") + 1
    records = []
    for lineno, line in enumerate(data[:whole].splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not (isinstance(record, dict) and isinstance(record.get("name"), str)
                    and record.get("status") in ("proved", "failed", "error")):
                raise ValueError("expected an object with 'name' and 'status'")
        except ValueError as e:
            raise BadInput(f"{path}:{lineno}: not a results line ({e})") from None
        records.append(record)
    return records, whole


def read_results(path: Path) -> list[dict]:
    """Finished records in `path` (none if it does not exist); a torn last line is cut off."""
    if not path.exists():
        return []
    try:
        data = path.read_bytes()
    except OSError as e:
        raise BadInput(f"cannot read results file {path}: {e.strerror}") from None
    records, whole = parse_results(data, path)
    if whole < len(data):
        log.warning("%s: dropped a torn last line (%d bytes) left by an interrupted run",
                    path, len(data) - whole)
        with path.open("r+b") as f:
            f.truncate(whole)
            os.fsync(f.fileno())
    return records


class ResultsWriter:
    """The single writer of a results file: one complete line per record, synced."""

    def __init__(self, path: Path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = jsonl.Appender.open(path)
        except OSError as e:
            raise BadInput(f"cannot write results file {path}: {e.strerror}") from None

    def append(self, record: dict) -> None:
        self._writer.append(record)

    def close(self) -> None:
        self._writer.close()


def check_settings(records: list[dict], settings: ProverSettings, path: Path) -> None:
    """A results file holds one experiment: refuse to mix in results of other settings."""
    ours = _comparable(settings.to_dict())
    for record in records:
        theirs = _comparable(record.get("settings") or {})
        if theirs and theirs != ours:
            diff = ", ".join(f"{k} {theirs.get(k)!r} -> {ours.get(k)!r}"
                             for k in sorted(set(ours) | set(theirs)) if ours.get(k) != theirs.get(k))
            raise BadInput(f"{path} holds results of other settings ({diff}): "
                           "use another --out, or --force to add to it anyway")


def _comparable(settings: dict) -> dict:
    settings = json.loads(json.dumps(settings))  # as it reads back from the file
    return {k: v for k, v in settings.items() if k not in _IRRELEVANT_SETTINGS}
