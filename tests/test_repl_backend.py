"""Contract tests of the REPL backend against the real lean-interact code.

Only the Lean side is replaced: `LeanServer.start` gets `FakeRepl`, a stand-in
for the `lake env repl` process speaking the REPL's JSON protocol on
stdin/stdout, and `LeanREPLConfig` skips fetching and building the REPL.
lean-interact's own request handling (its reader thread, timeouts, kill, the
Command/ProofStep requests and CommandResponse/ProofStepResponse/LeanError
answers) runs unchanged.
"""
import json
import os
import threading
import queue
import sys

import pytest

lean_interact = pytest.importorskip("lean_interact")
from lean_interact.config import LeanREPLConfig  # noqa: E402
from lean_interact.project import TempRequireProject  # noqa: E402
from lean_interact.server import LeanServer  # noqa: E402

from lean_env import (  # noqa: E402
    BadInput, Crash, LeanError, MissingDependency, OpenError, ProofFinished, TacticState, Timeout,
)
from lean_env.protocol import ProofCheck  # noqa: E402
from lean_env.repl import DEFAULT_RESTART_ABOVE_MB, ReplEnv, statement_with_sorry  # noqa: E402
from lean_env.theorems import Theorem  # noqa: E402

HEADER = "import Mathlib\n\nopen Real\n"
STATEMENT = "theorem and_swap (p q : Prop) (hp : p) (hq : q) : q ∧ p"
START = "p q : Prop\nhp : p\nhq : q\n⊢ q ∧ p"
LEFT, RIGHT = "p q : Prop\nhp : p\nhq : q\n⊢ q", "p q : Prop\nhp : p\nhq : q\n⊢ p"
NO_PID = 2**22 + 1  # above Linux's largest pid_max: psutil finds no such process
TACTIC_TIMEOUT = 0.2  # the fake never answers a timing-out tactic: keep the wait short

# Lean's answer per (goals, tactic): the goals left, or an event.
SCRIPT = {
    (START, "constructor"): [LEFT, RIGHT],
    (LEFT + "\n\n" + RIGHT, "exact hq"): [RIGHT],
    (RIGHT, "exact hp"): [],
    (START, "exact ⟨hq, hp⟩"): [],
    (START, "unsound_close"): [],  # tactic mode says Completed; the declaration does not check
    (LEFT + "\n\n" + RIGHT, "simp_all"): "TIMEOUT",
    (LEFT + "\n\n" + RIGHT, "decide"): "CRASH",
    (LEFT + "\n\n" + RIGHT, "omega"): "OOM",
}


class _Stdout:
    def __init__(self):
        self.lines = queue.Queue()

    def readline(self):
        return self.lines.get()

    def read(self):
        return ""

    def close(self):
        self.lines.put("")  # EOF for a reader still waiting


class _Stdin:
    def __init__(self, repl):
        self.repl, self.buffer = repl, ""

    def write(self, text):
        self.buffer += text

    def flush(self):
        *requests, self.buffer = self.buffer.split("\n\n")
        for request in requests:
            self.repl.answer(json.loads(request))

    def close(self):
        pass


class FakeRepl:
    """Stands in for `lake env .lake/build/bin/repl`: JSON requests in, JSON answers out."""

    slow_replay = 0.0
    mathlib_broken = False  # the project's Mathlib was never built (a failed cache download)
    unanswered = {"header": 0, "statement": 0}  # how many of these the next REPLs leave unanswered

    def __init__(self):
        self.pid, self.returncode = NO_PID, None
        self.stdin, self.stdout = _Stdin(self), _Stdout()
        read_end, write_end = os.pipe()  # a real pipe: it holds ~64 KB until someone reads
        self.stderr = os.fdopen(read_end, "r", encoding="utf-8")
        self._stderr_writer = os.fdopen(write_end, "w", encoding="utf-8")
        self.envs, self.states, self.received = [], [], []
        self.slow_replay = FakeRepl.slow_replay

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):  # lean-interact's kill waits, then closes the pipes
        self._close_stderr()
        return self.returncode

    def _close_stderr(self):
        if not self._stderr_writer.closed:
            self._stderr_writer.close()

    def _flood_then_answer(self, chars):
        """Lean writing a flood of warnings to stderr before answering."""
        def write():
            self._stderr_writer.write("warning: unused variable\n" * (chars // 25))
            self._stderr_writer.flush()
            self._send({"message": "Lean error:\nflooded"})
        threading.Thread(target=write, daemon=True).start()

    def _send(self, answer):
        self.stdout.lines.put(json.dumps(answer) + "\n")
        self.stdout.lines.put("\n")

    def _die(self, stderr):
        self._stderr_writer.write(stderr)
        self._close_stderr()
        self.returncode = 134
        self.stdout.close()

    def answer(self, request):
        self.received.append(request.get("tactic") or request["cmd"])
        if "cmd" in request:
            kind = "header" if "env" not in request else "statement"
            if request["cmd"].endswith(":= by sorry") and FakeRepl.unanswered[kind] > 0:
                FakeRepl.unanswered[kind] -= 1  # Lean busy past the open timeout (a loaded machine)
                return None
            if kind == "header" and FakeRepl.unanswered["header"] > 0 and request["cmd"] != "import Mathlib":
                FakeRepl.unanswered["header"] -= 1
                return None
            return self._send(self._command(request))
        goals = "\n\n".join(self.states[request["proofState"]])
        outcome = SCRIPT.get((goals, request["tactic"]))
        if request["tactic"] == "sorry":
            self.states.append([])
            return self._send({"proofState": len(self.states) - 1, "goals": [], "sorries": [{"goal": goals}],
                               "proofStatus": "Incomplete: contains sorry"})
        if request["tactic"] == "flood":
            return self._flood_then_answer(256 * 1024)
        if request["tactic"] == "linarith":
            return self._send({"message": "Lean error:\nlinarith failed to find a contradiction"})
        if outcome == "TIMEOUT":
            return None
        if request["tactic"] == "constructor" and self.slow_replay and len(self.received) > 2:
            # A replay on a loaded machine, slower than the first run: the answer comes late.
            self.states.append(outcome)
            answer = {"proofState": len(self.states) - 1, "goals": outcome, "proofStatus": "Incomplete"}
            return threading.Timer(self.slow_replay, self._send, [answer]).start()
        if outcome in ("CRASH", "OOM"):
            return self._die("INTERNAL PANIC: out of memory" if outcome == "OOM" else "uncaught exception")
        if outcome is None:
            return self._send({"proofState": 99, "goals": [], "proofStatus": "Error", "messages": [
                {"severity": "error", "pos": {"line": 1, "column": 0}, "data": "unknown identifier 'foo'"}]})
        self.states.append(outcome)
        status = "Incomplete: open goals remain" if outcome else "Completed"
        return self._send({"proofState": len(self.states) - 1, "goals": outcome, "proofStatus": status})

    def _declaration(self, lines):
        """Elaborate a whole `theorem ... := by` proof as Lean would."""
        goals = [START]
        for tactic in (line.strip() for line in lines):
            after = SCRIPT.get(("\n\n".join(goals), tactic))
            if tactic == "unsound_close" or not isinstance(after, list):
                return {"env": len(self.envs), "messages": [{"severity": "error", "pos": {"line": 2, "column": 2},
                                                             "data": "type mismatch"}]}
            goals = after
        if goals:
            return {"env": len(self.envs), "messages": [{"severity": "error", "pos": {"line": 1, "column": 0},
                                                         "data": "unsolved goals"}]}
        return {"env": len(self.envs)}

    def _command(self, request):
        if "env" not in request:  # a header
            if request["cmd"] == "import Mathlib" and FakeRepl.mathlib_broken:
                return {"env": 0, "messages": [{"severity": "error", "pos": {"line": 1, "column": 0},
                                                "data": "object file .lake/packages/mathlib/.lake/build/lib/"
                                                        "Mathlib.olean of module Mathlib does not exist"}]}
            if "import Mine.Broken" in request["cmd"]:
                return {"env": 0, "messages": [{"severity": "error", "pos": {"line": 1, "column": 0},
                                                "data": "unknown module prefix 'Mine'"}]}
            if "Nonexistent" in request["cmd"]:
                return {"env": 0, "messages": [{"severity": "error", "pos": {"line": 1, "column": 0},
                                                "data": "unknown module prefix 'Nonexistent'"}]}
            self.envs.append(request["cmd"])
            return {"env": len(self.envs) - 1}
        assert request["env"] < len(self.envs), "a statement must run on a live header env"
        if request["cmd"].startswith(STATEMENT + " := by\n"):
            return self._declaration(request["cmd"].removeprefix(STATEMENT + " := by\n").split("\n"))
        if request["cmd"] != STATEMENT + " := by sorry":
            return {"env": 7, "messages": [{"severity": "error", "pos": {"line": 1, "column": 8},
                                            "data": "unknown identifier 'r'"}]}
        self.states.append([START])
        return {"env": len(self.envs), "sorries": [
            {"pos": {"line": 1, "column": 70}, "endPos": {"line": 1, "column": 75},
             "goal": START, "proofState": len(self.states) - 1}],
            "messages": [{"severity": "warning", "pos": {"line": 1, "column": 8},
                          "data": "declaration uses 'sorry'"}]}


# `lake` as the setup runs it: records each call, creates what init/update create, and
# fails the subcommand named by $LAKE_FAIL the way a failed cache download does.
FAKE_LAKE = """#!/bin/sh
echo "$*" >> "$LAKE_LOG"
if [ -n "$LAKE_FAIL" ] && echo " $* " | grep -q " $LAKE_FAIL "; then
  echo "info: downloading 5000 files"; echo "error: failed to download file: curl: (6) Could not resolve host"
  exit 1
fi
case "$*" in
  *init*) echo "leanprover/lean4:v4.24.0" > lean-toolchain ;;
  update) echo '{"packages": [{"name": "mathlib"}]}' > lake-manifest.json ;;
esac
exit 0
"""


@pytest.fixture
def lean(monkeypatch, tmp_path):
    """The fake Lean side; `lean.started` lists every REPL process started."""
    (tmp_path / "bin").mkdir()
    for tool in ("lean", "lake", "elan"):
        exe = tmp_path / "bin" / tool
        exe.write_text(FAKE_LAKE if tool == "lake" else "#!/bin/sh\nexit 0\n")
        exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    monkeypatch.setenv("LAKE_LOG", str(tmp_path / "lake.log"))
    monkeypatch.delenv("LAKE_FAIL", raising=False)

    class Lean:
        started = []
        memory_mb = 100.0

        @staticmethod
        def lake_calls():
            log = tmp_path / "lake.log"
            return log.read_text().splitlines() if log.is_file() else []

    def setup_repl(config):  # instead of cloning and building leanprover-community/repl
        config._cache_repl_dir = tmp_path / "repl"

    def start(server):
        server._proc = FakeRepl()
        Lean.started.append(server._proc)

    monkeypatch.setattr(FakeRepl, "unanswered", {"header": 0, "statement": 0})
    monkeypatch.setattr(LeanREPLConfig, "_setup_repl", setup_repl)
    monkeypatch.setattr(LeanServer, "start", start)
    monkeypatch.setattr(LeanServer, "get_memory_usage", lambda server: Lean.memory_mb)
    return Lean


def thm(statement=STATEMENT, header=HEADER):
    return Theorem("and_swap", statement, header=header)


def env(**options):
    return ReplEnv(project=None, timeout=TACTIC_TIMEOUT, **options)


def test_every_repl_answer_maps_onto_the_protocol(lean):
    repl = env()
    start = repl.open(thm())
    assert start == TacticState(START, 1)
    split = repl.run_tac(start, "constructor")
    assert split.pp == LEFT + "\n\n" + RIGHT and split.num_goals == 2
    assert repl.run_tac(split, "exact foo") == LeanError("unknown identifier 'foo'")
    assert repl.run_tac(split, "linarith") == LeanError("Lean error:\nlinarith failed to find a contradiction")
    assert "sorry" in repl.run_tac(split, "sorry").message
    right = repl.run_tac(split, "exact hq")
    assert right.pp == RIGHT and right.num_goals == 1
    assert isinstance(repl.run_tac(right, "exact hp"), ProofFinished)
    assert isinstance(repl.run_tac(start, "exact ⟨hq, hp⟩"), ProofFinished)
    assert repl.env_time > 0
    repl.close()


def test_the_header_runs_once_per_server(lean):
    repl = env()
    for _ in range(3):
        repl.open(thm())
    assert lean.started[0].received.count(HEADER) == 1
    assert len(lean.started) == 1


def test_a_timeout_restarts_the_repl_and_replays_to_the_same_state(lean):
    repl = env()
    start = repl.open(thm())
    split = repl.run_tac(start, "constructor")
    assert isinstance(repl.run_tac(split, "simp_all"), Timeout)
    assert len(lean.started) == 2
    fresh = lean.started[1]
    assert fresh.received == [HEADER, STATEMENT + " := by sorry", "constructor"]
    assert fresh.states[-1] == [LEFT, RIGHT]
    right = repl.run_tac(split, "exact hq")
    assert right.pp == RIGHT
    assert isinstance(repl.run_tac(right, "exact hp"), ProofFinished)


def test_replay_after_a_timeout_gets_longer_than_the_tactic_timeout(lean, monkeypatch):
    repl = env(replay_timeout=30)
    split = repl.run_tac(repl.open(thm()), "constructor")
    monkeypatch.setattr(FakeRepl, "slow_replay", 3 * TACTIC_TIMEOUT)  # over the tactic timeout
    assert isinstance(repl.run_tac(split, "simp_all"), Timeout)
    assert len(lean.started) == 2  # one restart: the replay of `constructor` did not time out
    assert repl.run_tac(split, "exact hq").pp == RIGHT
    assert len(lean.started) == 2


def test_a_tactic_that_crashes_the_repl_fails_and_the_search_goes_on_after_a_restart(lean):
    repl = env()
    start = repl.open(thm())
    split = repl.run_tac(start, "constructor")
    failed = repl.run_tac(split, "decide")
    assert isinstance(failed, LeanError) and "REPL died" in failed.message and "restarted" in failed.message
    assert len(lean.started) == 2 and lean.started[-1].received[-1] == "constructor"  # replayed at once
    # The same theorem goes on, and so does the next one.
    assert repl.run_tac(split, "exact hq").pp == RIGHT
    assert lean.started[-1].received[-2:] == ["constructor", "exact hq"]
    assert isinstance(repl.run_tac(repl.open(thm()), "exact ⟨hq, hp⟩"), ProofFinished)


def test_a_crash_the_repl_cannot_come_back_from_is_a_crash(lean, monkeypatch):
    repl = env()
    split = repl.run_tac(repl.open(thm()), "constructor")
    monkeypatch.setattr(FakeRepl, "unanswered", {"header": 0, "statement": 2})  # the fresh REPLs never open it
    repl.open_timeout = 0.3
    crash = repl.run_tac(split, "omega")
    assert isinstance(crash, Crash) and crash.out_of_memory


def test_out_of_memory_is_told_apart(lean):
    repl = env()
    split = repl.run_tac(repl.open(thm()), "constructor")
    failed = repl.run_tac(split, "omega")
    assert isinstance(failed, LeanError) and "out of memory" in failed.message


def test_a_repl_killed_while_idle_is_restarted_and_the_tactic_runs(lean):
    repl = env()
    split = repl.run_tac(repl.open(thm()), "constructor")
    lean.started[-1].returncode = -9  # killed between tactics (the OOM killer)
    assert repl.run_tac(split, "exact hq").pp == RIGHT
    assert len(lean.started) == 2 and lean.started[-1].received[-2:] == ["constructor", "exact hq"]


def test_a_repl_over_its_memory_budget_is_restarted_and_states_replayed(lean):
    repl = env(restart_above_mb=1000)
    start = repl.open(thm())
    lean.memory_mb = 2000.0
    split = repl.run_tac(start, "constructor")  # answered, then the REPL is restarted
    lean.memory_mb = 100.0
    assert repl.run_tac(split, "exact hq").pp == RIGHT
    assert len(lean.started) == 2
    assert lean.started[1].received[-2:] == ["constructor", "exact hq"]


def test_by_default_a_repl_grown_past_its_memory_ceiling_is_restarted_between_theorems(lean):
    repl = env()
    assert isinstance(repl.run_tac(repl.open(thm()), "exact ⟨hq, hp⟩"), ProofFinished)
    lean.memory_mb = DEFAULT_RESTART_ABOVE_MB + 1  # grew while idle, after its last tactic
    assert repl.open(thm()).pp
    assert len(lean.started) == 2
    lean.memory_mb = DEFAULT_RESTART_ABOVE_MB - 1
    repl.open(thm())
    assert len(lean.started) == 2


def test_a_bad_statement_or_header_is_an_open_error_naming_the_theorem(lean):
    repl = env()
    with pytest.raises(OpenError, match="and_swap.*unknown identifier 'r'"):
        repl.open(thm(statement="theorem and_swap : r"))
    with pytest.raises(OpenError, match="and_swap.*header does not compile.*Nonexistent"):
        repl.open(thm(header="import Nonexistent\n"))
    with pytest.raises(OpenError, match="and_swap.*no statement"):
        repl.open(Theorem("and_swap", url="u", commit="c", file_path="F.lean"))
    # The server survived all three.
    assert isinstance(repl.run_tac(repl.open(thm()), "exact ⟨hq, hp⟩"), ProofFinished)


def test_a_trailing_proof_is_dropped_from_the_statement():
    assert statement_with_sorry(thm(STATEMENT + " := by\n  simp")) == STATEMENT + " := by sorry"
    assert statement_with_sorry(thm(STATEMENT + " :=by sorry")) == STATEMENT + " := by sorry"
    assert statement_with_sorry(thm(STATEMENT)) == STATEMENT + " := by sorry"
    auto_param = "theorem t (n : ℕ) (h : 0 ≤ n := by simp) : (let k := by exact 1; k) ≤ n + 1"
    assert statement_with_sorry(thm(auto_param + " := by\n  omega")) == auto_param + " := by sorry"


def test_pinned_mathlib_and_memory_limit_reach_the_repl_config(lean, tmp_path):
    project_dir = tmp_path / "mathlib-project"
    project_dir.mkdir()
    (project_dir / "lake-manifest.json").write_text("{}")  # already set up: no `lake init`
    (project_dir / "lean-toolchain").write_text("leanprover/lean4:v4.24.0\n")
    config = ReplEnv(project="mathlib", project_dir=project_dir, memory_limit_mb=8000).repl_config()
    assert isinstance(config.project, TempRequireProject)
    (mathlib,) = config.project._normalize_require()
    assert (mathlib.name, mathlib.rev) == ("mathlib", "v4.24.0")
    assert config.lean_version == "v4.24.0" and config.memory_hard_limit_mb == 8000


def test_a_local_lake_project_is_built_and_used(lean, tmp_path):
    project = tmp_path / "mine"
    project.mkdir()
    (project / "lakefile.toml").write_text('name = "mine"\n')
    (project / "lean-toolchain").write_text("leanprover/lean4:v4.22.0\n")
    config = ReplEnv(project=project).repl_config()
    assert lean.lake_calls() == ["build"]  # no Mathlib: no cache to fetch
    assert config.working_dir == str(project.resolve()) and config.lean_version == "v4.22.0"


def local_project(tmp_path, mathlib: bool):
    project = tmp_path / "mine"
    project.mkdir()
    (project / "lakefile.toml").write_text('name = "mine"\n')
    (project / "lean-toolchain").write_text("leanprover/lean4:v4.24.0\n")
    packages = '[{"name": "mathlib"}]' if mathlib else "[]"
    (project / "lake-manifest.json").write_text(f'{{"packages": {packages}}}\n')
    return project


def test_a_local_mathlib_project_is_import_checked_before_it_is_marked_ready(lean, tmp_path, monkeypatch):
    from lean_env.errors import SetupError

    project = local_project(tmp_path, mathlib=True)
    monkeypatch.setattr(FakeRepl, "mathlib_broken", True)
    with pytest.raises(SetupError, match="built but `import Mathlib` fails: object file .*Mathlib.olean") as err:
        ReplEnv(project=project).setup([thm()])
    assert "rir-setup.log" in str(err.value) and "\n" not in str(err.value)  # where lake's output is
    assert lean.lake_calls() == ["exe cache get", "build"]
    assert not (project / ".lake" / "rir-ready").exists()
    monkeypatch.setattr(FakeRepl, "mathlib_broken", False)
    ReplEnv(project=project).setup([thm()])
    assert (project / ".lake" / "rir-ready").is_file()


def test_a_local_project_must_import_what_the_theorems_share(lean, tmp_path):
    from lean_env.errors import SetupError

    project = local_project(tmp_path, mathlib=False)
    broken = [thm(header="import Mine.Broken\nopen Nat\n") for _ in range(2)] + [thm(header="")]
    with pytest.raises(SetupError, match="built but `import Mine.Broken` fails: unknown module prefix 'Mine'"):
        ReplEnv(project=project).setup(broken)
    assert not (project / ".lake" / "rir-ready").exists()
    repl = ReplEnv(project=project, timeout=TACTIC_TIMEOUT)
    repl.setup([thm(header="import Mine.Basic\nopen Nat\n")])
    assert lean.started[-1].received == ["import Mine.Basic"]  # the imports only: opens are the theorem's
    assert (project / ".lake" / "rir-ready").is_file()


def test_a_statement_left_unanswered_is_retried_once_on_a_fresh_repl(lean):
    FakeRepl.unanswered["statement"] = 1
    repl = env(open_timeout=0.3)
    start = repl.open(thm())
    assert start.pp == START and len(lean.started) == 2  # the first REPL was killed by the timeout
    assert lean.started[-1].received[0] == HEADER  # a fresh REPL runs the header again
    assert isinstance(repl.run_tac(start, "exact ⟨hq, hp⟩"), ProofFinished)


def test_a_header_left_unanswered_is_retried_once_on_a_fresh_repl(lean):
    FakeRepl.unanswered["header"] = 1
    repl = env(open_timeout=0.3)
    assert repl.open(thm()).pp == START and len(lean.started) == 2


def test_a_statement_unanswered_twice_is_an_infrastructure_error_a_resume_retries(lean):
    from lean_env.errors import InfraError

    FakeRepl.unanswered["statement"] = 2
    with pytest.raises(InfraError, match="and_swap.*took over 0.3s on its statement .twice") as err:
        env(open_timeout=0.3).open(thm())
    assert "open_timeout" in str(err.value) and "\n" not in str(err.value)


def mathlib_env(tmp_path, **options):
    return ReplEnv(project="mathlib", project_dir=tmp_path / "mathlib-project", timeout=TACTIC_TIMEOUT, **options)


def test_setup_builds_the_mathlib_project_once_and_imports_mathlib_before_marking_it_ready(lean, tmp_path):
    repl = mathlib_env(tmp_path)
    repl.setup()
    assert lean.lake_calls()[1:] == ["update", "exe cache get", "build"]  # after `lake +v4.24.0 init`
    assert lean.started[-1].received == ["import Mathlib"]
    assert (tmp_path / "mathlib-project" / ".lake" / "rir-ready").is_file()
    # A worker (or the next run) finds it ready: no lake, no extra import.
    calls, starts = len(lean.lake_calls()), len(lean.started)
    worker = mathlib_env(tmp_path)
    worker.setup()
    assert len(lean.lake_calls()) == calls and len(lean.started) == starts
    assert isinstance(worker.run_tac(worker.open(thm()), "exact ⟨hq, hp⟩"), ProofFinished)


def test_a_failed_cache_download_stops_setup_with_lake_s_diagnostics(lean, tmp_path, monkeypatch):
    from lean_env.errors import SetupError

    monkeypatch.setenv("LAKE_FAIL", "cache")
    with pytest.raises(SetupError) as err:
        mathlib_env(tmp_path).setup()
    message = str(err.value)
    assert "\n" not in message and "lake exe cache get" in message
    assert "Could not resolve host" in message and "rir-setup.log" in message
    assert not (tmp_path / "mathlib-project" / ".lake" / "rir-ready").exists()
    assert "lake build" not in message and "build" not in lean.lake_calls()
    # The project lean-interact left behind is not taken as ready: the next run fetches again.
    monkeypatch.delenv("LAKE_FAIL")
    mathlib_env(tmp_path).setup()
    assert lean.lake_calls()[-2:] == ["exe cache get", "build"]


def test_a_project_that_builds_but_cannot_import_mathlib_is_refused_and_never_marked(lean, tmp_path, monkeypatch):
    from lean_env.errors import SetupError

    monkeypatch.setattr(FakeRepl, "mathlib_broken", True)
    with pytest.raises(SetupError, match="built but `import Mathlib` fails: object file .*Mathlib.olean"):
        mathlib_env(tmp_path).setup()
    assert not (tmp_path / "mathlib-project" / ".lake" / "rir-ready").exists()
    with pytest.raises(SetupError):  # the first open sets up too (rir prove): same verdict
        mathlib_env(tmp_path).open(thm())


def test_setup_needs_curl_or_wget_for_the_mathlib_cache(lean, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # lean, lake, git-less PATH: add git only
    git = tmp_path / "bin" / "git"
    git.write_text("#!/bin/sh\nexit 0\n")
    git.chmod(0o755)
    with pytest.raises(MissingDependency, match="neither curl nor wget"):
        mathlib_env(tmp_path).setup()


def test_a_flood_on_the_repl_s_stderr_does_not_block_it(lean):
    repl = env()
    start = repl.open(thm())
    # 256 KB of warnings, four times what a pipe holds, before the answer.
    assert repl.run_tac(start, "flood") == LeanError("Lean error:\nflooded")
    assert repl.run_tac(start, "constructor").num_goals == 2


def test_a_crash_message_keeps_the_tail_of_the_drained_stderr(lean):
    repl = env()
    split = repl.run_tac(repl.open(thm()), "constructor")
    failed = repl.run_tac(split, "omega")  # dies writing "INTERNAL PANIC: out of memory"
    assert isinstance(failed, LeanError) and "out of memory" in failed.message


def test_the_tactic_timeout_is_bounded_by_the_search_s_deadline(lean, monkeypatch):
    import time

    seen = []
    real_run = LeanServer.run
    monkeypatch.setattr(LeanServer, "run", lambda server, request, timeout=None, **kw:
                        seen.append(timeout) or real_run(server, request, timeout=timeout, **kw))
    repl = ReplEnv(project=None, timeout=60)
    start = repl.open(thm())
    repl.set_deadline(time.monotonic() + 5)
    repl.run_tac(start, "constructor")
    assert 0 < seen[-1] <= 5
    repl.set_deadline(None)
    repl.run_tac(start, "constructor")
    assert seen[-1] == 60


def test_a_timeout_at_the_deadline_does_not_restart_and_replay(lean):
    import time

    repl = env()
    split = repl.run_tac(repl.open(thm()), "constructor")
    repl.set_deadline(time.monotonic() + TACTIC_TIMEOUT / 2)
    assert isinstance(repl.run_tac(split, "simp_all"), Timeout)
    assert len(lean.started) == 1  # the search is over: no replay spent on it


def test_a_replay_that_reaches_another_state_is_a_crash_not_a_silent_switch(lean, monkeypatch):
    repl = env()
    split = repl.run_tac(repl.open(thm()), "constructor")
    assert isinstance(repl.run_tac(split, "simp_all"), Timeout)  # restarted and replayed: fine
    SCRIPT[(START, "constructor")] = [RIGHT, LEFT]  # the next Lean splits the other way round
    try:
        assert isinstance(repl.run_tac(split, "simp_all"), Timeout)
        outcome = repl.run_tac(split, "exact hq")
    finally:
        SCRIPT[(START, "constructor")] = [LEFT, RIGHT]
    assert isinstance(outcome, Crash) and "another state" in outcome.message


def test_fresh_metavariable_numbers_do_not_make_a_replay_differ():
    from lean_env.state_tree import same_state

    assert same_state("x : ?m.123\n⊢ ?u.7 = _uniq.9", "x : ?m.45\n⊢ ?u.8 = _uniq.1")
    assert not same_state("⊢ p", "⊢ q")


def test_a_directory_without_lakefile_is_bad_input(lean, tmp_path):
    with pytest.raises(BadInput, match="not a Lake project"):
        ReplEnv(project=tmp_path).repl_config()


def test_a_missing_lean_toolchain_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv("ELAN_HOME", str(tmp_path / "no-elan"))
    with pytest.raises(MissingDependency) as err:
        ReplEnv().open(thm())
    assert "\n" not in str(err.value) and "install elan" in str(err.value)


def test_a_missing_lean_interact_package_is_a_missing_dependency(lean, monkeypatch):
    monkeypatch.setitem(sys.modules, "lean_interact", None)  # `import lean_interact` fails
    with pytest.raises(MissingDependency, match=r"pip install 'rir\[repl\]'"):
        env().open(thm())


def test_a_whole_proof_is_checked_by_replay_and_as_one_declaration(lean):
    repl = env()
    assert repl.check_proof(thm(), ["constructor", "exact hq", "exact hp"]) == ProofCheck(True)
    assert lean.started[-1].received[-1] == STATEMENT + " := by\n  constructor\n  exact hq\n  exact hp"
    # Tactic mode accepted it; the declaration does not elaborate.
    assert isinstance(repl.run_tac(repl.open(thm()), "unsound_close"), ProofFinished)
    verdict = repl.check_proof(thm(), ["unsound_close"])
    assert not verdict.ok and "type mismatch" in verdict.reason
    # A path that never ran in sequence fails the replay.
    verdict = repl.check_proof(thm(), ["constructor", "exact hp"])
    assert not verdict.ok and "step 2 `exact hp`" in verdict.reason
    verdict = repl.check_proof(thm(), ["constructor"])
    assert not verdict.ok and "goals remain" in verdict.reason
