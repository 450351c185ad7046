"""Theorem sets: the shipped miniF2F, LeanDojo Benchmark 4 files, repository coordinates."""
import json
import logging
from importlib import resources

import pytest

from lean_env import BadInput, Theorem
from lean_env.leandojo_benchmark import load_benchmark_theorems, theorem_from_repo
from lean_env.theorem_sets import NAMED_SETS, find_theorem, load_theorem_set

MINIF2F = resources.files("lean_env") / "data" / "minif2f"


@pytest.mark.parametrize("name,split", [("minif2f-valid", "valid"), ("minif2f-test", "test")])
def test_minif2f_ships_244_theorems_per_split_with_headers(name, split):
    theorems = load_theorem_set(name)
    assert len(theorems) == 244
    assert len({t.full_name for t in theorems}) == 244
    for t in theorems:
        assert t.split == split
        assert t.header.startswith("import Mathlib")
        assert t.statement.startswith(f"theorem {t.full_name}")
        assert ":=" not in t.statement.splitlines()[-1]  # statements only, no proof
        # The coordinates LeanDojo needs, for the dojo backend.
        assert t.url and t.commit and t.file_path.endswith(".lean")


def test_minif2f_splits_are_disjoint():
    valid = {t.full_name for t in load_theorem_set("minif2f-valid")}
    test = {t.full_name for t in load_theorem_set("minif2f-test")}
    assert not valid & test


def test_minif2f_is_package_data_with_its_licence_beside_it():
    for name in ("valid.jsonl", "test.jsonl", "LICENSE", "SOURCE.md"):
        assert (MINIF2F / name).is_file()
    assert "MIT License" in (MINIF2F / "LICENSE").read_text()
    assert NAMED_SETS["minif2f-test"].parent == NAMED_SETS["minif2f-valid"].parent


def test_a_minif2f_name_resolves_through_the_named_sets():
    thm = find_theorem("mathd_algebra_478")
    assert thm.split == "test" and "v = 65" in thm.statement


def test_the_embedded_corpus_splits_are_named_sets():
    assert NAMED_SETS["micro-test"].is_file()  # shipped package data, never skipped
    assert load_theorem_set("micro-test")


def benchmark_entry(full_name, **changes):
    entry = {
        "url": "https://github.com/leanprover-community/mathlib4",
        "commit": "29dcec074de168ac2bf835a77ef68bbe069194c5",
        "file_path": "Mathlib/Algebra/Group/Basic.lean",
        "full_name": full_name,
        "start": [120, 1],
        "end": [122, 10],
        "traced_tactics": [{"tactic": "simp", "annotated_tactic": ["simp", []],
                            "state_before": "G : Type u_1\n⊢ a * 1 = a", "state_after": "no goals"}],
    }
    entry.update(changes)
    return entry


@pytest.fixture
def benchmark_file(tmp_path):
    path = tmp_path / "random" / "test.json"
    path.parent.mkdir()
    entries = [benchmark_entry("mul_one'"), {"url": "x"}, benchmark_entry("Group.inv_inv", start=[7, 3])]
    path.write_text(json.dumps(entries))
    return path


def test_a_leandojo_benchmark_file_yields_theorem_records(benchmark_file, caplog):
    with caplog.at_level(logging.WARNING, logger="rir"):
        theorems = load_benchmark_theorems(benchmark_file)
    assert [t.full_name for t in theorems] == ["mul_one'", "Group.inv_inv"]
    first = theorems[0]
    assert first.file_path == "Mathlib/Algebra/Group/Basic.lean" and first.start == (120, 1)
    assert first.url.endswith("mathlib4") and len(first.commit) == 40
    assert first.split == "test" and first.statement == ""
    assert "entry 1" in caplog.text and "missing or empty commit, file_path, full_name" in caplog.text


def test_a_full_name_resolves_through_a_benchmark_file(benchmark_file):
    assert load_theorem_set(str(benchmark_file))[1].full_name == "Group.inv_inv"
    assert find_theorem("Group.inv_inv", str(benchmark_file)).start == (7, 3)
    with pytest.raises(BadInput, match="Mathlib.Foo.bar"):
        find_theorem("Mathlib.Foo.bar", str(benchmark_file))


def test_bad_benchmark_files_are_bad_input_naming_the_file(tmp_path):
    with pytest.raises(BadInput, match="nope.json"):
        load_benchmark_theorems(tmp_path / "nope.json")
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    with pytest.raises(BadInput, match="broken.json"):
        load_benchmark_theorems(broken)
    not_a_list = tmp_path / "dict.json"
    not_a_list.write_text('{"full_name": "x"}')
    with pytest.raises(BadInput, match="dict.json.*list"):
        load_benchmark_theorems(not_a_list)


def test_a_theorem_from_repository_coordinates():
    thm = theorem_from_repo("https://github.com/yangky11/lean4-example", "7b6ecb9ad4829e4e73600a3329baeb3b5df8d23f",
                            "Lean4Example.lean", "hello_world")
    assert thm == Theorem("hello_world", url="https://github.com/yangky11/lean4-example",
                          commit="7b6ecb9ad4829e4e73600a3329baeb3b5df8d23f", file_path="Lean4Example.lean")
    with pytest.raises(BadInput, match="foo.*not a .lean file"):
        theorem_from_repo("https://github.com/x/y", "abc", "Foo.txt", "foo")
    with pytest.raises(BadInput, match="foo.*missing commit"):
        theorem_from_repo("https://github.com/x/y", "", "Foo.lean", "foo")


def test_a_benchmark_entry_keeps_its_statement_and_traced_tactics_as_the_reference_proof(tmp_path):
    from lean_env.leandojo_benchmark import load_benchmark_theorems

    base = {"url": "https://github.com/leanprover-community/mathlib4", "commit": "c" * 40,
            "file_path": "Mathlib/Foo.lean", "start": [3, 1], "end": [5, 10]}
    entries = [
        {**base, "full_name": "Foo.one", "theorem_statement": "theorem one : 1 = 1",
         "traced_tactics": [{"tactic": "norm_num", "state_before": "⊢ 1 = 1", "state_after": "no goals"}]},
        {**base, "full_name": "Foo.two", "traced_tactics": [{"tactic": "induction n with\n| zero => rfl"}]},
        {**base, "full_name": "Foo.three", "traced_tactics": []},
    ]
    path = tmp_path / "test.json"
    path.write_text(json.dumps(entries))
    one, two, three = load_benchmark_theorems(path)
    assert one.statement == "theorem one : 1 = 1" and one.tactics() == ["norm_num"]
    assert two.proof is None and three.proof is None  # never a wrongly split proof
