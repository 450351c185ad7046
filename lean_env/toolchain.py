"""Finding the Lean toolchain (elan, lean, lake) and git before anything slow starts.

The real backends spawn `lake env lean ...` (LeanDojo) or `lake env repl`
(lean-interact). Without them both libraries fail deep inside a subprocess
call; checking first turns that into one line telling the user what to install.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from lean_env.errors import MissingDependency

ELAN_URL = "https://github.com/leanprover/elan"
# The Lean version miniF2F and the pinned Mathlib target (see lean_env/data/minif2f/SOURCE.md).
DEFAULT_LEAN_VERSION = "v4.24.0"
INSTALL_HINT = (
    f"install elan ({ELAN_URL}): `curl https://raw.githubusercontent.com/leanprover/elan/master/elan-init.sh "
    f"-sSf | sh -s -- -y --default-toolchain leanprover/lean4:{DEFAULT_LEAN_VERSION}` "
    "and then `source ~/.elan/env`"
)


@dataclass(frozen=True)
class Toolchain:
    """Paths of the Lean executables found; `elan` may be absent (a bare Lean install)."""

    lean: Path
    lake: Path
    elan: Path | None


def elan_bin_dir() -> Path:
    """Where elan puts its shims: $ELAN_HOME/bin, by default ~/.elan/bin."""
    home = os.environ.get("ELAN_HOME") or str(Path.home() / ".elan")
    return Path(home) / "bin"


def find_tool(name: str) -> Path | None:
    """`name` on PATH, else in elan's bin directory, else None."""
    found = shutil.which(name)
    if found:
        return Path(found)
    candidate = elan_bin_dir() / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return candidate
    return None


def require_lean(backend: str, on_path: bool = False) -> Toolchain:
    """The Lean toolchain, or MissingDependency saying what to install (one line).

    `on_path`: the backend runs `lake` through a shell (LeanDojo), so finding it
    only in ~/.elan/bin is not enough.
    """
    lean, lake = find_tool("lean"), find_tool("lake")
    missing = [name for name, path in (("lean", lean), ("lake", lake)) if path is None]
    if missing:
        raise MissingDependency(
            f"Lean toolchain not found for the {backend} backend (no {' or '.join(missing)} "
            f"on PATH or in {elan_bin_dir()}): {INSTALL_HINT}"
        )
    if on_path and not shutil.which("lake"):
        raise MissingDependency(
            f"lake was found in {lake.parent} but the {backend} backend needs it on PATH: "
            f"run `source ~/.elan/env` or add {lake.parent} to PATH"
        )
    return Toolchain(lean=lean, lake=lake, elan=find_tool("elan"))


def require_git(backend: str) -> Path:
    """git, which LeanDojo and lean-interact use to fetch repositories and the REPL."""
    git = shutil.which("git")
    if git is None:
        raise MissingDependency(
            f"git not found: the {backend} backend needs git >= 2.25 on PATH "
            "(e.g. `apt-get install git`)"
        )
    return Path(git)


def require_downloader(backend: str) -> Path:
    """curl or wget, which `lake exe cache get` uses to download Mathlib's build cache."""
    for name in ("curl", "wget"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise MissingDependency(
        f"neither curl nor wget found: the {backend} backend downloads Mathlib's build cache "
        "with `lake exe cache get`, which needs one of them (e.g. `apt-get install curl`)"
    )
