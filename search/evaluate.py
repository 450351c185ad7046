"""Batch evaluation: prove a theorem set into a JSONL results file, resumably, in parallel.

The results file holds one `SearchResult.to_dict()` line per theorem. Only the
parent process writes it: append one whole line, flush, fsync, per theorem. A
kill at any moment therefore loses at most the theorems in flight; a line torn
by a kill mid-write is cut off on the next run, and that theorem is proved again.

Provers run in worker processes (spawn: torch and fork do not mix), each with
its own model and backend, fed one theorem at a time so a slow theorem never
stalls the others; or as Ray actors (`ray_address`). An exception escaping the
prover on one theorem becomes an error line and the worker rebuilds its backend;
a worker that dies outright has its theorem recorded as an error and is replaced.

Test seam: `prover_factory` builds the per-worker prover from the settings
(default `RirProver`); it must be a module-level callable so workers can import it.
"""
from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing as mp
import multiprocessing.connection as mp_connection
import pickle
import os
import queue
import signal
import sys
import time
from collections import deque
from multiprocessing.connection import Connection
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol

from lean_env.errors import BadInput, MissingDependency, OpenError, RirError
from lean_env.theorems import Theorem
from rir.prover import ProverSettings, build_env, build_policy, prove_theorem
from search.result import SearchResult, SearchStats

log = logging.getLogger("rir")

# Settings that do not change what a search finds, so a resumed run may differ in them.
_IRRELEVANT_SETTINGS = ("device",)
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


@dataclass
class EvalRun:
    """What `evaluate` did: all records of the selected theorems, in theorem order."""

    records: list[dict]
    resumed: int  # theorems already in the results file, skipped
    attempted: int  # theorems proved (or tried) in this run
    elapsed: float  # wall-clock seconds of this run


# ---------------------------------------------------------------- ordering


def theorem_key(theorem: Theorem) -> str:
    """ReProver's deterministic order: a hash of path and name, not the file order."""
    return hashlib.sha256(((theorem.file_path or "") + theorem.full_name).encode()).hexdigest()


def order_theorems(theorems: Iterable[Theorem], num_theorems: int | None = None) -> list[Theorem]:
    ordered = sorted(theorems, key=theorem_key)
    return ordered if num_theorems is None else ordered[:num_theorems]


# ---------------------------------------------------------------- results file


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
            self._file = path.open("a", encoding="utf-8")
        except OSError as e:
            raise BadInput(f"cannot write results file {path}: {e.strerror}") from None

    def append(self, record: dict) -> None:
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()


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


# ---------------------------------------------------------------- one theorem


def error_result(theorem: Theorem, settings: ProverSettings, reason: str, seconds: float = 0.0) -> dict:
    return SearchResult(theorem.full_name, "error", reason=reason, settings=settings.to_dict(),
                        stats=SearchStats(total_time=seconds)).to_dict()


def attempt(prover: Prover, theorem: Theorem, settings: ProverSettings) -> dict:
    """One theorem's results line. An exception escaping the prover becomes an error line."""
    start = time.perf_counter()
    try:
        record = prover.prove(theorem).to_dict()
        record["name"] = theorem.full_name  # the key that resume looks up
        return record
    except Exception as e:
        log.warning("%s: %s: %s (rebuilding the backend)", theorem.full_name, type(e).__name__, e)
        record = error_result(theorem, settings, f"{type(e).__name__}: {e}", time.perf_counter() - start)
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
    errors = {"BadInput": BadInput, "MissingDependency": MissingDependency, "OpenError": OpenError}
    raise errors.get(kind, WorkerFailed)(message)


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


def run_inline(theorems: list[Theorem], settings: ProverSettings, factory: ProverFactory) -> Iterator[dict]:
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
                 inbox, outbox: Connection, threads: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
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
            outbox.send(("done", wid, attempt(prover, theorem, settings)))
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


class ProcessPool:
    """Local worker processes, each holding a prover, handed one theorem at a time."""

    def __init__(self, workers: int, settings: ProverSettings, factory: ProverFactory):
        self.size, self.settings, self.factory = workers, settings, factory
        self.ctx = mp.get_context("spawn")
        self.threads = max(1, (os.cpu_count() or 1) // workers)

    def run(self, theorems: list[Theorem]) -> Iterator[dict]:
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
        process = self.ctx.Process(
            target=_worker_main, name=f"rir-eval-{wid}", daemon=True,
            args=(wid, self.factory, self.settings, inbox, writer, self.threads))
        process.start()
        writer.close()  # the child holds the only write end: its death is EOF here
        self.workers[wid] = _Worker(process, inbox, reader)

    def _feed(self, wid: int) -> None:
        worker = self.workers[wid]
        worker.current = self.todo.popleft() if self.todo else None
        worker.since = time.monotonic()
        worker.stopping = worker.current is None
        worker.inbox.put(worker.current)

    def _handle(self, kind: str, wid: int, payload) -> Iterator[dict]:
        if kind == "fatal":
            _raise_fatal(*payload)
        if kind == "done":
            self.workers[wid].current = None
            if payload["name"] not in self.done:
                self.done.add(payload["name"])
                yield payload
        self._feed(wid)

    def _kill_stuck(self) -> None:
        limit = hard_limit(self.settings)
        for worker in self.workers.values():
            if worker.current is not None and time.monotonic() - worker.since > limit:
                worker.killed = f"worker killed after {limit:.0f}s on one theorem"
                worker.process.kill()
                worker.process.join()

    def _reap_dead(self) -> Iterator[dict]:
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
            if theorem is None:
                raise WorkerFailed(f"eval worker {wid} died while starting (exit code {code})")
            reason = worker.killed or f"worker died (exit code {code})"
            log.warning("%s: %s; starting a new worker", theorem.full_name, reason)
            self.done.add(theorem.full_name)
            yield error_result(theorem, self.settings, reason, time.monotonic() - worker.since)
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
                worker.process.terminate()
                worker.process.join()
            worker.outbox.close()


class _ActorProver:
    """A Ray actor's body: a prover built once in the actor process."""

    def __init__(self, factory: ProverFactory, settings: ProverSettings, threads: int):
        _limit_threads(threads)
        self.settings = settings
        self.prover, self.fatal = _build(factory, settings)

    def ready(self) -> tuple[str, str] | None:
        return self.fatal

    def prove(self, theorem: Theorem) -> dict:
        return attempt(self.prover, theorem, self.settings)


class RayPool:
    """Ray actors, each holding a prover, across a cluster; GPUs shared as num_gpus/workers."""

    def __init__(self, workers: int, settings: ProverSettings, factory: ProverFactory,
                 address: str | None = None, num_gpus: float = 0.0):
        try:
            import ray
        except ImportError:
            raise MissingDependency("--ray needs Ray: pip install 'ray[default]'") from None
        self.ray, self.size, self.settings, self.factory = ray, workers, settings, factory
        self.address, self.gpus_per_actor = address, num_gpus / workers

    def run(self, theorems: list[Theorem]) -> Iterator[dict]:
        ray = self.ray
        started_here = not ray.is_initialized()
        if started_here:
            local = {"include_dashboard": False} if self.address is None else {}
            ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=False, **local)
        threads = max(1, int(ray.available_resources().get("CPU", 1)) // self.size)
        self.actor_class = ray.remote(_ActorProver).options(num_cpus=1, num_gpus=self.gpus_per_actor)
        todo, pending, actors = deque(theorems), {}, []
        try:
            for _ in range(min(self.size, len(todo))):
                actors.append(self._start(threads))
            for actor in actors:
                self._submit(pending, actor, todo.popleft())
            while pending:
                [ref], _ = ray.wait(list(pending), num_returns=1)
                actor, theorem = pending.pop(ref)
                try:
                    record = ray.get(ref)
                except ray.exceptions.RayActorError as e:
                    log.warning("%s: Ray actor died; starting a new one", theorem.full_name)
                    record = error_result(theorem, self.settings, f"worker died ({type(e).__name__})")
                    actors.remove(actor)
                    actor = self._start(threads)
                    actors.append(actor)
                yield record
                if todo:
                    self._submit(pending, actor, todo.popleft())
        finally:
            for actor in actors:
                ray.kill(actor)
            if started_here:
                ray.shutdown()

    @staticmethod
    def _submit(pending: dict, actor, theorem: Theorem) -> None:
        pending[actor.prove.remote(theorem)] = (actor, theorem)

    def _start(self, threads: int):
        actor = self.actor_class.remote(self.factory, self.settings, threads)
        fatal = self.ray.get(actor.ready.remote())
        if fatal:
            _raise_fatal(*fatal)
        return actor


# ---------------------------------------------------------------- the loop


def evaluate(theorems: Iterable[Theorem], settings: ProverSettings, out: str | Path, *,
             workers: int = 1, num_theorems: int | None = None, force: bool = False,
             ray: bool = False, ray_address: str | None = None, num_gpus: float = 0.0,
             prover_factory: ProverFactory = RirProver, progress: bool = True) -> EvalRun:
    """Prove the theorems not yet in `out`, appending one line each; return all their records.

    workers=0 proves in this process; ray=True runs `workers` Ray actors (local Ray
    when `ray_address` is None). `force` allows adding to a file of other settings.
    """
    start = time.perf_counter()
    out = Path(out)
    selected = order_theorems(theorems, num_theorems)
    if workers < 0 or (ray and workers == 0):
        raise BadInput(f"--workers must be at least {1 if ray else 0}, got {workers}")
    existing = {r["name"]: r for r in read_results(out)}
    if not force:
        check_settings(list(existing.values()), settings, out)
    todo = [t for t in selected if t.full_name not in existing]
    resumed = len(selected) - len(todo)
    if resumed:
        log.info("%s: %d of %d theorems already done, %d to go", out, resumed, len(selected), len(todo))
    writer = ResultsWriter(out)
    try:
        if todo:
            if ray:
                results = RayPool(workers, settings, prover_factory, ray_address, num_gpus).run(todo)
            elif workers == 0:
                results = run_inline(todo, settings, prover_factory)
            else:
                results = ProcessPool(workers, settings, prover_factory).run(todo)
            _drain(results, writer, existing, len(todo), progress)
    finally:
        writer.close()
    records = [existing[t.full_name] for t in selected if t.full_name in existing]
    return EvalRun(records, resumed, len(todo), time.perf_counter() - start)


def _drain(results: Iterator[dict], writer: ResultsWriter, existing: dict[str, dict],
           total: int, progress: bool) -> None:
    """Write each record as it arrives, with a progress bar of the counts so far."""
    from tqdm import tqdm

    counts = {"proved": 0, "failed": 0, "error": 0}
    with tqdm(total=total, desc="eval", unit="thm", disable=not progress, dynamic_ncols=True) as bar:
        for record in results:
            writer.append(record)
            existing[record["name"]] = record
            counts[record["status"]] += 1
            bar.set_postfix(counts, refresh=False)
            bar.update()
