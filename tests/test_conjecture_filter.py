"""The creator's filter: elaborates, is new up to renaming, is not refuted."""
from lean_env import make_env
from lean_env.micro.parser import parse_statement
from training.conjecture_filter import ConjectureFilter, canonical_key
from training.creator import Conjecture


def conj(name, statement):
    return Conjecture(name, statement, origin="symbolic:test")


def make_filter(**kw):
    return ConjectureFilter(make_env("embedded"), **kw)


def test_renamed_variables_hypotheses_and_bound_names_are_one_statement():
    a = parse_statement("theorem a (x y : ℕ) (h : x < y) : ∀ z : ℕ, x + z < y + z")
    b = parse_statement("theorem b (m n : ℕ) (hmn : m < n) : ∀ k : ℕ, m + k < n + k")
    c = parse_statement("theorem c (m n : ℕ) (hmn : m < n) : ∀ k : ℕ, m + k ≤ n + k")
    assert canonical_key(a) == canonical_key(b)
    assert canonical_key(a) != canonical_key(c)


def test_a_duplicate_of_the_pool_is_rejected():
    flt = make_filter()
    flt.remember(["theorem seed (x y : ℕ) (h : x < y) : x + 1 ≤ y"])
    kept = flt.keep([conj("v1", "theorem v1 (m n : ℕ) (hmn : m < n) : m + 1 ≤ n"),
                     conj("v2", "theorem v2 (m n : ℕ) (hmn : m < n) : m + 2 ≤ n + 1")])
    assert [c.name for c in kept] == ["v2"]
    assert flt.rejected == {"duplicate": 1}


def test_duplicates_within_one_batch_keep_the_first():
    flt = make_filter()
    kept = flt.keep([conj("a", "theorem a (x : ℕ) (h : x > 3) : x ≥ 1"),
                     conj("b", "theorem b (y : ℕ) (hy : y > 3) : y ≥ 1")])
    assert [c.name for c in kept] == ["a"]


def test_a_false_arithmetic_conjecture_is_refuted():
    flt = make_filter()
    kept = flt.keep([conj("false", "theorem false (x : ℕ) (h : x > 2) : x * x < 5"),
                     conj("true", "theorem true' (x : ℕ) (h : x > 2) : x * x > 5")])
    assert [c.name for c in kept] == ["true"]
    assert flt.rejected == {"refuted": 1}


def test_a_statement_that_does_not_elaborate_is_rejected():
    flt = make_filter()
    kept = flt.keep([conj("bad", "theorem bad (x : ℕ) : x +"),
                     conj("unbound", "theorem unbound (x : ℕ) : x < y")])
    assert kept == []
    assert flt.rejected == {"does not elaborate": 2}


def test_optionally_one_automation_tactic_is_too_easy():
    easy = conj("easy", "theorem easy (x : ℕ) (h : x > 3) : x + 1 > 4")
    assert make_filter().keep([easy]) == [easy]
    strict = make_filter(reject_automation=True)
    assert strict.keep([easy]) == []
    assert strict.rejected == {"closed by one automation tactic": 1}
