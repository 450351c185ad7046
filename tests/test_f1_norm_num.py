"""norm_num and interval_cases on ℕ ℤ ℚ ℝ (issue 22, fragment F1); ring and field_simp are in
test_f1_ring.py, casts in test_f1_casts.py.

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
    ("(n m : ℕ) (x : ℝ) : x ^ (n * m) = (x ^ n) ^ m", ["ring"], True),  # pow_mul
    ("(n m : ℕ) (x : ℝ) : (x ^ n) ^ m = x ^ (n + m)", ["ring"], False),
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


def test_norm_num_powers_modulo_a_numeral_without_the_power():
    # Mathlib's NormNum/PowMod.lean evaluates a ^ b % m on ℕ; 5 ^ 999999 itself is never built
    assert proves("theorem t : (5 ^ 999999) % 7 = 6", "norm_num")
    assert not proves("theorem t : (5 ^ 999999) % 7 = 5", "norm_num")
    assert proves("theorem t (a b : ℝ) (h₀ : a = -1) (h₁ : b = 5) : -a - b ^ 2 + 3 * (a * b) = -39",
                  "norm_num [h₀, h₁]")
