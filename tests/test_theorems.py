"""Theorem records, the JSONL loader and the state/outcome records."""
import json
import logging

import pytest

from lean_env import BadInput, TacticState, Theorem, load_theorems
from lean_env.theorems import read_theorems, write_theorems


def test_state_equality_and_hash_use_the_text_only():
    a = TacticState("x : ℕ\n⊢ x = x", num_goals=1, id=3)
    b = TacticState("x : ℕ\n⊢ x = x", num_goals=1, id=7)
    assert a == b and hash(a) == hash(b)
    assert len({a, b}) == 1


def test_theorem_round_trips_through_a_dict():
    thm = Theorem("micro.t", "theorem t (p : Prop) (hp : p) : p", proof="exact hp",
                  start=(3, 1), header="import Mathlib")
    again = Theorem.from_dict(json.loads(json.dumps(thm.to_dict())))
    assert again == thm
    assert again.tactics() == ["exact hp"]


def test_a_list_proof_is_joined_into_lines():
    thm = Theorem.from_dict({"full_name": "t", "statement": "theorem t (p : Prop) : p → p",
                             "proof": ["intro h", "exact h"]})
    assert thm.tactics() == ["intro h", "exact h"]


def test_bad_lines_are_reported_with_their_number_and_the_rest_loads(tmp_path, caplog):
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"full_name": "a", "statement": "theorem a : True"}\n'
        "not json at all\n"
        "\n"
        '{"statement": "theorem nameless : True"}\n'
        '{"full_name": "b", "statement": "theorem b : True"}\n'
    )
    with caplog.at_level(logging.WARNING, logger="rir"):
        theorems = load_theorems(path)
    assert [t.full_name for t in theorems] == ["a", "b"]
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert f"{path}:2:" in messages and f"{path}:4:" in messages


def test_missing_file_is_bad_input_naming_the_path(tmp_path):
    with pytest.raises(BadInput, match="nope.jsonl"):
        load_theorems(tmp_path / "nope.jsonl")


def test_write_then_load(tmp_path):
    theorems = [Theorem("a", "theorem a : True", proof="trivial"), Theorem("b", "theorem b : True")]
    write_theorems(tmp_path / "x.jsonl", theorems)
    assert load_theorems(tmp_path / "x.jsonl") == theorems


def test_non_utf8_bytes_name_file_and_line_and_only_that_line_is_skipped(tmp_path):
    path = tmp_path / "set.jsonl"
    good = json.dumps({"full_name": "a", "statement": "theorem a : True"}).encode()
    path.write_bytes(good + b"\n" + b'{"full_name": "b\xff\xfe"}\n' + good.replace(b'"a', b'"c') + b"\n")
    theorems, problems = read_theorems(path)
    assert [t.full_name for t in theorems] == ["a", "c"]
    assert len(problems) == 1 and f"{path}:2:" in problems[0] and "not UTF-8" in problems[0]


def test_a_missing_statement_is_reported_as_missing_not_as_a_parse_error(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"full_name": "nostmt", "proof": "trivial"}) + "\n"
                    + json.dumps({"full_name": "dojo", "url": "https://x/y", "file_path": "A.lean"})
                    + "\n", encoding="utf-8")
    theorems, problems = read_theorems(path)
    assert [t.full_name for t in theorems] == ["dojo"]  # a LeanDojo theorem needs no statement
    assert problems == [f"{path}:1: skipped line: theorem 'nostmt' has no 'statement' field"]
