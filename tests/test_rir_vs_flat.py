"""The figures of benchmarks/rir_vs_flat.py from hand-made results."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import rir_vs_flat  # noqa: E402
from search.result import SearchResult, SearchStats  # noqa: E402


def result(name, status, total, proof=None, planner=0.0, actor=0.0, env=0.0, expanded=1):
    return SearchResult(name, status, proof=proof, stats=SearchStats(
        planner_time=planner, actor_time=actor, env_time=env, total_time=total, expanded_nodes=expanded))


def test_time_ratio_is_the_ratio_of_medians_on_common_proofs():
    flat = [{"a": result("a", "proved", 1.0), "b": result("b", "proved", 2.0), "c": result("c", "failed", 9)}]
    arm = [{"a": result("a", "proved", 0.5), "b": result("b", "failed", 9.0), "c": result("c", "proved", 3)}]
    assert rir_vs_flat.time_ratio(arm, flat, lambda k: True) == "0.50× (n=1)"
    assert rir_vs_flat.time_ratio(arm, flat, lambda k: k == "c") == "–"


def test_a_row_reports_pass_rate_buckets_shares_and_overshoot():
    lengths = {"a": 1, "b": 4}
    runs = {
        "flat": [{"a": result("a", "proved", 1.0, ["t"], actor=0.5, env=0.5),
                  "b": result("b", "failed", 10.0, actor=9.0, env=1.0)}],
        "rir": [{"a": result("a", "proved", 2.0, ["t"], planner=1.0, actor=0.5, env=0.5),
                 "b": result("b", "proved", 11.5, ["t"] * 4, planner=6.0, actor=4.0, env=1.5, expanded=3)}],
    }
    row = rir_vs_flat.arm_row("rir", runs, lengths, timeout=10.0)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0] == "rir" and cells[1] == "100.0 ± 0.0"
    assert cells[2] == "100.0% of 1" and cells[3] == "100.0% of 1" and cells[4] == "–"
    assert cells[5] == "2.00× (n=1)"  # a: 2.0 s against flat's 1.0 s
    assert cells[7] == "52/33/15" and cells[-1] == "15%"


def test_proof_length_falls_back_to_the_shortest_proof_found():
    from lean_env.theorems import Theorem

    theorems = [Theorem("a", "theorem a : True", proof="trivial"), Theorem("b", "theorem b : True")]
    runs = {"x": [{"b": result("b", "proved", 1.0, ["t1", "t2", "t3"])}],
            "y": [{"b": result("b", "proved", 1.0, ["t1", "t2"])}]}
    assert rir_vs_flat.proof_lengths(theorems, runs) == {"a": 1, "b": 2}


def test_bi_level_options_reach_only_the_bi_level_arms(monkeypatch, tmp_path):
    from types import SimpleNamespace

    import rir.evaluation

    from rir.prover import ProverSettings

    seen = {}

    def evaluate(theorems, settings, path, **kw):
        seen[path.name] = settings
        return SimpleNamespace(records=[])

    monkeypatch.setattr(rir.evaluation, "evaluate", evaluate)
    args = SimpleNamespace(
        flat_model=None, rir_model=None, timeout=60.0, decoding="beam", target_decoding="sample",
        num_targets=2, plan_penalty=3.0, plan_after=3, closers=False, max_tactics=64, workers=1, force=False)
    for arm in ("flat", "rir-flat-actor", "rir-exhausted"):
        rir_vs_flat.run_arm(arm, 0, [], args, tmp_path)
    flat, bi_level = seen["flat-s0.jsonl"], seen["rir-flat-actor-s0.jsonl"]
    assert (bi_level.num_targets, bi_level.target_decoding, bi_level.plan_penalty) == (2, "sample", 3.0)
    assert bi_level.seed == 0  # sampled targets: each seed its own sample
    assert seen["rir-exhausted-s0.jsonl"].plan_after == 3 and bi_level.plan_after == 0
    assert flat.num_targets == ProverSettings().num_targets and flat.target_decoding is None
    assert flat.seed is None  # beam tactics: the seed would change nothing
