"""norm_num, ring, ring_nf, field_simp and interval_cases on ℕ ℤ ℚ ℝ (issue 22, fragment F1).

Each case states what Lean 4 + Mathlib does with it: accept (the tactic closes the goal),
reject (it fails, or leaves a goal), or the state it prints. Goals are built as terms
(typed Var/Num/...) so the cases do not depend on the statement parser.
"""
import random
from fractions import Fraction

import pytest

from lean_env.micro.arith import casts as cast_nf
from lean_env.micro.arith.norm_num import simp_prop, simp_term
from lean_env.micro.arith.numerals import numeral, value
from lean_env.micro.arith.ring import RingNF, ring_equal
from lean_env.micro.goals import Goal, Hyp, ProofState, TacticError
from lean_env.micro.syntax import (
    INT, NAT, NUM_TYPES, RAT, REAL, Abs, BinOp, Cast, Forall, Iff, Inv, Neg, Not, Num, Rel, Var,
)
from lean_env.micro.semantics import eval_prop, eval_term
from lean_env.micro.tactic_parser import parse_tactic
from lean_env.micro.tactics import Runner
from lean_env.protocol import LeanError, TacticState
from tests.engine_steps import proves, run

Z, Q, R = INT, RAT, REAL


def n(v, ty=NAT):
    return Num(v, ty) if v >= 0 else Neg(Num(-v, ty))


def op(o, a, b):
    return BinOp(o, a, b)


def goal(target, *hyps, vars=()):
    """A goal with variables `vars` (name, type) and hypotheses (name, prop)."""
    hs = [Hyp(x, x, ty) for x, ty in vars] + [Hyp(h, h, p) for h, p in hyps]
    return Goal(tuple(hs), target)


def apply(g, tactic):
    """The goals left by `tactic`, or the error message."""
    try:
        return list(Runner().run(parse_tactic(tactic), ProofState((g,))).goals)
    except TacticError as e:
        return str(e)


def closes(g, tactic):
    return apply(g, tactic) == []


x, y = Var("x", R), Var("y", R)
a, b = Var("a", NAT), Var("b", NAT)
i, j = Var("i", Z), Var("j", Z)
XY = (("x", R), ("y", R))


# ---- exact evaluation in each type ------------------------------------------------------


@pytest.mark.parametrize("term, expected", [
    (op("-", n(3), n(5)), 0),  # ℕ subtraction truncates
    (op("-", n(3, Z), n(5, Z)), -2),
    (op("/", n(7), n(2)), 3),  # ℕ division floors
    (op("/", n(-7, Z), n(2, Z)), -4),  # Int.ediv rounds so that the remainder is ≥ 0
    (op("%", n(-7, Z), n(2, Z)), 1),  # Int.emod
    (op("/", n(7, Z), n(-2, Z)), -3),
    (op("%", n(7, Z), n(-2, Z)), 1),
    (op("/", n(5, Z), n(0, Z)), 0),  # x / 0 = 0
    (op("%", n(5, Z), n(0, Z)), 5),  # x % 0 = x
    (op("/", n(1, R), n(0, R)), 0),
    (op("/", n(1, R), n(3, R)), Fraction(1, 3)),
    (Inv(n(0, Q)), 0),
    (op("^", n(2, R), op("/", n(1), n(3))), 1),  # the exponent 1 / 3 : ℕ is 0
    (Cast(R, op("-", n(2), n(3))), 0),  # ↑(2 - 3 : ℕ) is ↑0
])
def test_closed_terms_evaluate_in_their_own_type(term, expected):
    assert value(term) == expected


def test_numerals_print_as_norm_num_writes_them():
    assert numeral(Fraction(-1, 2), R) == Neg(op("/", n(1, R), n(2, R)))  # `-(1 / 2)`
    assert numeral(Fraction(-3), Z) == Neg(Num(3, Z))
    assert numeral(Fraction(5, 6), R) == op("/", n(5, R), n(6, R))


# ---- norm_num ------------------------------------------------------------------------------


@pytest.mark.parametrize("target, lean_closes", [
    (Rel("=", op("-", n(3, Z), n(5, Z)), n(-2, Z)), True),
    (Rel("=", op("-", n(3), n(5)), n(0)), True),  # ℕ: 3 - 5 = 0
    (Rel("=", op("-", n(3, Z), n(5, Z)), n(0, Z)), False),  # ℤ: 3 - 5 = 0 is false
    (Rel("=", op("+", op("/", n(1, R), n(2, R)), op("/", n(1, R), n(3, R))),
         op("/", n(5, R), n(6, R))), True),
    (Rel("=", op("/", n(1, Q), n(0, Q)), n(0, Q)), True),
    (Rel("<", op("/", n(1, R), n(3, R)), op("/", n(1, R), n(2, R))), True),
    (Rel("<", op("/", n(1), n(3)), op("/", n(1), n(2))), False),  # ℕ: 0 < 0
    (Rel("≠", n(2, R), n(3, R)), True),
    (Rel("∣", n(3, Z), n(-12, Z)), True),
    (Rel("∣", n(5), n(12)), False),
    (Rel("=", op("%", n(-7, Z), n(3, Z)), n(2, Z)), True),
    (Rel("=", op("^", n(-2, Z), n(3)), n(-8, Z)), True),
    (Rel("=", Cast(R, n(3)), n(3, R)), True),  # Nat.cast_ofNat
    (Rel("≤", n(0, Z), i), False),  # zero_le holds only on ℕ
    (Rel("≤", n(0), a), True),
    (Rel("<", i, n(0, Z)), False),  # Nat.not_lt_zero is for ℕ only
    (Rel("=", op("*", x, n(1, R)), x), True),  # mul_one
    (Rel("=", op("-", x, x), n(0, R)), True),  # sub_self
])
def test_norm_num_closes_what_mathlib_closes(target, lean_closes):
    g = goal(target, vars=XY + (("a", NAT), ("i", Z)))
    assert closes(g, "norm_num") is lean_closes


def test_norm_num_does_not_do_linear_arithmetic_over_variables():
    g = goal(Rel("≤", x, op("+", x, y)), ("h", Rel("≤", n(0, R), y)), vars=XY)
    assert not closes(g, "norm_num")


def test_norm_num_leaves_the_simplified_goal():
    g = goal(Rel("<", op("-", n(0, R), x), op("+", n(1, R), n(1, R))), vars=XY)
    (left,) = apply(g, "norm_num")
    assert left.target == Rel("<", Neg(x), n(2, R))  # zero_sub, 1 + 1 = 2


def test_norm_num_fails_without_progress():
    g = goal(Rel("<", x, y), vars=XY)
    assert apply(g, "norm_num") == "norm_num failed to simplify"


def test_norm_num_at_a_hypothesis_that_becomes_false_closes_the_goal():
    g = goal(Rel("=", x, y), ("h", Rel("<", n(3, Z), op("-", n(2, Z), n(1, Z)))), vars=XY)
    assert closes(g, "norm_num at h")


def test_norm_num_at_h_and_the_goal():
    h = Rel("=", x, op("*", n(2, R), n(3, R)))
    g = goal(Rel("≤", op("+", n(1, R), n(1, R)), y), ("h", h), vars=XY)
    (left,) = apply(g, "norm_num at h ⊢")
    assert left.target == Rel("≤", n(2, R), y)
    assert left.hyps[-1].type == Rel("=", x, n(6, R))


def test_norm_num_keeps_binder_types():
    g = goal(Forall("k", Rel("<", Var("k", Z), op("-", n(2, Z), n(2, Z))), Z))
    (left,) = apply(g, "norm_num")
    assert left.target == Forall("k", Rel("<", Var("k", Z), n(0, Z)), Z)


def test_norm_num_with_a_hypothesis_as_rewrite_rule():
    g = goal(Rel("=", op("+", x, n(1, R)), n(3, R)), ("h", Rel("=", x, n(2, R))), vars=XY)
    assert closes(g, "norm_num [h]")
    assert not closes(g, "norm_num")


# ---- ring / ring_nf ------------------------------------------------------------------------


def sq(t):
    return op("^", t, n(2))


@pytest.mark.parametrize("target, lean_closes", [
    (Rel("=", sq(op("+", x, y)), op("+", op("+", sq(x), op("*", op("*", n(2, R), x), y)), sq(y))), True),
    (Rel("=", sq(op("-", i, j)), op("+", op("-", sq(i), op("*", op("*", n(2, Z), i), j)), sq(j))), True),
    (Rel("=", op("+", op("/", x, n(2, R)), op("/", x, n(2, R))), x), True),  # division by numerals
    (Rel("=", op("*", op("/", x, y), y), x), False),  # false at y = 0
    (Rel("=", op("*", x, Inv(x)), n(1, R)), False),
    (Rel("=", op("*", op("/", x, y), n(2, R)), op("/", op("*", n(2, R), x), y)), True),  # y⁻¹ an atom
    (Rel("=", op("-", op("+", a, b), b), a), False),  # ℕ `-` is an atom
    (Rel("=", op("+", op("-", a, b), op("-", a, b)), op("*", n(2), op("-", a, b))), True),
    (Rel("=", op("/", op("*", n(2, Z), i), n(2, Z)), i), False),  # ℤ `/` is an atom
    (Rel("=", op("-", n(2), n(3)), n(0)), True),  # closed ℕ subterms evaluate (norm_num)
    (Rel("=", op("/", x, n(0, R)), n(0, R)), True),
    (Rel("=", Neg(Neg(i)), i), True),
])
def test_ring_closes_ring_identities_only(target, lean_closes):
    g = goal(target, vars=XY + (("a", NAT), ("b", NAT), ("i", Z), ("j", Z)))
    assert closes(g, "ring") is lean_closes


def test_ring_nf_prints_the_sum_of_products_form():
    g = goal(Rel("=", sq(op("+", x, y)), n(0, R)), vars=XY)
    (left,) = apply(g, "ring_nf")
    # Lean: ⊢ x * y * 2 + x ^ 2 + y ^ 2 = 0 (ExProd.cmp: x¹ before x², then y)
    assert left.target.left == op("+", op("+", op("*", op("*", x, y), n(2, R)), sq(x)), sq(y))
    (left,) = apply(goal(Rel("=", sq(op("+", x, n(1, R))), n(0, R)), vars=XY), "ring_nf")
    # Lean: ⊢ 1 + x * 2 + x ^ 2 = 0
    assert left.target.left == op("+", op("+", n(1, R), op("*", x, n(2, R))), sq(x))


def test_ring_nf_negative_and_rational_coefficients():
    g = goal(Rel("=", op("-", y, op("*", n(2, R), x)), op("/", x, n(2, R))), vars=XY)
    (left,) = apply(g, "ring_nf")
    # Lean: ⊢ y - x * 2 = x * (1 / 2)
    assert left.target == Rel("=", op("-", y, op("*", x, n(2, R))), op("*", x, op("/", n(1, R), n(2, R))))


def test_ring_falls_back_to_ring_nf_and_fails_without_progress():
    g = goal(Rel("≤", op("+", x, x), y), vars=XY)
    (left,) = apply(g, "ring")  # Lean: "Try this: ring_nf", ⊢ x * 2 ≤ y
    assert left.target == Rel("≤", op("*", x, n(2, R)), y)
    g = goal(Rel("=", op("-", op("+", a, b), b), a), vars=(("a", NAT), ("b", NAT)))
    assert "ring failed" in apply(g, "ring")


def test_ring_nf_at_a_hypothesis():
    h = Rel("=", op("+", x, x), n(2, R))
    g = goal(Rel("=", op("*", x, n(2, R)), n(2, R)), ("h", h), vars=XY)
    (left,) = apply(g, "ring_nf at h")
    assert left.hyps[-1].type == Rel("=", op("*", x, n(2, R)), n(2, R))
    assert apply(goal(Rel("=", x, y), vars=XY), "ring_nf") == "ring_nf made no progress"


# ---- interval_cases ------------------------------------------------------------------------


def test_interval_cases_on_nat_uses_zero_and_the_best_upper_bound():
    # (n : ℕ) (h : n < 3) (h' : n ≤ 5) ⊢ n * n < 9: goals «0» «1» «2», n replaced
    nn = Var("n", NAT)
    g = goal(Rel("<", op("*", nn, nn), n(9)), ("h", Rel("<", nn, n(3))), ("h'", Rel("≤", nn, n(5))),
             vars=(("n", NAT),))
    goals = apply(g, "interval_cases n")
    assert [x.tag for x in goals] == ["«0»", "«1»", "«2»"]
    assert goals[2].target == Rel("<", op("*", n(2), n(2)), n(9))
    assert [h.type for h in goals[1].hyps] == [Rel("<", n(1), n(3)), Rel("≤", n(1), n(5))]
    assert all(closes(x, "norm_num") for x in goals)


def test_interval_cases_on_int_needs_both_bounds():
    k = Var("k", Z)
    upper = ("hu", Rel("≤", k, n(1, Z)))
    g = goal(Rel("≠", k, n(5, Z)), upper, vars=(("k", Z),))
    assert apply(g, "interval_cases k") == "interval_cases failed: could not find lower bound on k"
    g = goal(Rel("≠", k, n(5, Z)), ("hl", Rel(">", k, n(-2, Z))), upper, vars=(("k", Z),))
    goals = apply(g, "interval_cases k")  # -2 < k ≤ 1: k = -1, 0, 1
    assert [x.target.left for x in goals] == [n(-1, Z), n(0, Z), n(1, Z)]
    assert [x.tag for x in goals] == ["«-1»", "«0»", "«1»"]


def test_interval_cases_reads_negated_and_flipped_bounds():
    nn = Var("n", NAT)
    g = goal(Rel("=", nn, nn), ("h1", Not(Rel("<", nn, n(2)))), ("h2", Rel(">", n(4), nn)),
             vars=(("n", NAT),))
    assert [x.target for x in apply(g, "interval_cases n")] == [Rel("=", n(2), n(2)), Rel("=", n(3), n(3))]


def test_interval_cases_with_contradictory_bounds_closes_the_goal():
    nn = Var("n", NAT)
    g = goal(Rel("=", nn, n(7)), ("h1", Rel("≥", nn, n(4))), ("h2", Rel("<", nn, n(4))), vars=(("n", NAT),))
    assert closes(g, "interval_cases n")


def test_interval_cases_rejects_real_variables_and_missing_bounds():
    assert apply(goal(Rel("<", x, y), vars=XY), "interval_cases x") == \
        "interval_cases failed: unsupported type ℝ"
    g = goal(Rel("=", a, a), ("h", Rel("<", a, b)), vars=(("a", NAT), ("b", NAT)))
    assert apply(g, "interval_cases a") == "interval_cases failed: could not find upper bound on a"


# ---- field_simp ----------------------------------------------------------------------------

a_, b_, c_ = Var("a", R), Var("b", R), Var("c", R)
ABC = (("a", R), ("b", R), ("c", R), ("x", R), ("y", R))
HB = ("hb", Rel("≠", b_, n(0, R)))


def test_field_simp_cancels_a_denominator_its_discharger_proves_nonzero():
    (left,) = apply(goal(Rel("=", op("/", a_, b_), c_), HB, vars=ABC), "field_simp")
    assert left.target == Rel("=", a_, op("*", b_, c_))  # Lean: ⊢ a = b * c


def test_field_simp_keeps_a_denominator_it_cannot_prove_nonzero():
    g = goal(Rel("=", op("/", a_, b_), c_), vars=ABC)
    assert apply(g, "field_simp") == "field_simp made no progress"
    # the hint reaches the discharger
    g = goal(Rel("=", op("/", a_, b_), c_), ("h", Rel("<", n(0, R), b_)), vars=ABC)
    assert apply(g, "field_simp")[0].target == Rel("=", a_, op("*", b_, c_))  # positivity


def test_field_simp_numeral_denominators_and_sums():
    (left,) = apply(goal(Rel("=", op("/", x, n(2, R)), y), vars=ABC), "field_simp")
    assert left.target == Rel("=", x, op("*", n(2, R), y))  # norm_num proves 2 ≠ 0
    (left,) = apply(goal(Rel("=", op("+", op("/", a_, b_), c_), x), HB, vars=ABC), "field_simp")
    assert left.target == Rel("=", op("+", a_, op("*", b_, c_)), op("*", b_, x))


def test_field_simp_on_the_mathlib_docstring_example():
    # (hx0 : x ≠ 0) ⊢ (x + 1 / x) ^ 2 + (x + 1 / x) = 1  ~>  (x ^ 2 + 1) * (x ^ 2 + 1 + x) = x ^ 2
    inv = op("+", x, op("/", n(1, R), x))
    g = goal(Rel("=", op("+", sq(inv), inv), n(1, R)), ("hx0", Rel("≠", x, n(0, R))), vars=ABC)
    (left,) = apply(g, "field_simp")
    x2 = op("+", sq(x), n(1, R))
    assert left.target == Rel("=", op("*", x2, op("+", x2, x)), sq(x))


def test_field_simp_inequalities_need_positive_denominators():
    lt = Rel("<", op("/", a_, b_), c_)
    assert apply(goal(lt, HB, vars=ABC), "field_simp") == "field_simp made no progress"
    (left,) = apply(goal(lt, ("hb", Rel(">", b_, n(0, R))), vars=ABC), "field_simp")
    assert left.target == Rel("<", a_, op("*", b_, c_))


def test_field_simp_does_nothing_on_integers():
    g = goal(Rel("=", op("/", i, j), i), ("hj", Rel("≠", j, n(0, Z))), vars=(("i", Z), ("j", Z)))
    assert apply(g, "field_simp") == "field_simp made no progress"


def test_field_simp_then_ring_proves_a_field_identity():
    # (hb : b ≠ 0) ⊢ a / b + a / b = 2 * a / b
    g = goal(Rel("=", op("+", op("/", a_, b_), op("/", a_, b_)), op("/", op("*", n(2, R), a_), b_)),
             HB, vars=ABC)
    (left,) = apply(g, "field_simp")
    # b cancels (hb); a is not known nonzero, so it stays on both sides: ⊢ a * (1 + 1) = a * 2
    assert left.target == Rel("=", op("*", a_, op("+", n(1, R), n(1, R))), op("*", a_, n(2, R)))
    assert closes(left, "ring")


# ---- end to end, from statements as a user writes them ------------------------------------

@pytest.mark.parametrize("statement, tactics, lean_accepts", [
    ("(x y : ℝ) : (x + y) ^ 2 = x ^ 2 + 2 * x * y + y ^ 2", ["ring"], True),
    ("(x : ℝ) : x / 2 + x / 2 = x", ["ring"], True),
    ("(a b : ℕ) (h : b ≤ a) : a - b + b = a", ["ring"], False),  # ℕ `-` is an atom for ring
    (": (3 : ℤ) - 5 = -2", ["norm_num"], True),
    (": (3 : ℕ) - 5 = 0", ["norm_num"], True),
    (": (1 : ℝ) / 2 + 1 / 3 = 5 / 6", ["norm_num"], True),
    (": (7 : ℤ) / -2 = -3", ["norm_num"], True),
    (": (7 : ℤ) % -2 = 1", ["norm_num"], True),
    (": (3 : ℤ) ∣ -9", ["norm_num"], True),
    (": ¬ (4 : ℕ) ∣ 9", ["norm_num"], True),
    ("(n : ℝ) : n ^ (1 / 3) = 1", ["norm_num"], True),  # the exponent 1 / 3 : ℕ is 0
    ("(x : ℝ) (h : x + x = 2) : x * 2 = 2", ["ring_nf at h", "exact h"], True),
    # variable exponents: the examples of Mathlib's `ring` docstring, and false neighbours
    ("(n : ℕ) (m : ℤ) : 2 ^ (n + 1) * m = 2 * 2 ^ n * m", ["ring"], True),
    ("(a b : ℤ) (n : ℕ) : (a + b) ^ (n + 2) = (a ^ 2 + b ^ 2 + a * b + b * a) * (a + b) ^ n",
     ["ring"], True),
    ("(n : ℕ) (x y : ℝ) : (x * y) ^ n = x ^ n * y ^ n", ["ring"], True),
    ("(n : ℕ) (a b : ℝ) : (a + b) ^ (n + 1) = (a + b) ^ n", ["ring"], False),
    ("(n : ℕ) (x : ℝ) : (-x) ^ n = x ^ n", ["ring"], False),
    ("(x : ℝ) (h : x ≠ 0) : x * x⁻¹ = 1", ["ring"], False),
    ("(x : ℝ) (h : x ≠ 0) : x * x⁻¹ = 1", ["field_simp"], True),
    ("(a b : ℝ) (hb : b ≠ 0) (h : a = 2 * b) : a / b = 2", ["field_simp", "linarith"], True),
    ("(n : ℕ) (h1 : 2 ≤ n) (h2 : n < 5) : n ^ 2 < 30", ["interval_cases n", "all_goals norm_num"], True),
    ("(n : ℕ) (h2 : n < 5) : n ^ 2 < 16", ["interval_cases n", "all_goals norm_num"], False),
])
def test_statements_end_to_end(statement, tactics, lean_accepts):
    assert proves("theorem t " + statement, *tactics) is lean_accepts


def test_printed_states_end_to_end():
    out = run("theorem t (x y : ℝ) : y - 2 * x = x / 2", "ring_nf")
    assert isinstance(out, TacticState) and out.pp.endswith("⊢ y - x * 2 = x * (1 / 2)")
    out = run("theorem t (x : ℝ) : x - 3 * x = 1", "ring_nf")
    assert out.pp.endswith("⊢ -(x * 2) = 1")
    out = run("theorem t (a b : ℝ) (hb : b ≠ 0) : a / b = 3", "field_simp")
    assert out.pp.endswith("⊢ a = b * 3")
    out = run("theorem t (n : ℤ) (h1 : -2 < n) (h2 : n ≤ 0) : n ^ 2 < 30", "interval_cases n")
    assert out.pp == ("case «-1»\nh1 : -2 < -1\nh2 : -1 ≤ 0\n⊢ (-1) ^ 2 < 30\n\n"
                      "case «0»\nh1 : -2 < 0\nh2 : 0 ≤ 0\n⊢ 0 ^ 2 < 30")
    out = run("theorem t (x y : ℝ) (h : x < y) : x < y", "norm_num")
    assert isinstance(out, LeanError)


def test_norm_num_with_an_iff_hypothesis_rewrites_the_proposition():
    p = Rel("<", x, y)
    g = goal(Not(Rel("≤", y, x)), ("h", Iff(p, Rel("=", x, n(2, R)))), vars=XY)
    # not_le turns the goal into x < y, which [h] rewrites to x = 2
    assert apply(g, "norm_num [h]")[0].target == Rel("=", x, n(2, R))
    g = goal(Not(Rel("≤", y, x)), ("h", Iff(p, Rel("<", n(1, R), n(2, R)))), vars=XY)
    assert closes(g, "norm_num [h]")
    assert not closes(g, "norm_num")


def test_ring_nf_prints_negative_fractions_as_coefficients():
    # RingNF: Rat.rawCast (negOfNat 1) 2 is `-1 / 2`, and mul_neg does not apply to it
    (left,) = apply(goal(Rel("=", op("-", y, op("/", x, n(2, R))), n(0, R)), vars=XY), "ring_nf")
    assert left.target.left == op("+", y, op("*", x, op("/", Neg(n(1, R)), n(2, R))))


@pytest.mark.parametrize("statement", [
    "theorem t : (4 : ℚ) * -3 = 12",  # the constant keeps its sign: -12 = 12 stays false
    "theorem t : (10 : ℤ) / -5 = 2",
    "theorem t : ((10 : ℤ) : ℝ) + 7 = 0 - (((10 : ℤ) : ℝ) + 7)",
    "theorem t (x : ℝ) : -3 - x = 3 - x",
])
def test_ring_never_closes_a_false_closed_equation(statement):
    assert not proves(statement, "ring")
    assert not proves(statement, "ring_nf")


# ---- every rewrite keeps the value: random typed terms, exact evaluation ----------------------

VAR_OF = {NAT: "m", INT: "a", RAT: "q", REAL: "x"}
POINTS = {NAT: [0, 1, 2, 3], INT: [-3, -1, 0, 1, 2], RAT: [Fraction(v) for v in (-2, 0, 1, 3)]
          + [Fraction(1, 3), Fraction(-1, 2)]}
POINTS[REAL] = POINTS[RAT]


def random_term(rng, ty, depth):
    if depth == 0 or rng.random() < 0.25:
        return Var(VAR_OF[ty], ty) if rng.random() < 0.5 else n(rng.randint(0, 3), ty)
    kind = rng.choice(["bin", "bin", "bin", "pow", "unary", "cast"])
    if kind == "pow":
        e = rng.choice([n(rng.randint(0, 3)), Var("k", NAT), op("+", Var("k", NAT), n(1))])
        return op("^", random_term(rng, ty, depth - 1), e)
    if kind == "unary" and ty != NAT:
        node = rng.choice([Neg, Abs] + ([Inv] if ty in (RAT, REAL) else []))
        return node(random_term(rng, ty, depth - 1))
    if kind == "cast" and ty != NAT:
        src = rng.choice(NUM_TYPES[:NUM_TYPES.index(ty)])
        return Cast(ty, random_term(rng, src, depth - 1))
    ops = ["+", "-", "*", "/"] + (["%"] if ty in (NAT, INT) else [])
    return op(rng.choice(ops), random_term(rng, ty, depth - 1), random_term(rng, ty, depth - 1))


def assignments(rng, count=6):
    for _ in range(count):
        env = {VAR_OF[ty]: rng.choice(POINTS[ty]) for ty in NUM_TYPES}
        env["k"] = rng.randint(0, 3)
        yield env


def same_value(s, t, rng):
    for env in assignments(rng):
        u, v = eval_term(s, env), eval_term(t, env)
        if u is not None and v is not None:
            assert u == v, (s, t, env)


@pytest.mark.parametrize("seed", range(12))
def test_rewrites_keep_the_value_of_random_terms(seed):
    rng = random.Random(seed)
    for _ in range(60):
        ty = rng.choice(NUM_TYPES)
        t = random_term(rng, ty, 3)
        same_value(t, RingNF().normal(t), rng)  # ring_nf's printed normal form
        same_value(t, simp_term(t, {}), rng)  # norm_num's simp set
        same_value(t, cast_nf.push_term(t), rng)  # push_cast
        s = random_term(rng, ty, 2)
        if ring_equal(t, s):  # ring closes t = s only if it holds everywhere
            same_value(t, s, rng)
        rel = Rel(rng.choice(["=", "≤", "<", "≠"]), t, s)
        for new in (simp_prop(rel, {}, {}), cast_nf.norm_cast(rel), cast_nf.push_cast(rel)):
            for env in assignments(rng):
                u, v = eval_prop(rel, env), eval_prop(new, env)
                if u is not None and v is not None:
                    assert u == v, (rel, new, env)


@pytest.mark.parametrize("seed", range(8))
def test_field_simp_keeps_the_truth_where_its_hypotheses_hold(seed):
    from lean_env.micro.arith.field_simp import field_simp
    rng = random.Random(100 + seed)
    xr = Var("x", R)
    candidates = [Rel("≠", xr, n(0, R)), Rel("<", n(0, R), xr),
                  Rel("≠", op("+", xr, n(1, R)), n(0, R)), Rel("<", n(0, R), op("+", xr, n(2, R)))]
    for _ in range(60):
        facts = [h for h in candidates if rng.random() < 0.5]
        rel = Rel(rng.choice(["=", "≤", "<", "≠", "≥"]), random_term(rng, R, 3), random_term(rng, R, 2))
        new = field_simp(rel, facts)
        for env in assignments(rng, 10):
            if all(eval_prop(h, env) for h in facts):
                u, v = eval_prop(rel, env), eval_prop(new, env)
                if u is not None and v is not None:
                    assert u == v, (rel, facts, new, env)


def test_ring_nf_at_several_locations_shares_one_atom_order():
    # Mathlib's ring_nf keeps one AtomM state for the call: y, met first in h, stays first
    h = Rel("=", op("+", y, x), op("+", y, y))
    g = goal(Rel("=", op("+", x, y), op("+", x, x)), ("h", h), vars=XY)
    (left,) = apply(g, "ring_nf at h ⊢")
    assert left.hyps[-1].type == Rel("=", op("+", y, x), op("*", y, n(2, R)))
    assert left.target == Rel("=", op("+", y, x), op("*", x, n(2, R)))


@pytest.mark.parametrize("statement, lean_closes", [
    ("(x : ℝ) : x + 1 > x", True),  # lt_add_iff_pos_right, then 0 < 1
    ("(n : ℕ) : n < n + 1", True),
    ("(x y : ℝ) (h : y ≤ 3) : x + y ≤ x + 3", False),  # leaves y ≤ 3 (norm_num uses no hypotheses)
    ("(x : ℝ) : -(1 / 2 : ℝ) * 2 + x = x - 1", True),  # -1 + x is x - 1 (neg_add_eq_sub)
    ("(a b : ℤ) : a + b - b = a", True),  # add_sub_cancel_right
    ("(a b : ℕ) : a + b - b = a", True),  # add_tsub_cancel_right
    ("(a b : ℕ) : a - b + b = a", False),  # false at a < b: sub_add_cancel is not for ℕ
    ("(a b : ℤ) : a - b + b = a", True),
    ("(x y : ℝ) : 0 ≤ x - y", False),  # sub_nonneg leaves y ≤ x
])
def test_norm_num_simp_lemmas_with_variables(statement, lean_closes):
    assert proves("theorem t " + statement, "norm_num") is lean_closes


def test_norm_num_prints_what_simp_leaves():
    out = run("theorem t (x y : ℝ) (h : y ≤ 3) : x + y ≤ x + 3", "norm_num")
    assert out.pp.endswith("⊢ y ≤ 3")
    out = run("theorem t (x : ℝ) : x ≠ 2", "norm_num")
    assert out.pp.endswith("⊢ ¬x = 2")  # ne_eq
    out = run("theorem t (x : ℝ) : -2 * x = 4", "norm_num")
    assert out.pp.endswith("⊢ -(2 * x) = 4")  # neg_mul
    out = run("theorem t (x y : ℝ) : 0 < x - y", "norm_num")
    assert out.pp.endswith("⊢ y < x")  # sub_pos


def test_norm_num_uses_a_hint_against_the_ne_eq_form():
    assert proves("theorem t (x : ℝ) (h : x ≠ 2) : x ≠ 2", "norm_num [h]")
    assert not proves("theorem t (x : ℝ) (h : x ≠ 2) : x ≠ 2", "norm_num")


def test_norm_num_zero_products_and_abs():
    out = run("theorem t (x y : ℝ) : (x - 1) * (y + 2) = 0", "norm_num")
    assert out.pp.endswith("⊢ x - 1 = 0 ∨ y + 2 = 0")  # mul_eq_zero
    out = run("theorem t (x : ℝ) : x ^ 2 = 0", "norm_num")
    assert out.pp.endswith("⊢ x = 0")  # pow_eq_zero_iff
    assert proves("theorem t (x : ℝ) : 0 ≤ |x|", "norm_num")  # abs_nonneg
    assert proves("theorem t (x : ℝ) : |-x| = |x|", "norm_num")  # abs_neg
    out = run("theorem t (x : ℝ) : 1 / x = 2", "norm_num")
    assert out.pp.endswith("⊢ x⁻¹ = 2")  # one_div
    assert not proves("theorem t (x : ℝ) : 0 < |x|", "norm_num")  # abs_pos leaves ¬x = 0
