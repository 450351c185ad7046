"""lean_env.jsonl: the one reader and writer of JSONL files."""
from __future__ import annotations

import math

import pytest

from lean_env import jsonl


def test_append_then_read_with_line_numbers(tmp_path):
    path = tmp_path / "sub" / "f.jsonl"
    jsonl.append(path, {"a": 1})
    jsonl.append(path, {"b": "é"})
    assert list(jsonl.read_lines(path)) == [(1, {"a": 1}), (2, {"b": "é"})]


def test_a_torn_last_line_is_not_a_whole_line():
    lines, whole = jsonl.split_lines(b'{"a": 1}\n\n{"b": ')
    assert [(l.lineno, l.text) for l in lines] == [(1, '{"a": 1}')] and whole == 10


def test_nan_is_never_written(tmp_path):
    path = tmp_path / "f.jsonl"
    with pytest.raises(ValueError):
        jsonl.append(path, {"x": math.nan})
    assert path.read_bytes() == b""


def test_atomic_write_replaces_the_whole_file(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text("old\n")
    jsonl.write_atomic(path, [{"n": 1}, {"n": 2}])
    assert path.read_text() == '{"n": 1}\n{"n": 2}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["f.jsonl"]


def test_read_entries_gives_each_bad_line_as_its_error_and_reads_the_rest(tmp_path):
    from lean_env import jsonl

    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"a": 1}\n\nnot json\n\xff\xfe\n[2]')
    entries = jsonl.read_entries(path)
    assert [n for n, _ in entries] == [1, 3, 4, 5]
    assert entries[0][1] == {"a": 1} and entries[3][1] == [2]
    assert isinstance(entries[1][1], ValueError)
    assert isinstance(entries[2][1], ValueError) and "UTF-8" in str(entries[2][1])


def test_training_data_skips_a_non_utf8_line_and_keeps_the_others(tmp_path):
    import json

    from training.data import _entries

    good = {"full_name": "t", "traced_tactics": []}
    path = tmp_path / "traces.jsonl"
    path.write_bytes(json.dumps(good).encode() + b"\n\xff not text\n")
    entries = _entries(path)
    assert entries[0] == (1, good) and isinstance(entries[1][1], ValueError)
