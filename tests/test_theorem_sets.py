"""Theorem sets: the shipped miniF2F, LeanDojo Benchmark 4 files, repository coordinates."""
import json
import logging
from importlib import resources
from pathlib import Path

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


# ---------------------------------------------------------------- Mathlib theorems by name (issue 30)

MATHLIB = "https://github.com/leanprover-community/mathlib4"
COMMIT = "29dcec074de168ac2bf835a77ef68bbe069194c5"


def entry(name, file_path="Mathlib/Order/Basic.lean", line=10):
    return {"url": MATHLIB, "commit": COMMIT, "file_path": file_path, "full_name": name,
            "theorem_statement": f"theorem {name} : True", "start": [line, 1], "end": [line + 2, 5],
            "traced_tactics": [{"tactic": "trivial", "annotated_tactic": ["trivial", []],
                                "state_before": "⊢ True", "state_after": "no goals"}]}


@pytest.fixture
def benchmark4(tmp_path, monkeypatch):
    """A small LeanDojo Benchmark 4 folder: both split strategies, three splits each."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("RIR_LEANDOJO_BENCHMARK", raising=False)
    monkeypatch.delenv("RIR_MATHLIB_COMMIT", raising=False)
    root = tmp_path / "leandojo_benchmark_4"
    splits = {"train": ["Nat.succ_le_of_lt", "Nat.le_of_lt_succ", "Int.le_of_lt_succ"],
              "val": ["Finset.sum_comm"], "test": ["Nat.lt_irrefl"]}
    for strategy in ("random", "novel_premises"):
        (root / strategy).mkdir(parents=True)
        for split, names in splits.items():
            (root / strategy / f"{split}.json").write_text(json.dumps([entry(n) for n in names]))
    (root / "metadata.json").write_text(json.dumps({"from_repo": {"url": MATHLIB, "commit": COMMIT}}))
    return root


def dojo_find(name, **options):
    return find_theorem(name, backend="dojo", env_options=options)


def test_a_mathlib_theorem_is_found_by_full_name_in_any_split_of_the_benchmark(benchmark4):
    found = dojo_find("Finset.sum_comm", benchmark_dir=str(benchmark4))  # only in val
    assert (found.url, found.commit, found.file_path, found.start) == (MATHLIB, COMMIT, "Mathlib/Order/Basic.lean", (10, 1))
    assert dojo_find("Nat.lt_irrefl", benchmark_dir=str(benchmark4)).split == "test"


def test_the_benchmark_folder_can_come_from_the_environment(benchmark4, monkeypatch):
    monkeypatch.setenv("RIR_LEANDOJO_BENCHMARK", str(benchmark4))
    assert dojo_find("Nat.succ_le_of_lt").full_name == "Nat.succ_le_of_lt"


def test_names_match_as_lean_users_type_them(benchmark4):
    opts = {"benchmark_dir": str(benchmark4)}
    assert dojo_find("succ_le_of_lt", **opts).full_name == "Nat.succ_le_of_lt"  # unique suffix
    with pytest.raises(BadInput, match="'le_of_lt_succ' is ambiguous.*Int.le_of_lt_succ, Nat.le_of_lt_succ"):
        dojo_find("le_of_lt_succ", **opts)
    with pytest.raises(BadInput, match="unknown theorem 'Nat.succ_le_of_lt_x'.*nearest: Nat.succ_le_of_lt.*"
                                       "add --env-option mathlib_commit"):  # no hours of tracing for a typo
        dojo_find("Nat.succ_le_of_lt_x", **opts)
    with pytest.raises(BadInput) as miss:
        dojo_find("le_of_lt", **opts)  # a suffix only at a `.` boundary: `_of_lt` is no match
    assert "unknown theorem 'le_of_lt'" in str(miss.value) and "\n" not in str(miss.value)


def test_the_index_is_cached_so_a_second_lookup_reads_no_benchmark(benchmark4, monkeypatch):
    from lean_env import mathlib_index

    assert dojo_find("Nat.lt_irrefl", benchmark_dir=str(benchmark4))
    monkeypatch.setattr(mathlib_index, "benchmark_theorems", lambda d: pytest.fail("read the benchmark4 again"))
    assert dojo_find("Finset.sum_comm", benchmark_dir=str(benchmark4)).full_name == "Finset.sum_comm"


@pytest.fixture
def traced_mathlib(monkeypatch, tmp_path):
    """LeanDojo's traced-repo API over a small fake Mathlib: real Theorem/Pos/LeanGitRepo values."""
    lean_dojo = pytest.importorskip("lean_dojo")
    monkeypatch.setattr(lean_dojo.LeanGitRepo, "__post_init__", lambda self: None)
    repo = lean_dojo.LeanGitRepo(MATHLIB, COMMIT)

    class Traced:
        def __init__(self, name, path, line):
            self.theorem = lean_dojo.Theorem(repo, Path(path), name)
            self.repo, self.file_path, self.start = repo, Path(path), lean_dojo.Pos(line, 1)

    class FakeTracedRepo:
        loads = []

        @classmethod
        def load_from_disk(cls, root_dir, build_deps=True):
            cls.loads.append(Path(root_dir))
            return cls()

        def get_traced_theorems(self):
            return [Traced("Nat.succ_le_of_lt", "Mathlib/Order/Basic.lean", 42),
                    Traced("Real.sqrt_nonneg", "Mathlib/Analysis/SpecialFunctions/Sqrt.lean", 7)]

    monkeypatch.setattr(lean_dojo, "TracedRepo", FakeTracedRepo)
    traced = []

    def traced_repo_path(self, url, commit):
        traced.append((url, commit))
        return tmp_path / "traced"

    from lean_env.dojo import DojoEnv

    monkeypatch.setattr(DojoEnv, "_trace_for_index", traced_repo_path)
    FakeTracedRepo.traced = traced
    return FakeTracedRepo


def test_a_name_not_in_the_benchmark_is_found_in_the_traced_mathlib_of_its_commit(benchmark4, traced_mathlib):
    found = dojo_find("Real.sqrt_nonneg", benchmark_dir=str(benchmark4), mathlib_commit=COMMIT)
    assert (found.url, found.commit, found.file_path, found.start) == (
        MATHLIB, COMMIT, "Mathlib/Analysis/SpecialFunctions/Sqrt.lean", (7, 1))
    assert traced_mathlib.traced == [(MATHLIB, COMMIT)]
    # Cached: the traced repository is not loaded again.
    assert dojo_find("sqrt_nonneg", mathlib_commit=COMMIT).full_name == "Real.sqrt_nonneg"
    # Once indexed, the benchmark's own commit (metadata.json) is searched without naming it.
    assert dojo_find("sqrt_nonneg", benchmark_dir=str(benchmark4)).full_name == "Real.sqrt_nonneg"
    assert len(traced_mathlib.loads) == 1


def test_a_miss_everywhere_names_both_sources_and_the_nearest_names(benchmark4, traced_mathlib):
    with pytest.raises(BadInput, match="LeanDojo benchmark .* or Mathlib@29dcec074de1 .*nearest:.*Real.sqrt_nonneg"):
        dojo_find("Real.sqrt_nonneg'", benchmark_dir=str(benchmark4), mathlib_commit=COMMIT)


def test_without_a_benchmark_or_commit_the_dojo_lookup_says_how_to_configure_one(benchmark4):
    with pytest.raises(BadInput, match="RIR_LEANDOJO_BENCHMARK=DIR or --env-option benchmark_dir=DIR"):
        dojo_find("Nat.succ_le_of_lt")


def test_on_the_embedded_engine_a_mathlib_looking_name_gets_a_hint_to_use_dojo(benchmark4):
    with pytest.raises(BadInput, match="for a Mathlib theorem use --backend dojo") as err:
        find_theorem("Nat.succ_le_of_lt")
    assert "\n" not in str(err.value)
    with pytest.raises(BadInput) as typo:
        find_theorem("micro.logic.and_swap_99")  # a typo of a shipped name: no Mathlib hint
    assert "--backend dojo" not in str(typo.value) and "micro.logic.and_swap_" in str(typo.value)


def test_the_shipped_sets_take_unique_suffixes_too():
    assert find_theorem("logic.and_swap_1").full_name == "micro.logic.and_swap_1"


def test_a_file_of_names_is_a_theorem_set_resolved_the_same_way(benchmark4, tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("# Mathlib theorems\nNat.succ_le_of_lt\n\nsum_comm\nmicro.logic.and_swap_1\n")
    theorems = load_theorem_set(str(names), "dojo", {"benchmark_dir": str(benchmark4)})
    assert [t.full_name for t in theorems] == ["Nat.succ_le_of_lt", "Finset.sum_comm", "micro.logic.and_swap_1"]
    names.write_text("Nat.succ_le_of_lt\nle_of_lt_succ\n")
    with pytest.raises(BadInput, match=r"names.txt:2: theorem name 'le_of_lt_succ' is ambiguous"):
        load_theorem_set(str(names), "dojo", {"benchmark_dir": str(benchmark4)})


def test_rir_prove_finds_a_mathlib_theorem_by_name_and_then_needs_lean(benchmark4, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PATH": "/usr/bin:/bin", "ELAN_HOME": str(tmp_path / "no-elan"),
           "RIR_LEANDOJO_BENCHMARK": str(benchmark4), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "rir.cli", "prove", "--theorem", "succ_le_of_lt", "--backend", "dojo"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 2
    assert "Lean toolchain not found" in done.stderr and "unknown theorem" not in done.stderr
