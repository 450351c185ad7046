"""`rir eval` / rir.evaluation: order, one line per theorem, resume, kills, crashes, workers.

Most tests use `FakeProver` below through the `prover_factory` seam (and, for the
subprocess tests, RIR_EVAL_PROVER=test_eval:FakeProver): it proves theorems whose
name ends in an even digit, raises on names with 'crash', kills its worker
process on names with 'die' and hangs on names with 'hang'. FAKE_PROVER_DELAY makes each proof sleep.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lean_env.errors import BadInput, MissingDependency
from lean_env.theorems import Theorem, write_theorems
from rir.prover import ProverSettings
from rir.evaluation import evaluate, order_theorems
from rir.evaluation.pools import attempt
from rir.evaluation.results import read_results
from search.result import SearchResult, SearchStats

REPO = Path(__file__).resolve().parents[1]
SETTINGS = ProverSettings(timeout=5.0)


class FakeProver:
    def __init__(self, settings: ProverSettings):
        self.settings = settings
        self.resets = 0

    def prove(self, theorem: Theorem) -> SearchResult:
        name = theorem.full_name
        if "crash" in name:
            raise RuntimeError("the backend fell over")
        if "die" in name:
            os._exit(3)
        if "hang" in name:
            time.sleep(600)
        time.sleep(float(os.environ.get("FAKE_PROVER_DELAY", "0")))
        proved = int(name[-1]) % 2 == 0
        stats = SearchStats(planner_time=0.1, actor_time=0.2, env_time=0.05, total_time=0.4)
        return SearchResult(name, "proved" if proved else "failed", proof=["rfl"] if proved else None,
                            stats=stats, settings=self.settings.to_dict())

    def reset(self) -> None:
        self.resets += 1


def broken_prover(settings: ProverSettings):
    raise MissingDependency("missing checkpoint models/nowhere: train one with `rir train`")


def theorems(n: int, extra: tuple[str, ...] = ()) -> list[Theorem]:
    names = [f"thm{i}" for i in range(n)] + list(extra)
    return [Theorem(name, f"theorem {name} : True", file_path=f"F{i % 3}.lean")
            for i, name in enumerate(names)]


def lines(path: Path) -> list[dict]:
    text = path.read_text()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_order_is_a_hash_of_path_and_name_and_num_theorems_keeps_a_prefix():
    thms = theorems(20)
    shuffled = random.Random(1).sample(thms, len(thms))
    ordered = order_theorems(shuffled)
    assert ordered == order_theorems(thms) != thms
    assert order_theorems(shuffled, 5) == ordered[:5]


def test_a_run_writes_one_line_per_theorem(tmp_path):
    out = tmp_path / "runs" / "results.jsonl"  # its folder is made, as on a fresh clone
    run = evaluate(theorems(6), SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)
    records = lines(out)
    assert [r["name"] for r in records] == [t.full_name for t in order_theorems(theorems(6))]
    assert {r["status"] for r in records} == {"proved", "failed"}
    assert records[0]["settings"]["timeout"] == 5.0 and "planner_time" in records[0]["stats"]
    assert [r.to_dict() for r in run.records] == records and run.attempted == 6 and run.resumed == 0


def test_an_exception_is_an_error_line_and_the_backend_is_rebuilt():
    prover = FakeProver(SETTINGS)
    record = attempt(prover, Theorem("crash1"), SETTINGS)
    assert record.status == "error" and "RuntimeError: the backend fell over" in record.reason
    assert prover.resets == 1
    assert attempt(prover, Theorem("thm2"), SETTINGS).status == "proved"


def test_worker_processes_survive_crashing_and_dying_theorems(tmp_path):
    out = tmp_path / "results.jsonl"
    thms = theorems(8, extra=("crash1", "die1"))
    evaluate(thms, SETTINGS, out, workers=2, prover_factory=FakeProver, progress=False)
    by_name = {r["name"]: r for r in lines(out)}
    assert sorted(by_name) == sorted(t.full_name for t in thms) and len(lines(out)) == len(thms)
    assert by_name["crash1"]["status"] == "error"
    assert by_name["die1"]["status"] == "error" and "worker died" in by_name["die1"]["reason"]
    assert by_name["thm4"]["status"] == "proved" and by_name["thm3"]["status"] == "failed"


def test_a_worker_stuck_on_a_theorem_is_killed_and_replaced(tmp_path, monkeypatch):
    import rir.evaluation.pools

    monkeypatch.setattr(rir.evaluation.pools, "hard_limit", lambda settings: 1.0)
    out = tmp_path / "results.jsonl"
    evaluate(theorems(3, extra=("hang1",)), SETTINGS, out, workers=1, prover_factory=FakeProver,
             progress=False)
    by_name = {r["name"]: r for r in lines(out)}
    assert len(by_name) == 4 and "worker killed after 1s" in by_name["hang1"]["reason"]
    assert by_name["thm2"]["status"] == "proved"


def test_resume_skips_finished_theorems_and_cuts_a_torn_line(tmp_path):
    out = tmp_path / "results.jsonl"
    evaluate(theorems(3), SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)
    with out.open("a") as f:
        f.write('{"name": "thm5", "status": "pro')  # a kill in the middle of a write
    run = evaluate(theorems(6), SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)
    names = [r["name"] for r in lines(out)]
    assert sorted(names) == sorted(t.full_name for t in theorems(6))
    assert run.resumed == 3 and run.attempted == 3 and len(run.records) == 6


def test_other_settings_are_refused_unless_forced(tmp_path):
    out = tmp_path / "results.jsonl"
    evaluate(theorems(2), SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)
    other = SETTINGS.with_(timeout=9.0)
    with pytest.raises(BadInput, match=r"timeout 5.0 -> 9.0"):
        evaluate(theorems(4), other, out, workers=0, prover_factory=FakeProver, progress=False)
    assert len(lines(out)) == 2
    evaluate(theorems(4), other, out, workers=0, prover_factory=FakeProver, progress=False, force=True)
    assert len(lines(out)) == 4


FULL_RECORD = {"name": "thm0", "status": "proved", "proof": ["rfl"], "reason": None,
               "stats": {}, "settings": SETTINGS.to_dict()}


@pytest.mark.parametrize("content", [
    b'{"name": "thm0", "status": "proved"}',  # one line, no newline: was cut to nothing
    b"hello",
    b'{"full_name": "thm0", "statement": "theorem thm0 : True"}\n',  # a theorem set
    b'{"name": "thm0", "status": "proved"}\n',  # not the keys rir eval writes
])
def test_a_file_that_is_not_a_results_file_is_refused_untouched(tmp_path, content):
    out = tmp_path / "results.jsonl"
    out.write_bytes(content)
    with pytest.raises(BadInput, match="is not a results file"):
        evaluate(theorems(2), SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)
    assert out.read_bytes() == content


def test_a_refused_run_does_not_cut_the_torn_line(tmp_path):
    out = tmp_path / "results.jsonl"
    evaluate(theorems(2), SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)
    with out.open("a") as f:
        f.write('{"name": "thm5", "sta')
    before = out.read_bytes()
    with pytest.raises(BadInput, match="other settings"):
        evaluate(theorems(4), SETTINGS.with_(timeout=9.0), out, workers=0, prover_factory=FakeProver,
                 progress=False)
    assert out.read_bytes() == before


def test_the_settings_check_compares_every_record_not_only_the_last(tmp_path):
    out = tmp_path / "results.jsonl"
    old = {**FULL_RECORD, "settings": SETTINGS.with_(timeout=9.0).to_dict()}
    out.write_text(json.dumps(old) + "\n" + json.dumps(FULL_RECORD) + "\n")
    with pytest.raises(BadInput, match=r"timeout 9.0 -> 5.0"):
        evaluate(theorems(2), SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)


def test_a_flat_run_resumes_whatever_its_bi_level_options_were(tmp_path):
    out = tmp_path / "results.jsonl"
    flat = SETTINGS.with_(mode="flat")
    evaluate(theorems(2), flat.with_(planning="fallback", num_targets=2), out, workers=0,
             prover_factory=FakeProver, progress=False)
    evaluate(theorems(3), flat, out, workers=0, prover_factory=FakeProver, progress=False)
    assert len(lines(out)) == 3  # only thm2 was searched again
    with pytest.raises(BadInput, match=r"num_tactics 8 -> 4"):  # the flat search's own options count
        evaluate(theorems(3), flat.with_(num_tactics=4), out, workers=0, prover_factory=FakeProver,
                 progress=False)
    bi_level = tmp_path / "rir.jsonl"
    evaluate(theorems(1), SETTINGS.with_(planning="fallback"), bi_level, workers=0,
             prover_factory=FakeProver, progress=False)
    with pytest.raises(BadInput, match=r"planning 'fallback' -> 'exhausted'"):
        evaluate(theorems(1), SETTINGS, bi_level, workers=0, prover_factory=FakeProver, progress=False)


def test_a_results_file_in_use_is_refused_naming_the_holder(tmp_path):
    from rir.evaluation.results import ResultsFile

    out = tmp_path / "results.jsonl"
    with ResultsFile(out, SETTINGS):
        with pytest.raises(BadInput, match=rf"in use by process {os.getpid()}"):
            evaluate(theorems(2), SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)
        proc = _cli("--theorems", "micro-test", "--out", str(out), "--timeout", "5")
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 2 and f"in use by process {os.getpid()}" in stderr
    assert out.read_bytes() == b""
    evaluate(theorems(2), SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)
    assert len(lines(out)) == 2  # the lock went with its holder


def test_duplicate_names_in_a_theorem_set_run_once_with_a_warning(tmp_path, caplog):
    out = tmp_path / "results.jsonl"
    thms = theorems(3) + theorems(2)
    run = evaluate(thms, SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)
    assert sorted(r["name"] for r in lines(out)) == ["thm0", "thm1", "thm2"] and run.attempted == 3
    assert "more than once (thm0, thm1)" in caplog.text


def test_cli_refuses_the_theorem_set_itself_as_out(tmp_path):
    thms = tmp_path / "thms.jsonl"
    write_theorems(thms, theorems(2))
    before = thms.read_bytes()
    proc = _cli("--theorems", str(thms), "--out", str(thms), "--timeout", "5")
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "is not a results file" in stderr and len(stderr.strip().splitlines()) == 1
    assert thms.read_bytes() == before


def test_a_malformed_results_line_is_bad_input_and_the_file_is_kept(tmp_path):
    out = tmp_path / "results.jsonl"
    out.write_text(json.dumps(FULL_RECORD) + '\nnot json\n')
    with pytest.raises(BadInput, match=r"results.jsonl:2: not a results line"):
        read_results(out)
    assert out.read_text().endswith("not json\n")


@pytest.mark.parametrize("workers", [0, 1])
def test_a_prover_that_cannot_be_built_stops_the_run(tmp_path, workers):
    with pytest.raises(MissingDependency, match="missing checkpoint models/nowhere"):
        evaluate(theorems(2), SETTINGS, tmp_path / "r.jsonl", workers=workers,
                 prover_factory=broken_prover, progress=False)


def _cli(*args: str, delay: float = 0.0) -> subprocess.Popen:
    env = {**os.environ, "RIR_EVAL_PROVER": "test_eval:FakeProver", "FAKE_PROVER_DELAY": str(delay),
           "PYTHONPATH": os.pathsep.join([str(REPO / "tests"), str(REPO)])}
    return subprocess.Popen([sys.executable, "-m", "rir.cli", "eval", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_run_killed_midway_and_rerun_has_every_theorem_once(tmp_path):
    thms, out = tmp_path / "thms.jsonl", tmp_path / "results.jsonl"
    write_theorems(thms, theorems(16))
    args = ("--theorems", str(thms), "--out", str(out), "--timeout", "5", "--workers", "2", "--quiet")
    first = _cli(*args, delay=0.3)
    deadline = time.time() + 60
    while (not out.exists() or out.read_text().count("\n") < 3) and time.time() < deadline:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.communicate()
    done_before = out.read_text().count("\n")
    assert 3 <= done_before < 16
    second = _cli(*args)
    stdout, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    names = [r["name"] for r in lines(out)]
    assert sorted(names) == sorted(f"thm{i}" for i in range(16))
    assert "pass@1" in stdout and f"{done_before} already in" in stderr


def test_cli_bad_input_exits_2_with_one_line(tmp_path):
    thms = tmp_path / "thms.jsonl"
    write_theorems(thms, theorems(2))
    for args, message in [(("--theorems", "no-such-set"), "unknown theorem set 'no-such-set'"),
                          (("--theorems", str(thms), "--timeout", "0"), "timeout"),
                          (("--theorems", str(thms), "--out", str(tmp_path)), "cannot read results file")]:
        proc = _cli("--out", str(tmp_path / "r.jsonl"), *args)
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 2 and message in stderr and len(stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_ray_gives_the_same_results_as_the_process_pool(tmp_path):
    pytest.importorskip("ray")
    import ray
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # Ray workers cannot import tests/
    thms = theorems(8, extra=("crash1",))
    pool_out, ray_out = tmp_path / "pool.jsonl", tmp_path / "ray.jsonl"
    evaluate(thms, SETTINGS, pool_out, workers=2, prover_factory=FakeProver, progress=False)
    ray.init(num_cpus=2, include_dashboard=False, runtime_env={"env_vars": {"PYTHONPATH": str(REPO)}})
    try:
        evaluate(thms, SETTINGS, ray_out, workers=2, ray=True, prover_factory=FakeProver, progress=False)
    finally:
        ray.shutdown()

    def key(r):
        return r["name"], r["status"], r["proof"], r["reason"] and r["reason"].split(":")[0]

    assert sorted(map(key, lines(pool_out))) == sorted(map(key, lines(ray_out)))


def test_embedded_engine_with_the_tiny_model_writes_one_line_per_theorem(tmp_path):
    from lean_env.theorem_sets import load_theorem_set
    from rir.policy import PolicyModel

    model_dir = tmp_path / "tiny"
    PolicyModel.tiny(seed=0).save(model_dir)
    settings = ProverSettings(model=str(model_dir), timeout=2.0, max_expansions=3,
                              num_targets=2, num_tactics=2)
    out = tmp_path / "results.jsonl"
    thms = load_theorem_set("micro-test")
    run = evaluate(thms, settings, out, workers=0, num_theorems=4, progress=False)
    records = lines(out)
    assert [r["name"] for r in records] == [t.full_name for t in order_theorems(thms, 4)]
    assert all(r["status"] in ("proved", "failed", "error") for r in records)
    assert run.attempted == 4 and records[0]["settings"]["model"] == str(model_dir)


@pytest.mark.parametrize("args, message", [
    (("--timeout", "nan"), "--timeout must be a number above 0, got nan"),
    (("--timeout", "inf"), "--timeout must be a number above 0"),
    (("--timeout", "-1"), "--timeout must be a number above 0"),
    (("--num-tactics", "0"), "--num-tactics must be an integer at least 1"),
    (("--max-expansions", "-1"), "--max-expansions must be an integer at least 0"),
    (("--max-env-calls", "-3"), "--max-env-calls must be an integer at least 0"),
    (("--env-option", "tactic_timeout=-1"), "bad --env-option tactic_timeout=-1"),
    (("--env-option", "tactic_timeout=NaN"), "bad --env-option tactic_timeout=nan"),
    (("--env-option", "solver_timeout_ms=banana"), "solver_timeout_ms='banana' for backend 'embedded': "
                                                   "expected an integer"),
    (("--env-option", "solver_timeout_ms=2.5"), "expected an integer"),
])
def test_bad_values_are_refused_up_front_and_nothing_is_written(tmp_path, args, message):
    out = tmp_path / "r.jsonl"
    proc = _cli("--theorems", "micro-test", "--out", str(out), *args)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2 and message in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert not out.exists()


def test_no_nan_is_ever_written_to_a_results_file(tmp_path):
    from rir.evaluation.results import ResultsFile

    out = tmp_path / "r.jsonl"
    with ResultsFile(out, SETTINGS) as results_file:
        with pytest.raises(ValueError):
            results_file.append(SearchResult("t", "failed", stats=SearchStats(total_time=float("nan"))))
    assert out.read_bytes() == b""


def test_workers_exit_quietly_when_the_parent_is_killed(tmp_path):
    thms, out = tmp_path / "thms.jsonl", tmp_path / "results.jsonl"
    write_theorems(thms, theorems(12))
    proc = _cli("--theorems", str(thms), "--out", str(out), "--workers", "2", "--quiet", delay=0.3)
    deadline = time.time() + 60
    while (not out.exists() or out.read_text().count("\n") < 2) and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    _, stderr = proc.communicate(timeout=60)  # EOF once every worker has exited too
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def test_a_file_written_with_a_trailing_slash_on_model_resumes_without_it(tmp_path):
    out = tmp_path / "results.jsonl"
    old = {**FULL_RECORD, "settings": {**SETTINGS.to_dict(), "model": SETTINGS.model_path + "/"}}
    out.write_text(json.dumps(old) + "\n")
    run = evaluate(theorems(2), SETTINGS, out, workers=0, prover_factory=FakeProver, progress=False)
    assert run.resumed == 1 and run.attempted == 1


class CheckFailingProver(FakeProver):
    """Closes every goal, but its proofs never replay (status check_failed)."""

    def prove(self, theorem: Theorem) -> SearchResult:
        result = super().prove(theorem)
        result.status, result.reason = "check_failed", "final check failed: no"
        return result


def test_a_proof_that_fails_the_final_check_is_recorded_and_resumed(tmp_path):
    out = tmp_path / "r.jsonl"
    run = evaluate(theorems(3), SETTINGS, out, workers=0, prover_factory=CheckFailingProver, progress=True)
    assert [r.status for r in run.records] == ["check_failed"] * 3
    again = evaluate(theorems(3), SETTINGS, out, workers=0, prover_factory=CheckFailingProver)
    assert again.resumed == 3 and again.attempted == 0


def test_a_file_written_before_a_setting_existed_resumes_with_its_default(tmp_path):
    out = tmp_path / "r.jsonl"
    evaluate(theorems(2), SETTINGS, out, workers=0, prover_factory=FakeProver)
    older = [{**r, "settings": {k: v for k, v in r["settings"].items() if k != "c_puct"}}
             for r in lines(out)]
    out.write_text("".join(json.dumps(r) + "\n" for r in older))
    assert evaluate(theorems(3), SETTINGS, out, workers=0, prover_factory=FakeProver).resumed == 2
    with pytest.raises(BadInput, match="c_puct 1.0 -> 2.0"):
        evaluate(theorems(3), SETTINGS.with_(c_puct=2.0), out, workers=0, prover_factory=FakeProver)


def test_a_file_from_before_the_flat_actor_resumes_only_without_one(tmp_path):
    # Such a run had the co-trained model alone, so it is `--flat-actor none` now, not the
    # default (auto: the shipped flat model under the shipped co-trained one).
    out = tmp_path / "r.jsonl"
    alone = SETTINGS.with_(flat_actor=None)
    evaluate(theorems(2), alone, out, workers=0, prover_factory=FakeProver)
    older = [{**r, "settings": {k: v for k, v in r["settings"].items() if k != "flat_actor"}}
             for r in lines(out)]
    out.write_text("".join(json.dumps(r) + "\n" for r in older))
    assert evaluate(theorems(3), alone.with_(flat_actor="none"), out, workers=0,
                    prover_factory=FakeProver).resumed == 2
    with pytest.raises(BadInput, match="flat_actor None -> '.*flat-micro'"):
        evaluate(theorems(3), SETTINGS, out, workers=0, prover_factory=FakeProver)


def test_a_full_disk_stops_the_run_cleanly_and_keeps_every_earlier_result(tmp_path, monkeypatch):
    import errno

    from lean_env import jsonl

    out = tmp_path / "r.jsonl"
    real_append, calls = jsonl.Appender.append, []

    def append_until_full(self, value):
        calls.append(value)
        if len(calls) == 3:  # the third line: half of it fits, then the disk is full
            line = (jsonl.dumps(value) + "\n").encode()
            os.write(self.file.fileno(), line[: len(line) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        real_append(self, value)

    monkeypatch.setattr(jsonl.Appender, "append", append_until_full)
    with pytest.raises(BadInput, match=r"cannot write results file .*No space left.*2 results before are kept"):
        evaluate(theorems(5), SETTINGS, out, workers=0, prover_factory=FakeProver)
    assert len(lines(out)) == 2  # whole lines only: the half line was cut off
    monkeypatch.setattr(jsonl.Appender, "append", real_append)
    run = evaluate(theorems(5), SETTINGS, out, workers=0, prover_factory=FakeProver)
    assert run.resumed == 2 and run.attempted == 3 and len(lines(out)) == 5


def test_a_results_file_that_cannot_be_opened_for_writing_is_bad_input(tmp_path, monkeypatch):
    from lean_env import jsonl

    out = tmp_path / "r.jsonl"
    evaluate(theorems(2), SETTINGS, out, workers=0, prover_factory=FakeProver)
    before = out.read_bytes()

    def read_only(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(jsonl.Appender, "open", staticmethod(read_only))
    with pytest.raises(BadInput, match="cannot write results file .*Permission denied"):
        evaluate(theorems(3), SETTINGS, out, workers=0, prover_factory=FakeProver)
    assert out.read_bytes() == before


def test_workers_take_the_user_s_omp_num_threads_else_share_the_cores(monkeypatch):
    import os

    from rir.evaluation.pools import worker_threads

    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # another job shares the machine: no oversubscription
    assert worker_threads(1) == 1 and worker_threads(4) == 1
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert worker_threads(1) == max(1, os.cpu_count() or 1)
    assert worker_threads(10**6) == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "many")  # not a count: ignored
    assert worker_threads(1) == max(1, os.cpu_count() or 1)
