"""Check output paths before a command starts its work, so that an unwritable path
is a one-line BadInput up front and never throws away a finished search or trace."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from lean_env.errors import BadInput


def _probe(folder: Path, what: str) -> None:
    """Create (then remove) a file in folder: the only test that also holds for root
    and for read-only file systems."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".rir-write-check-")
    except OSError as e:
        raise BadInput(f"cannot write {what}: {e.strerror or e}") from None
    os.close(fd)
    os.unlink(name)


def writable_dir(path: str | os.PathLike, what: str = "") -> Path:
    """The folder path, made if missing; BadInput naming it when it cannot be written."""
    folder = Path(path)
    label = what or str(folder)
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"cannot write {label}: {folder} is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BadInput(f"cannot write {label}: {e.strerror or e}") from None
    _probe(folder, label)
    return folder


def writable_file(path: str | os.PathLike) -> Path:
    """The file path, its folder made if missing; BadInput naming it when it cannot be written."""
    file = Path(path)
    if file.is_dir():
        raise BadInput(f"cannot write {file}: it is a folder")
    writable_dir(file.parent if str(file.parent) else ".", str(file))
    if file.exists() and not os.access(file, os.W_OK):
        raise BadInput(f"cannot write {file}: permission denied")
    return file


def new_file(path: str | os.PathLike, force: bool) -> Path:
    """A writable file path that holds nothing yet, or may be overwritten (`force`)."""
    file = writable_file(path)
    if file.exists() and not force:
        raise BadInput(f"{file} exists: choose another path, or add --force to overwrite it")
    return file


def new_files(folder: str | os.PathLike, names: list[str], force: bool) -> Path:
    """A writable folder in which none of `names` exists yet, or may be overwritten (`force`)."""
    out = writable_dir(folder)
    existing = [name for name in names if (out / name).exists()]
    if existing and not force:
        shown = ", ".join(existing[:3]) + (", ..." if len(existing) > 3 else "")
        raise BadInput(f"{out} already holds {shown}: choose another --out, or add --force "
                       "to overwrite")
    return out


@contextmanager
def writing(path: str | os.PathLike, kept: str = ""):
    """Turn an OSError while writing `path` (disk full, I/O error) into a BadInput naming
    it; `kept` says what the user still has (e.g. "the proof is printed above")."""
    try:
        yield
    except OSError as e:
        raise BadInput(f"cannot write {path}: {e.strerror or e}" + (f" ({kept})" if kept else "")) from None
