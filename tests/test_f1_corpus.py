"""The F1 corpus (benchmarks/f1): a seeded generator of competition-style theorems over
ℕ ℤ ℚ ℝ, split by family (test_novel's families unseen in training), free of miniF2F
statements, every reference proof checked on the embedded engine."""
import importlib.util
import json
import random
import sys
from collections import Counter
from pathlib import Path

import pytest

from lean_env.replay import check_proof
from lean_env.theorem_sets import F1_DIR, NAMED_SETS, load_theorem_set

BUILDER = Path(__file__).resolve().parents[1] / "benchmarks" / "f1" / "build_corpus.py"


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("f1_build_corpus", BUILDER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["f1_build_corpus"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("f1_build_corpus", None)


@pytest.fixture(scope="module")
def rows():
    return [json.loads(line) for line in (F1_DIR / "all.jsonl").open(encoding="utf-8")]


@pytest.fixture(scope="module")
def env():
    from lean_env.micro import MicroEnv

    with MicroEnv() as e:
        yield e


def test_the_corpus_has_5000_theorems_named_once_with_multi_step_proofs(rows):
    assert len(rows) >= 5000
    names = [r["full_name"] for r in rows]
    assert len(set(names)) == len(names)
    bodies = {r["statement"].replace(r["full_name"], "") for r in rows}
    assert len(bodies) == len(rows)  # no statement twice under two names
    for r in rows:
        assert r["statement"].startswith(f"theorem {r['full_name']} ") and ":= by" not in r["statement"]
    theorems = load_theorem_set("f1")
    multi = [t for t in theorems if len(t.tactics()) >= 2]
    assert len(multi) >= 0.7 * len(theorems)
    assert not any(tac.startswith(("·", ".")) for t in theorems for tac in t.tactics())


def test_every_family_is_present_and_none_dominates(builder, rows):
    counts = Counter(r["family"] for r in rows)
    assert set(counts) == set(builder.FAMILIES)
    assert min(counts.values()) >= 40
    assert max(counts.values()) <= 0.05 * len(rows)


def test_the_areas_of_the_issue_are_covered(rows):
    proofs = "\n".join(r["proof"] for r in rows)
    statements = "\n".join(r["statement"] for r in rows)
    for tactic in ("nlinarith [sq_nonneg", "interval_cases", "induction", "omega", "linarith",
                   "exact_mod_cast", "rcases", "by_cases", "push_neg", "calc", "field_simp", "rw ["):
        assert tactic in proofs, tactic
    for text in ("ℕ", "ℤ", "ℚ", "ℝ", "∣", "% 10", "∀", "∃", "¬", "Prop", "(n : ℝ)"):
        assert text in statements, text
    chains = Counter(r["proof"].count("have e") for r in rows if r["family"].startswith("have_chain"))
    assert {2, 8} <= set(chains) and max(chains) == 8  # `have` chains of 2 to 8 steps


def test_the_generator_is_deterministic_for_a_seed(builder):
    first = builder.generate(per_family=3, seed=5)
    assert first == builder.generate(per_family=3, seed=5)
    assert first != builder.generate(per_family=3, seed=6)
    assert {e.family for e in first} == set(builder.FAMILIES)


def test_the_files_are_the_default_build(builder, rows):
    drawn = {e.full_name: e for e in builder.generate()}
    for r in rows:  # the build only drops theorems, in order, never changes one
        e = drawn[r["full_name"]]
        assert (e.statement, e.proof, e.family) == (r["statement"], r["proof"], r["family"])
    assert [r["full_name"] for r in rows] == [n for n in drawn if n in {r["full_name"] for r in rows}]


def test_splits_are_disjoint_and_test_novel_families_are_unseen(builder, rows):
    splits = {s: load_theorem_set(name) for s, name in
              (("train", "f1-train"), ("valid", "f1-valid"), ("test", "f1-test"),
               ("test_novel", "f1-test-novel"))}
    names = {s: {t.full_name for t in ts} for s, ts in splits.items()}
    for a in names:
        for b in names:
            assert a == b or not names[a] & names[b], (a, b)
    assert set().union(*names.values()) == {r["full_name"] for r in rows}
    family = {r["full_name"]: r["family"] for r in rows}
    families = {s: {family[n] for n in ns} for s, ns in names.items()}
    assert families["test_novel"] == set(builder.NOVEL_FAMILIES)
    assert not families["test_novel"] & (families["train"] | families["valid"] | families["test"])
    seen = set(builder.FAMILIES) - set(builder.NOVEL_FAMILIES)
    assert families["train"] == families["valid"] == families["test"] == seen  # the random split
    assert len(names["test"]) >= 300 and len(names["valid"]) >= 300 and len(names["test_novel"]) >= 500


def test_no_minif2f_statement_is_in_the_corpus(builder, rows):
    banned = builder.minif2f_statements()
    assert len(banned) >= 400  # both miniF2F splits were read
    assert not {builder.normalise(r["statement"], r["full_name"]) for r in rows} & banned


def test_a_minif2f_statement_or_a_failing_proof_is_dropped_and_counted(builder, monkeypatch):
    target = load_theorem_set("minif2f-test")[0]
    text = builder.normalise(target.statement, target.full_name).removeprefix("theorem ")
    left, right = text.rsplit(" : ", 1)

    def copy_of_minif2f(r):  # the miniF2F statement under another name, its layout changed
        return left.replace(" ", "  "), right, ["sorry"]

    def wrong_proof(r):
        k = r.randint(1, 1000)
        return "(x : ℝ) (h₀ : x = 1)", f"x + {k} = {k + 2}", ["rw [h₀]", "norm_num"]

    monkeypatch.setitem(builder.FAMILIES, "copy_of_minif2f", copy_of_minif2f)
    monkeypatch.setitem(builder.FAMILIES, "wrong_proof", wrong_proof)
    result = builder.build(per_family=2, families=["copy_of_minif2f", "wrong_proof", "lin_eq"])
    assert result.minif2f["copy_of_minif2f"] == 1  # one distinct statement drawn, dropped
    assert result.failed["wrong_proof"] == 2 and len(result.errors) == 2
    assert {e.family for e in result.entries} == {"lin_eq"}


def test_a_sample_of_reference_proofs_checks_on_the_engine(rows, env):
    from lean_env.theorems import Theorem

    by_family: dict[str, list[dict]] = {}
    for r in rows:
        by_family.setdefault(r["family"], []).append(r)
    rng = random.Random(0)
    sample = [row for group in by_family.values() for row in rng.sample(group, 3)]
    results = [check_proof(env, Theorem.from_dict(r)) for r in sample]
    assert [r.name for r in results if not r.ok] == []


def test_the_engine_rejects_a_corrupted_reference_proof(rows, env):
    from lean_env.theorems import Theorem

    row = next(r for r in rows if r["family"] == "system2_real")
    broken = dict(row, proof=row["proof"].replace("linarith", "norm_num", 1))
    wrong = dict(row, statement=row["statement"].rsplit("∧", 1)[0] + "∧ False")
    assert check_proof(env, Theorem.from_dict(row)).ok
    assert not check_proof(env, Theorem.from_dict(broken)).ok
    assert not check_proof(env, Theorem.from_dict(wrong)).ok


def test_a_small_build_passes_rir_check_and_is_not_overwritten_without_force(builder, tmp_path, capsys):
    from rir.cli import main as rir

    assert builder.main(["--per-family", "2", "--out", str(tmp_path)]) == 0
    written = {p.name for p in tmp_path.iterdir()}
    assert written == {"all.jsonl", "train.jsonl", "valid.jsonl", "test.jsonl", "test_novel.jsonl"}
    before = (tmp_path / "all.jsonl").read_bytes()
    assert len(before.splitlines()) == 2 * len(builder.FAMILIES)
    capsys.readouterr()
    assert rir(["check", str(tmp_path / "all.jsonl")]) == 0
    assert "0 failed" in capsys.readouterr().out
    assert builder.main(["--per-family", "1", "--out", str(tmp_path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "all.jsonl").read_bytes() == before
    assert builder.main(["--per-family", "1", "--out", str(tmp_path), "--force"]) == 0
    assert len((tmp_path / "all.jsonl").read_bytes().splitlines()) == len(builder.FAMILIES)


def test_bad_arguments_exit_2_with_one_line(builder, tmp_path, capsys):
    assert builder.main(["--per-family", "0", "--out", str(tmp_path)]) == 2
    afile = tmp_path / "file"
    afile.write_text("x")
    assert builder.main(["--out", str(afile)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error:") for line in err)


@pytest.mark.parametrize("name", ["f1-train", "f1-valid", "f1-test", "f1-test-novel", "f1"])
def test_the_named_sets_load(name):
    assert NAMED_SETS[name].is_file()
    assert load_theorem_set(name)


@pytest.mark.slow
def test_rir_trace_f1_writes_one_leandojo_file_per_split(tmp_path, capsys):
    from rir.cli import main as rir

    assert rir(["trace", "f1", "--out", str(tmp_path)]) == 0
    files = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in tmp_path.iterdir()}
    assert set(files) == {"train.json", "val.json", "test.json", "test_novel.json"}
    expected = {"train.json": "f1-train", "val.json": "f1-valid", "test.json": "f1-test",
                "test_novel.json": "f1-test-novel"}
    for name, records in files.items():
        assert [r["full_name"] for r in records] == [t.full_name for t in load_theorem_set(expected[name])]
        assert all(r["traced_tactics"][-1]["state_after"] == "no goals" for r in records)
