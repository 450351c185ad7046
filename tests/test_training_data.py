"""Reading traced proofs (LeanDojo Benchmark 4 and `rir trace` layouts) into triples."""
import json
import logging

import pytest

from lean_env.errors import BadInput
from training.data import Triple, read_traces, read_triples

STATE = "n : ℕ\nh : 0 < n\n⊢ 1 ≤ n"


def leandojo_theorem(name: str) -> dict:
    """One theorem as LeanDojo Benchmark 4 stores it (premises marked in annotated_tactic)."""
    return {
        "url": "https://github.com/leanprover-community/mathlib4", "commit": "29dcec07",
        "file_path": "Mathlib/Foo.lean", "full_name": name, "start": [10, 1], "end": [12, 20],
        "traced_tactics": [
            {"tactic": "rw [Nat.one_le_iff_ne_zero]",
             "annotated_tactic": ["rw [<a>Nat.one_le_iff_ne_zero</a>]", [{"full_name": "Nat.one_le_iff_ne_zero"}]],
             "state_before": STATE, "state_after": "n : ℕ\nh : 0 < n\n⊢ n ≠ 0"},
            {"tactic": "omega", "annotated_tactic": ["omega", []],
             "state_before": "n : ℕ\nh : 0 < n\n⊢ n ≠ 0", "state_after": "no goals"},
        ],
    }


def write(path, entries):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_leandojo_dataset_dir_loads_its_random_split(tmp_path):
    write(tmp_path / "random" / "train.json", [leandojo_theorem("A"), leandojo_theorem("B")])
    write(tmp_path / "random" / "val.json", [leandojo_theorem("C")])
    write(tmp_path / "novel_premises" / "train.json", [leandojo_theorem("D")])

    train = read_triples(tmp_path)
    assert len(train) == 4
    assert train[0] == Triple(STATE, "rw [Nat.one_le_iff_ne_zero]", "n : ℕ\nh : 0 < n\n⊢ n ≠ 0",
                              source=train[0].source)
    assert train[1].next_state == "no goals"  # a finishing step is a valid triple
    assert len(read_triples(tmp_path, split="val")) == 2
    assert len(read_triples(tmp_path, layout="novel_premises")) == 2


def test_a_rir_trace_dir_loads_each_split(tmp_path):
    # `rir trace` writes the same records, one file per split, with no premise annotations.
    step = {"tactic": "intro h", "state_before": "p : Prop\n⊢ p → p", "state_after": "p : Prop\nh : p\n⊢ p"}
    for split, count in (("train", 3), ("val", 1), ("test", 2)):
        write(tmp_path / f"{split}.json", [{"full_name": f"micro.{split}{i}", "traced_tactics": [step]}
                                           for i in range(count)])
    assert [len(read_triples(tmp_path, split)) for split in ("train", "val", "test")] == [3, 1, 2]
    assert read_triples(tmp_path / "test.json")[0].tactic == "intro h"


def test_premise_marks_are_stripped_from_tactics(tmp_path):
    entry = leandojo_theorem("A")
    del entry["traced_tactics"][0]["tactic"]  # only the annotated form: marks must go
    triples = read_triples(write(tmp_path / "t.json", [entry]))
    assert triples[0].tactic == "rw [Nat.one_le_iff_ne_zero]"


def test_steps_from_a_finished_state_are_skipped(tmp_path):
    entry = leandojo_theorem("A")
    entry["traced_tactics"].append({"tactic": "done", "state_before": "no goals", "state_after": "no goals"})
    data = read_traces(write(tmp_path / "t.json", [entry]))
    assert len(data.triples) == 2 and data.finished == 1 and data.malformed == 0


def test_malformed_entries_are_counted_and_skipped_with_file_and_index(tmp_path, caplog):
    bad_step = leandojo_theorem("B")
    bad_step["traced_tactics"][1] = {"tactic": "omega", "state_before": 3}  # no state_after, bad type
    entries = [leandojo_theorem("A"), "not a theorem", {"full_name": "C"}, bad_step]
    path = write(tmp_path / "train.json", entries)

    with caplog.at_level(logging.WARNING, logger="rir"):
        data = read_traces(path)

    assert data.theorems == 4 and data.malformed == 3
    assert len(data.triples) == 3  # A's two steps and B's good one
    messages = "\n".join(r.getMessage() for r in caplog.records)
    assert f"{path}[1]" in messages and f"{path}[2]" in messages
    assert f"{path}[3].traced_tactics[1]" in messages


def test_jsonl_files_skip_bad_lines(tmp_path, caplog):
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(leandojo_theorem("A")) + "\n{oops\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="rir"):
        data = read_traces(path)
    assert len(data.triples) == 2 and data.malformed == 1
    assert f"{path}[2]" in caplog.text


def test_missing_or_unreadable_data_is_bad_input_naming_the_path(tmp_path):
    with pytest.raises(BadInput, match="no-such-dir"):
        read_triples(tmp_path / "no-such-dir")
    with pytest.raises(BadInput, match="no 'train' split"):
        read_triples(tmp_path)
    garbage = tmp_path / "garbage.json"
    garbage.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(BadInput, match="garbage.json"):
        read_triples(garbage)


def test_several_comma_separated_sources_are_concatenated_with_their_val_splits(tmp_path):
    # The shipped models train on micro + F1: train_data=data/micro_traces,data/f1_traces.
    from training.config import load_config
    from training.run import load_data

    step = {"tactic": "intro h", "state_before": "p : Prop\n⊢ p → p", "state_after": "p : Prop\nh : p\n⊢ p"}
    for corpus, count in (("micro", 2), ("f1", 3)):
        for split in ("train", "val"):
            write(tmp_path / corpus / f"{split}.json",
                  [{"full_name": f"{corpus}.{split}{i}", "traced_tactics": [step]} for i in range(count)])
    config = load_config(None, [f"train_data={tmp_path / 'micro'}, {tmp_path / 'f1'}"])
    assert config.train_sources == [str(tmp_path / "micro"), str(tmp_path / "f1")]
    train, val = load_data(config)
    assert (len(train.triples), len(val.triples)) == (5, 5)
    with pytest.raises(BadInput, match="no_such"):
        load_data(load_config(None, [f"train_data={tmp_path / 'micro'},{tmp_path / 'no_such'}"]))
