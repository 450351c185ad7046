"""`rir check` and `rir trace`: exit codes, reports, and the LeanDojo trace layout."""
import json

import pytest

from lean_env.errors import OpenError
from lean_env.protocol import Crash, Environment, ProofFinished, TacticState, Timeout
from lean_env.replay import check_proof, trace_proof
from lean_env.theorem_sets import load_theorem_set
from lean_env.theorems import Theorem
from rir import cli

GOOD = {"full_name": "t.and_swap", "statement": "theorem t.and_swap (p q : Prop) : p ∧ q → q ∧ p",
        "proof": "intro h\nobtain ⟨hp, hq⟩ := h\nexact ⟨hq, hp⟩"}
ARITH = {"full_name": "t.lt", "statement": "theorem t.lt (a b : ℕ) (h : a < b) : a + 1 ≤ b",
         "proof": "omega"}
BROKEN = {"full_name": "t.broken", "statement": "theorem t.broken (p q : Prop) (hp : p) : p ∧ q",
          "proof": "constructor\nexact hp\nexact hp"}
NO_PROOF = {"full_name": "t.open", "statement": "theorem t.open (a : ℕ) : a ≤ a + 1"}


def write_jsonl(path, *lines):
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n"
                            for x in lines), encoding="utf-8")
    return str(path)


def test_check_passes_on_the_micro_test_split(capsys):
    assert cli.main(["check", "micro-test"]) == 0
    n = len(load_theorem_set("micro-test"))
    out = capsys.readouterr().out
    assert f"checked {n}: {n} passed, 0 failed" in out
    assert "micro.logic" in out and "micro.induct" in out  # the per-area table


def test_check_reports_a_broken_proof_with_its_tactic_and_exits_1(tmp_path, capsys):
    path = write_jsonl(tmp_path / "set.jsonl", GOOD, BROKEN, ARITH)
    assert cli.main(["check", path]) == 1
    out = capsys.readouterr().out
    assert "checked 3: 2 passed, 1 failed" in out
    assert "t.broken" in out and "tactic 3" in out
    assert "t.and_swap" not in out  # only failures without --verbose


def test_check_verbose_lists_every_theorem(tmp_path, capsys):
    path = write_jsonl(tmp_path / "set.jsonl", GOOD, ARITH)
    assert cli.main(["check", path, "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "t.and_swap" in out and "t.lt" in out and "checked 2: 2 passed, 0 failed" in out


def test_a_malformed_line_is_reported_by_number_and_the_rest_still_checks(tmp_path, capsys):
    path = write_jsonl(tmp_path / "set.jsonl", GOOD, '{"full_name": "t.cut", "statem', ARITH)
    assert cli.main(["check", path]) == 1
    out = capsys.readouterr().out
    assert "set.jsonl:2:" in out and "malformed" in out
    assert "checked 2: 2 passed, 0 failed" in out


def test_theorems_without_a_proof_are_skipped(tmp_path, capsys):
    path = write_jsonl(tmp_path / "set.jsonl", GOOD, NO_PROOF)
    assert cli.main(["check", path]) == 0
    out = capsys.readouterr().out
    assert "t.open" in out and "skipped" in out and "checked 1: 1 passed" in out


@pytest.mark.parametrize("make_input", [
    lambda tmp: "no-such-set",
    lambda tmp: str(tmp / "missing.jsonl"),
    lambda tmp: write_jsonl(tmp / "none.jsonl", NO_PROOF),
    lambda tmp: write_jsonl(tmp / "garbage.jsonl", "not json", "[1, 2]"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, make_input):
    source = make_input(tmp_path)
    assert cli.main(["check", source]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "error" in err


def test_trace_writes_leandojo_records_with_chained_states(tmp_path, capsys):
    path = write_jsonl(tmp_path / "small.jsonl", GOOD, ARITH)
    assert cli.main(["trace", path, "--out", str(tmp_path / "traces")]) == 0
    records = json.loads((tmp_path / "traces" / "small.json").read_text(encoding="utf-8"))
    assert [r["full_name"] for r in records] == ["t.and_swap", "t.lt"]
    swap = records[0]
    assert swap["statement"] == GOOD["statement"]
    steps = swap["traced_tactics"]
    assert [s["tactic"] for s in steps] == GOOD["proof"].splitlines()
    assert steps[0]["state_before"] == "p q : Prop\n⊢ p ∧ q → q ∧ p"
    assert steps[0]["annotated_tactic"] == ["intro h", []]
    for before, after in zip(steps, steps[1:]):
        assert before["state_after"] == after["state_before"]
    assert steps[-1]["state_after"] == "no goals"
    assert "hp : p" in steps[-1]["state_before"]


def test_trace_leaves_failing_proofs_out_and_exits_1(tmp_path, capsys):
    path = write_jsonl(tmp_path / "mixed.jsonl", GOOD, BROKEN)
    assert cli.main(["trace", path, "--out", str(tmp_path)]) == 1
    records = json.loads((tmp_path / "mixed.json").read_text(encoding="utf-8"))
    assert [r["full_name"] for r in records] == ["t.and_swap"]
    assert "t.broken" in capsys.readouterr().out


def test_trace_of_a_named_split_is_named_after_it(tmp_path):
    assert cli.main(["trace", "micro-valid", "--out", str(tmp_path)]) == 0
    records = json.loads((tmp_path / "micro-valid.json").read_text(encoding="utf-8"))
    assert len(records) == len(load_theorem_set("micro-valid"))
    for record in records:
        steps = record["traced_tactics"]
        assert all(a["state_after"] == b["state_before"] for a, b in zip(steps, steps[1:]))
        assert steps[-1]["state_after"] == "no goals"


def test_trace_of_the_whole_corpus_follows_the_micro_splits(tmp_path):
    assert cli.main(["trace", "micro", "--out", str(tmp_path)]) == 0
    for split, name in (("train", "micro-train"), ("val", "micro-valid"), ("test", "micro-test")):
        records = json.loads((tmp_path / f"{split}.json").read_text(encoding="utf-8"))
        assert {r["full_name"] for r in records} == {t.full_name for t in load_theorem_set(name)}


@pytest.mark.parametrize("record, message", [
    ({"full_name": "t.parse", "statement": "theorem t.parse (p : Prop) : p ∧ ∧ p",
      "proof": "constructor"}, "unexpected token"),
    ({"full_name": "t.extra", "statement": "theorem t.extra (p : Prop) (hp : p) : p",
      "proof": "exact hp\nexact hp"}, "tactic 2 `exact hp`: no goals"),
    ({"full_name": "t.short", "statement": "theorem t.short (p : Prop) (hp : p) : p ∧ p",
      "proof": "constructor\nexact hp"}, "unsolved goals"),
])
def test_each_kind_of_failure_is_reported_and_the_next_theorem_still_runs(
        tmp_path, capsys, record, message):
    path = write_jsonl(tmp_path / "set.jsonl", record, GOOD)
    assert cli.main(["check", path]) == 1
    out = capsys.readouterr().out
    assert message in out and record["full_name"] in out
    assert "checked 2: 1 passed, 1 failed" in out


class ScriptedEnv(Environment):
    """A backend whose states are the tactics run so far: replay must not care which backend."""

    name = "scripted"

    def __init__(self, outcomes):
        self.outcomes = outcomes  # tactic -> outcome, default: a new state

    def open(self, theorem):
        if theorem.full_name == "unopenable":
            raise OpenError("cannot start the backend")
        return TacticState("⊢ start", 1)

    def run_tac(self, state, tactic):
        return self.outcomes.get(tactic, TacticState(f"{state.pp} {tactic}", 1))


def test_replay_works_through_any_environment():
    env = ScriptedEnv({"close": ProofFinished(), "slow": Timeout(), "die": Crash("process died")})
    thm = Theorem("t", "theorem t : True", proof="a\nb\nclose")
    traced = trace_proof(env, thm)
    assert traced.ok and traced.check.steps == 3
    assert [(s.state_before, s.state_after) for s in traced.traced_tactics] == [
        ("⊢ start", "⊢ start a"), ("⊢ start a", "⊢ start a b"), ("⊢ start a b", "no goals")]
    timeout = check_proof(env, Theorem("t", "theorem t : True", proof="a\nslow"))
    assert not timeout.ok and timeout.steps == 1
    assert timeout.error == "tactic 2 `slow`: tactic timed out"
    crash = check_proof(env, Theorem("t", "theorem t : True", proof="die"))
    assert crash.error == "tactic 1 `die`: process died"
    unopenable = check_proof(env, Theorem("unopenable", "theorem x : True", proof="close"))
    assert not unopenable.ok and unopenable.error == "cannot start the backend"


def test_trace_into_an_unwritable_folder_exits_2_before_replaying(tmp_path, capsys, monkeypatch):
    import lean_env

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setattr(lean_env, "make_env", lambda *a, **k: pytest.fail("replay started"))
    code = cli.main(["trace", "micro-test", "--out", str(blocker / "traced")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "cannot write" in err and "traced" in err and len(err.splitlines()) == 1


def test_check_takes_several_files_and_sets_and_checks_them_all(tmp_path, capsys):
    a = write_jsonl(tmp_path / "a.jsonl", GOOD)
    b = write_jsonl(tmp_path / "b.jsonl", ARITH, BROKEN)
    assert cli.main(["check", a, b, "--verbose"]) == 1
    out = capsys.readouterr().out
    assert "checked 3: 2 passed, 1 failed" in out
    assert "t.and_swap" in out and "t.lt" in out and "t.broken" in out


def test_check_of_a_folder_says_it_is_a_folder(tmp_path, capsys):
    assert cli.main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "is a folder" in err and "not found" not in err and len(err.splitlines()) == 1


def test_check_and_trace_pass_env_options_to_the_backend(tmp_path, capsys):
    a = write_jsonl(tmp_path / "a.jsonl", GOOD)
    assert cli.main(["check", a, "--env-option", "solver_timeout_ms=500"]) == 0
    capsys.readouterr()
    for argv in (["check", a], ["trace", a, "--out", str(tmp_path / "tr")]):
        assert cli.main([*argv, "--env-option", "no_such_option=1"]) == 2
        err = capsys.readouterr().err.strip()
        assert "no_such_option" in err and len(err.splitlines()) == 1
    assert cli.main(["trace", a, "--out", str(tmp_path / "tr"), "--env-option", "tactic_timeout=5"]) == 0


def test_check_reports_a_non_utf8_line_by_number_and_checks_the_rest(tmp_path, capsys):
    path = tmp_path / "set.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n\xff\xfe not text\n")
    assert cli.main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:2:" in out.replace("\n", "") or ":2:" in out
    assert "not UTF-8" in out and "checked 1: 1 passed" in out


def test_trace_refuses_to_overwrite_earlier_traces_unless_forced(tmp_path, capsys):
    a = write_jsonl(tmp_path / "a.jsonl", GOOD)
    out = tmp_path / "tr"
    out.mkdir()
    (out / "a.json").write_text("my earlier trace")
    assert cli.main(["trace", a, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "a.json" in err and "--force" in err and len(err.splitlines()) == 1
    assert (out / "a.json").read_text() == "my earlier trace"
    assert cli.main(["trace", a, "--out", str(out), "--force"]) == 0
    assert json.loads((out / "a.json").read_text())[0]["full_name"] == GOOD["full_name"]
