"""The LeanDojo backend: a theorem in a traced repository, driven through `lean_dojo.Dojo`.

One `Dojo` (one `lake env lean` process running LeanDojo's REPL) serves one
theorem. A tactic timeout leaves that process mid-answer, so after a timeout
the backend closes it, opens a fresh Dojo and replays the tactics leading to
the state the timeout happened on. A tactic that crashes Lean is reopened and
replayed the same way and fails as a `LeanError`, so the search goes on; a
`Crash` (the search ends) is a crash the backend could not come back from.

`lean_env.state_tree.StateTree` (how each state was reached) is shared with
the REPL backend, which restarts its server for the same reasons.
"""
from __future__ import annotations

import fcntl
import logging
import os
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from lean_env.errors import BadInput, InfraError, MissingDependency, OpenError, SetupError
from lean_env.protocol import (
    NO_GOALS,
    Crash,
    Environment,
    LeanError,
    Outcome,
    ProofFinished,
    TacticState,
    Timeout,
)
from lean_env.state_tree import ReplayFailed, StateTree, one_line, same_state
from lean_env.theorems import Theorem
from lean_env.toolchain import require_git, require_lean

REPLAY_TIMEOUT_FACTOR = 4.0  # replay_timeout = this × timeout unless given
log = logging.getLogger("rir")


# How Dojo.__enter__ words Lean dying, or running past the timeout, before the theorem.
_LEAN_SIDE = ("Unexpected EOF", "Timeout during initialization")


class _Unanswered(Exception):
    """Lean gave no initial state: not the theorem's verdict."""


def _import_lean_dojo():
    """lean_dojo, imported only when the backend is used (it checks git when imported)."""
    try:
        import lean_dojo
    except ImportError as e:
        raise MissingDependency(f"lean-dojo is not installed ({e}): pip install 'rir[dojo]' (Python < 3.13)") from None
    except Exception as e:  # lean_dojo checks git and logs into GitHub when imported
        raise MissingDependency(f"lean-dojo cannot start: {_import_failure(e)}") from None
    return lean_dojo


def _import_failure(e: BaseException) -> str:
    """What made `import lean_dojo` fail, named as it is."""
    if isinstance(e, (subprocess.CalledProcessError, AssertionError, FileNotFoundError)):  # check_git_version
        return f"it needs git >= 2.25 ({one_line(e)})"
    module = type(e).__module__.split(".")[0]
    if module in ("github", "requests", "urllib3") and os.environ.get("GITHUB_ACCESS_TOKEN"):
        return f"GitHub refused or could not check GITHUB_ACCESS_TOKEN ({type(e).__name__}: {one_line(e)}); fix or unset it"
    return f"{type(e).__name__}: {one_line(e)}"


class DojoEnv(Environment):
    """LeanDojo 4.20: theorems given by url, commit, file_path and full_name.

    `timeout`: seconds per tactic; `open_timeout`: seconds for Lean to reach the
    theorem when a Dojo opens (it elaborates the file up to it). `benchmark_dir`,
    `mathlib_commit`: where `find_theorem` looks Mathlib names up. `env_time`
    accumulates seconds spent in Lean, reopening and replays included.
    """

    name = "dojo"

    def __init__(self, timeout: float = 60.0, open_timeout: float = 600.0,
                 additional_imports: tuple[str, ...] = (), build_deps: bool = True,
                 replay_timeout: float | None = None, benchmark_dir: str | None = None,
                 mathlib_commit: str | None = None):
        if timeout <= 0 or open_timeout <= 0:
            raise BadInput("LeanDojo timeouts must be positive")
        self.timeout = timeout
        self.open_timeout = open_timeout
        # A tactic that ran just under `timeout` must not time out when replayed.
        self.replay_timeout = replay_timeout or REPLAY_TIMEOUT_FACTOR * timeout
        self.additional_imports = list(additional_imports)
        self.build_deps = build_deps
        # Where `find_theorem` looks Mathlib names up (lean_env.mathlib_index; env vars otherwise).
        self.benchmark_dir, self.mathlib_commit = benchmark_dir, mathlib_commit
        self.env_time = 0.0
        self._lean_dojo = None
        self._repos: dict[tuple[str, str], object] = {}  # LeanGitRepo per (url, commit)
        self._traced: set[tuple[str, str]] = set()  # repositories set up by this environment
        self._theorem: Theorem | None = None
        self._entry = None  # the lean_dojo.Theorem being proved
        self._dojo = None  # the live Dojo, None after a timeout or crash until reopened
        self._tree = StateTree()

    # -- setup --

    @classmethod
    def open_allowance(cls, options: dict, first: bool) -> float:
        # Every Dojo elaborates the theorem's file up to it in a fresh Lean, retried once.
        return 2 * float(cls._option(options, "open_timeout"))

    def setup(self, theorems: Sequence[Theorem] = ()) -> None:
        """Trace (or fetch from LeanDojo's remote cache) every repository the theorems name.

        Once, in one process, under a lock, so concurrent workers or runs never trace
        the same repository twice (LeanDojo's own tracing takes none): hours for
        Mathlib the first time, then found in LeanDojo's cache at once.
        """
        repos = sorted({(t.url, t.commit) for t in theorems if t.url and t.commit})
        if not repos:
            return
        require_git("dojo")
        require_lean("dojo", on_path=True)
        self._lean_dojo = self._lean_dojo or _import_lean_dojo()
        for url, commit in repos:
            if (url, commit) not in self._traced:
                self.traced_repo_path(url, commit)
                self._traced.add((url, commit))

    def traced_repo_path(self, url: str, commit: str) -> Path:
        """Where LeanDojo's cache holds the traced repository; traces it first if needed."""
        from lean_dojo.constants import CACHE_DIR

        ld = self._lean_dojo = self._lean_dojo or _import_lean_dojo()
        try:
            repo = self._repo(url, commit)
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            with (CACHE_DIR / "rir-trace.lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                return Path(ld.get_traced_repo_path(repo, self.build_deps))
        except Exception as e:  # git, GitHub, network, lake and tracing failures alike
            raise SetupError(f"LeanDojo could not trace or fetch {url}@{commit}: "
                             f"{type(e).__name__}: {one_line(e)}") from None

    def find_theorem(self, name: str) -> Theorem:
        """A Mathlib theorem by name: the benchmark folder, then the traced Mathlib commit."""
        from lean_env.mathlib_index import MathlibTheorems

        return MathlibTheorems(self.benchmark_dir, self.mathlib_commit, trace=self._trace_for_index).find(name)

    def _trace_for_index(self, url: str, commit: str) -> Path:
        require_git("dojo")
        require_lean("dojo", on_path=True)
        return self.traced_repo_path(url, commit)

    def _repo(self, url: str, commit: str):
        if (url, commit) not in self._repos:
            self._repos[(url, commit)] = self._lean_dojo.LeanGitRepo(url, commit)
        return self._repos[(url, commit)]

    # -- protocol --

    def open(self, theorem: Theorem) -> TacticState:
        self.close()
        missing = [f for f in ("url", "commit", "file_path") if not getattr(theorem, f)]
        if missing:
            raise OpenError(f"cannot open '{theorem.full_name}' with LeanDojo: no {', '.join(missing)} "
                            "(give a LeanDojo benchmark file, or --repo/--commit/--file)")
        require_git("dojo")
        require_lean("dojo", on_path=True)
        with self._clock():
            self.setup([theorem])  # done already in `rir eval`'s parent; here for `rir prove`
            self._entry = self._dojo_theorem(theorem)
            init = self._start(theorem)
        self._theorem = theorem
        self._tree = StateTree()
        sid = self._tree.add(None, None, init.pp, init.id)
        return TacticState(init.pp, init.num_goals, sid)

    def run_tac(self, state: TacticState, tactic: str) -> Outcome:
        if self._theorem is None:
            raise RuntimeError("run_tac before open: no theorem is open")
        if not tactic.strip():
            return LeanError("empty tactic")
        with self._clock():
            return self._run(state.id, tactic)

    def close(self) -> None:
        self._exit_dojo()
        self._theorem = self._entry = None
        self._tree = StateTree()

    # -- opening --

    @contextmanager
    def _clock(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.env_time += time.perf_counter() - start

    def _dojo_theorem(self, theorem: Theorem):
        ld = self._lean_dojo
        try:
            return ld.Theorem(self._repo(theorem.url, theorem.commit), Path(theorem.file_path), theorem.full_name)
        except Exception as e:  # LeanDojo reports a bad repo as ValueError, AssertionError, GitHub errors
            raise OpenError(f"cannot open '{theorem.full_name}': repository {theorem.url}@{theorem.commit}: "
                            f"{one_line(e)}") from None

    def _start(self, theorem: Theorem):
        """Open a fresh Dojo on the current entry; its initial lean_dojo.TacticState.

        Lean dying or running past `open_timeout` before it reaches the theorem is
        retried once in a fresh process; twice is an InfraError, which a resume retries.
        """
        try:
            return self._start_once(theorem)
        except _Unanswered as e:
            log.warning("%s: %s; retrying in a fresh Lean", theorem.full_name, e)
        try:
            return self._start_once(theorem)
        except _Unanswered as e:
            raise InfraError(f"cannot open '{theorem.full_name}' in {theorem.file_path}: {e} (twice; "
                             "raise --env-option open_timeout=SECONDS on a slow machine)") from None

    def _start_once(self, theorem: Theorem):
        ld = self._lean_dojo
        dojo = ld.Dojo(self._entry, timeout=self.open_timeout, additional_imports=self.additional_imports,
                       build_deps=self.build_deps)
        try:
            _, init = dojo.__enter__()
            # Dojo has one timeout, given to pexpect at spawn; tactics get the shorter one.
            dojo.proc.timeout = self.timeout
        except Exception as e:  # DojoInitError, and tracing failures (assert, CalledProcessError, ...)
            self._exit_quietly(dojo)
            if isinstance(e, ld.DojoInitError) and str(e) in _LEAN_SIDE:
                raise _Unanswered(f"Lean gave no initial state ({e}, within {self.open_timeout:g}s)") from None
            kind = "" if isinstance(e, ld.DojoInitError) else f"{type(e).__name__}: "
            raise OpenError(f"cannot open '{theorem.full_name}' in {theorem.file_path}: "
                            f"{kind}{one_line(e)}") from None
        self._dojo = dojo
        return init

    @staticmethod
    def _exit_quietly(dojo) -> None:
        # A Dojo that failed half-way may lack its process or its temporary file.
        try:
            dojo.__exit__(None, None, None)
        except Exception as e:
            log.debug("closing a Dojo: %s", e)

    def _exit_dojo(self) -> None:
        if self._dojo is not None:
            self._exit_quietly(self._dojo)
            self._dojo = None

    def _reopen(self) -> None:
        """A fresh Dojo for the open theorem; only the root state is live in it."""
        self._exit_dojo()
        init = self._start(self._theorem)
        self._tree.restart(init.id)

    # -- tactics --

    def _run(self, sid: int, tactic: str) -> Outcome:
        ld = self._lean_dojo
        if self._dojo is not None and not self._alive():
            self._exit_dojo()  # it died while idle (killed, out of memory): reopened below
        try:
            if self._dojo is None:
                self._reopen()
            self._tree.restore(sid, self._replay_step)
        except (OpenError, InfraError, ReplayFailed, ld.DojoCrashError, ld.DojoTacticTimeoutError) as e:
            self._exit_dojo()
            return Crash(f"could not restore state {sid} of {self._theorem.full_name}: {one_line(e)}")
        limit = self.tactic_limit(self.timeout)  # never past the search's deadline
        try:
            self._check_alive()
            self._dojo.proc.timeout = limit
            result = self._dojo.run_tac(self._dojo_state(sid), tactic)
        except ld.DojoTacticTimeoutError:
            if not self.past_deadline():  # the search goes on: bring the state back now
                self._recover(sid, "a timeout")
            else:
                self._exit_dojo()  # poisoned; the next run_tac reopens it
            return Timeout(f"tactic timed out after {limit:g}s")
        except ld.DojoCrashError as e:
            oom = e.is_out_of_memory or self._killed_for_memory()
            self._exit_dojo()
            return self._after_crash(sid, f"Lean crashed{' out of memory' if oom else ''}: {one_line(e)}", oom)
        return self._outcome(sid, tactic, result)

    def _after_crash(self, sid: int, message: str, oom: bool) -> Outcome:
        """The tactic killed Lean: bring `sid` back in a fresh Dojo, so the search goes on
        with this tactic failed; a Crash (the search ends) only when that fails."""
        if self.past_deadline() or not self._recover(sid, "a crash"):
            return Crash(message, out_of_memory=oom)
        return LeanError(f"{message} (reopened and replayed)")

    def _outcome(self, sid: int, tactic: str, result) -> Outcome:
        ld = self._lean_dojo
        if isinstance(result, ld.TacticState):
            new = self._tree.add(sid, tactic, result.pp, result.id)
            return TacticState(result.pp, result.num_goals, new)
        if isinstance(result, ld.ProofFinished):
            return ProofFinished(self._tree.add(sid, tactic, NO_GOALS, result.tactic_state_id))
        if isinstance(result, ld.LeanError):
            return LeanError(result.error)
        if isinstance(result, ld.ProofGivenUp):
            return LeanError("the tactic gave up: the proof contains `sorry`")
        raise TypeError(f"unexpected LeanDojo result {result!r}")

    def _recover(self, sid: int, after: str) -> bool:
        """A timeout or crash poisons a Dojo: reopen it and replay up to `sid` now."""
        ld = self._lean_dojo
        try:
            self._reopen()
            self._tree.restore(sid, self._replay_step)
            return True
        except (OpenError, InfraError, ReplayFailed, ld.DojoCrashError, ld.DojoTacticTimeoutError) as e:
            # After a timeout not fatal: the next run_tac retries, and reports a Crash if it fails again.
            log.warning("%s: reopening after %s failed: %s", self._theorem.full_name, after, one_line(e))
            self._exit_dojo()
            return False

    def _dojo_state(self, sid: int):
        """The lean_dojo.TacticState of `sid` in the live Dojo (run_tac reads only its sid)."""
        return self._lean_dojo.TacticState(self._tree.nodes[sid].pp, self._tree.live[sid])

    def _replay_step(self, parent: int, tactic: str, expected_pp: str) -> int:
        ld = self._lean_dojo
        self._check_alive()
        proc = self._dojo.proc
        proc.timeout = self.replay_timeout
        try:
            result = self._dojo.run_tac(self._dojo_state(parent), tactic)
        finally:
            proc.timeout = self.timeout
        if isinstance(result, ld.TacticState):
            if not same_state(result.pp, expected_pp):
                raise ReplayFailed(f"replaying `{tactic}` reached another state than the search's: "
                                   f"{one_line(result.pp)!r} instead of {one_line(expected_pp)!r}")
            return result.id
        if isinstance(result, ld.ProofFinished) and expected_pp == NO_GOALS:
            return result.tactic_state_id
        raise ReplayFailed(f"replaying `{tactic}` gave {result!r}")

    def _alive(self) -> bool:
        proc = getattr(self._dojo, "proc", None)
        return proc is None or proc.isalive()

    def _check_alive(self) -> None:
        """Raise DojoCrashError if the Lean child has exited since the last tactic.

        LeanDojo's own check asserts an exit code, which a child killed by a signal
        while idle lacks, so its AssertionError would escape the search.
        """
        proc = getattr(self._dojo, "proc", None)
        if proc is None or proc.isalive():
            return
        code, sig = getattr(proc, "exitstatus", None), getattr(proc, "signalstatus", None)
        how = f"signal {sig}" if sig is not None else f"exit code {code}"
        raise self._lean_dojo.DojoCrashError("OOM" if code == 137 else f"Lean exited while idle ({how})")

    def _killed_for_memory(self) -> bool:
        """LeanDojo says "OOM" only when it sees exit 137 before reading; look after EOF too."""
        proc = getattr(self._dojo, "proc", None)
        if proc is None:
            return False
        try:
            proc.isalive()  # reaps the process so its exit status is known
        except Exception:
            return False
        return getattr(proc, "exitstatus", None) == 137 or getattr(proc, "signalstatus", None) == 9
