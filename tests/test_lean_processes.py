"""Lean processes outliving the worker that started them: found by the mark their
environment inherited, wherever they were re-parented to, and killed; nothing else is."""
import os
import subprocess
import sys
import time

import psutil

from lean_env.processes import MARK_VARIABLE, kill_marked, marked

# A worker that starts a Lean in a session of its own (as lean-interact and pexpect do),
# prints its pid and exits at once: the Lean is re-parented and no longer its child.
WORKER = """
import os, subprocess, sys
os.environ[{var!r}] = sys.argv[1]
lean = subprocess.Popen(["sleep", "600"], start_new_session=True,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(lean.pid, flush=True)
os._exit(0)
"""


def _orphan(mark: str) -> int:
    done = subprocess.run([sys.executable, "-c", WORKER.format(var=MARK_VARIABLE), mark],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def _dead(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.05)
    return False


def test_an_orphaned_lean_is_found_by_its_mark_and_killed_and_no_other_process_is():
    mine, other = _orphan("rir-test-mine"), _orphan("rir-test-other")
    unmarked = subprocess.Popen(["sleep", "600"])
    try:
        assert psutil.Process(mine).ppid() != os.getpid()  # no longer anyone's child we know
        assert [p.pid for p in marked("rir-test-mine")] == [mine]
        assert kill_marked("rir-test-mine") == [mine]
        assert _dead(mine)
        assert psutil.Process(other).is_running() and unmarked.poll() is None
        assert kill_marked("") == []  # an unmarked worker claims nothing
    finally:
        kill_marked("rir-test-other")
        unmarked.kill()
        unmarked.wait()
    assert _dead(other)
