"""Lean child processes: killing a whole tree, and draining a pipe nobody else reads.

Both libraries start Lean in a session of its own (lean-interact passes
`start_new_session=True`; pexpect's pty forks do `setsid`), so killing a worker's
process group leaves them running. Their parent links survive a new session, so
the tree is found through the process table instead.

A worker that dies on its own (out of memory, a segfault) cannot be asked for its
tree any more: its Lean children were re-parented when it died. So each worker
marks its environment (`mark_environment`) before starting any Lean; every
process it starts inherits the mark (neither library replaces the environment),
and `kill_marked` finds them by it wherever they were re-parented to.

The REPL's stderr is a pipe lean-interact reads only after the process died; a
Lean that writes more than the pipe holds (~64 KB) blocks until someone reads.
`StderrDrain` reads it on a thread into a bounded tail, and stands in for the
pipe so the library's post-mortem `read()` still gets the tail.
"""
from __future__ import annotations

import logging
import os
import threading
from collections import deque

log = logging.getLogger("rir")

TAIL_CHARS = 16_384  # what is kept of a flood: the end says why Lean died
MARK_VARIABLE = "RIR_WORKER_MARK"  # inherited by every process a worker starts


def kill_descendants(pid: int, grace: float = 1.0) -> list[int]:
    """Kill every process below `pid`, sessions of their own included (not `pid` itself,
    whose owner reaps it: a psutil wait here would reap it behind multiprocessing's back).

    Call before killing `pid`: once it is gone its children are re-parented and can no
    longer be found. Returns the pids signalled.
    """
    import psutil

    try:
        tree = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    for proc in tree:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(tree, timeout=grace)
    return [p.pid for p in tree]


def mark_environment(mark: str) -> None:
    """Mark every process this one starts from now on as `mark`'s (see `kill_marked`)."""
    os.environ[MARK_VARIABLE] = mark


def marked(mark: str) -> list:
    """The live processes carrying `mark` in their environment (this one excluded)."""
    import psutil

    found = []
    for proc in psutil.process_iter():
        if proc.pid == os.getpid():
            continue
        try:
            if proc.status() != psutil.STATUS_ZOMBIE and proc.environ().get(MARK_VARIABLE) == mark:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass  # gone meanwhile, or another user's: not ours
    return found


def kill_marked(mark: str, grace: float = 1.0) -> list[int]:
    """Kill every process carrying `mark`, whoever its parent is now; the pids signalled."""
    import psutil

    if not mark:
        return []  # an unmarked worker: nothing can be told apart as its own
    procs = marked(mark)
    for proc in procs:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procs, timeout=grace)
    return [p.pid for p in procs]


class StderrDrain:
    """Reads a text pipe to its end on a daemon thread, keeping the last `TAIL_CHARS`."""

    def __init__(self, pipe, limit: int = TAIL_CHARS):
        self._pipe = pipe
        self._tail: deque[str] = deque()
        self._size, self._limit = 0, limit
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._drain, name="lean-stderr", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        try:
            for chunk in iter(lambda: self._pipe.readline(), ""):
                self._keep(chunk)
        except (OSError, ValueError) as e:  # the pipe was closed under us by a kill
            log.debug("stderr drain stopped: %s", e)

    def _keep(self, chunk: str) -> None:
        with self._lock:
            self._tail.append(chunk)
            self._size += len(chunk)
            while self._size > self._limit and len(self._tail) > 1:
                self._size -= len(self._tail.popleft())

    def tail(self) -> str:
        with self._lock:
            return "".join(self._tail)[-self._limit:]

    # -- the file methods lean-interact calls on `proc.stderr` --

    def read(self) -> str:
        self._thread.join(timeout=1.0)  # the process is dead: let the thread reach EOF
        return self.tail()

    def close(self) -> None:
        # Closing a buffered pipe waits for a read in progress: only close it once the
        # thread has seen EOF (a dead process's pipe gets there at once).
        self._thread.join(timeout=1.0)
        if self._thread.is_alive():
            return
        try:
            self._pipe.close()
        except (OSError, ValueError):
            pass
