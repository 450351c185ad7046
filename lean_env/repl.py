"""The Lean REPL backend through lean-interact: standalone statements with a header.

A theorem (miniF2F style: `header` with imports and opens, `statement` without
a proof) is opened by running its header once per server (cached), then
`statement := by sorry`; the sorry's proof state is the initial state and each
tactic is a `ProofStep` on a proof state.

Every request has a timeout. `LeanServer` kills the REPL when one passes, and a
crashed or out-of-memory REPL dies the same way, so this backend restarts it
and replays the tactics leading to a state (see `lean_env.state_tree.StateTree`)
at once: a tactic that crashed it fails as a `LeanError` and the search goes on;
a `Crash` is a state it could not bring back. Plain
`LeanServer` is used rather than `AutoLeanServer` because the latter restarts
on its own, invalidating proof-state ids without telling us.
"""
from __future__ import annotations

import logging
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from lean_env import repl_setup
from lean_env.repl_statement import statement_with_sorry, step_verdict, whole_proof, whole_proof_verdict
from lean_env.state_tree import ReplayFailed, StateTree, one_line, same_state
from lean_env.errors import BadInput, InfraError, MissingDependency, OpenError, SetupError
from lean_env.processes import StderrDrain
from lean_env.protocol import (
    NO_GOALS,
    Crash,
    ProofCheck,
    Environment,
    LeanError,
    Outcome,
    ProofFinished,
    TacticState,
    Timeout,
)
from lean_env.theorems import Theorem
from lean_env.toolchain import DEFAULT_LEAN_VERSION

log = logging.getLogger("rir")

# The REPL keeps every environment it made (repl#77); past this it is restarted between
# tactics and theorems. Mathlib's import alone takes a few GB.
DEFAULT_RESTART_ABOVE_MB = 16_384.0
REPLAY_TIMEOUT_FACTOR = 4.0  # replay_timeout = this × timeout unless given
# How a dying REPL's stderr reads when it ran out of memory (Lean's allocator, or the kernel).
_OUT_OF_MEMORY = re.compile(r"out of memory|std::bad_alloc|cannot allocate memory", re.IGNORECASE)
# What restoring a state on a fresh REPL can meet: not reaching it means the search cannot go on.
_RESTORE_ERRORS = (OpenError, InfraError, MissingDependency, ReplayFailed, TimeoutError, ConnectionAbortedError,
                   ChildProcessError, ValueError)


class _Unanswered(Exception):
    """Opening got no answer from Lean (a timeout, a dead REPL): not the theorem's verdict."""


def _import_lean_interact():
    try:
        import lean_interact
    except ImportError as e:
        raise MissingDependency(f"lean-interact is not installed ({e}): pip install 'rir[repl]' (lean-interact)") from None
    return lean_interact


class ReplEnv(Environment):
    """The Lean REPL (leanprover-community/repl) driven by lean-interact.

    project: "mathlib" (a temporary project requiring Mathlib at `mathlib_rev`,
        by default the tag of `lean_version`, built in `project_dir`, by default
        lean-interact's cache), a path to a local Lake project, or None (Lean core only).
    timeout: seconds per tactic; open_timeout: seconds for a header or statement
        (importing Mathlib takes a while).
    memory_limit_mb: hard limit on the REPL process (it dies past it; Linux only).
    restart_above_mb: restart the REPL after a tactic once it uses more than
        this (states are replayed when needed); default 16 GiB; None: never.
    replay_timeout: seconds per replayed tactic (default 4 × timeout).
    config: a ready `LeanREPLConfig` (its project and limits win over the above).

    `setup()` (run once before `rir eval` starts its workers, else by the first
    `open`) builds the project and the REPL and imports Mathlib once; see
    `lean_env.repl_setup`. Each tactic's timeout is bounded by the search's deadline.
    """

    name = "repl"

    def __init__(self, project: str | Path | None = "mathlib", lean_version: str = DEFAULT_LEAN_VERSION,
                 mathlib_rev: str | None = None, project_dir: str | Path | None = None,
                 timeout: float = 60.0, open_timeout: float = 600.0,
                 memory_limit_mb: int | None = None, restart_above_mb: float | None = DEFAULT_RESTART_ABOVE_MB,
                 replay_timeout: float | None = None,
                 default_header: str = "", config=None, verbose: bool = False):
        if timeout <= 0 or open_timeout <= 0:
            raise BadInput("REPL timeouts must be positive")
        self.project = project
        self.lean_version = lean_version
        self.mathlib_rev = mathlib_rev or lean_version
        self.project_dir = project_dir
        self.timeout = timeout
        self.open_timeout = open_timeout
        self.memory_limit_mb = memory_limit_mb
        self.restart_above_mb = restart_above_mb
        # A tactic that ran just under `timeout` must not time out when replayed.
        self.replay_timeout = replay_timeout or REPLAY_TIMEOUT_FACTOR * timeout
        self.default_header = default_header
        self.verbose = verbose
        self.env_time = 0.0
        self._li = None  # the lean_interact module, imported at first use
        self._config = config
        self._project_dir: Path | None = None  # the Lake project, once configured
        self._ready = config is not None  # setup() done (a given config is taken as ready)
        self._drain: StderrDrain | None = None
        self._server = None
        self._header_envs: dict[str, int] = {}  # header text -> REPL env, for the running server
        self._theorem: Theorem | None = None
        self._tree = StateTree()

    # -- protocol --

    def open(self, theorem: Theorem) -> TacticState:
        self._theorem, self._tree = None, StateTree()
        command = statement_with_sorry(theorem)
        with self._clock():
            if not self._ready:
                self.setup()
            self._ensure_server()
            if self._over_memory():
                self._stop_server()
                self._ensure_server()
            handle, pp = self._open_root(theorem, command)
        self._theorem = theorem
        sid = self._tree.add(None, None, pp, handle)
        return TacticState(pp, pp.count("⊢"), sid)

    def run_tac(self, state: TacticState, tactic: str) -> Outcome:
        if self._theorem is None:
            raise RuntimeError("run_tac before open: no theorem is open")
        if not tactic.strip():
            return LeanError("empty tactic")
        with self._clock():
            outcome = self._run(state.id, tactic)
            if self._over_memory():
                log.info("REPL above %s MB: restarting it", self.restart_above_mb)
                self._stop_server()
        return outcome

    def close(self) -> None:
        self._stop_server()
        self._theorem, self._tree = None, StateTree()

    # -- the server --

    @contextmanager
    def _clock(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.env_time += time.perf_counter() - start

    @classmethod
    def open_allowance(cls, options: dict, first: bool) -> float:
        # Each open request may take open_timeout and is retried once (header then statement):
        # a first open runs the header (importing Mathlib), a later one only after a retry.
        return (4 if first else 3) * float(cls._option(options, "open_timeout"))

    def repl_config(self):
        """The LeanREPLConfig: fetches and builds the REPL (and the project) the first time."""
        if self._config is None:
            self._li = self._li or _import_lean_interact()
            self._config, self._project_dir = repl_setup.repl_config(
                self._li, self.project, self.lean_version, self.mathlib_rev, self.project_dir,
                self.memory_limit_mb, self.verbose)
        return self._config

    def setup(self, theorems: Sequence[Theorem] = ()) -> None:
        """Build the project and the REPL, and import Mathlib once before marking it ready.

        A project that builds but cannot import Mathlib (a cache download that failed
        half-way), or a local project that cannot import what the theorems import, is
        refused here, once, instead of failing every theorem later.
        """
        self.repl_config()
        directory = self._project_dir
        if directory is not None and not repl_setup.is_ready(directory):
            for imports in repl_setup.imports_to_verify(directory, theorems, self.default_header):
                self._verify_import(directory, imports)
            repl_setup.mark_ready(directory)
        self._ready = True

    def _verify_import(self, directory: Path, header: str) -> None:
        self._ensure_server()
        try:
            response = self._request(self._li.Command(cmd=header), self.open_timeout)
        except (TimeoutError, ConnectionAbortedError, ChildProcessError, ValueError) as e:
            raise repl_setup.unanswered_import(directory, header, e, self.open_timeout) from None
        repl_setup.check_import(self._li, directory, header, response)
        self._header_envs[header] = response.env

    def _ensure_server(self) -> None:
        """A running REPL; a fresh one forgets every env and proof state."""
        if self._server is not None and self._server.is_alive():
            return
        config = self.repl_config()
        li = self._li = self._li or _import_lean_interact()
        try:
            if self._server is None:
                self._server = li.LeanServer(config)
            else:
                self._server.start()
        except ChildProcessError as e:
            raise SetupError(f"the Lean REPL could not be started: {one_line(e)}") from None
        self._drain_stderr()
        self._header_envs.clear()
        self._tree.live.clear()

    def _drain_stderr(self) -> None:
        """Read the REPL's stderr as it comes (an unread pipe blocks Lean past ~64 KB);
        lean-interact's post-mortem read of it gets the tail."""
        proc = getattr(self._server, "_proc", None)
        if proc is not None and proc.stderr is not None and not isinstance(proc.stderr, StderrDrain):
            self._drain = proc.stderr = StderrDrain(proc.stderr)

    def check_proof(self, theorem: Theorem, tactics: list[str]) -> ProofCheck:
        """Replay from the start, then elaborate `statement := by proof` as one command.

        The REPL's tactic mode has accepted unsound steps (repl#44): the verdict is
        the whole declaration's, which must elaborate with no error and no sorry.
        """
        replayed = super().check_proof(theorem, tactics)
        if not replayed.ok:
            return replayed
        with self._clock():
            self._ensure_server()
            command = whole_proof(theorem, tactics)
            try:
                env = self._header_env(theorem, theorem.header or self.default_header)
                response = self._request(self._li.Command(cmd=command, env=env), self.open_timeout)
            except (TimeoutError, ConnectionAbortedError, ChildProcessError, ValueError) as e:
                return ProofCheck(False, f"the whole proof did not elaborate: {type(e).__name__}: {one_line(e)}")
        return whole_proof_verdict(self._li, response)

    def _stop_server(self) -> None:
        if self._server is not None:
            self._server.kill()
        self._header_envs.clear()
        self._tree.live.clear()

    def _over_memory(self) -> bool:
        if self.restart_above_mb is None or self._server is None or not self._server.is_alive():
            return False
        return self._server.get_memory_usage() > self.restart_above_mb

    def _request(self, request, timeout: float):
        """One REPL request; a killed or dead REPL forgets its states here, not later."""
        try:
            return self._server.run(request, timeout=timeout)
        except (TimeoutError, ConnectionAbortedError, ChildProcessError, ValueError):
            # ValueError covers json.JSONDecodeError: a REPL answering garbage is no better.
            self._stop_server()
            raise

    # -- opening --

    def _open_root(self, theorem: Theorem, command: str) -> tuple[int, str]:
        """Run header and statement; the sorry's proof state and its goal.

        A timeout or a dying REPL here is retried once on a fresh REPL (a loaded
        machine, a REPL grown large); twice is an InfraError, which a resume retries.
        """
        try:
            return self._try_open(theorem, command)
        except _Unanswered as e:
            log.warning("%s: %s; retrying on a fresh REPL", theorem.full_name, e)
        self._ensure_server()  # _request stopped it: the header runs again too
        try:
            return self._try_open(theorem, command)
        except _Unanswered as e:
            raise InfraError(f"cannot open '{theorem.full_name}': {e} (twice, the second time on a fresh "
                             "REPL; raise --env-option open_timeout=SECONDS on a slow machine)") from None

    def _try_open(self, theorem: Theorem, command: str) -> tuple[int, str]:
        li = self._li
        try:
            env = self._header_env(theorem, theorem.header or self.default_header)
        except (TimeoutError, ConnectionAbortedError, ChildProcessError, ValueError) as e:
            # Its imports are the project's, not the theorem's.
            raise _Unanswered(f"the REPL failed running its header (within {self.open_timeout:g}s): "
                              f"{type(e).__name__}: {one_line(e)}") from None
        try:
            response = self._request(li.Command(cmd=command, env=env), self.open_timeout)
        except TimeoutError:
            raise _Unanswered(f"Lean took over {self.open_timeout:g}s on its statement") from None
        except (ConnectionAbortedError, ChildProcessError, ValueError) as e:
            raise _Unanswered(f"the REPL died on its statement: {one_line(e)}") from None
        if isinstance(response, li.interface.LeanError):
            raise OpenError(f"cannot open '{theorem.full_name}': {one_line(response.message)}")
        errors = response.get_errors()
        if errors:
            raise OpenError(f"cannot open '{theorem.full_name}': {one_line(errors[0].data)}")
        sorries = [s for s in response.sorries if s.proof_state is not None]
        if not sorries:
            raise OpenError(f"cannot open '{theorem.full_name}': Lean gave no proof state for its statement")
        return sorries[0].proof_state, sorries[0].goal

    def _header_env(self, theorem: Theorem, header: str) -> int | None:
        """The REPL env after `header`, run once per server; None for an empty header."""
        if not header.strip():
            return None
        if header not in self._header_envs:
            response = self._request(self._li.Command(cmd=header), self.open_timeout)
            if isinstance(response, self._li.interface.LeanError):
                errors = [response.message]
            else:
                errors = [m.data for m in response.get_errors()]
            if errors:
                raise OpenError(f"cannot open '{theorem.full_name}': its header does not compile: "
                                f"{one_line(errors[0])}")
            self._header_envs[header] = response.env
        return self._header_envs[header]

    # -- tactics --

    def _restore(self, sid: int) -> int:
        """The live proof state of `sid`, restarting the REPL and replaying if needed."""
        if 0 not in self._tree.live:
            self._ensure_server()
            handle, _ = self._open_root(self._theorem, statement_with_sorry(self._theorem))
            self._tree.restart(handle)
        return self._tree.restore(sid, self._replay_step)

    def _run(self, sid: int, tactic: str) -> Outcome:
        li = self._li
        if self._server is not None and not self._server.is_alive():
            self._stop_server()  # it died while idle (killed, out of memory): restored below
        try:
            handle = self._restore(sid)
        except _RESTORE_ERRORS as e:
            self._stop_server()
            return Crash(f"could not restore state {sid} of {self._theorem.full_name}: {one_line(e)}")
        limit = self.tactic_limit(self.timeout)  # never past the search's deadline
        try:
            response = self._request(li.ProofStep(proof_state=handle, tactic=tactic), limit)
        except TimeoutError:
            if not self.past_deadline():  # the search goes on: bring the state back now
                self._recover(sid, "a timeout")
            return Timeout(f"tactic timed out after {limit:g}s")
        except (ConnectionAbortedError, ChildProcessError, ValueError) as e:
            stderr = self._drain.tail() if self._drain is not None else ""
            oom = bool(_OUT_OF_MEMORY.search(str(e) + stderr))
            return self._after_crash(sid, f"the Lean REPL died{' out of memory' if oom else ''}: {one_line(e)}", oom)
        return self._outcome(sid, tactic, response)

    def _after_crash(self, sid: int, message: str, oom: bool) -> Outcome:
        """The tactic killed the REPL: bring `sid` back on a fresh one, so the search goes on
        with this tactic failed; a Crash (the search ends) only when that fails."""
        if self.past_deadline() or not self._recover(sid, "a crash"):
            return Crash(message, out_of_memory=oom)
        return LeanError(f"{message} (restarted and replayed)")

    def _outcome(self, sid: int, tactic: str, response) -> Outcome:
        verdict = step_verdict(self._li, response)
        if isinstance(verdict, LeanError):
            return verdict
        node = self._tree.add(sid, tactic, verdict, response.proof_state)
        return ProofFinished(node) if verdict == NO_GOALS else TacticState(verdict, len(response.goals), node)

    def _recover(self, sid: int, after: str) -> bool:
        """The REPL was killed: restart it and replay up to `sid` now, so search goes on."""
        try:
            self._restore(sid)
            return True
        except _RESTORE_ERRORS as e:
            # After a timeout not fatal: the next run_tac retries, and reports a Crash if it fails again.
            log.warning("%s: restarting after %s failed: %s", self._theorem.full_name, after, one_line(e))
            self._stop_server()
            return False

    def _replay_step(self, parent: int, tactic: str, expected_pp: str) -> int:
        li = self._li
        response = self._request(li.ProofStep(proof_state=self._tree.live[parent], tactic=tactic),
                                 self.replay_timeout)
        outcome_pp = None
        if isinstance(response, li.interface.ProofStepResponse) and not response.get_errors():
            outcome_pp = "\n\n".join(response.goals) if response.goals else NO_GOALS
        if outcome_pp is None:
            raise ReplayFailed(f"replaying `{tactic}` gave {response!r}")
        if not same_state(outcome_pp, expected_pp):
            raise ReplayFailed(f"replaying `{tactic}` reached another state than the search's: "
                               f"{one_line(outcome_pp)!r} instead of {one_line(expected_pp)!r}")
        return response.proof_state
