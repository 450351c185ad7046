"""Worker pools for `rir eval`: inline and local processes (Ray actors: ray_pool.py).

Provers run in worker processes (spawn: torch and fork do not mix), each with
its own model and backend, fed one theorem at a time so a slow theorem never
stalls the others; or as Ray actors. An exception escaping the prover on one
theorem becomes an error record and the worker rebuilds its backend; a worker
that dies outright has its theorem recorded as an error and is replaced, and the
Lean processes it started are killed wherever they were re-parented to.

A prover factory builds the per-worker prover from the settings (default
`RirProver`); it must be a module-level callable so workers can import it.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import multiprocessing.connection as mp_connection
import os
import pickle
import queue
import signal
import sys
import time
import uuid
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Callable, Iterator, Protocol

from lean_env import backend_class
from lean_env.errors import BadInput, MissingDependency, OpenError, RirError, SetupError
from lean_env.processes import kill_descendants, kill_marked, mark_environment
from lean_env.theorems import Theorem
from rir.prover import ProverSettings, build_env, build_policy, prove_theorem
from search.result import SearchResult, SearchStats

log = logging.getLogger("rir")

_POLL_S = 0.5  # how often the parent checks for dead workers while waiting


def hard_limit(settings: ProverSettings) -> float:
    """Seconds after which a worker stuck on one theorem is killed (the search's own
    timeout is checked between steps; a hung backend would never return)."""
    return 3 * settings.timeout + 60


class Prover(Protocol):
    """What a worker holds: proves many theorems, rebuilt backend on demand."""

    def prove(self, theorem: Theorem) -> SearchResult: ...

    def reset(self) -> None:
        """Rebuild the backend after an exception escaped `prove`."""
        ...


ProverFactory = Callable[[ProverSettings], Prover]


class RirProver:
    """The real prover: one backend and one policy, built once, used for many theorems."""

    def __init__(self, settings: ProverSettings):
        self.settings = settings
        self.policy = build_policy(settings)
        self.env = build_env(settings)

    def prove(self, theorem: Theorem) -> SearchResult:
        return prove_theorem(self.env, self.policy, theorem, self.settings)

    def reset(self) -> None:
        self.close()
        self.env = build_env(self.settings)

    def close(self) -> None:
        try:
            self.env.close()
        except Exception as e:  # a dead backend may not close cleanly; we replace it anyway
            log.debug("closing the backend failed: %s", e)


# ---------------------------------------------------------------- one theorem


def error_result(theorem: Theorem, settings: ProverSettings, reason: str,
                 seconds: float = 0.0) -> SearchResult:
    return SearchResult(theorem.full_name, "error", reason=reason, settings=settings.to_dict(),
                        stats=SearchStats(total_time=seconds))


def attempt(prover: Prover, theorem: Theorem, settings: ProverSettings) -> SearchResult:
    """One theorem's result (without its tree). An exception escaping the prover becomes an
    error result."""
    start = time.perf_counter()
    try:
        result = prover.prove(theorem)
        result.theorem = theorem.full_name  # the key that resume looks up
        result.tree = None  # not kept, and not sent between processes
        return result
    except MissingDependency:
        raise  # a setup failure (toolchain, network, cache): the run stops, exit 2
    except Exception as e:
        log.warning("%s: %s: %s (rebuilding the backend)", theorem.full_name, type(e).__name__, e)
        record = error_result(theorem, settings, f"{type(e).__name__}: {e}", time.perf_counter() - start)
        record.retry = True  # from Lean's side or ours, not the theorem's: a resume retries it
        try:
            prover.reset()
        except Exception as e2:  # the next theorem will fail and retry the rebuild
            log.warning("rebuilding the backend failed: %s: %s", type(e2).__name__, e2)
        return record


def _close(prover: Prover) -> None:
    close = getattr(prover, "close", None)
    if close is not None:
        close()


# ---------------------------------------------------------------- pools


class WorkerFailed(RuntimeError):
    """A worker could not start (not a per-theorem failure)."""


def _raise_fatal(kind: str, message: str):
    errors = {"BadInput": BadInput, "MissingDependency": MissingDependency, "OpenError": OpenError,
              "SetupError": SetupError}
    raise errors.get(kind, WorkerFailed)(message)


def worker_threads(workers: int) -> int:
    """Torch threads per worker: the user's OMP_NUM_THREADS when set (several jobs sharing
    the machine: more threads than cores make every one of them many times slower), else
    the cores shared out between the workers."""
    given = os.environ.get("OMP_NUM_THREADS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, (os.cpu_count() or 1) // workers)


def _limit_threads(threads: int) -> None:
    """Share the cores between workers instead of each torch using all of them."""
    os.environ["OMP_NUM_THREADS"] = str(threads)
    os.environ["MKL_NUM_THREADS"] = str(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def _build(factory: ProverFactory, settings: ProverSettings) -> tuple[Prover | None, tuple[str, str] | None]:
    """The prover, or the (kind, message) of why it could not be built."""
    try:
        return factory(settings), None
    except RirError as e:
        return None, (type(e).__name__, str(e))
    except Exception as e:
        return None, ("WorkerFailed", f"building the prover failed: {type(e).__name__}: {e}")


def run_inline(theorems: list[Theorem], settings: ProverSettings, factory: ProverFactory) -> Iterator[SearchResult]:
    """All theorems in this process (workers=0: debugging, tests)."""
    prover, fatal = _build(factory, settings)
    if fatal:
        _raise_fatal(*fatal)
    try:
        for theorem in theorems:
            yield attempt(prover, theorem, settings)
    finally:
        _close(prover)


def _worker_main(wid: int, factory: ProverFactory, settings: ProverSettings,
                 inbox, outbox: Connection, threads: int, mark: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
    mark_environment(mark)  # before any Lean starts: its processes can be found if we die
    try:
        _serve(wid, factory, settings, inbox, outbox, threads)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        pass  # the parent is gone (killed): nobody to report to, so exit quietly


def _serve(wid: int, factory: ProverFactory, settings: ProverSettings,
           inbox, outbox: Connection, threads: int) -> None:
    _limit_threads(threads)
    prover, fatal = _build(factory, settings)
    if fatal:
        outbox.send(("fatal", wid, fatal))
        return
    outbox.send(("ready", wid, None))
    parent = mp.parent_process()
    try:
        while True:
            try:
                theorem = inbox.get(timeout=1.0)
            except queue.Empty:
                if parent is not None and not parent.is_alive():
                    return  # the run was killed: do not linger as an orphan
                continue
            if theorem is None:
                return
            try:
                record = attempt(prover, theorem, settings)
            except MissingDependency as e:
                outbox.send(("fatal", wid, (type(e).__name__, str(e))))
                return
            outbox.send(("done", wid, record))
    finally:
        _close(prover)


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    inbox: object
    outbox: Connection  # this worker's own pipe: a worker killed mid-write poisons no other
    current: Theorem | None = None
    since: float = 0.0  # when `current` was handed over
    stopping: bool = False
    killed: str | None = None  # why the parent killed it
    opened: bool = False  # it has finished a theorem: its backend is warm
    mark: str = ""  # in the environment of every process it starts (lean_env.processes)


class ProcessPool:
    """Local worker processes, each holding a prover, handed one theorem at a time."""

    def __init__(self, workers: int, settings: ProverSettings, factory: ProverFactory):
        self.size, self.settings, self.factory = workers, settings, factory
        self.ctx = mp.get_context("spawn")
        self.threads = worker_threads(workers)

    def run(self, theorems: list[Theorem]) -> Iterator[SearchResult]:
        self.todo = deque(theorems)
        self.workers: dict[int, _Worker] = {}
        self.done: set[str] = set()
        for wid in range(min(self.size, len(theorems))):
            self._spawn(wid)
        try:
            while any(not w.stopping for w in self.workers.values()):
                readers = {w.outbox: wid for wid, w in self.workers.items() if not w.outbox.closed}
                ready = mp_connection.wait(list(readers), timeout=_POLL_S)
                for conn in ready:
                    message = self._receive(conn)
                    if message is not None:
                        yield from self._handle(*message)
                if not ready:
                    self._kill_stuck()
                yield from self._reap_dead()
        finally:
            self._shutdown()

    @staticmethod
    def _receive(conn: Connection):
        """One message, or None once the worker's end is gone (it died, maybe mid-write)."""
        try:
            return conn.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            conn.close()
            return None

    def _spawn(self, wid: int) -> None:
        inbox = self.ctx.Queue()
        reader, writer = self.ctx.Pipe(duplex=False)
        mark = f"rir-eval-{os.getpid()}-{wid}-{uuid.uuid4().hex[:12]}"
        process = self.ctx.Process(
            target=_worker_main, name=f"rir-eval-{wid}", daemon=True,
            args=(wid, self.factory, self.settings, inbox, writer, self.threads, mark))
        process.start()
        writer.close()  # the child holds the only write end: its death is EOF here
        self.workers[wid] = _Worker(process, inbox, reader, mark=mark)

    def _feed(self, wid: int) -> None:
        worker = self.workers[wid]
        worker.current = self.todo.popleft() if self.todo else None
        worker.since = time.monotonic()
        worker.stopping = worker.current is None
        worker.inbox.put(worker.current)

    def _handle(self, kind: str, wid: int, payload) -> Iterator[SearchResult]:
        if kind == "fatal":
            _raise_fatal(*payload)
        if kind == "done":
            self.workers[wid].current = None
            self.workers[wid].opened = True
            if payload.theorem not in self.done:
                self.done.add(payload.theorem)
                yield payload
        self._feed(wid)

    def _kill_stuck(self) -> None:
        backend = backend_class(self.settings.backend)
        for worker in self.workers.values():
            # Opening (a first one imports Mathlib) gets what the backend may spend on it too.
            limit = hard_limit(self.settings) + backend.open_allowance(self.settings.env_options,
                                                                       first=not worker.opened)
            if worker.current is not None and time.monotonic() - worker.since > limit:
                worker.killed = f"worker killed after {limit:.0f}s on one theorem"
                _kill(worker.process)

    def _reap_dead(self) -> Iterator[SearchResult]:
        for wid, worker in list(self.workers.items()):
            if worker.stopping or worker.process.is_alive():
                continue
            # Its last messages are in its pipe by now: handle them before judging.
            while not worker.outbox.closed and worker.outbox.poll():
                message = self._receive(worker.outbox)
                if message is not None:
                    yield from self._handle(*message)
            if worker.stopping:
                continue
            theorem, code = worker.current, worker.process.exitcode
            orphans = kill_marked(worker.mark)  # its Lean, re-parented when it died
            if orphans:
                log.warning("eval worker %d died leaving %d Lean process(es): killed them", wid, len(orphans))
            if theorem is None:
                raise WorkerFailed(f"eval worker {wid} died while starting (exit code {code})")
            reason = worker.killed or f"worker died (exit code {code})"
            log.warning("%s: %s; starting a new worker", theorem.full_name, reason)
            self.done.add(theorem.full_name)
            record = error_result(theorem, self.settings, reason, time.monotonic() - worker.since)
            # Killed by us, it overran the theorem's limit: the theorem's failure. Dead on its
            # own (out of memory, a signal), it says nothing of the theorem: a resume retries it.
            record.retry = worker.killed is None
            yield record
            worker.outbox.close()
            worker.inbox.cancel_join_thread()  # nobody reads it any more: never wait on it at exit
            self._spawn(wid)

    def _shutdown(self) -> None:
        for worker in self.workers.values():
            if worker.process.is_alive() and not worker.stopping:
                worker.inbox.put(None)
        for worker in self.workers.values():
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                _kill(worker.process)
            kill_marked(worker.mark)  # a Lean its closing backend failed to stop
            worker.outbox.close()


def _kill(process: mp.process.BaseProcess) -> None:
    """Kill a worker with its Lean processes, which run in sessions of their own."""
    kill_descendants(process.pid)
    process.kill()
    process.join()
