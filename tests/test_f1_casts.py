"""push_cast, norm_cast, exact_mod_cast on ℕ → ℤ → ℚ → ℝ (issue 22, fragment F1).

Each case states Lean 4 + Mathlib's behaviour (the goal it prints, or accept/reject).
"""
from lean_env.micro.arith.casts import norm_cast, push_cast
from lean_env.micro.syntax import INT, NAT, RAT, REAL, Cast, Inv, Neg, Num, Rel, Truth, Var
from lean_env.protocol import TacticState
from tests.engine_steps import proves, run
from tests.test_f1_norm_num import apply, closes, goal, op

R, Z, Q = REAL, INT, RAT
a, b = Var("a", NAT), Var("b", NAT)
m = Var("m", Z)
q = Var("q", Q)
x = Var("x", R)
VARS = (("a", NAT), ("b", NAT), ("m", Z), ("q", Q), ("x", R))


def c(t, ty=R):
    return Cast(ty, t)


# ---- push_cast: casts to the leaves ------------------------------------------------------


def test_push_cast_moves_casts_through_ring_operations():
    # ↑(a + 2 * b) ^ 2 = x  ~>  (↑a + 2 * ↑b) ^ 2 = x
    lhs = c(op("^", op("+", a, op("*", Num(2), b)), Num(2)))
    assert push_cast(Rel("=", lhs, x)) == Rel(
        "=", op("^", op("+", c(a), op("*", Num(2, R), c(b))), Num(2)), x)


def test_push_cast_does_not_push_through_nat_subtraction_or_division():
    for o in ("-", "/", "%"):
        r = Rel("=", c(op(o, a, b)), x)
        assert push_cast(r) == r


def test_push_cast_pushes_int_subtraction_and_rat_division():
    assert push_cast(Rel("=", c(op("-", m, Num(1, Z))), x)) == Rel("=", op("-", c(m), Num(1, R)), x)
    assert push_cast(Rel("=", c(op("/", q, Num(2, Q))), x)) == Rel("=", op("/", c(q), Num(2, R)), x)
    assert push_cast(Rel("=", c(Neg(m)), x)) == Rel("=", Neg(c(m)), x)
    assert push_cast(Rel("=", c(Inv(q)), x)) == Rel("=", Inv(c(q)), x)
    # ℤ division does not move: Int.cast_div needs divisibility
    r = Rel("=", c(op("/", m, Num(2, Z))), x)
    assert push_cast(r) == r


def test_push_cast_squashes_numerals_and_nested_casts():
    assert push_cast(Rel("<", c(Num(3)), x)) == Rel("<", Num(3, R), x)  # Nat.cast_ofNat
    assert push_cast(Rel("<", c(c(a, Z)), x)) == Rel("<", c(a), x)  # Int.cast_natCast


def test_push_cast_tactic_closes_by_eq_self_and_fails_without_progress():
    g = goal(Rel("=", c(op("+", a, b)), op("+", c(a), c(b))), vars=VARS)
    assert closes(g, "push_cast")
    assert apply(goal(Rel("<", x, c(a)), vars=VARS), "push_cast") == "push_cast made no progress"
    assert "simp arguments" in apply(g, "push_cast [h]")


# ---- norm_cast: casts up, then eliminated -------------------------------------------------


def test_norm_cast_eliminates_casts_from_a_relation():
    # (↑a : ℝ) + 1 < ↑b  ~>  a + 1 < b
    r = Rel("<", op("+", c(a), Num(1, R)), c(b))
    assert norm_cast(r) == Rel("<", op("+", a, Num(1)), b)
    # mixed sources go to the larger one: ↑a = ↑m  ~>  ↑a = m  (in ℤ)
    assert norm_cast(Rel("=", c(a), c(m))) == Rel("=", c(a, Z), m)
    # a negative numeral needs a type with negation
    assert norm_cast(Rel("=", c(m), Neg(Num(1, R)))) == Rel("=", m, Neg(Num(1, Z)))
    r = Rel("=", c(a), Neg(Num(1, R)))
    assert norm_cast(r) == r


def test_norm_cast_keeps_casts_that_do_not_move():
    # ↑a - ↑b = 1 in ℝ is not a - b = 1 in ℕ (truncation): nothing eliminated
    r = Rel("=", op("-", c(a), c(b)), Num(1, R))
    assert norm_cast(r) == r
    # a variable of the large type blocks elimination, but casts still move up
    r = Rel("≤", op("+", c(a), c(b)), x)
    assert norm_cast(r) == Rel("≤", c(op("+", a, b)), x)


def test_norm_cast_tactic_then_trivial():
    g = goal(Rel("=", c(a), c(b)), ("h", Rel("=", a, b)), vars=VARS)
    assert closes(g, "norm_cast")  # `norm_cast0 <;> try trivial` closes it by assumption
    (left,) = apply(goal(Rel("<", c(a), c(b)), vars=VARS), "norm_cast")
    assert left.target == Rel("<", a, b)


def test_norm_cast_at_a_hypothesis():
    g = goal(Rel("=", a, b), ("h", Rel("≤", c(a, Z), op("+", c(b, Z), Num(1, Z)))), vars=VARS)
    (left,) = apply(g, "norm_cast at h")
    assert left.hyps[-1].type == Rel("≤", a, op("+", b, Num(1)))


# ---- exact_mod_cast ---------------------------------------------------------------------------


def test_exact_mod_cast_closes_a_goal_equal_up_to_casts():
    g = goal(Rel("<", c(a), Num(3, R)), ("h", Rel("<", a, Num(3))), vars=VARS)
    assert closes(g, "exact_mod_cast h")
    g = goal(Rel("=", c(op("+", a, b)), op("+", c(a), c(b))), vars=VARS)
    assert not closes(g, "exact_mod_cast h")  # unknown h


def test_exact_mod_cast_rejects_a_different_statement():
    g = goal(Rel("<", c(a), Num(4, R)), ("h", Rel("<", a, Num(3))), vars=VARS)
    assert "type mismatch" in apply(g, "exact_mod_cast h")
    # ℕ subtraction: h : a - b = 1 does not give ↑a - ↑b = 1
    g = goal(Rel("=", op("-", c(a), c(b)), Num(1, R)), ("h", Rel("=", op("-", a, b), Num(1))), vars=VARS)
    assert not closes(g, "exact_mod_cast h")


def test_eq_self_after_normalising():
    assert norm_cast(Rel("=", c(op("+", a, Num(1))), op("+", c(a), Num(1, R)))) == Truth(True)


# ---- end to end ------------------------------------------------------------------------------


def test_casts_end_to_end():
    assert proves("theorem t (n : ℕ) (h : (n : ℝ) < 3) : n < 3", "exact_mod_cast h")
    assert proves("theorem t (n : ℕ) (h : n < 3) : (n : ℝ) < 3", "exact_mod_cast h")
    assert not proves("theorem t (m n : ℕ) (h : m - n = 1) : (m : ℝ) - n = 1", "exact_mod_cast h")
    assert proves("theorem t (a b : ℕ) (h : a + b ≤ 5) : (a : ℝ) + b ≤ 5", "norm_cast")
    out = run("theorem t (a b : ℕ) : ((a + b : ℕ) : ℝ) = 2", "push_cast")
    assert out.pp.endswith("⊢ ↑a + ↑b = 2")
    out = run("theorem t (a b : ℕ) : (a : ℝ) + b ≤ 5", "norm_cast")
    assert out.pp.endswith("⊢ a + b ≤ 5")


def test_norm_num_uses_the_cast_simp_lemmas():
    # Nat.cast_add then eq_self; Nat.cast_lt_ofNat; ℕ subtraction does not move
    assert proves("theorem t (a b : ℕ) : ((a + b : ℕ) : ℝ) = a + b", "norm_num")
    out = run("theorem t (n : ℕ) : (n : ℝ) < 2 + 1", "norm_num")
    assert isinstance(out, TacticState) and out.pp.endswith("⊢ n < 3")
    assert not proves("theorem t (m n : ℕ) : ((m - n : ℕ) : ℝ) = m - n", "norm_num")
    assert proves("theorem t (m n : ℕ) (h : n < m) : (n : ℤ) < m", "norm_num", "exact h")
