"""`rir eval` with a real Lean backend: setup once before the workers, setup failures stop
the run, infrastructure errors are retried on resume, stuck workers die with their Lean.

The backends' setup runs with the real lean-interact code and a fake `lake` on PATH
(as in test_repl_backend); the provers in the workers are fakes (module-level, so
spawned workers can import them), since what is tested is the pool around them.
"""
from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from lean_env.errors import InfraError, SetupError
from lean_env.theorems import Theorem, write_theorems
from rir.evaluation import evaluate, order_theorems
from rir.evaluation import pools
from rir.evaluation.results import read_results
from rir.prover import ProverSettings
from search.result import SearchResult, SearchStats

REPO = Path(__file__).resolve().parents[1]
REPL = ProverSettings(backend="repl", timeout=5.0, env_options={"project": None})
FLAKY_MARK = "FLAKY_PROVER_MARK"  # a file: while it is absent, 'flaky' theorems meet an InfraError


class LeanSideProver:
    """Proves every theorem; 'flaky' ones fail from Lean's side until FLAKY_MARK exists,
    'gone' ones find the toolchain gone, 'stuck' ones start a Lean in its own session and hang."""

    def __init__(self, settings: ProverSettings):
        self.settings = settings

    def prove(self, theorem: Theorem) -> SearchResult:
        name = theorem.full_name
        if "flaky" in name and not Path(os.environ[FLAKY_MARK]).exists():
            raise InfraError(f"cannot open '{name}': the REPL died: The Lean server closed unexpectedly.")
        if "gone" in name:
            raise SetupError("the Lean REPL could not be started: lake: not found")
        if "dies" in name and not Path(os.environ[FLAKY_MARK]).exists():
            # The worker is killed from outside (the kernel's OOM killer) while its Lean runs.
            lean = subprocess.Popen(["sleep", "600"], start_new_session=True)
            Path(os.environ["STUCK_LEAN_PID"]).write_text(str(lean.pid))
            os.kill(os.getpid(), signal.SIGKILL)
        if "stuck" in name:
            lean = subprocess.Popen(["sleep", "600"], start_new_session=True)  # as lean-interact starts it
            Path(os.environ["STUCK_LEAN_PID"]).write_text(str(lean.pid))
            time.sleep(600)
        return SearchResult(name, "proved", proof=["rfl"], stats=SearchStats(total_time=0.1),
                            settings=self.settings.to_dict())

    def reset(self) -> None:
        pass


def thms(*names: str) -> list[Theorem]:
    return [Theorem(n, f"theorem {n} : True") for n in names]


@pytest.fixture
def setups(monkeypatch):
    """Every ReplEnv.setup call in this (the parent) process, with its theorems."""
    from lean_env.repl import ReplEnv

    calls = []
    monkeypatch.setattr(ReplEnv, "setup", lambda env, theorems=(): calls.append([t.full_name for t in theorems]))
    return calls


def test_the_backend_is_set_up_once_in_the_parent_before_the_workers(tmp_path, setups):
    run = evaluate(thms("a1", "a2", "a3"), REPL, tmp_path / "r.jsonl", workers=2,
                   prover_factory=LeanSideProver, progress=False)
    assert [r.status for r in run.records] == ["proved"] * 3
    assert len(setups) == 1 and sorted(setups[0]) == ["a1", "a2", "a3"]
    evaluate(thms("a1", "a2", "a3"), REPL, tmp_path / "r.jsonl", workers=2,
             prover_factory=LeanSideProver, progress=False)
    assert len(setups) == 1  # nothing left to do: no setup either


def test_a_setup_failure_stops_the_run_before_any_theorem(tmp_path, monkeypatch):
    from lean_env.repl import ReplEnv

    def fail(env, theorems=()):
        raise SetupError("`lake exe cache get` failed in /p (exit 1): error: failed to download file")

    monkeypatch.setattr(ReplEnv, "setup", fail)
    out = tmp_path / "r.jsonl"
    with pytest.raises(SetupError, match="cache get"):
        evaluate(thms("a1", "a2"), REPL, out, workers=1, prover_factory=LeanSideProver, progress=False)
    assert read_results(out) == []  # no theorem recorded as done: a rerun tries them all


def test_rir_eval_exits_2_with_one_line_when_the_mathlib_cache_cannot_be_fetched(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    lake = ('#!/bin/sh\ncase "$*" in\n  *init*) echo "leanprover/lean4:v4.24.0" > lean-toolchain ;;\n'
            '  update) echo \'{"packages": [{"name": "mathlib"}]}\' > lake-manifest.json ;;\n'
            '  "exe cache get") echo "error: failed to download file: curl: (22) 403 rate limit"; exit 1 ;;\n'
            'esac\nexit 0\n')
    for tool, text in (("lean", "#!/bin/sh\nexit 0\n"), ("lake", lake)):
        (bin_dir / tool).write_text(text)
        (bin_dir / tool).chmod(0o755)
    theorems = tmp_path / "t.jsonl"
    write_theorems(theorems, thms("a1", "a2"))
    out = tmp_path / "r.jsonl"
    env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin", "RIR_EVAL_PROVER": "test_lean_eval_setup:LeanSideProver",
           "PYTHONPATH": f"{REPO / 'tests'}:{REPO}"}
    done = subprocess.run(
        [sys.executable, "-m", "rir.cli", "eval", "--theorems", str(theorems), "--out", str(out), "--quiet",
         "--backend", "repl", "--env-option", f"project_dir={tmp_path / 'mathlib'}"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 2, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert "lake exe cache get" in last and "403 rate limit" in last and "Traceback" not in done.stderr
    assert not out.exists() or read_results(out) == []


def test_a_toolchain_lost_mid_run_stops_the_run(tmp_path, setups):
    with pytest.raises(SetupError, match="could not be started"):
        list(evaluate(thms("a1", "gone2", "a3"), REPL, tmp_path / "r.jsonl", workers=1,
                      prover_factory=LeanSideProver, progress=False).records)


@pytest.mark.parametrize("workers", [0, 1])
def test_an_error_from_lean_s_side_is_retried_on_resume(tmp_path, monkeypatch, setups, workers):
    mark = tmp_path / "lean-is-back"
    monkeypatch.setenv(FLAKY_MARK, str(mark))
    out = tmp_path / "r.jsonl"
    first = evaluate(thms("a1", "flaky2"), REPL, out, workers=workers, prover_factory=LeanSideProver,
                     progress=False)
    flaky = next(r for r in first.records if r.theorem == "flaky2")
    assert flaky.status == "error" and flaky.retry is True and "REPL died" in flaky.reason
    mark.touch()
    second = evaluate(thms("a1", "flaky2"), REPL, out, workers=workers, prover_factory=LeanSideProver,
                      progress=False)
    assert (second.resumed, second.attempted) == (1, 1)
    assert {r.theorem: r.status for r in second.records} == {"a1": "proved", "flaky2": "proved"}


def test_rir_eval_says_which_errors_a_rerun_retries(tmp_path, monkeypatch, setups):
    from rir.commands.eval import retry_hint

    monkeypatch.setenv(FLAKY_MARK, str(tmp_path / "absent"))
    out = tmp_path / "r.jsonl"
    run = evaluate(thms("a1", "flaky2", "flaky3"), REPL, out, workers=0, prover_factory=LeanSideProver,
                   progress=False)
    hint = retry_hint(run.records, out)
    assert hint.startswith("2 error(s) came from Lean's side") and f"--out {out}" in hint
    assert re.search(r"e\.g\. (flaky\d): InfraError: cannot open '\1': the REPL died", hint) and "\n" not in hint
    assert retry_hint([r for r in run.records if r.theorem == "a1"], out) is None


def test_a_killed_worker_takes_its_lean_processes_with_it(tmp_path, monkeypatch, setups):
    pid_file = tmp_path / "lean.pid"
    monkeypatch.setenv("STUCK_LEAN_PID", str(pid_file))
    monkeypatch.setattr(pools, "hard_limit", lambda settings: 1.0)  # the parent's watchdog
    quick = REPL.with_(env_options={"project": None, "open_timeout": 0.25})  # the first-open allowance
    run = evaluate(thms("stuck1", "a2"), quick, tmp_path / "r.jsonl", workers=1,
                   prover_factory=LeanSideProver, progress=False)
    stuck = next(r for r in run.records if r.theorem == "stuck1")
    assert stuck.status == "error" and "killed" in stuck.reason
    lean = int(pid_file.read_text())
    assert not psutil.pid_exists(lean) or psutil.Process(lean).status() == psutil.STATUS_ZOMBIE


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 10  # killed, it may take a moment to be reaped by init
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.1)
    return False


def test_a_worker_dying_on_its_own_takes_its_lean_with_it_and_is_retried_on_resume(tmp_path, monkeypatch, setups):
    pid_file, mark = tmp_path / "lean.pid", tmp_path / "healthy"
    monkeypatch.setenv("STUCK_LEAN_PID", str(pid_file))
    monkeypatch.setenv(FLAKY_MARK, str(mark))
    out = tmp_path / "r.jsonl"
    run = evaluate(thms("dies1", "a2"), REPL, out, workers=1, prover_factory=LeanSideProver, progress=False)
    dead = next(r for r in run.records if r.theorem == "dies1")
    assert dead.status == "error" and "worker died" in dead.reason and dead.retry is True
    assert _gone(int(pid_file.read_text()))  # re-parented when its worker died, found by its mark
    mark.touch()
    again = evaluate(thms("dies1", "a2"), REPL, out, workers=1, prover_factory=LeanSideProver, progress=False)
    assert (again.resumed, again.attempted) == (1, 1)
    assert {r.theorem: r.status for r in again.records} == {"dies1": "proved", "a2": "proved"}


def test_a_worker_killed_for_overrunning_is_the_theorem_s_failure_not_retried(tmp_path, monkeypatch, setups):
    monkeypatch.setenv("STUCK_LEAN_PID", str(tmp_path / "lean.pid"))
    monkeypatch.setattr(pools, "hard_limit", lambda settings: 1.0)
    quick = REPL.with_(env_options={"project": None, "open_timeout": 0.25})
    run = evaluate(thms("stuck1"), quick, tmp_path / "r.jsonl", workers=1, prover_factory=LeanSideProver,
                   progress=False)
    assert run.records[0].status == "error" and run.records[0].retry is False


class _Process:
    def __init__(self):
        self.proc = subprocess.Popen(["sleep", "60"])
        self.pid = self.proc.pid

    def kill(self):
        self.proc.kill()

    def join(self):
        self.proc.wait()


@pytest.mark.parametrize("backend, options, first, allowed", [
    # Every open request may take open_timeout and is retried once on a fresh Lean: the
    # watchdog never kills a worker before the backend's own timeouts have fired.
    ("repl", {"project": None}, True, 2400.0),  # header (importing Mathlib) and statement, each twice
    ("repl", {"project": None, "open_timeout": 900}, True, 3600.0),
    ("repl", {"project": None}, False, 1800.0),  # the statement twice, the header again on the retry
    ("dojo", {}, False, 1200.0),  # every Dojo elaborates its file up to it, twice at most
    ("embedded", {}, True, 0.0),
])
def test_the_watchdog_allows_a_worker_s_first_open_its_own_timeout(backend, options, first, allowed):
    settings = ProverSettings(backend=backend, timeout=5.0, env_options=options)
    pool = pools.ProcessPool(1, settings, LeanSideProver)
    worker = pools._Worker(_Process(), None, None, current=thms("a1")[0], opened=not first)
    pool.workers = {0: worker}
    worker.since = time.monotonic() - pools.hard_limit(settings) - allowed + 30  # within the allowance
    pool._kill_stuck()
    assert worker.killed is None
    worker.since -= 60  # past it
    pool._kill_stuck()
    assert worker.killed and worker.process.proc.poll() is not None


def test_the_order_is_reprovers_md5_of_path_and_name():
    theorems = [Theorem(f"T.t{i}", "theorem t : True", file_path=f"Mathlib/F{i % 3}.lean") for i in range(20)]
    expected = sorted(theorems, key=lambda t: hashlib.md5(f"{t.file_path}:{t.full_name}".encode()).hexdigest())
    assert order_theorems(theorems) == expected
    assert order_theorems(theorems, 5) == expected[:5]
