"""The creator's scoring, weighted sampling and pool mixing, on fixed rewards."""
import numpy as np
import pytest

from lean_env.errors import BadInput
from search.result import Budget, SearchResult, SearchStats
from training.creator import (
    Conjecture, informativeness, mix_pool, mutation_weights, sample_informative, sampling_weights,
    search_reward, shared_weights,
)


def _result(status, env_calls=0, total_time=0.0):
    return SearchResult("t", status, stats=SearchStats(env_calls=env_calls, total_time=total_time))


def test_reward_is_one_minus_cost_share_for_a_proof_and_zero_otherwise():
    budget = Budget(timeout=10, max_env_calls=100)
    assert search_reward(_result("proved", env_calls=25), budget) == pytest.approx(0.75)
    assert search_reward(_result("proved", total_time=4.0), budget, cost="time") == pytest.approx(0.6)
    assert search_reward(_result("failed", env_calls=5), budget) == 0.0
    assert search_reward(_result("error"), budget) == 0.0


def test_reward_needs_the_matching_limit():
    with pytest.raises(BadInput, match="env_calls"):
        search_reward(_result("proved", env_calls=1), Budget(timeout=10))


def test_informativeness_variants_on_fixed_rewards():
    rewards = [0.0, 0.5, 1.0, 0.5]
    assert informativeness(rewards) == pytest.approx(1.0)  # max − min, eva's default
    assert informativeness(rewards, "max-mean") == pytest.approx(0.5)
    assert informativeness(rewards, "variance") == pytest.approx(np.var(rewards))
    assert informativeness(rewards, "uniform") == 1.0
    assert informativeness([0.7] * 6) == 0.0  # always solved the same way: nothing to learn


def test_weights_are_min_max_normalised():
    w = sampling_weights([0.2, 0.6, 1.0])
    assert w == pytest.approx([0.0, 1 / 3, 2 / 3])
    assert sampling_weights([0.5, 0.5]) == pytest.approx([0.5, 0.5])


def test_sampling_draws_a_quarter_without_replacement_and_prefers_informative():
    pool = [Conjecture(f"c{i}", f"theorem c{i} : True") for i in range(40)]
    scores = [1.0 if i < 10 else 0.0 for i in range(40)]
    drawn = sample_informative(pool, scores, 0.25, np.random.default_rng(0))
    assert len(drawn) == 10 and len(set(drawn)) == 10
    assert {c.name for c in drawn} == {f"c{i}" for i in range(10)}


def test_sampling_falls_back_to_zero_weight_items_when_needed():
    pool = [Conjecture(f"c{i}", "s") for i in range(8)]
    drawn = sample_informative(pool, [1, 0, 0, 0, 0, 0, 0, 0], 0.5, np.random.default_rng(1))
    assert len(drawn) == 4 and pool[0] in drawn


def test_lineage_sharing_divides_weight_among_a_seeds_descendants():
    pool = [Conjecture(f"a{i}", "s", "symbolic:x", "a", 1, root="a") for i in range(3)] + [Conjecture("b", "s")]
    assert [c.lineage for c in pool] == ["a", "a", "a", "b"]
    assert shared_weights(np.full(4, 0.25), [c.lineage for c in pool]) == pytest.approx([1 / 6] * 3 + [1 / 2])


def test_lineage_sharing_keeps_the_draw_from_narrowing_onto_one_seed():
    # 30 equally informative descendants of seed a, 10 single seeds b0..b9
    pool = [Conjecture(f"a{i}", "s", root="a") for i in range(30)] + [Conjecture(f"b{i}", "s") for i in range(10)]
    scores = [1.0] * 40
    def drawn_from_b(sharing):
        return np.mean([sum(c.name.startswith("b") for c in sample_informative(
            pool, scores, 0.25, np.random.default_rng(k), lineage_sharing=sharing)) for k in range(50)])
    assert drawn_from_b(False) < 4 < 8 < drawn_from_b(True)


def test_mix_is_eighty_percent_evolved():
    rng = np.random.default_rng(0)
    evolved = [Conjecture(f"e{i}", "s") for i in range(50)]
    previous = [Conjecture(f"p{i}", "s") for i in range(50)]
    pool = mix_pool(evolved, previous, 20, rng)
    assert len(pool) == 20
    assert sum(c.name.startswith("e") for c in pool) == 16


def test_mutation_weights_are_mean_informativeness_per_mutation_shrunk_toward_the_pool():
    pool = [Conjecture("s", "…"), Conjecture("a1", "…", "symbolic:add_hypothesis"),
            Conjecture("a2", "…", "symbolic:add_hypothesis"), Conjecture("c1", "…", "symbolic:compose_lemma"),
            Conjecture("c2", "…", "symbolic:compose_lemma"), Conjecture("t", "…", "llm:harder")]
    scores = [1.0, 1.0, 1.0, 0.0, 0.0, 0.5]  # the seed's score plays no part
    w = mutation_weights(pool, scores, prior=2.0)
    overall = 2.5 / 5
    assert w == pytest.approx({"add_hypothesis": (2 + 2 * overall) / 4, "compose_lemma": (0 + 2 * overall) / 4,
                               "harder": (0.5 + 2 * overall) / 3})
    assert w["add_hypothesis"] > w["harder"] > w["compose_lemma"] > 0  # shrunk: no mutation is dropped
    assert mutation_weights(pool[:1], scores[:1]) == {}  # seeds only: nothing learnt yet
