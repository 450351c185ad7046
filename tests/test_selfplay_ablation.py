"""The figures of benchmarks/selfplay_ablation.py from hand-made arm results, DPO arm included."""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import selfplay_ablation  # noqa: E402


def args(**kw):
    base = dict(heldout_set="minif2f-test", mode="flat", heldout_expansions=32, iterations=2,
                train_seeds=1, dpo_arm=True)
    return argparse.Namespace(**{**base, **kw})


def arm(*rates):
    return [{"iteration": i, "heldout_pass_rate": r} for i, r in enumerate(rates)], [rates[-1]]


def test_the_dpo_arm_is_its_own_arm_with_dpo_on():
    assert selfplay_ablation.arm_names(args()) == ["selfplay", "expert", "selfplay-dpo"]
    assert selfplay_ablation.arm_names(args(dpo_arm=False)) == ["selfplay", "expert"]
    assert selfplay_ablation.ARMS["selfplay-dpo"] == {"creator": True, "dpo": True}
    assert selfplay_ablation.ARMS["expert"] == {"creator": False}


def test_each_creator_arm_is_compared_with_expert_iteration(capsys):
    results = {"selfplay": arm(0.40, 0.45), "expert": arm(0.40, 0.42), "selfplay-dpo": arm(0.38, 0.40)}
    gaps = selfplay_ablation.print_table(0, 0.40, results, args())
    assert round(gaps["selfplay"], 1) == 3.0 and round(gaps["selfplay-dpo"], 1) == -2.0
    out = capsys.readouterr().out
    assert "self-play + DPO minus expert iteration after 2 iterations: -2.0 points" in out
    assert "45.0%" in out and "40.0%" in out


def test_mean_and_standard_error_over_seeds():
    assert selfplay_ablation.mean_se([0.4]) == "40.0%"
    assert selfplay_ablation.mean_se([0.4, 0.5]) == "45.0% (5.0%)"


def test_the_plot_has_one_curve_family_per_arm(tmp_path):
    runs = [(0.4, {"selfplay": arm(0.4, 0.5), "expert": arm(0.4, 0.4), "selfplay-dpo": arm(0.3, 0.3)})]
    path = tmp_path / "heldout.png"
    selfplay_ablation.plot(runs, "minif2f-test", path)
    assert path.stat().st_size > 1000


def test_the_second_held_out_set_changes_only_where_pass_at_1_is_measured(tmp_path):
    a = selfplay_ablation.build_parser().parse_args(
        ["--seed-set", "minif2f-valid", "--heldout-set", "minif2f-test", "--heldout-theorems", "40",
         "--second-heldout", "f1-test-novel", "--second-heldout-theorems", "7"])
    seeds = tmp_path / "seed_0" / "seeds.jsonl"
    main = selfplay_ablation.config(a, "selfplay", seeds, 0).flat()
    second = selfplay_ablation.config(a, "selfplay", seeds, 0, a.second_heldout, a.second_heldout_theorems).flat()
    assert (main["heldout_set"], main["heldout_theorems"]) == ("minif2f-test", 40)
    assert (second["heldout_set"], second["heldout_theorems"]) == ("f1-test-novel", 7)
    assert {k for k in main if main[k] != second[k]} == {"heldout_set", "heldout_theorems"}
    assert main["min_new_share"] == 0.5
    shared = selfplay_ablation.build_parser().parse_args(["--min-new-share", "0.1"])
    assert selfplay_ablation.config(shared, "expert", seeds, 0).flat()["min_new_share"] == 0.1


def test_the_start_model_is_measured_on_the_second_held_out_set_once_for_all_seeds(tmp_path):
    from lean_env.theorem_sets import load_theorem_set
    from lean_env.theorems import write_theorems

    seeds = tmp_path / "seed_0" / "seeds.jsonl"
    seeds.parent.mkdir(parents=True)
    write_theorems(seeds, load_theorem_set("micro-train")[:2])
    a = selfplay_ablation.build_parser().parse_args(
        ["--second-heldout", "micro-valid", "--second-heldout-theorems", "3", "--heldout-expansions", "4",
         "--out", str(tmp_path)])
    rate = selfplay_ablation.second_pass_rate(a, seeds, 0, "start", 1)
    results = tmp_path / "start_micro-valid.jsonl"
    assert len(results.read_text().splitlines()) == 3 and rate in (0, 1 / 3, 2 / 3, 1)
