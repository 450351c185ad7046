"""Self-play seeded from miniF2F-valid statements (no proofs), measured on miniF2F-test:
what opens is a seed, and no miniF2F-test statement ever reaches a pool or the training data."""
import json
import random
from pathlib import Path

import pytest

from lean_env import make_env
from lean_env.errors import BadInput
from lean_env.theorem_sets import load_theorem_set
from lean_env.theorems import Theorem, write_theorems
from training.conjecture_filter import ConjectureFilter
from training.creator import Conjecture
from training.evolve import SymbolicEvolver
from training.heldout_guard import Protected, default_heldout, statement_key, that_open
from training.selfplay import SelfPlay
from training.selfplay_config import SelfPlayConfig

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "rir-micro"
# mathd_numbertheory_185 of miniF2F-test, its variables renamed
RENAMED_TEST = "theorem copy (m : ℕ) (hm : m % 5 = 3) : 2 * m % 5 = 1"


def tiny(out, **kw) -> SelfPlayConfig:
    small = dict(seed_theorems="minif2f-valid", seed_limit=3, out_dir=str(out), iterations=1,
                 model=str(SHIPPED), num_searches=1, search_timeout=60, max_env_calls=6,
                 num_targets=2, num_tactics=2, train_steps=1, train_batch_size=2, heldout_set=None)
    return SelfPlayConfig.of(**{**small, **kw})


def read(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_the_renamed_copy_is_a_minif2f_test_statement():
    test_keys = {statement_key(t.statement) for t in load_theorem_set("minif2f-test")}
    assert statement_key(RENAMED_TEST) in test_keys


def test_minif2f_valid_seeds_are_the_statements_that_open_and_the_held_out_set_is_minif2f_test(tmp_path):
    sp = SelfPlay(tiny(tmp_path / "o", heldout_set="auto", seed_limit=12))
    opened = {t.full_name for t in that_open(load_theorem_set("minif2f-valid"), make_env("embedded"))}
    assert len(sp.seed_theorems) == 12 and {t.full_name for t in sp.seed_theorems} <= opened
    assert all(t.proof is None for t in sp.seed_theorems)  # statements only
    assert sp.heldout.set_name == "minif2f-test" == default_heldout("minif2f-valid")
    assert default_heldout("micro-train") == "micro-test"
    assert len(sp.heldout.theorems) == 10  # bounded by default: the first 10 that open


def test_minif2f_test_as_seeds_or_replay_is_refused(tmp_path):
    with pytest.raises(BadInput, match="minif2f-test"):
        SelfPlay(tiny(tmp_path / "a", seed_theorems="minif2f-test"))
    with pytest.raises(BadInput, match="replayed theorems"):
        SelfPlay(tiny(tmp_path / "b", replay="minif2f-test"))


def test_a_seed_that_is_a_test_statement_under_other_names_is_left_out(tmp_path):
    seeds = tmp_path / "seeds.jsonl"
    write_theorems(seeds, [Theorem("copy", RENAMED_TEST), *load_theorem_set("minif2f-valid")[:40]])
    sp = SelfPlay(tiny(tmp_path / "o", seed_theorems=str(seeds), seed_limit=None))
    assert "copy" not in {t.full_name for t in sp.seed_theorems} and sp.seed_theorems


def test_the_filter_rejects_a_variant_equal_to_a_test_statement():
    flt = ConjectureFilter(make_env("embedded"), protected=Protected().keys)
    kept = flt.keep([Conjecture("v", RENAMED_TEST, "symbolic:x"),
                     Conjecture("w", "theorem w (m : ℕ) (hm : m % 5 = 3) : 2 * m % 5 = 1 ∨ m = 0", "symbolic:x")])
    assert [c.name for c in kept] == ["w"] and flt.rejected == {"held-out statement": 1}


def test_an_evolver_that_produces_test_statements_gets_none_into_the_pool(tmp_path, monkeypatch):
    """The creator is made to propose miniF2F-test statements (renamed): none is kept."""
    test_set = that_open(load_theorem_set("minif2f-test"), make_env("embedded"))

    def leaky(self, conj, n, rng, iteration, weights=None):
        picks = random.Random(iteration).sample(test_set, n)
        return [Conjecture(f"{conj.name}.leak{k}", t.statement.replace(t.full_name, f"leak{k}", 1),
                           "symbolic:leak", conj.name, iteration, conj.lineage) for k, t in enumerate(picks)]

    monkeypatch.setattr(SymbolicEvolver, "evolve", leaky)
    out = tmp_path / "run"
    SelfPlay(tiny(out, sample_fraction=1.0)).run()
    it = out / "iter_000"
    test_keys = {statement_key(t.statement) for t in load_theorem_set("minif2f-test")} - {None}
    pooled = [r["statement"] for name in ("conjectures.jsonl", "next_pool.jsonl") for r in read(it / name)]
    assert pooled and not any(statement_key(s) in test_keys for s in pooled)
    assert read(it / "done.json")[0]["rejected"].get("held-out statement", 0) == 12
    triples = read(it / "triples.jsonl")
    assert not any(row["source"].split(":", 1)[1] in {t.full_name for t in test_set} for row in triples)


def test_statement_only_seeds_replay_the_shipped_models_training_proofs(tmp_path):
    """replay 'auto': miniF2F seeds have no proofs, so the training splits of the shipped
    models (micro-train and f1-train) are replayed, against forgetting."""
    sp = SelfPlay(tiny(tmp_path / "o"))
    micro_train = {t.full_name for t in load_theorem_set("micro-train")}
    f1_train = {t.full_name for t in load_theorem_set("f1-train")}
    names = {t.full_name for t in sp.solver.replay_theorems}
    assert len(names & micro_train) > 200 and len(names & f1_train) > 4000
    assert names <= micro_train | f1_train


def test_replay_takes_comma_separated_sets_and_names_an_unknown_one(tmp_path):
    sp = SelfPlay(tiny(tmp_path / "o", replay="micro-valid, micro-train"))
    assert len(sp.solver.replay_theorems) == len(load_theorem_set("micro-valid")) + len(load_theorem_set("micro-train"))
    with pytest.raises(BadInput, match="unknown theorem set 'micro-tran'"):
        SelfPlay(tiny(tmp_path / "p", replay="micro-train,micro-tran"))


def test_a_training_statement_equal_to_a_held_out_one_is_neither_seed_nor_replayed(tmp_path):
    """micro-train's not_not_intro_2 is micro-test's not_not_intro_1 up to renaming."""
    sp = SelfPlay(tiny(tmp_path / "o", seed_theorems="micro-train", seed_limit=None, heldout_set="micro-test",
                       replay="micro-train"))
    assert "micro.logic.not_not_intro_2" not in {t.full_name for t in sp.seed_theorems}
    assert "micro.logic.not_not_intro_2" not in {t.full_name for t in sp.solver.replay_theorems}
