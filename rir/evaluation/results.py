"""The results file of `rir eval`: one `SearchResult.to_dict()` line per theorem.

Records are SearchResults everywhere but here, where they are read and written.

Only the parent process writes it: one whole line, flushed and fsynced, per theorem
(through lean_env.jsonl), so a kill loses at most the theorems in flight; a line
torn by a kill mid-write is cut off on the next run, and that theorem is proved again.

A run holds an exclusive lock (flock) on the file for its whole duration, so two
runs never write the same file. A file that exists is first recognised as a results
file (its first line a results record); anything else is refused untouched, and
nothing is cut or written before every check has passed.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
from pathlib import Path

from lean_env import jsonl
from lean_env.errors import BadInput
from rir.prover import BI_LEVEL_SETTINGS, ProverSettings, normalize_model
from search.result import SearchResult

log = logging.getLogger("rir")

# Settings that do not change what a search finds, so a resumed run may differ in them.
_IRRELEVANT_SETTINGS = ("device",)
STATUSES = ("proved", "failed", "error", "check_failed")
# A file from before --flat-actor was run without one (its default is now auto).
_DEFAULTS = ProverSettings(flat_actor=None).to_dict()
# What every line `rir eval` writes has: the first line must have them all.
RECORD_KEYS = ("name", "status", "stats", "settings")


def _record_problem(record) -> str | None:
    if not (isinstance(record, dict) and isinstance(record.get("name"), str)
            and record.get("status") in STATUSES):
        return "expected an object with 'name' and 'status'"
    return None


def parse_lines(data: bytes, path: Path) -> tuple[list[tuple[int, dict]], int]:
    """(line number, record as stored) of each whole line of a results file's bytes, and
    the length of the whole lines. Bytes after the last newline are a line torn by a
    kill: not a record. A malformed whole line is not ours to repair: BadInput naming it.
    """
    try:
        lines, whole = jsonl.split_lines(data)
    except UnicodeDecodeError as e:
        raise BadInput(f"{path}: {e.reason}: not UTF-8") from None
    records = []
    for line in lines:
        try:
            record = json.loads(line.text)
            problem = _record_problem(record)
            if problem:
                raise ValueError(problem)
        except ValueError as e:
            raise BadInput(f"{path}:{line.lineno}: not a results line ({e})") from None
        records.append((line.lineno, record))
    return records, whole


def to_result(record: dict, path: Path, lineno: int) -> SearchResult:
    """A stored record as the SearchResult it was written from; BadInput naming the line."""
    try:
        return SearchResult.from_dict(record)
    except (TypeError, KeyError, AttributeError) as e:
        raise BadInput(f"{path}:{lineno}: not a results line ({type(e).__name__}: {e})") from None


def parse_results(data: bytes, path: Path) -> tuple[list[SearchResult], int]:
    """The results in a results file's bytes, and the length of its whole lines (see parse_lines)."""
    lines, whole = parse_lines(data, path)
    return [to_result(record, path, lineno) for lineno, record in lines], whole


def check_is_results_file(data: bytes, path: Path) -> None:
    """Refuse a file whose first line is not a whole results record (e.g. a theorem set)."""
    if not data.strip():
        return
    first = data.lstrip().split(b"\n", 1)
    try:
        record = json.loads(first[0])
    except ValueError:
        record = None
    if len(first) < 2 or _record_problem(record) or any(k not in record for k in RECORD_KEYS):
        raise BadInput(f"{path} exists and is not a results file (its first line is not a "
                       "results record): choose another --out")


def read_results(path: Path) -> list[SearchResult]:
    """Finished records in `path` (none if it does not exist). Reads only."""
    data = _read(path)
    check_is_results_file(data, path)
    return parse_results(data, path)[0]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes() if path.exists() else b""
    except OSError as e:
        raise BadInput(f"cannot read results file {path}: {e.strerror}") from None


def check_settings(records: list[SearchResult], settings: ProverSettings, path: Path) -> None:
    """A results file holds one experiment: refuse to mix in results of other settings.
    Every record is compared, not only the last of each theorem."""
    ours = _comparable(settings.to_dict())
    for record in records:
        theirs = _comparable(record.settings)
        if theirs and theirs != ours:
            diff = ", ".join(f"{k} {theirs.get(k)!r} -> {ours.get(k)!r}"
                             for k in sorted(set(ours) | set(theirs)) if ours.get(k) != theirs.get(k))
            raise BadInput(f"{path} holds results of other settings ({diff}): "
                           "use another --out, or --force to add to it anyway")


def _comparable(settings: dict) -> dict:
    # A setting added after the file was written had its default in that run.
    added = {k: v for k, v in _DEFAULTS.items() if k not in settings and k != "model"}
    settings = json.loads(json.dumps({**added, **settings}))  # as it reads back from the file
    if isinstance(settings.get("model"), str):  # files written before model paths were normalised
        settings["model"] = normalize_model(settings["model"])
    # a flat file resumes whatever its bi-level options were
    ignored = _IRRELEVANT_SETTINGS + (BI_LEVEL_SETTINGS if settings.get("mode") == "flat" else ())
    return {k: v for k, v in settings.items() if k not in ignored}


class ResultsFile:
    """A results file opened for one run: locked, checked, its torn tail cut, appendable.

    `records` are all its records in file order. Use as a context manager.
    """

    def __init__(self, path: str | Path, settings: ProverSettings, force: bool = False):
        self.path = Path(path)
        self.appended = 0  # records written by this run
        if self.path.is_dir():
            raise BadInput(f"cannot read results file {self.path}: Is a directory")
        self._writer = self._open_locked()
        try:
            data = _read(self.path)
            check_is_results_file(data, self.path)
            self.records, whole = parse_results(data, self.path)
            if not force:
                check_settings(self.records, settings, self.path)
            if whole < len(data):  # only now, with every check passed
                log.warning("%s: dropped a torn last line (%d bytes) left by an interrupted run",
                            self.path, len(data) - whole)
                self._writer.file.truncate(whole)
                os.fsync(self._writer.file.fileno())
        except BaseException:
            self.close()
            raise

    def _open_locked(self) -> jsonl.Appender:
        try:
            writer = jsonl.Appender.open(self.path)
        except OSError as e:
            raise BadInput(f"cannot write results file {self.path}: {e.strerror}") from None
        try:
            fcntl.flock(writer.file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            writer.close()
            holder = lock_holder(self.path)
            who = f"process {holder}" if holder else "another process"
            raise BadInput(f"{self.path} is in use by {who} (another rir eval?): "
                           "wait for it to finish or choose another --out") from None
        return writer

    def append(self, result: SearchResult) -> None:
        """One whole line, or none: a failed write (disk full, I/O error) is cut back off,
        so the earlier records stay a valid file that a rerun resumes."""
        fd = self._writer.file.fileno()
        before = os.fstat(fd).st_size
        try:
            self._writer.append(result.to_dict())
        except OSError as e:
            try:
                os.ftruncate(fd, before)
            except OSError:
                pass  # the next run cuts a torn last line anyway
            raise BadInput(f"cannot write results file {self.path}: {e.strerror or e} (the "
                           f"{len(self.records) + self.appended} results before are kept; rerun to "
                           "resume)") from None
        self.appended += 1

    def close(self) -> None:
        self._writer.close()  # closing the file releases the lock

    def __enter__(self) -> "ResultsFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def lock_holder(path: Path) -> int | None:
    """The pid holding a flock on `path`, from /proc/locks (Linux); None if unknown."""
    try:
        inode = os.stat(path).st_ino
        with open("/proc/locks") as f:
            for line in f:
                fields = line.split()
                if "FLOCK" in fields and len(fields) >= 6:
                    if fields[5].rsplit(":", 1)[-1] == str(inode):
                        return int(fields[4])
    except (OSError, ValueError):
        pass
    return None
