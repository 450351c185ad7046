"""The one JSONL reader and writer: append with fsync, atomic rewrite, read with line numbers.

A line is one JSON value. Writers refuse NaN and infinities (`allow_nan=False`):
they are not JSON and other readers reject them. Reading returns the byte length
of the whole lines, so a caller that owns the file can cut a torn last line.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator


def dumps(value: Any) -> str:
    """One JSON line (no newline); ValueError on NaN/inf."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True)
class Line:
    lineno: int  # 1-based
    text: str


def split_lines(data: bytes) -> tuple[list[Line], int]:
    """The non-blank whole lines in `data` and the byte length they cover.

    Bytes after the last newline are a torn line, not returned. Bytes that are not
    UTF-8 raise UnicodeDecodeError with the line number in `reason`.
    """
    whole = data.rfind(b"\n") + 1
    out = []
    for lineno, raw in enumerate(data[:whole].split(b"\n")[:-1], 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise UnicodeDecodeError(e.encoding, e.object, e.start, e.end, f"line {lineno}") from None
        if text.strip():
            out.append(Line(lineno, text))
    return out, whole


def read_lines(path: str | Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) of each non-blank line; a trailing unterminated line counts."""
    data = Path(path).read_bytes()
    if data and not data.endswith(b"\n"):
        data += b"\n"
    lines, _ = split_lines(data)
    for line in lines:
        yield line.lineno, json.loads(line.text)


def read_entries(path: str | Path) -> list[tuple[int, Any]]:
    """(line number, parsed value) of each non-blank line, where a line that is not
    UTF-8 or not JSON gives its ValueError as the value: the caller names and skips it."""
    data = Path(path).read_bytes()
    entries: list[tuple[int, Any]] = []
    for lineno, raw in enumerate(data.split(b"\n"), 1):
        try:
            text = raw.decode("utf-8")
            if text.strip():
                entries.append((lineno, json.loads(text)))
        except UnicodeDecodeError:
            entries.append((lineno, ValueError("not UTF-8")))
        except ValueError as e:
            entries.append((lineno, e))
    return entries


class Appender:
    """Appends whole lines to a file, each flushed and fsynced before `append` returns."""

    def __init__(self, file: IO[str]):
        self.file = file

    @classmethod
    def open(cls, path: str | Path) -> "Appender":
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(path.open("a", encoding="utf-8"))

    def append(self, value: Any) -> None:
        data = (dumps(value) + "\n").encode("utf-8")  # serialise first: a bad value writes nothing
        # Straight to the descriptor: no buffer keeps a half-written line to flush later.
        fd, view = self.file.fileno(), memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)

    def close(self) -> None:
        self.file.close()


def append(path: str | Path, value: Any) -> None:
    """Append one synced line to `path` (made, with its folder, if missing)."""
    writer = Appender.open(path)
    try:
        writer.append(value)
    finally:
        writer.close()


def write_atomic(path: str | Path, values: Iterable[Any]) -> None:
    """Replace `path` with these lines all at once: a kill leaves the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for value in values:
                f.write(dumps(value) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
