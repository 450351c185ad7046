"""The embedded engine's decision procedures, one behaviour per test."""
from __future__ import annotations

import pytest

from lean_env.micro.arith.decide import decide
from lean_env.micro.arith.linarith import linarith
from lean_env.micro.arith.norm_num import norm_num
from lean_env.micro.arith.omega import omega, omega_by_cases
from lean_env.micro.arith.ring import ring_equal
from lean_env.micro.arith.validity import find_counterexample, is_valid
from lean_env.micro.parser import parse_prop, parse_term
from lean_env.micro.syntax import MVar, Rel, Truth, Var

TRUE, FALSE = Truth(True), Truth(False)


def P(text: str):
    return parse_prop(text, prop_vars={"p", "q"})


def hyps(*texts: str):
    return [P(t) for t in texts]


# ---- omega -------------------------------------------------------------------


@pytest.mark.parametrize("given, goal", [
    ((), "x + 1 > x"),
    (("x < y",), "x + 1 ≤ y"),
    (("y ≤ x",), "x - y + y = x"),
    ((), "x - y ≤ x"),
    ((), "2 * x ≠ 1"),
    ((), "x / 2 * 2 ≤ x"),
    ((), "x % 3 < 3"),
    (("2 ∣ x",), "x % 2 = 0"),
    (("¬ 2 ∣ x",), "x % 2 = 1"),
    (("x < 2 ∨ x > 5",), "x ≠ 3"),
    (("x < 3 ∧ y < 3",), "x + y < 6"),
    (("x < 3 ↔ y < 3", "x = 1"), "y ≤ 2"),
    (("x < y", "y < x"), "False"),
    ((), "∀ n : ℕ, n < 5 → n ≤ 4"),
    ((), "¬ (x < 2 ∧ x > 3)"),
    ((), "x * y + 1 > x * y"),
    ((), "(x + 1) * 3 = 3 * x + 3"),
])
def test_omega_proves(given, goal):
    assert omega(hyps(*given), P(goal))


@pytest.mark.parametrize("given, goal", [
    ((), "x - y + y = x"),  # truncated subtraction: false when y > x
    ((), "x * x ≥ x"),  # x * x is an opaque atom to omega
    (("x * y ≤ 3",), "y * x ≤ 3"),  # atoms are syntactic: x * y is not y * x
    ((), "x / 0 = x"),
    (("x < y",), "y < x"),
    (("p ∨ x < 3",), "x < 3"),  # the Prop variable is not used
    ((), "∃ n : ℕ, n > x"),  # quantified goals beyond leading ∀ are not arithmetic
])
def test_omega_fails(given, goal):
    assert not omega(hyps(*given), P(goal))


def test_omega_goal_with_metavariable_is_not_closed():
    assert not omega([], Rel("=", MVar("m"), Var("x")))


# ---- linarith ------------------------------------------------------------------


@pytest.mark.parametrize("given, goal", [
    (("x < y",), "x + 1 ≤ y"),  # strict inequalities strengthened over ℤ
    (("x ≤ y", "y ≤ x"), "x = y"),
    (("¬ x < y",), "y ≤ x"),
    (("x * y ≤ 3",), "y * x ≤ 3"),  # monomials are normalised
    ((), "x * y + 1 > y * x"),
    ((), "x - y ≥ 0"),  # ℕ atoms are non-negative
    (("x + y < 2", "x ≥ 2"), "False"),
    (("x < 3",), "¬ x ≥ 3"),
    (("x < 3",), "x ≠ 5"),
    (("x < 3 ∧ y < 3",), "x + y < 6"),  # splitHypotheses (default true) splits ∧
])
def test_linarith_proves(given, goal):
    assert linarith(hyps(*given), P(goal))


@pytest.mark.parametrize("given, goal", [
    ((), "2 * x ≠ 1"),  # a parity fact: the rational relaxation has x = 1/2
    (("x < 3 ∨ y < 3",), "x + y < 6"),  # disjunctions are not used
    (("x ≠ 3", "x ≤ 3"), "x < 3"),  # ≠ hypotheses are not used
    ((), "x - y + y = x"),
    (("x < y",), "y < x"),
])
def test_linarith_fails(given, goal):
    assert not linarith(hyps(*given), P(goal))


def test_linarith_is_weaker_than_omega():
    assert omega([], P("2 * x ≠ 1")) and not linarith([], P("2 * x ≠ 1"))


# ---- decide -------------------------------------------------------------------------


@pytest.mark.parametrize("goal, expected", [
    ("2 ^ 10 = 1024", True),
    ("3 * 4 < 11", False),
    ("7 ∣ 21 ∧ ¬ 7 ∣ 22", True),
    ("5 - 7 = 0", True),  # truncated
    ("7 / 0 = 0 ∧ 7 % 0 = 7", True),  # division by zero
    ("0 ∣ 0 ∧ ¬ 0 ∣ 3", True),
    ("(2 < 3 → 4 < 3) ↔ False", True),
])
def test_decide_evaluates_closed_propositions(goal, expected):
    assert decide(P(goal)) is expected


@pytest.mark.parametrize("goal", ["x = x", "∀ n : ℕ, n = n", "p ∨ True", "2 ^ 100000 > 0"])
def test_decide_refuses_open_quantified_or_huge(goal):
    assert decide(P(goal)) is None


# ---- norm_num -----------------------------------------------------------------------


@pytest.mark.parametrize("goal, expected", [
    ("2 + 3 = 5", "True"),
    ("2 + 2 = 5", "False"),
    ("2 ^ 10 = 1024 ∧ 10 % 3 = 1", "True"),
    ("x + 0 = x", "True"),
    ("1 * x * 1 ≤ x + 0 * y", "True"),
    ("x + (2 + 3) = y", "x + 5 = y"),
    ("True ∧ x < y", "x < y"),
    ("x < y ∨ True", "True"),
    ("¬ False", "True"),
    ("x < x → y = 3", "True"),
    ("¬ x ≤ y", "y < x"),
    ("∀ n : ℕ, n + 0 = n", "True"),
    ("x - 0 = x ^ 1", "True"),
    ("0 < 0 ∨ x = y", "x = y"),
])
def test_norm_num_simplifies(goal, expected):
    assert norm_num(P(goal)) == P(expected)


def test_norm_num_leaves_what_it_cannot_simplify():
    assert norm_num(P("x + 1 = y")) == P("x + 1 = y")


def test_norm_num_uses_given_hypotheses_only():
    assert norm_num(P("x + 1 = 4")) == P("x + 1 = 4")
    assert norm_num(P("x + 1 = 4"), hyps("x = 3")) == TRUE
    assert norm_num(P("p ∧ x = x"), hyps("p")) == TRUE
    assert norm_num(P("q ∨ x = 2"), hyps("¬ q")) == P("x = 2")


def test_norm_num_hypotheses_do_not_reach_a_shadowing_binder():
    assert norm_num(P("∀ x : ℕ, x = 3"), hyps("x = 3")) != TRUE


def test_norm_num_does_not_loop_on_a_self_referential_rewrite():
    assert norm_num(P("x = 0"), hyps("x = x + 1")) == P("x + 1 = 0")


# ---- ring ----------------------------------------------------------------------------


@pytest.mark.parametrize("a, b", [
    ("(x + y) ^ 2", "x ^ 2 + 2 * x * y + y ^ 2"),
    ("x * y * z", "z * (y * x)"),
    ("(x + 1) ^ 3", "x ^ 3 + 3 * x ^ 2 + 3 * x + 1"),
    ("2 * 3 * x", "6 * x"),
    ("2 ^ n * 2 ^ n", "(2 ^ n) ^ 2"),
    ("2 ^ 100 * x", "x * 1267650600228229401496703205376"),
])
def test_ring_equal_identities(a, b):
    assert ring_equal(parse_term(a), parse_term(b))


@pytest.mark.parametrize("a, b", [
    ("(x + y) ^ 2", "x ^ 2 + y ^ 2"),
    ("x * y", "x + y"),
    ("x - 0", "x"),  # subtraction is out of ring's reach here, even when true
    ("x / 1", "x"),
    ("x % 1", "0"),
])
def test_ring_equal_rejects(a, b):
    assert not ring_equal(parse_term(a), parse_term(b))


def test_ring_equal_gives_up_on_huge_expansions():
    assert not ring_equal(parse_term("(x + y + 1) ^ 200"), parse_term("(x + y + 1) ^ 200 + 0"))


# ---- full semantics ------------------------------------------------------------------


@pytest.mark.parametrize("given, goal, expected", [
    ((), "x - y + y = x", False),
    (("y ≤ x",), "x - y + y = x", True),
    ((), "x / 0 = 0 ∧ x % 0 = x", True),
    ((), "x * x ≥ x", True),
    ((), "∀ n : ℕ, ∃ m : ℕ, m > n", True),
    ((), "∃ n : ℕ, ∀ m : ℕ, m ≤ n", False),
    ((), "p ∨ ¬ p", True),
    ((), "p → q", False),
    ((), "x ∣ y → x ≤ y", False),  # y = 0
])
def test_is_valid(given, goal, expected):
    assert is_valid(hyps(*given), P(goal)) is expected


def test_is_valid_is_unsure_rather_than_wrong_on_uninterpreted_powers():
    assert is_valid([], P("∀ n : ℕ, 2 ^ n ≥ 1")) is not False


def test_counterexample_for_a_false_conjecture():
    assert find_counterexample(P("∀ n : ℕ, n * n ≥ 2 * n")) == {"n": 1}


def test_counterexample_values_falsify_the_proposition():
    cex = find_counterexample(P("x - y + y = x"))
    assert cex is not None and cex["y"] > cex["x"]
    assert find_counterexample(P("p → q")) == {"p": True, "q": False}


@pytest.mark.parametrize("prop", ["∀ n : ℕ, n * n ≥ n", "x + y = y + x", "∀ n : ℕ, ∃ m : ℕ, m > n"])
def test_no_counterexample_for_a_true_conjecture(prop):
    assert find_counterexample(P(prop)) is None


# ---- omega without z3 ------------------------------------------------------------


@pytest.mark.parametrize("given, goal", [
    (("y ≤ x",), "x - y + y = x"),  # truncated subtraction: a case split
    (("x ≤ y", "y ≤ x"), "x = y"),  # the negated goal x ≠ y: a case split
    (("x < 2 ∨ x > 5",), "x ≠ 3"),
    ((), "x / 2 * 2 ≤ x"),
    (("3 ∣ x", "x < 3"), "x = 0"),
])
def test_omega_common_cases_are_refuted_in_python(given, goal):
    assert omega_by_cases(hyps(*given), P(goal))


def test_omega_refutes_not_dvd_as_a_positive_remainder():
    # Lean: ¬ 2 ∣ x becomes 0 < x % 2 (Nat.emod_pos_of_not_dvd).
    assert omega_by_cases(hyps("¬ 2 ∣ x"), P("x % 2 = 1"))
