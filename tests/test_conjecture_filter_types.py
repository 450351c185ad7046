"""The filter's counterexample search over ℤ ℚ ℝ: false conjectures are refuted before any
search, with Lean's semantics (ℕ subtraction truncates, `x / 0 = 0`, `Int.ediv`), and a
true statement is never refuted."""
import logging
import random
import sys

import pytest

from lean_env import make_env
from lean_env.micro.parser import parse_statement
from lean_env.theorem_sets import load_theorem_set
from training.conjecture_filter import ConjectureFilter, canonical_key
from training.creator import Conjecture
from training.heldout_guard import that_open


def verdict(statement: str) -> str | None:
    return ConjectureFilter(make_env("embedded")).reason_to_reject(Conjecture("t", statement))


@pytest.mark.parametrize("statement", [
    "theorem t (x : ℝ) (h : x < 1) : x * x < 1",  # x = -2
    "theorem t (x : ℝ) (h : x ^ 2 = 2) : x > 0",  # x = -√2: a real, irrational witness
    "theorem t (a b : ℝ) (h : a < b) : a ^ 2 < b ^ 2",
    "theorem t (x : ℝ) : x / x = 1",  # x = 0: Lean's 0 / 0 = 0
    "theorem t (x : ℕ) : x - 1 + 1 = x",  # x = 0: ℕ subtraction truncates
    "theorem t (n : ℕ) : ((n - 1 : ℕ) : ℤ) = (n : ℤ) - 1",  # the cast of a truncated difference
    "theorem t (a b : ℤ) (h : b ≠ 0) : a / b * b = a",
    "theorem t : (-7 : ℤ) / 2 = -3",  # Int.ediv: -7 / 2 = -4
    "theorem t (q : ℚ) (h : 0 < q) : q < 1 / q",
])
def test_a_false_conjecture_is_refuted(statement):
    assert verdict(statement) == "refuted"


@pytest.mark.parametrize("statement", [
    "theorem t (x : ℝ) : x / 2 * 2 = x",  # false over ℕ (x = 1): a ℕ reading would refute it
    "theorem t (x : ℝ) : x / 0 = 0",
    "theorem t (a : ℤ) : a / 0 = 0",
    "theorem t (x : ℝ) : (0 : ℝ)⁻¹ = 0",
    "theorem t (x : ℕ) (h : 0 < x) : x - 1 + 1 = x",
    "theorem t (n : ℕ) (h : 1 ≤ n) : ((n - 1 : ℕ) : ℤ) = (n : ℤ) - 1",
    "theorem t : (-7 : ℤ) / 2 = -4",
    "theorem t : (-7 : ℤ) % 2 = 1",  # Int.emod is never negative
    "theorem t (x y : ℝ) : x ^ 2 + y ^ 2 ≥ 2 * x * y",
    "theorem t (x : ℝ) (h : 0 < x) : x / 3 < x",
    "theorem t (x : ℝ) : |x| ≥ x",
    "theorem t (q : ℚ) (h : 0 < q) : 1 / q > 0",
])
def test_a_true_conjecture_is_kept(statement):
    assert verdict(statement) is None


def test_no_theorem_of_minif2f_valid_or_of_the_f1_corpus_is_refuted():
    """Statements known true (competition theorems; corpus theorems with checked proofs)."""
    env = make_env("embedded")
    theorems = that_open(load_theorem_set("minif2f-valid"), env)
    theorems += random.Random(0).sample(that_open(load_theorem_set("f1-train"), env), 150)
    flt = ConjectureFilter(env)
    refuted = [t.full_name for t in theorems if flt.reason_to_reject(Conjecture(t.full_name, t.statement)) == "refuted"]
    assert refuted == []


def test_statements_equal_up_to_names_of_any_type_are_one_key():
    a = parse_statement("theorem a (x y : ℝ) (h : x < y) : ∀ z : ℝ, x + z < y + z")
    b = parse_statement("theorem b (m n : ℝ) (hmn : m < n) : ∀ k : ℝ, m + k < n + k")
    c = parse_statement("theorem c (m n : ℚ) (hmn : m < n) : ∀ k : ℚ, m + k < n + k")
    assert canonical_key(a) == canonical_key(b) != canonical_key(c)
    # an ascription is part of the statement: `(5 : ℚ) / 3` is not `↑5 / 3`
    assert canonical_key(parse_statement("theorem d : (5 : ℚ) / 3 > 1")) != \
        canonical_key(parse_statement("theorem d : ↑5 / 3 > 1"))


def test_without_z3_nothing_is_refuted_and_one_line_says_so(monkeypatch, caplog):
    import training.conjecture_filter as cf

    monkeypatch.setitem(sys.modules, "z3", None)  # `import z3` now raises ImportError
    monkeypatch.setattr(cf, "_warned_no_z3", False)
    with caplog.at_level(logging.WARNING, logger="rir"):
        assert verdict("theorem t (x : ℝ) (h : x < 1) : x * x < 1") is None
        assert verdict("theorem t (x : ℕ) : x - 1 + 1 = x") is None
    assert [r.message for r in caplog.records if "z3" in r.message] == [
        "z3 is not installed (pip install z3-solver): conjectures are not checked for counterexamples"]


@pytest.mark.parametrize("statement", [
    "theorem t (h₀ : 5 % 8 = 7) : 5 % 4 = 3",  # a specialised variable broke its hypothesis
    "theorem t (n : ℕ) (h₀ : n % 8 = 7) (h : n ≤ 1) : n % 4 = 3",  # an added bound contradicts h₀
    "theorem t (x : ℝ) (h₀ : 0 < x) (h₁ : x < 0) : x = 5",
    "theorem t (x : ℝ) (h₀ : x ^ 2 < 0) : x = 5",
    "theorem t (a : ℤ) (h₀ : 2 * a = 7) : a = 3",  # no integer halves 7
    "theorem t (p q : Prop) (hp : p) (hq : ¬p) : q",
])
def test_a_conjecture_whose_hypotheses_contradict_each_other_is_vacuous(statement):
    assert verdict(statement) == "vacuous"


@pytest.mark.parametrize("statement", [
    "theorem t (n : ℕ) (h₀ : n % 8 = 7) (h : n ≤ 7) : n % 4 = 3",  # n = 7
    "theorem t (q : ℚ) (h₀ : 2 * q = 7) : q = 7 / 2",  # over ℚ 7 halves
    "theorem t (x : ℕ) (h₀ : x - 3 = 0) (h₁ : 0 < x) : x ≤ 3",  # truncated: x ∈ {1, 2, 3}
    "theorem t (x : ℝ) (h₀ : x / 0 = 0) : x = x",  # Lean's x / 0 = 0 holds for every x
])
def test_satisfiable_hypotheses_are_not_vacuous(statement):
    assert verdict(statement) is None


def test_no_theorem_of_the_f1_corpus_is_vacuous():
    env = make_env("embedded")
    theorems = random.Random(1).sample(that_open(load_theorem_set("f1-train"), env), 150)
    flt = ConjectureFilter(env)
    assert [t.full_name for t in theorems
            if flt.reason_to_reject(Conjecture(t.full_name, t.statement)) == "vacuous"] == []
