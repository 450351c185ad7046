"""The symbolic evolver over ℤ ℚ ℝ: real miniF2F-valid statements evolve into variants that
print as Lean source, read back to the same statement, and open on the embedded engine."""
import random

import pytest

from lean_env import make_env
from lean_env.micro.parser import parse_statement
from lean_env.theorem_sets import load_theorem_set
from training.conjecture_filter import ConjectureFilter
from training.creator import Conjecture
from training.evolve import MUTATIONS, SymbolicEvolver, elaborates
from training.heldout_guard import that_open
from training.lean_source import statement_source


@pytest.fixture(scope="module")
def minif2f_valid():
    """The miniF2F-valid statements that open on the engine (93 of 244)."""
    return that_open(load_theorem_set("minif2f-valid"), make_env("embedded"))


def variants(text: str, kind: str, tries: int = 40) -> set[str]:
    """What one mutation makes of a statement over `tries` random draws (as source)."""
    st = parse_statement(text)
    out = set()
    for seed in range(tries):
        mutated = MUTATIONS[kind](st, random.Random(seed))
        if mutated is not None:
            out.add(statement_source(mutated))
    return out


def test_source_printing_keeps_ascriptions_that_lean_s_pretty_printer_drops():
    """`(5 : ℚ) / 3` pretty-prints as `↑5 / 3`, which Lean reads as a ℕ division: not the statement."""
    st = parse_statement("theorem amc12a_2009_p2 : 1 + 1 / (1 + 1 / (1 + 1)) = (5 : ℚ) / 3")
    assert statement_source(st) == "theorem amc12a_2009_p2 : 1 + 1 / (1 + 1 / (1 + 1)) = (5 : ℚ) / 3"
    assert "↑5" in st.to_lean()
    assert statement_source(parse_statement("theorem t (a b : ℝ) (h : ∀ x, x ^ 2 = a * x + b) : a = b")) == \
        "theorem t (a b : ℝ) (h : ∀ x, x ^ 2 = a * x + b) : a = b"


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_every_mutation_of_a_minif2f_statement_reads_back_and_opens(kind, minif2f_valid):
    rng, produced = random.Random(0), 0
    for theorem in minif2f_valid:
        st = parse_statement(theorem.statement)
        for _ in range(3):
            out = MUTATIONS[kind](st, rng)
            if out is None:
                continue
            text = statement_source(out)
            assert statement_source(parse_statement(text)) == text
            produced += elaborates(text)
    if kind not in ("substitute_proposition", "change_domain"):  # these need Prop variables / ℕ shapes
        assert produced > 10, f"{kind} hardly applies to miniF2F-valid"


def test_the_evolver_returns_only_variants_that_open(minif2f_valid):
    evolver, rng, kinds = SymbolicEvolver(), random.Random(1), set()
    for theorem in minif2f_valid:
        for v in evolver.evolve(Conjecture(theorem.full_name, theorem.statement), 4, rng, 1):
            assert elaborates(v.statement), v.statement
            kinds.add(v.origin)
    # all but substitute_proposition: miniF2F has no Prop variables
    assert kinds == {f"symbolic:{k}" for k in MUTATIONS} - {"symbolic:substitute_proposition"}


def test_a_bound_over_the_reals_may_become_negative_but_never_over_the_naturals():
    real = variants("theorem t (x : ℝ) (h₀ : 1 ≤ x) : 0 < x", "shift_bound")
    assert "theorem t (x : ℝ) (h₀ : -1 ≤ x) : 0 < x" in real
    nat = variants("theorem t (x : ℕ) (h₀ : 1 ≤ x) : 0 < x", "shift_bound")
    assert nat and not any("-" in v for v in nat)


def test_a_coefficient_changes_but_an_exponent_does_not():
    out = variants("theorem t (a : ℝ) : 10 * a ≤ 28 * a ^ 2 + 1", "change_coefficient")
    assert "theorem t (a : ℝ) : 11 * a ≤ 28 * a ^ 2 + 1" in out
    assert "theorem t (a : ℝ) : 10 * a ≤ 56 * a ^ 2 + 1" in out
    assert all("a ^ 2" in v for v in out)


def test_specialising_a_variable_uses_the_value_a_hypothesis_gives_it_and_keeps_its_type():
    out = variants("theorem t (a : ℝ) (h₀ : a = 4) : 3 * a = 12", "specialise_variable")
    assert out == {"theorem t : 3 * (4 : ℝ) = 12"}  # a ℕ `3 * 4 = 12` would be another statement


def test_moving_to_another_type_retypes_variables_and_ascriptions():
    out = variants("theorem t (n : ℕ) (h₀ : n % 7 = 3) : (2 * n + 1) % 7 = 0", "change_type")
    assert "theorem t (n : ℤ) (h₀ : n % 7 = 3) : (2 * n + 1) % 7 = 0" in out
    casts = variants("theorem t (x : ℕ) (h₀ : (x : ℝ) / 2 = 3) : x = 6", "change_type")
    assert "theorem t (x : ℕ) (h₀ : (x : ℚ) / 2 = 3) : x = 6" in casts
    # ℝ has no `%`: such a variant does not open, and the evolver never returns it
    evolved = SymbolicEvolver({"change_type": MUTATIONS["change_type"]}).evolve(
        Conjecture("t", "theorem t (n : ℕ) (h₀ : n % 7 = 3) : (2 * n + 1) % 7 = 0"), 3, random.Random(0), 1)
    assert evolved and all("ℝ" not in v.statement and "ℚ" not in v.statement for v in evolved)


def test_substituting_a_term_over_the_integers_keeps_a_theorem_the_filter_accepts():
    flt = ConjectureFilter(make_env("embedded"))
    out = variants("theorem t (a : ℤ) : a ^ 2 % 4 = 0 ∨ a ^ 2 % 4 = 1", "instantiate_variable")
    assert "theorem t (a : ℤ) : (-a) ^ 2 % 4 = 0 ∨ (-a) ^ 2 % 4 = 1" in out
    for k, text in enumerate(sorted(out)):
        assert flt.reason_to_reject(Conjecture(f"v{k}", text)) is None, text


def test_dropping_the_hypothesis_a_division_needs_is_refuted_by_lean_s_x_div_0():
    """Without `x ≠ 0`, `x / x = 1` is false in Lean (0 / 0 = 0): the filter refutes it."""
    out = variants("theorem t (x : ℝ) (h₀ : x ≠ 0) : x / x = 1", "drop_hypothesis")
    assert out == {"theorem t (x : ℝ) : x / x = 1"}
    flt = ConjectureFilter(make_env("embedded"))
    assert flt.reason_to_reject(Conjecture("t", out.pop())) == "refuted"
    assert flt.reason_to_reject(Conjecture("t", "theorem t (x : ℝ) (h₀ : x ≠ 0) : x / x = 1")) is None


def test_generalising_a_constant_of_a_real_statement_makes_a_real_variable():
    out = variants("theorem t (a : ℝ) : 10 * a ≤ 28 * a ^ 2 + 1", "generalise_constant")
    assert "theorem t (n a : ℝ) : n * a ≤ 28 * a ^ 2 + 1" in out or \
        any(v.startswith("theorem t (a n : ℝ)") for v in out)
    assert all(elaborates(v) for v in out)
