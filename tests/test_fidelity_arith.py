"""Fidelity of `omega` and `linarith`: each accepts what Lean 4 / Mathlib accepts
and no more. One test per category; each states Lean's behaviour, read from
leanprover/lean4 src/Lean/Elab/Tactic/Omega/ (Frontend.lean, OmegaM.lean) and
mathlib4 Mathlib/Tactic/Linarith/ (Preprocessing.lean). Every case runs end to end
through the embedded engine, as a user's proof would.
"""
from __future__ import annotations

import pytest

from lean_env.micro import MicroEnv
from lean_env.micro.arith.validity import is_valid
from lean_env.micro.parser import parse_prop
from lean_env.protocol import ProofFinished, TacticState
from lean_env.theorems import Theorem
from tests.engine_steps import proves

ACCEPT, REJECT = True, False


@pytest.fixture(scope="module")
def env():
    e = MicroEnv()
    yield e
    e.close()


def closes(env, statement: str, tactic: str) -> bool:
    state = env.open(Theorem("t", statement=f"theorem t {statement}"))
    assert isinstance(state, TacticState), state
    return isinstance(env.run_tac(state, tactic), ProofFinished)


def check(env, tactic: str, statement: str, lean: bool) -> None:
    assert closes(env, statement, tactic) is lean, f"{tactic} on {statement}: Lean {'accepts' if lean else 'rejects'}"


def test_omega_has_no_dark_or_grey_shadow(env):
    # Lean: omega refutes by exact elimination and the real shadow only ("we have not
    # implemented the dark and grey shadows"), so this true goal (no integer point in
    # a region with real points, Pugh's example) is rejected; z3, complete, proves it.
    statement = ("(x y : ℕ) (h₁ : 27 ≤ 11 * x + 13 * y) (h₂ : 11 * x + 13 * y ≤ 45) "
                 "(h₃ : 7 * x ≤ 9 * y + 4) (h₄ : 9 * y ≤ 7 * x + 10) : False")
    hyps = [parse_prop(h) for h in ("27 ≤ 11 * x + 13 * y", "11 * x + 13 * y ≤ 45",
                                     "7 * x ≤ 9 * y + 4", "9 * y ≤ 7 * x + 10")]
    assert is_valid(hyps, parse_prop("False")) is True
    check(env, "omega", statement, REJECT)


@pytest.mark.parametrize("statement, lean", [
    # Int.ofNat_ediv leaves the ℤ atom ↑x / ↑y; analyzeAtom adds no fact for it.
    ("(x y : ℕ) : 0 ≤ x / y", REJECT),
    ("(x y z : ℕ) (h : x / y + z = 0) : z = 0", REJECT),
    # Int.ofNat_pow leaves (2 : ℤ) ^ k, an atom with no facts.
    ("(k : ℕ) : 0 < 2 ^ k", REJECT),
    # A cast ℕ atom is ≥ 0 (Int.ofNat_nonneg), a product too (Int.ofNat_mul_nonneg),
    # and ↑x % ↑y (Int.emod_ofNat_nonneg).
    ("(x y z : ℕ) (h : x ^ 2 + z = 0) : z = 0", ACCEPT),
    ("(x y z : ℕ) (h : x * y + z = 0) : z = 0", ACCEPT),
    ("(x y z : ℕ) (h : x % y + z = 0) : z = 0", ACCEPT),
])
def test_omega_atoms_carry_only_leans_facts(env, statement, lean):
    check(env, "omega", statement, lean)


@pytest.mark.parametrize("statement, lean", [
    ("(x : ℕ) : x / 0 = 0", ACCEPT),  # Int.ediv_zero
    ("(x : ℕ) : x % 0 = x", ACCEPT),  # Int.emod_def, then x / 0 = 0
    ("(x : ℕ) : x / 3 * 3 ≤ x", ACCEPT),  # 3 * (x / 3) ≤ x for the literal divisor
    ("(x : ℕ) (h : x % 4 = 3) : x % 2 = 1", ACCEPT),
    ("(x : ℕ) (h : ¬ 2 ∣ x) : x % 2 = 1", ACCEPT),  # Nat.emod_pos_of_not_dvd
])
def test_omega_div_and_mod_by_literals(env, statement, lean):
    check(env, "omega", statement, lean)


@pytest.mark.parametrize("statement, lean", [
    ("(x : ℕ) (h : ∃ y, x = 2 * y) : x % 2 = 0", ACCEPT),  # Exists.choose_spec
    ("(x : ℕ) (h : ∃ y, x = y + 3 ∧ y > 1) : x ≥ 5", ACCEPT),
    # pushNot has no case for ¬ ∃, and addFact drops a non-arrow ∀.
    ("(x : ℕ) (h : ¬ ∃ y, x = y + 1) : x = 0", REJECT),
    ("(x : ℕ) (h : ∀ y, y ≤ x) : False", REJECT),
    # An ∃ goal: by contradiction gives ¬ ∃, which omega drops.
    ("(x : ℕ) (h : x = 4) : ∃ y, x = 2 * y", REJECT),
])
def test_omega_existential_and_quantified_facts(env, statement, lean):
    check(env, "omega", statement, lean)


@pytest.mark.parametrize("statement, lean", [
    # getNatComparisons walks +, *, - only: no 0 ≤ ↑x / 2 or 0 ≤ ↑x % 3 fact.
    ("(x : ℕ) : 0 ≤ x / 2", REJECT),
    ("(x z : ℕ) (h : x % 3 + z ≤ 0) : z ≤ 0", REJECT),
    # A product is an atom, with facts for its factors only (nlinarith would need more).
    ("(x y z : ℕ) (h : x * y + z ≤ 0) : z ≤ 0", REJECT),
    # ℕ variables and truncated differences are cast atoms, hence ≥ 0.
    ("(x z : ℕ) (h : x + z ≤ 0) : z ≤ 0", ACCEPT),
    ("(x y z : ℕ) (h : x - y + z ≤ 0) : z ≤ 0", ACCEPT),
])
def test_linarith_nonnegativity_facts(env, statement, lean):
    check(env, "linarith", statement, lean)


@pytest.mark.parametrize("statement, lean", [
    ("(a b : ℕ) (h : a < b) : a + 1 ≤ b", ACCEPT),  # strict facts strengthened over ℤ
    ("(a b : ℕ) (h₁ : a ≤ b) (h₂ : b ≤ a) : a = b", ACCEPT),  # = as two goals
    ("(a b : ℕ) (h : a < b ∨ b < a) : a ≠ b", REJECT),  # linarith does not split ∨
    ("(a : ℕ) (h : 2 ∣ a) : a ≠ 1", REJECT),  # nor use ∣
])
def test_linarith_goal_and_hypothesis_forms(env, statement, lean):
    check(env, "linarith", statement, lean)


@pytest.mark.parametrize("statement, lean", [
    # Nat.decidableBallLT / decidableBallLe / decidableExistsLT evaluate every case.
    (": ∀ x < 3, x * x < 9", ACCEPT),
    (": ∀ x ≤ 3, x < 4", ACCEPT),
    (": ∃ x < 3, x + 1 = 2", ACCEPT),
    (": ∀ x < 3, ∀ y < x, y < 2", ACCEPT),
    (": ∀ x < 4, x * x < 9", REJECT),  # evaluates to false
    (": ∀ x, x < 4 → x < 5", ACCEPT),  # the same instance, written with →
    (": ∀ x, x + 0 = x", REJECT),  # no instance for an unbounded ∀
    ("(n : ℕ) : ∀ x < 3, x < 3 + n", REJECT),  # a free variable: the instance is stuck
])
def test_decide_bounded_quantifiers(env, statement, lean):
    check(env, "decide", statement, lean)


def test_linarith_only_uses_only_the_listed_facts():
    stmt = "theorem t (a b : ℕ) (h₁ : a < b) (h₂ : b < 5) : a < 5"
    assert proves(stmt, "linarith only [h₁, h₂]")
    assert not proves(stmt, "linarith only [h₁]")


def test_a_parsed_but_unmodelled_tactic_is_an_error_never_a_crash():
    # every tactic the parser reads is now modelled: a parsed tactic kind with no registered
    # function stands in for the next one the parser learns before the engine does
    from lean_env.micro.goals import Goal, ProofState, TacticError
    from lean_env.micro.tactic_parser import Tactic
    from lean_env.micro.tactics import Runner
    with pytest.raises(TacticError, match="does not model the tactic 'gcongr'"):
        Runner().run(Tactic("gcongr"), ProofState((Goal((), parse_prop("1 = 1")),)))
    assert not proves("theorem t (a b : ℕ) (h : a < b) : a < b + 1", "norm_num only [h]")
