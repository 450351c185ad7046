"""ring, ring_nf and field_simp on ℕ ℤ ℚ ℝ (issue 22, fragment F1).

Each case states what Lean 4 + Mathlib does with it: accept (the tactic closes the goal),
reject (it fails, or leaves a goal), or the state it prints. Helpers are shared with
test_f1_norm_num.py.
"""
import random

import pytest

from lean_env.micro.arith.field_simp import field_simp
from lean_env.micro.semantics import eval_prop
from lean_env.micro.syntax import NAT, REAL, Inv, Neg, Rel, Var
from tests.engine_steps import proves
from tests.test_f1_norm_num import (
    XY, Z, a, apply, assignments, b, closes, goal, i, j, n, op, random_term, x, y,
)

R = REAL


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


@pytest.mark.parametrize("seed", range(8))
def test_field_simp_keeps_the_truth_where_its_hypotheses_hold(seed):
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
