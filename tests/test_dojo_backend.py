"""Contract tests of the LeanDojo backend against the real lean_dojo 4.20 code.

Only the Lean side is replaced: `pexpect.spawn` (which would start `lake env
lean` on a traced file) returns `FakeLeanRepl`, which speaks LeanDojo's REPL
line protocol, and the traced-repository lookups return a temporary directory.
Everything else -- Dojo.__enter__, run_tac, _submit_request, _read_next_line
and the real result types and exceptions -- runs unchanged.
"""
import json
import re
from pathlib import Path
import sys
import tempfile

import pexpect
import pytest

lean_dojo = pytest.importorskip("lean_dojo")
import lean_dojo.interaction.dojo as dojo_module  # noqa: E402

REAL_MODIFY_FILE = dojo_module.Dojo._modify_file

from lean_env import Crash, LeanError, MissingDependency, OpenError, ProofFinished, TacticState, Timeout  # noqa: E402
from lean_env.dojo import DojoEnv  # noqa: E402
from lean_env.theorems import Theorem  # noqa: E402

CTX = "p q : Prop\nhp : p\nhq : q\n"
START = CTX + "⊢ p ∧ q"
SPLIT = CTX + "⊢ p\n\n" + CTX + "⊢ q"
LAST = CTX + "⊢ q"
NO_PID = 2**22 + 1  # above Linux's largest pid_max: psutil finds no such process

# What Lean answers, per (state text, tactic): a new state text, "no goals", or an event.
SCRIPT = {
    (START, "constructor"): SPLIT,
    (SPLIT, "exact hp"): LAST,
    (LAST, "exact hq"): "no goals",
    (START, "exact ⟨hp, hq⟩"): "no goals",
    (SPLIT, "simp_all"): "TIMEOUT",
    (SPLIT, "decide"): "CRASH",
    (SPLIT, "omega"): "OOM",
}
ERROR = "unknown identifier 'foo'"


class FakeLeanRepl:
    """Stands in for `lake env lean File.lean` running LeanDojo's `lean_dojo_repl` tactic."""

    def __init__(self, start=START):
        self.pid = NO_PID
        self.states = [start]
        self.received, self.timeouts = [], []
        self.alive, self.exitstatus, self.signalstatus = True, None, None
        self.outbox = [self._reply(0, start)] if start else []
        self.before, self.match = "", None

    @staticmethod
    def _reply(sid, tactic_state, error=None):
        return json.dumps({"sid": sid, "tacticState": tactic_state, "error": error})

    def sendline(self, line):
        request = json.loads(line)
        self.received.append(request["cmd"])
        self.timeouts.append(self.timeout)
        answer = SCRIPT.get((self.states[request["sid"]], request["cmd"]))
        if request["cmd"] == "sorry":
            self.outbox.append(self._reply(None, None, "proof contains `sorry`"))
        elif answer is None:
            self.outbox.append(self._reply(None, None, ERROR + "\n"))
        elif answer == "TIMEOUT":
            self.outbox.append("TIMEOUT")
        elif answer in ("CRASH", "OOM"):
            self.alive, self.exitstatus = False, 137 if answer == "OOM" else 1
        else:
            self.states.append(answer)
            self.outbox.append(self._reply(len(self.states) - 1, answer))

    def expect(self, patterns):
        if not self.outbox:
            raise pexpect.EOF("Lean exited")
        line = self.outbox.pop(0)
        if line == "TIMEOUT":
            self.outbox.insert(0, line)  # a poisoned process never answers again
            raise pexpect.TIMEOUT("no answer")
        self.match = re.search(r"REPL>.*?\n", f"REPL> {line}\n")
        self.before = ""
        return 1

    def isalive(self):
        return self.alive


@pytest.fixture
def lean(monkeypatch, tmp_path):
    """The fake Lean side; `lean.spawned` lists every process a Dojo started."""
    (tmp_path / "Lean4Repl.lean").write_text("-- LeanDojo's REPL")
    (tmp_path / "bin").mkdir()
    for tool in ("lean", "lake", "elan"):
        exe = tmp_path / "bin" / tool
        exe.write_text("#!/bin/sh\nexit 0\n")
        exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")

    class Lean:
        spawned = []
        start = START
        known_files = {"Foo/Bar.lean"}

    def spawn(cmd, timeout, **kw):
        assert cmd.startswith("lake env lean")
        proc = FakeLeanRepl(Lean.start)
        proc.timeout = proc.spawn_timeout = timeout
        Lean.spawned.append(proc)
        return proc

    def locate(self, traced_repo_path):
        if str(self.file_path) not in Lean.known_files:
            raise FileNotFoundError(self.file_path)
        return type("TracedFile", (), {"has_prelude": False})()

    def modify(self, traced_file):
        self.modified_file = tempfile.NamedTemporaryFile("wt", suffix=".lean", dir=tmp_path).__enter__()

    # No GitHub: a repo is its url and commit.
    monkeypatch.setattr(lean_dojo.LeanGitRepo, "__post_init__", lambda self: None)
    monkeypatch.setattr(dojo_module, "get_traced_repo_path", lambda repo, build_deps=True: tmp_path)
    monkeypatch.setattr(lean_dojo, "get_traced_repo_path", lambda repo, build_deps=True: tmp_path)  # setup's
    monkeypatch.setattr(dojo_module.Dojo, "_locate_traced_file", locate)
    monkeypatch.setattr(dojo_module.Dojo, "_modify_file", modify)
    monkeypatch.setattr(dojo_module.pexpect, "spawn", spawn)
    return Lean


def thm(name="Foo.and_intro", file_path="Foo/Bar.lean"):
    return Theorem(name, url="https://github.com/example/foo", commit="a" * 40, file_path=file_path)


def test_every_lean_dojo_result_maps_onto_the_protocol(lean):
    env = DojoEnv(timeout=5, open_timeout=300)
    start = env.open(thm())
    assert start == TacticState(START, 1) and start.num_goals == 1
    assert (lean.spawned[0].spawn_timeout, lean.spawned[0].timeout) == (300, 5)  # opening, then tactics
    split = env.run_tac(start, "constructor")
    assert isinstance(split, TacticState) and split.pp == SPLIT and split.num_goals == 2
    assert env.run_tac(split, "exact foo") == LeanError(ERROR)
    assert "sorry" in env.run_tac(split, "sorry").message  # ProofGivenUp
    last = env.run_tac(split, "exact hp")
    assert last.pp == LAST and last.num_goals == 1
    assert isinstance(env.run_tac(last, "exact hq"), ProofFinished)
    # Backtracking: an earlier state is still usable.
    assert isinstance(env.run_tac(start, "exact ⟨hp, hq⟩"), ProofFinished)
    assert len(lean.spawned) == 1
    assert env.env_time > 0
    env.close()


def test_a_timeout_reopens_the_dojo_and_replays_to_the_same_state(lean):
    env = DojoEnv(timeout=5)
    start = env.open(thm())
    split = env.run_tac(start, "constructor")
    assert isinstance(env.run_tac(split, "simp_all"), Timeout)
    # A fresh process, brought back to `split` by replaying its one tactic.
    assert len(lean.spawned) == 2
    fresh = lean.spawned[1]
    assert fresh.received == ["constructor"] and fresh.states[-1] == split.pp
    # The search goes on from the state the timeout happened on, and from others.
    last = env.run_tac(split, "exact hp")
    assert last.pp == LAST
    assert isinstance(env.run_tac(last, "exact hq"), ProofFinished)
    assert isinstance(env.run_tac(start, "exact ⟨hp, hq⟩"), ProofFinished)
    assert fresh.received == ["constructor", "exact hp", "exact hq", "exact ⟨hp, hq⟩"]


def test_replay_after_a_timeout_gets_a_longer_limit_than_the_tactic(lean):
    env = DojoEnv(timeout=5, replay_timeout=40)
    split = env.run_tac(env.open(thm()), "constructor")
    assert isinstance(env.run_tac(split, "simp_all"), Timeout)
    fresh = lean.spawned[-1]
    assert fresh.received == ["constructor"] and fresh.timeouts == [40]
    assert env.run_tac(split, "exact hp").pp == LAST
    assert fresh.timeouts == [40, 5]  # searching again: the tactic timeout
    assert DojoEnv(timeout=5).replay_timeout > 5


def test_a_tactic_that_crashes_lean_fails_and_the_search_goes_on_in_a_fresh_dojo(lean):
    env = DojoEnv(timeout=5)
    split = env.run_tac(env.open(thm()), "constructor")
    failed = env.run_tac(split, "decide")
    assert isinstance(failed, LeanError) and "Lean crashed" in failed.message and "out of memory" not in failed.message
    assert len(lean.spawned) == 2 and lean.spawned[-1].received == ["constructor"]  # replayed at once
    assert env.run_tac(split, "exact hp").pp == LAST
    second = env.open(thm("Foo.other"))
    assert isinstance(env.run_tac(second, "exact ⟨hp, hq⟩"), ProofFinished)


def test_a_crash_lean_cannot_come_back_from_is_a_crash(lean):
    env = DojoEnv(timeout=5)
    split = env.run_tac(env.open(thm()), "constructor")
    lean.start = None  # every fresh Lean dies before the initial state
    crash = env.run_tac(split, "omega")
    assert isinstance(crash, Crash) and crash.out_of_memory


def test_out_of_memory_is_told_apart_and_the_theorem_can_go_on(lean):
    env = DojoEnv(timeout=5)
    start = env.open(thm())
    split = env.run_tac(start, "constructor")
    failed = env.run_tac(split, "omega")
    assert isinstance(failed, LeanError) and "out of memory" in failed.message
    assert env.run_tac(split, "exact hp").pp == LAST
    assert lean.spawned[-1].received == ["constructor", "exact hp"]


@pytest.mark.parametrize("signal", [15, 9])
def test_a_lean_child_killed_while_idle_is_reopened_and_the_tactic_runs(lean, signal):
    env = DojoEnv(timeout=5)
    split = env.run_tac(env.open(thm()), "constructor")
    # Killed by a signal between tactics: no exit code, which LeanDojo's own check asserts.
    proc = lean.spawned[-1]
    proc.alive, proc.exitstatus, proc.signalstatus = False, None, signal
    assert env.run_tac(split, "exact hp").pp == LAST  # reopened and replayed first
    assert len(lean.spawned) == 2 and lean.spawned[-1].received == ["constructor", "exact hp"]


def test_dojo_init_error_is_an_open_error_naming_the_theorem(lean):
    env = DojoEnv(timeout=5)
    with pytest.raises(OpenError, match="Foo.missing.*Cannot find the \\*.ast.json"):
        env.open(thm("Foo.missing", file_path="Foo/Missing.lean"))


def test_lean_dying_before_the_initial_state_is_retried_once_then_an_infrastructure_error(lean):
    from lean_env.errors import InfraError

    env = DojoEnv(timeout=5)
    lean.start = None  # Lean exits before printing the initial state (killed, out of memory)
    with pytest.raises(InfraError, match="Foo.and_intro.*Unexpected EOF.*twice") as err:
        env.open(thm())
    assert len(lean.spawned) == 2 and "\n" not in str(err.value)


def test_lean_dying_once_before_the_initial_state_is_retried_in_a_fresh_lean(lean, monkeypatch):
    starts = iter([None, START])  # the first Lean dies, the second reaches the theorem
    monkeypatch.setattr(FakeLeanRepl, "__init__", _starting(FakeLeanRepl.__init__, starts))
    env = DojoEnv(timeout=5)
    assert env.open(thm()).pp == START and len(lean.spawned) == 2
    assert isinstance(env.run_tac(env.open(thm()), "exact ⟨hp, hq⟩"), ProofFinished)


def test_a_crash_when_reopening_after_a_timeout_is_a_crash_outcome_not_an_escape(lean):
    env = DojoEnv(timeout=5)
    split = env.run_tac(env.open(thm()), "constructor")
    lean.start = None  # every Lean from now on dies before the initial state
    assert isinstance(env.run_tac(split, "simp_all"), Timeout)
    assert isinstance(env.run_tac(split, "exact hp"), Crash)


def _starting(init, starts):
    def patched(self, start=START):
        init(self, next(starts, START))
    return patched


def test_a_theorem_without_repository_coordinates_cannot_be_opened(lean):
    with pytest.raises(OpenError, match="micro.t.*no url, commit, file_path"):
        DojoEnv().open(Theorem("micro.t", "theorem t : True"))


def test_a_missing_lean_toolchain_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv("ELAN_HOME", str(tmp_path / "no-elan"))
    with pytest.raises(MissingDependency) as err:
        DojoEnv().open(thm())
    message = str(err.value)
    assert "\n" not in message
    assert "Lean toolchain not found" in message and "install elan" in message


def test_a_missing_lean_dojo_package_is_a_missing_dependency(lean, monkeypatch):
    monkeypatch.setitem(sys.modules, "lean_dojo", None)  # `import lean_dojo` fails
    with pytest.raises(MissingDependency, match=r"pip install 'rir\[dojo\]'"):
        DojoEnv().open(thm())


class _FakeGithubRefusal(Exception):
    pass


_FakeGithubRefusal.__module__ = "github.GithubException"


@pytest.mark.parametrize("error, message", [
    (_FakeGithubRefusal("401 Bad credentials"), "GITHUB_ACCESS_TOKEN.*Bad credentials"),
    (ValueError("broken install"), "ValueError: broken install"),
])
def test_an_import_failure_of_lean_dojo_is_named_as_it_is(lean, monkeypatch, error, message):
    import builtins

    real_import = builtins.__import__

    def failing_import(name, *args, **kw):
        if name == "lean_dojo":
            raise error
        return real_import(name, *args, **kw)

    monkeypatch.setenv("GITHUB_ACCESS_TOKEN", "bad")
    monkeypatch.setattr(builtins, "__import__", failing_import)
    with pytest.raises(MissingDependency, match=message) as info:
        DojoEnv().open(thm())
    assert "git >= 2.25" not in str(info.value)


def test_a_whole_proof_is_checked_by_replaying_it_from_a_fresh_start(lean):
    from lean_env.protocol import ProofCheck

    env = DojoEnv(timeout=5)
    assert env.check_proof(thm(), ["constructor", "exact hp", "exact hq"]) == ProofCheck(True)
    assert lean.spawned[-1].received == ["constructor", "exact hp", "exact hq"]
    verdict = env.check_proof(thm(), ["constructor", "exact hq"])  # a prefix and suffix never run together
    assert not verdict.ok and "step 2 `exact hq`" in verdict.reason
    verdict = env.check_proof(thm(), ["constructor", "decide"])
    assert not verdict.ok and "Lean crashed" in verdict.reason


def test_setup_traces_each_repository_once_and_a_failure_stops_the_run(lean, monkeypatch):
    from lean_env.errors import SetupError

    traced = []

    def get_traced_repo_path(repo, build_deps=True):
        traced.append((repo.url, repo.commit))
        if "broken" in repo.url:
            raise RuntimeError("Failed to download the traced repo: 403 rate limit exceeded")
        return "/cache/traced"

    monkeypatch.setattr(lean_dojo, "get_traced_repo_path", get_traced_repo_path)
    env = DojoEnv(timeout=5)
    env.setup([thm("Foo.a"), thm("Foo.b"), Theorem("micro.t", "theorem t : True")])
    assert traced == [("https://github.com/example/foo", "a" * 40)]  # one repo, traced once
    env.open(thm("Foo.and_intro"))  # opening finds it set up: no second trace
    assert len(traced) == 1
    broken = Theorem("X.y", url="https://github.com/example/broken", commit="b" * 40, file_path="X.lean")
    with pytest.raises(SetupError, match="could not trace or fetch .*broken.*403 rate limit") as err:
        env.setup([broken])
    assert "\n" not in str(err.value)


def test_the_tactic_timeout_is_bounded_by_the_search_s_deadline(lean):
    import time

    env = DojoEnv(timeout=60)
    start = env.open(thm())
    env.set_deadline(time.monotonic() + 5)
    env.run_tac(start, "constructor")
    assert 0 < lean.spawned[-1].timeouts[-1] <= 5
    env.set_deadline(None)
    env.run_tac(start, "exact ⟨hp, hq⟩")
    assert lean.spawned[-1].timeouts[-1] == 60


def test_a_timeout_at_the_deadline_does_not_reopen_and_replay(lean):
    import time

    env = DojoEnv(timeout=5)
    split = env.run_tac(env.open(thm()), "constructor")
    env.set_deadline(time.monotonic() - 1)  # the search's time is up
    assert isinstance(env.run_tac(split, "simp_all"), Timeout)
    assert len(lean.spawned) == 1


def test_a_replay_that_reaches_another_state_is_a_crash(lean):
    env = DojoEnv(timeout=5)
    split = env.run_tac(env.open(thm()), "constructor")
    assert isinstance(env.run_tac(split, "simp_all"), Timeout)
    SCRIPT[(START, "constructor")] = LAST  # a later Lean answers otherwise
    try:
        assert isinstance(env.run_tac(split, "simp_all"), Timeout)
        outcome = env.run_tac(split, "exact hp")
    finally:
        SCRIPT[(START, "constructor")] = SPLIT
    assert isinstance(outcome, Crash) and "another state" in outcome.message


SOURCE = """namespace Foo

theorem earlier (n : Nat) : n ≤ n + 1 := by
  omega

theorem target (n : Nat) : n < n + 1 := by
  exact Nat.lt_succ_self n

theorem later (n : Nat) : n < n + 1 := by
  exact target n

end Foo
"""
TARGET = "n : ℕ\n⊢ n < n + 1"


class FileReadingLean(FakeLeanRepl):
    """Lean on the file LeanDojo wrote: `exact Foo.X n` works only for a theorem
    declared before the one being proved (what Lean's environment holds there)."""

    def __init__(self, modified_file):
        super().__init__(TARGET)
        text = modified_file.read_text()
        before = text.split("set_option maxHeartbeats 0 in", 1)[0]  # LeanDojo's line above the theorem
        self.in_scope = {"Foo." + n for n in re.findall(r"theorem (\w+)", before)}
        self.modified_text = text

    def sendline(self, line):
        request = json.loads(line)
        self.received.append(request["cmd"])
        self.timeouts.append(self.timeout)
        used = request["cmd"].removeprefix("exact ").split()[0]
        if used in self.in_scope:
            self.outbox.append(self._reply(1, "no goals"))
        else:
            self.outbox.append(self._reply(None, None, f"unknown identifier '{used}'"))


def test_a_theorem_opens_where_it_stands_so_neither_it_nor_later_lemmas_are_available(lean, monkeypatch, tmp_path):
    """LeanDojo's own file rewriting (Dojo._modify_file, _get_modified_proof) runs unchanged."""
    (tmp_path / "Foo").mkdir()
    (tmp_path / "Foo" / "Bar.lean").write_text(SOURCE)
    lean_file = lean_dojo.LeanFile(tmp_path, Path("Foo/Bar.lean"))

    class TracedTarget:
        start = lean_dojo.Pos(6, 1)

        @staticmethod
        def locate_proof():
            return lean_dojo.Pos(6, 41), lean_dojo.Pos(7, 27)

    class TracedFile:  # what _get_modified_proof reads of a traced file
        has_prelude, comments = False, []
        abs_path = tmp_path / "Foo" / "Bar.lean"

        def __init__(self):
            self.lean_file = lean_file

        @staticmethod
        def get_traced_theorem(entry):
            return TracedTarget() if entry.full_name == "Foo.target" else None

    def spawn(cmd, timeout, **kw):
        proc = FileReadingLean(tmp_path / cmd.split()[-1])
        proc.timeout = timeout
        lean.spawned.append(proc)
        return proc

    monkeypatch.setattr(dojo_module.Dojo, "_modify_file", REAL_MODIFY_FILE)  # the fixture had replaced it
    monkeypatch.setattr(dojo_module.Dojo, "_locate_traced_file", lambda self, path: TracedFile())
    monkeypatch.setattr(dojo_module.pexpect, "spawn", spawn)
    env = DojoEnv(timeout=5)
    start = env.open(thm("Foo.target"))
    assert start.pp == TARGET
    proc = lean.spawned[-1]
    assert "theorem target (n : Nat) : n < n + 1 :=by\n  lean_dojo_repl\n  sorry" in proc.modified_text
    assert env.run_tac(start, "exact Foo.target n") == LeanError("unknown identifier 'Foo.target'")
    assert env.run_tac(start, "exact Foo.later n") == LeanError("unknown identifier 'Foo.later'")
    assert isinstance(env.run_tac(start, "exact Foo.earlier n"), ProofFinished)
