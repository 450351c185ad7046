"""Preparing the Lake project the REPL runs in, once, with lake's own diagnostics kept.

lean-interact builds a project with lake's output sent to /dev/null, runs
`lake exe cache get` without checking it, and takes any folder holding a
`lake-manifest.json` as ready, so a failed cache download left a project that
every later run accepted and that failed every theorem ("header does not
compile"). Here lean-interact only creates the project (`auto_build=False`);
`lake update` (new projects), `lake exe cache get` (projects needing Mathlib) and
`lake build` run with their output captured to `.lake/rir-setup.log`, a failure
is a `SetupError` quoting lake's error lines, and the project is marked ready
(`.lake/rir-ready`, keyed by its manifest) only after the REPL has imported
Mathlib (if the project needs it) and the imports the theorems share once
(`ReplEnv.setup`, `imports_to_verify`). A marked project is used as it is, so worker
processes started after the setup do no work.
"""
from __future__ import annotations

import hashlib
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Sequence

from lean_env.errors import BadInput, RirError, SetupError
from lean_env.state_tree import one_line
from lean_env.theorems import Theorem
from lean_env.toolchain import require_downloader, require_git, require_lean

READY_MARK = Path(".lake") / "rir-ready"
SETUP_LOG = Path(".lake") / "rir-setup.log"
_ERROR_LINE = re.compile(r"\berror\b|\bfailed\b|cannot|could not|not found", re.IGNORECASE)
MAX_QUOTED = 3  # lake's error lines quoted in the one-line message
MATHLIB_GIT = "https://github.com/leanprover-community/mathlib4.git"


def repl_config(li, project, lean_version: str, mathlib_rev: str, project_dir, memory_limit_mb,
                verbose: bool):
    """lean-interact's LeanREPLConfig and the project folder (None: Lean core only).

    Builds the project first unless it is marked ready; the REPL itself is fetched
    and built by lean-interact (cached, under its own lock).
    """
    require_git("repl")
    toolchain = require_lean("repl")
    try:
        li_project = _project(li, project, lean_version, mathlib_rev, project_dir, toolchain.lake, verbose)
        directory = None if li_project is None else Path(li_project.directory)
        if directory is not None and not is_ready(directory):
            if project == "mathlib" or needs_mathlib(directory):
                require_downloader("repl")
            build_project(directory, toolchain.lake, update=project == "mathlib" and not needs_mathlib(directory))
        kwargs = {} if li_project is not None else {"lean_version": lean_version}
        config = li.LeanREPLConfig(project=li_project, lake_path=toolchain.lake,
                                   memory_hard_limit_mb=memory_limit_mb, verbose=verbose, **kwargs)
    except RirError:
        raise
    except Exception as e:  # git, lake and clone failures surface as many exception types
        text = str(e).strip().splitlines()
        raise SetupError(f"could not set up the Lean REPL for project {project!r} (Lean {lean_version}): "
                         f"{text[0] if text else type(e).__name__}") from None
    return config, directory


def _project(li, project, lean_version: str, mathlib_rev: str, project_dir, lake: Path, verbose: bool):
    if project is None:
        return None
    if project == "mathlib":
        mathlib = li.LeanRequire("mathlib", MATHLIB_GIT, mathlib_rev)
        where = {"directory": str(_checked_project_dir(Path(project_dir)))} if project_dir else {}
        return li.TempRequireProject(lean_version=lean_version, require=[mathlib], lake_path=lake,
                                     verbose=verbose, auto_build=False, **where)
    directory = Path(project)
    if not (directory / "lakefile.lean").is_file() and not (directory / "lakefile.toml").is_file():
        raise BadInput(f"REPL project '{directory}' is not a Lake project (no lakefile.lean/.toml)")
    return li.LocalProject(directory=str(directory), lake_path=lake, auto_build=False)


def _checked_project_dir(directory: Path) -> Path:
    # lean-interact wipes a project directory that has no lake-manifest.json: never a user's files.
    if directory.is_dir() and any(directory.iterdir()) and not (directory / "lake-manifest.json").is_file():
        raise BadInput(f"REPL project_dir '{directory}' is not empty and holds no Lake project; "
                       "give an empty or new directory")
    return directory


_PROJECT_FILES = ("lake-manifest.json", "lakefile.lean", "lakefile.toml", "lean-toolchain")


def manifest_key(directory: Path) -> str | None:
    """What the ready mark records: a hash of the files that pin the project's build
    (a changed dependency or toolchain makes the mark stale)."""
    found = [directory / name for name in _PROJECT_FILES if (directory / name).is_file()]
    if not found:
        return None
    digest = hashlib.sha256()
    for path in found:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def is_ready(directory: Path) -> bool:
    key = manifest_key(directory)
    mark = directory / READY_MARK
    return key is not None and mark.is_file() and mark.read_text(encoding="utf-8").strip() == key


def mark_ready(directory: Path) -> None:
    key = manifest_key(directory)
    if key is None:
        raise SetupError(f"REPL project {directory} has no lakefile or manifest after its build")
    (directory / READY_MARK).parent.mkdir(parents=True, exist_ok=True)
    (directory / READY_MARK).write_text(key + "\n", encoding="utf-8")


def unmark(directory: Path) -> None:
    (directory / READY_MARK).unlink(missing_ok=True)


def needs_mathlib(directory: Path) -> bool:
    """Whether the project depends on Mathlib (then its build cache must be fetched)."""
    manifest = directory / "lake-manifest.json"
    return manifest.is_file() and '"mathlib"' in manifest.read_text(encoding="utf-8", errors="replace")


def imports_to_verify(directory: Path, theorems: Sequence[Theorem], default_header: str = "") -> list[str]:
    """What the REPL must import before the project counts as built: `import Mathlib` when
    it depends on Mathlib, and the imports most of the theorems share (a local project's
    own modules), each once. Only import lines: the rest of a header is the theorem's."""
    wanted = ["import Mathlib"] if needs_mathlib(directory) else []
    blocks = Counter(import_block(t.header or default_header) for t in theorems)
    blocks.pop("", None)
    if blocks:
        common = blocks.most_common(1)[0][0]
        if common not in wanted:
            wanted.append(common)
    return wanted


def import_block(header: str) -> str:
    """The `import` lines of a header, in order."""
    return "\n".join(line.strip() for line in header.splitlines() if line.strip().startswith("import "))


def unanswered_import(directory: Path, header: str, error: Exception, timeout: float) -> SetupError:
    """The setup's verdict on a verifying import that timed out or killed the REPL."""
    if isinstance(error, TimeoutError):
        return SetupError(f"`{one_line(header)}` took over {timeout:g}s in the REPL project {directory}: raise "
                          "open_timeout (--env-option open_timeout=SECONDS) on a slow machine")
    return SetupError(f"the REPL died running `{one_line(header)}` in {directory}: {one_line(error)}")


def check_import(li, directory: Path, header: str, response) -> None:
    """A verifying import's answer: any error refuses the project, pointing at lake's log."""
    errors = [response.message] if isinstance(response, li.interface.LeanError) else \
        [m.data for m in response.get_errors()]
    if errors:
        built = directory / SETUP_LOG
        raise SetupError(f"the REPL project {directory} was built but `{one_line(header)}` fails: "
                         f"{one_line(errors[0])}; run `lake exe cache get && lake build` in {directory}, "
                         f"or delete it and rerun" + (f" (lake's log: {built})" if built.is_file() else ""))


def build_project(directory: Path, lake: Path, update: bool) -> None:
    """`lake update` (if asked), `lake exe cache get` (Mathlib), `lake build`, each checked.

    Holds lean-interact's own lock on the project, so two runs never build it at once.
    """
    from filelock import FileLock

    log_path = directory / SETUP_LOG
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{directory}.lock"), log_path.open("w", encoding="utf-8") as log:
        if update:
            _lake(directory, lake, ["update"], log, log_path)
        if needs_mathlib(directory):
            _lake(directory, lake, ["exe", "cache", "get"], log, log_path,
                  hint="Mathlib's build cache could not be downloaded (network or rate limit?); rerun, or "
                       f"run `lake exe cache get` in {directory}")
        _lake(directory, lake, ["build"], log, log_path)


def _lake(directory: Path, lake: Path, args: list[str], log, log_path: Path, hint: str = "") -> None:
    command = [str(lake), *args]
    log.write(f"$ lake {' '.join(args)}\n")
    log.flush()
    try:
        done = subprocess.run(command, cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, errors="replace", check=False)
    except OSError as e:
        raise SetupError(f"could not run `lake {' '.join(args)}` in {directory}: {e}") from None
    log.write(done.stdout)
    log.flush()
    if done.returncode != 0:
        raise SetupError(f"`lake {' '.join(args)}` failed in {directory} (exit {done.returncode}): "
                         f"{diagnostics(done.stdout)}{'; ' + hint if hint else ''} (full log: {log_path})")


def diagnostics(output: str) -> str:
    """lake's error lines, joined on one line (its last line when none reads as an error)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if _ERROR_LINE.search(line)]
    quoted = errors[-MAX_QUOTED:] or lines[-1:] or ["(no output)"]
    return " | ".join(quoted)
