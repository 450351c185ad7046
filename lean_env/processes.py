"""Lean child processes: killing a whole tree, and draining a pipe nobody else reads.

Both libraries start Lean in a session of its own (lean-interact passes
`start_new_session=True`; pexpect's pty forks do `setsid`), so killing a worker's
process group leaves them running. Their parent links survive a new session, so
the tree is found through the process table instead.

The REPL's stderr is a pipe lean-interact reads only after the process died; a
Lean that writes more than the pipe holds (~64 KB) blocks until someone reads.
`StderrDrain` reads it on a thread into a bounded tail, and stands in for the
pipe so the library's post-mortem `read()` still gets the tail.
"""
from __future__ import annotations

import logging
import threading
from collections import deque

log = logging.getLogger("rir")

TAIL_CHARS = 16_384  # what is kept of a flood: the end says why Lean died


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
