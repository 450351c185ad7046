"""Ordered-field arithmetic on ℕ ℤ ℚ ℝ (issue 22): polynomial normal forms, linarith,
nlinarith, positivity and omega on typed terms. Each case states what Lean 4 + Mathlib
does with the same statement and tactic; the engine must do the same or, where it is
documented as weaker, fail."""
import random
from fractions import Fraction

import pytest
from engine_steps import proves, run

from lean_env.micro.arith.linarith import linarith, preprocess
from lean_env.micro.arith.nlinarith import MAX_PRODUCT_FACTS, extras, nlinarith
from lean_env.micro.arith.omega import omega
from lean_env.micro.arith.positivity import positivity
from lean_env.micro.polynomial import (
    STRICT,
    evaluate,
    fourier_motzkin,
    ring_atom,
    to_poly,
)
from lean_env.micro.syntax import INT, REAL, BinOp, Cast, Inv, Neg, Num, Rel, Var
from lean_env.micro.z3_encode import check
from lean_env.protocol import LeanError

x, y = Var("x", REAL), Var("y", REAL)
a, b = Var("a", INT), Var("b", INT)
n = Var("n")


def r(k: int) -> Num:
    return Num(k, REAL)


def atoms(t):
    return t


# ---- polynomial.py: each type's own semantics ----------------------------------------


def test_real_division_by_a_numeral_is_a_rational_coefficient():
    assert to_poly(BinOp("*", BinOp("/", x, r(2)), r(2)), atoms) == to_poly(x, atoms)
    assert to_poly(Inv(r(4)), atoms) == {(): Fraction(1, 4)}


def test_nat_division_is_an_atom_and_nat_subtraction_is_not_ring_subtraction():
    half = BinOp("/", n, Num(2))
    assert to_poly(BinOp("*", half, Num(2)), atoms) == {((half, 1),): 2}
    assert to_poly(BinOp("-", n, n), atoms) == {((BinOp("-", n, n), 1),): 1}
    assert to_poly(BinOp("-", n, n), ring_atom) is None  # ring refuses ℕ `-`


def test_integer_subtraction_and_negation_are_ring_operations():
    assert to_poly(Neg(BinOp("-", a, b)), atoms) == to_poly(BinOp("-", b, a), atoms)
    assert to_poly(BinOp("-", BinOp("*", x, y), BinOp("*", y, x)), atoms) == {}


def test_division_by_zero_or_by_a_variable_stays_an_atom():
    assert to_poly(BinOp("/", x, r(0)), atoms) == {((BinOp("/", x, r(0)), 1),): 1}
    assert to_poly(BinOp("/", x, y), atoms) == {((BinOp("/", x, y), 1),): 1}


def test_nat_evaluation_is_never_applied_to_other_types():
    assert evaluate(BinOp("-", Num(1), Num(2))) == 0  # ℕ truncates
    assert evaluate(BinOp("-", Num(1, INT), Num(2, INT))) is None
    assert evaluate(BinOp("/", r(1), r(2))) is None


def test_strict_rows_agree_with_z3_on_random_rational_problems():
    """Fourier–Motzkin with strict rows decides exactly the linear ℚ problem."""
    rng = random.Random(7)
    xs = [((Var(v, REAL), 1),) for v in "pqr"]
    for _ in range(300):
        rows, asserts = [], []
        for _ in range(rng.randint(1, 5)):
            coeffs = [rng.randint(-3, 3) for _ in xs]
            c, strict = rng.randint(-3, 3), rng.random() < 0.5
            row = {m: k for m, k in zip(xs, coeffs) if k}
            if c:
                row[()] = c
            if strict:
                row[STRICT] = 1
            rows.append(row)
            lhs = " ".join(f"(* {k} {v})" for k, v in zip(coeffs, "pqr"))
            asserts.append(f"(assert ({'<' if strict else '<='} (+ {lhs} {c}) 0))")
        script = "(declare-const p Real)(declare-const q Real)(declare-const r Real)" + "".join(asserts)
        assert fourier_motzkin(rows, integer=False) == (check(script, 5000)[0] == "unsat"), rows


# ---- linarith --------------------------------------------------------------------------

LINARITH = [
    # (statement, tactic, Lean accepts?)
    ("theorem t (x y : ℝ) (h : x < y) : x ≤ y", "linarith", True),
    ("theorem t (x y : ℝ) (h1 : x ≤ 2 * y) (h2 : y < 3) : x < 6", "linarith", True),
    ("theorem t (x : ℝ) (h : x / 2 = 3) : x = 6", "linarith", True),  # cancelDenoms
    ("theorem t (x : ℝ) : x / 2 * 2 = x", "linarith", True),
    ("theorem t (n : ℕ) : n / 2 * 2 = n", "linarith", False),  # false in ℕ
    ("theorem t (n : ℕ) : n / 2 * 2 ≤ n", "linarith", False),  # true, but `n / 2` is an atom
    ("theorem t (x y : ℝ) (h : x * y ≤ 3) : y * x ≤ 3", "linarith", True),  # ring_nf atoms
    ("theorem t (x : ℝ) : 0 ≤ x", "linarith", False),  # ℝ variables are not ≥ 0
    ("theorem t (n : ℕ) : 0 ≤ (n : ℝ)", "linarith", True),  # natToInt: cast atoms ≥ 0
    ("theorem t (n : ℕ) (x : ℝ) (h : x + n < 0) : x < 0", "linarith", True),
    ("theorem t (x : ℝ) (h : 0 < x ∧ x < 1) : x < 2", "linarith", True),  # splitConjunctions
    ("theorem t (a b : ℤ) (h : a < b) : a + 1 ≤ b", "linarith", True),  # strengthenStrictInt
    ("theorem t (a : ℝ) (h : 0 < a) : 1 ≤ a", "linarith", False),  # no strengthening over ℝ
    ("theorem t (a : ℚ) (h : 0 < a) : 1 ≤ a", "linarith", False),
    ("theorem t (x : ℝ) (h1 : x ≠ 1) (h2 : x ≤ 1) : x < 1", "linarith", False),  # ≠ unused
    ("theorem t (a b : ℤ) (h : a ≤ b) : (a : ℝ) ≤ (b : ℝ)", "linarith", False),  # types apart
    ("theorem t (x : ℝ) (h : x ^ 2 = 4) : x ≤ 2", "linarith", False),  # nonlinear
    ("theorem t (x y : ℝ) (h : x * y = 1) : x * y > 0", "linarith", True),
    ("theorem t (n m : ℕ) : n - m ≤ n", "linarith", False),  # ↑(n - m) is an atom
    ("theorem t (x : ℝ) (h : x < 0) : x < 1", "linarith only [h]", True),
    ("theorem t (x : ℝ) (h : x < 0) : x < 1", "linarith only", False),
    ("theorem t (a b : ℝ) (h : 0 ≤ (a - b) ^ 2) : 2 * a * b ≤ a ^ 2 + b ^ 2", "linarith", True),
    ("theorem t (x y : ℝ) (h : x = 2 * y) (h2 : y = 3) : x = 6", "linarith", True),
    # zify's simp runs without simprocs: a closed ℕ `%` stays an ℤ atom
    ("theorem t : 5 ^ 2005 % 100 = 25", "linarith", False),
    ("theorem t : (7 : ℕ) % 2 = 1", "linarith", False),
    ("theorem t : (2 : ℕ) ^ 10 + 3 * 4 = 1036", "linarith", True),  # ring arithmetic
    # `1 / 3 : ℕ` is 0, but linarith's parser expands `x ^ n` for a numeral `n` only
    ("theorem t (x : ℝ) (h : 0 < x) : x ^ (1 / 3) = 1", "linarith", False),
    ("theorem t (x : ℝ) (h : 0 < x) : x ^ (1 / 3) = x ^ (1 / 3)", "linarith", True),
]


@pytest.mark.parametrize("statement, tactic, lean", LINARITH)
def test_linarith_matches_mathlib(statement, tactic, lean):
    assert proves(statement, tactic) == lean


def test_linarith_failure_reads_as_mathlib_error():
    out = run("theorem t (x : ℝ) : 0 ≤ x", "linarith")
    assert isinstance(out, LeanError) and "linarith failed" in out.message


def test_linarith_runs_one_type_at_a_time():
    # each type alone is consistent; only mixing ℕ and ℝ facts would refute them
    assert not linarith([Rel("≤", n, Num(2)), Rel("=", x, Cast(REAL, n))], Rel("≤", x, r(2)))
    # a contradiction in any one type closes the goal, whatever its type
    assert linarith([Rel("<", n, Num(0))], Rel("<", x, r(0)))


def test_a_metavariable_hypothesis_is_dropped():
    from lean_env.micro.syntax import MVar
    assert not linarith([Rel("<", MVar("m", REAL), r(0))], Rel("<", x, r(0)))


# ---- nlinarith -------------------------------------------------------------------------

NLINARITH = [
    ("theorem t (x y : ℝ) (hx : 0 < x) (hy : 0 < y) : 0 < x * y", "nlinarith", True),
    ("theorem t (x y : ℝ) (hx : 0 < x) (hy : 0 < y) : 0 < x * y", "linarith", False),
    ("theorem t (x : ℝ) : 0 ≤ x * x", "nlinarith", True),  # mul_self_nonneg of a square
    ("theorem t (x : ℝ) : 0 ≤ x ^ 2", "nlinarith", True),  # sq_nonneg
    ("theorem t (x : ℝ) : 0 ≤ x ^ 2", "linarith", False),
    ("theorem t (x : ℝ) : 0 ≤ x", "nlinarith", False),
    ("theorem t (x : ℝ) (h : x ^ 2 = 4) (hx : 0 < x) : x = 2", "nlinarith", True),
    ("theorem t (a b : ℝ) (h : 0 ≤ (a - b) ^ 2) : a * b ≤ (a ^ 2 + b ^ 2) / 2", "nlinarith", True),
    ("theorem t (n : ℕ) (h : 2 ≤ n) : 4 ≤ n * n", "nlinarith", True),  # via ℤ products
]


@pytest.mark.parametrize("statement, tactic, lean", NLINARITH)
def test_nlinarith_matches_mathlib(statement, tactic, lean):
    assert proves(statement, tactic) == lean


def test_nlinarith_products_are_bounded():
    hyps = [Rel("≤", r(0), BinOp("+", Var(f"z{i}", REAL), r(i))) for i in range(60)]
    facts = preprocess(hyps)
    pairs = MAX_PRODUCT_FACTS * (MAX_PRODUCT_FACTS + 1) // 2
    assert len(extras(facts)) <= len(facts) + pairs
    # weaker than Mathlib, never stronger: a product the bound leaves out is not used
    goal = Rel("<", r(0), BinOp("*", x, y))
    useful = [Rel("<", r(0), x), Rel("<", r(0), y)]
    assert nlinarith(useful, goal)
    assert not nlinarith(hyps + useful, goal)


# ---- positivity ------------------------------------------------------------------------

POSITIVITY = [
    ("theorem t (x : ℝ) (h : 0 < x) : 0 < x ^ 3 + x", True),
    ("theorem t (x : ℝ) : 0 ≤ x ^ 2", True),  # even powers
    ("theorem t (x : ℝ) : 0 < x ^ 2", False),
    ("theorem t (x : ℝ) (h : x ≠ 0) : 0 < x ^ 2", True),  # nonnegative and nonzero
    ("theorem t (x : ℝ) (h : 1 < x) : 0 < x - 1", False),  # no extension for `-`
    ("theorem t (x : ℝ) : 0 ≤ |x|", True),
    ("theorem t (x : ℝ) (h : x ≠ 0) : 0 < |x|", True),
    ("theorem t (n : ℕ) : 0 < n + 1", True),
    ("theorem t (n : ℕ) : 0 < n", False),
    ("theorem t (n : ℕ) (h : 0 < n) : 0 < (n : ℝ)", True),
    ("theorem t (n : ℕ) : 0 ≤ (n : ℝ)", True),
    ("theorem t (x y : ℝ) (hx : 0 < x) (hy : 0 ≤ y) : 0 < x / (y + 1)", True),
    ("theorem t (x : ℝ) (h : 0 < x) : x ≠ 0", True),
    ("theorem t (x : ℝ) : x ≠ 0", False),
    ("theorem t (x : ℝ) : 0 < x + 1", False),  # x is not known to be ≥ 0
    ("theorem t (x : ℝ) (h : 0 < x) : x > 0", True),
    ("theorem t (a : ℤ) (h : 0 < a) : 0 ≤ a / 3", True),  # evalIntDiv
    ("theorem t (a : ℤ) (h : 0 < a) : 0 < a / 3", False),
    ("theorem t (x : ℝ) (h : 2 ≤ x) : 0 < x * x", True),  # compareHyp with a numeral bound
    ("theorem t : (0 : ℝ) < 2 - 1", True),  # closed terms: norm_num
    ("theorem t (x y : ℝ) (h : 0 < x ∧ 0 < y) : 0 < x * y", False),  # compareHyp: no ∧
    ("theorem t (n m : ℕ) : 0 ≤ n - m", True),  # positivityCanon
    ("theorem t (n m : ℕ) : 0 < n - m", False),
    ("theorem t (x : ℝ) (h : x ≠ 0) : 0 < |x| / 2", True),
    ("theorem t (x : ℝ) (h : 0 < x) : 0 < x⁻¹", True),
    ("theorem t (a : ℤ) (h : 0 < a) : 0 < -a * -a", False),  # no rule for negation
]


@pytest.mark.parametrize("statement, lean", POSITIVITY)
def test_positivity_matches_mathlib(statement, lean):
    assert proves(statement, "positivity") == lean


def test_positivity_refuses_a_goal_of_another_shape():
    out = run("theorem t (x : ℝ) (h : 0 < x) : 1 < x + 1", "positivity")
    assert isinstance(out, LeanError) and "not a positivity goal" in out.message


@pytest.mark.parametrize("statement, message", [
    ("theorem t (x : ℝ) : 0 < x ^ 2",
     "failed to prove strict positivity, but it would be possible to prove nonnegativity if desired"),
    ("theorem t (x : ℝ) (h : x ≠ 0) : 0 ≤ x ^ 3",
     "failed to prove nonnegativity, but it would be possible to prove nonzeroness if desired"),
    ("theorem t (x : ℝ) : 0 < x - 1", "failed to prove positivity/nonnegativity/nonzeroness"),
])
def test_positivity_failures_say_what_mathlib_says(statement, message):
    out = run(statement, "positivity")
    assert isinstance(out, LeanError) and out.message == message


def test_positivity_never_assumes_a_real_variable_nonnegative():
    assert not positivity([], Rel("≤", r(0), x))
    assert positivity([], Rel("≤", Num(0), n))  # ℕ: positivityCanon


# ---- omega over ℤ ----------------------------------------------------------------------

OMEGA = [
    ("theorem t (a : ℤ) : a - 1 < a", True),
    ("theorem t (a : ℤ) : 0 ≤ a", False),  # ℤ variables are not ≥ 0
    ("theorem t (n : ℕ) : 0 ≤ (n : ℤ)", True),
    ("theorem t (a : ℤ) : a / 2 * 2 ≤ a", True),  # Int.ediv by a literal
    ("theorem t (a : ℤ) : 0 ≤ a % 3 ∧ a % 3 < 3", True),
    ("theorem t (a b : ℤ) : a - b ≤ a", False),  # ℤ `-` is not truncated
    ("theorem t (n m : ℕ) : n - m ≤ n", True),
    ("theorem t (a : ℤ) (h : 2 * a = 1) : False", True),
    ("theorem t (x : ℝ) (h : x < 0) : x < 1", False),  # omega does not do ℝ
    ("theorem t (n : ℕ) (a : ℤ) (h : a = n) : 0 ≤ a", True),
    # ℤ: ¬ k ∣ e gives 0 < e % k only for a positive literal k (e % 0 = e may be < 0)
    ("theorem t (e : ℤ) (h : ¬ (0 : ℤ) ∣ e) : 0 < e", False),
    ("theorem t (e k : ℤ) (h : ¬ k ∣ e) : 0 < e % k", False),
    ("theorem t (e : ℤ) (h : ¬ (3 : ℤ) ∣ e) : 0 < e % 3", True),
    ("theorem t (e : ℕ) (h : ¬ 0 ∣ e) : 0 < e", True),
]


@pytest.mark.parametrize("statement, lean", OMEGA)
def test_omega_matches_lean(statement, lean):
    assert proves(statement, "omega") == lean


def test_omega_ignores_real_facts_and_types_its_binders():
    assert not omega([Rel("<", x, r(0))], Rel("<", a, Num(0, INT)))
    assert omega([], Rel("<", Neg(Num(1, INT)), BinOp("+", Cast(INT, n), Num(0, INT))))
