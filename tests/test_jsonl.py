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
