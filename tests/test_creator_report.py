"""What the creator made, per iteration (training.creator_report, `rir report RUN_DIR`)."""
import json
from pathlib import Path

import pytest

from lean_env.errors import BadInput
from lean_env.theorem_sets import load_theorem_set
from lean_env.theorems import write_theorems
from rir.cli import main
from training.creator_report import BANDS, band, creator_report, markdown
from training.selfplay import SelfPlay
from training.selfplay_config import SelfPlayConfig

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "flat-micro"


def conjecture(name, rewards, origin="seed", iteration=0):
    score = max(rewards) - min(rewards)
    return {"name": name, "statement": f"theorem {name} : True", "origin": origin, "parent": None,
            "iteration": iteration, "rewards": rewards, "informativeness": score,
            "proved": sum(r > 0 for r in rewards), "proof": None, "transferred": None}


def write_rows(path: Path, rows) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def fake_run(tmp_path) -> Path:
    """Iteration 0 of seeds, iteration 1 with evolved conjectures, iteration 2 interrupted."""
    run = tmp_path / "run"
    it0, it1, it2 = (run / f"iter_00{i}" for i in range(3))
    for d in (it0, it1, it2):
        d.mkdir(parents=True)
    write_rows(it0 / "conjectures.jsonl", [conjecture("a", [1.0, 1.0, 1.0, 1.0]), conjecture("b", [0.0] * 4),
                                           conjecture("c", [0.9, 0.0, 0.0, 0.0])])
    write_rows(it0 / "next_pool.jsonl", [{"name": "a.v1", "iteration": 1}, {"name": "a", "iteration": 0}])
    (it0 / "done.json").write_text(json.dumps({"rejected": {"refuted": 3, "duplicate": 1}, "variants_made": 5}))
    write_rows(it1 / "conjectures.jsonl", [conjecture("a", [1.0, 1.0, 1.0, 1.0]),
                                           conjecture("a.v1", [0.8, 0.7, 0.0, 0.0], "symbolic:shift_bound", 1)])
    write_rows(it1 / "next_pool.jsonl", [])
    (it1 / "done.json").write_text(json.dumps({"rejected": {}}))  # a run from before variants_made
    write_rows(it2 / "conjectures.jsonl", [conjecture("a.v1", [0.0, 0.0], "symbolic:shift_bound", 1)])
    return run


def test_difficulty_bands_are_by_the_share_of_searches_that_proved():
    assert [band(k, 4) for k in range(5)] == [BANDS[0], BANDS[1], BANDS[2], BANDS[2], BANDS[3]]


def test_each_iteration_counts_its_pool_proofs_informative_conjectures_and_rejections(tmp_path):
    first, second, interrupted = creator_report(fake_run(tmp_path))
    assert (first.pool, first.evolved, first.proved, first.informative) == (3, 0, 2, 1)
    assert first.bands == {BANDS[3]: 1, BANDS[0]: 1, BANDS[1]: 1}
    assert (first.made, first.rejected["refuted"], first.kept) == (5, 3, 1)
    assert first.sample == []  # seeds are not what the creator made
    assert (second.evolved, second.evolved_proved, second.made, second.kept) == (1, 1, None, 0)
    assert [s.origin for s in second.sample] == ["symbolic:shift_bound"] and second.sample[0].proved == 2
    assert (interrupted.made, interrupted.kept, interrupted.rejected) == (None, None, {})


def test_the_markdown_has_a_row_per_iteration_and_the_sample(tmp_path):
    text = markdown(creator_report(fake_run(tmp_path)), "run")
    rows = [line for line in text.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert [r.split("|")[1].strip() for r in rows] == ["0", "1", "2"]
    assert "| 0 | 3 (0) | 2 (0) | 1 | 1 | 1 | 0 | 1 | 5 | 3 | duplicate 1 | 1 |" in text
    assert "`symbolic:shift_bound` 2/4: `theorem a.v1 : True`" in text


def test_a_folder_that_is_not_a_selfplay_run_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="not a `rir selfplay` output folder"):
        creator_report(tmp_path)


def test_rir_report_on_a_real_selfplay_run_shows_refuted_and_evolved_conjectures(tmp_path, capsys):
    """Two tiny iterations on miniF2F-valid seeds: the creator's variants of iteration 0 fill
    iteration 1's pool, and the report says how many variants were made and rejected."""
    seeds = tmp_path / "seeds.jsonl"
    write_theorems(seeds, load_theorem_set("micro-train")[:4])
    out = tmp_path / "run"
    config = SelfPlayConfig.of(seed_theorems=str(seeds), out_dir=str(out), iterations=2, mode="flat",
                               model=str(SHIPPED), num_searches=2, search_timeout=60, max_env_calls=6,
                               train_steps=1, train_batch_size=2, heldout_set=None, sample_fraction=1.0,
                               replay="seeds")
    SelfPlay(config).run()
    done = json.loads((out / "iter_000" / "done.json").read_text())
    assert done["variants_made"] >= sum(done["rejected"].values()) and done["variants_made"] > 0
    assert main(["report", str(out), "--out", str(tmp_path / "rep")]) == 0
    first, second = creator_report(out)
    assert first.made == done["variants_made"] and second.evolved == first.kept > 0
    assert (tmp_path / "rep" / "difficulty.png").stat().st_size > 0
    assert "| 1 | 4 (" in (tmp_path / "rep" / "creator.md").read_text()
    assert main(["report", str(out), "--out", str(tmp_path / "rep")]) == 2  # kept without --force
    assert "--force" in capsys.readouterr().err


def test_mixing_results_files_and_selfplay_folders_is_bad_input(tmp_path, capsys):
    results = tmp_path / "r.jsonl"
    results.write_text("")
    assert main(["report", str(results), str(fake_run(tmp_path)), "--out", str(tmp_path / "o")]) == 2
    assert "not both" in capsys.readouterr().err
