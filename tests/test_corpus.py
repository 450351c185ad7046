"""The embedded corpus (benchmarks/micro): size, shape, splits, and every proof checking."""
import hashlib
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from lean_env.protocol import ProofFinished
from lean_env.replay import check_proof
from lean_env.theorem_sets import MICRO_DIR, load_theorem_set

# Tactics that may close a goal on their own; a theorem one of them closes from its
# initial state needs no proof structure.
AUTOMATION = ("omega", "linarith", "decide", "norm_num", "trivial", "simp", "ring", "rfl",
              "assumption", "contradiction")


@pytest.fixture(scope="module")
def corpus():
    return load_theorem_set("micro")


@pytest.fixture(scope="module")
def env():
    from lean_env.micro import MicroEnv

    with MicroEnv() as e:
        yield e


def load_builder(monkeypatch):
    builder = Path(__file__).resolve().parents[1] / "benchmarks" / "micro" / "build_corpus.py"
    spec = importlib.util.spec_from_file_location("build_corpus", builder)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_corpus", module)  # dataclasses look it up
    spec.loader.exec_module(module)
    return module


def test_corpus_has_300_uniquely_named_theorems_with_proofs(corpus):
    assert len(corpus) >= 300
    names = [t.full_name for t in corpus]
    assert len(set(names)) == len(names)
    for t in corpus:
        assert t.statement.startswith(f"theorem {t.full_name} ")
        assert ":= by" not in t.statement
        assert t.tactics(), t.full_name
        assert not any(tac.startswith(("·", ".")) for tac in t.tactics()), "no bullets"


def test_statements_are_diverse(corpus):
    # families: the name without its instance number; none dominates the corpus
    families = Counter(t.full_name.rsplit("_", 1)[0] for t in corpus)
    assert len(families) >= 60
    assert max(families.values()) <= 10
    areas = Counter(t.full_name.split(".")[1] for t in corpus)
    assert {"logic", "quant", "arith", "rw", "induct", "dvd", "mixed"} <= set(areas)
    # statements with the name removed: renamings of one statement would coincide
    bodies = {t.statement.replace(t.full_name, "") for t in corpus}
    assert len(bodies) == len(corpus)


def test_a_third_of_the_proofs_have_four_tactics_or_more(corpus):
    long = [t for t in corpus if len(t.tactics()) >= 4]
    assert len(long) >= len(corpus) / 3


def test_the_splits_are_disjoint_cover_all_and_follow_the_name_hash(corpus):
    splits = {s: load_theorem_set(f"micro-{s}") for s in ("train", "valid", "test")}
    names = {s: {t.full_name for t in ts} for s, ts in splits.items()}
    assert not names["train"] & names["valid"] and not names["train"] & names["test"]
    assert not names["valid"] & names["test"]
    assert names["train"] | names["valid"] | names["test"] == {t.full_name for t in corpus}
    assert len(names["test"]) >= 60 and len(names["valid"]) >= 30
    for split, members in names.items():
        for name in members:
            digit = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10
            assert split == ("test" if digit < 2 else "valid" if digit == 2 else "train")


def test_the_generator_is_deterministic_and_matches_the_files(monkeypatch):
    builder = load_builder(monkeypatch)
    first, second = builder.corpus(), builder.corpus()
    assert first == second
    on_disk = [json.loads(line) for line in (MICRO_DIR / "all.jsonl").open(encoding="utf-8")]
    assert [e.__dict__ for e in first] == on_disk


def test_every_reference_proof_checks_on_the_engine(corpus, env):
    failures = [r for r in (check_proof(env, t) for t in corpus) if not r.ok]
    assert failures == [], "\n".join(f"{r.name}: {r.error}" for r in failures[:10])


def test_at_most_a_quarter_fall_to_one_automation_tactic(corpus, env):
    def one_shot(theorem):
        state = env.open(theorem)
        return any(isinstance(env.run_tac(state, tac), ProofFinished) for tac in AUTOMATION)

    closed = [t.full_name for t in corpus if one_shot(t)]
    assert len(closed) <= 0.25 * len(corpus), f"{len(closed)} one-shot theorems"
