"""The F1 term layer (issue 22): ℕ ℤ ℚ ℝ terms, Lean's binop%/binrel% elaboration,
Lean's printing, typed polymorphic lemmas, and the "outside the fragment" reasons.

Each case states the Lean 4 + Mathlib behaviour it models.
"""
import json
from pathlib import Path

import pytest

from lean_env.errors import OpenError
from lean_env.micro.engine import MicroEnv, run_proof
from lean_env.micro.lexer import ParseError
from lean_env.micro.lemmas import get_lemma, lemma_types, polymorphic
from lean_env.micro.parser import parse_prop, parse_term
from lean_env.micro.printer import format_prop, format_term
from lean_env.micro.syntax import (
    INT, NAT, RAT, REAL, Abs, And, BinOp, Cast, Exists, Forall, Imp, Inv, MVar, Neg, Num, Rel, Var,
    free_vars, nat_succ, subst, type_of,
)
from lean_env.micro.unify import unify_term
from lean_env.protocol import LeanError, ProofFinished, TacticState
from lean_env.theorems import Theorem

MINIF2F = Path("/work/shared/data/minif2f")
R = {"x": REAL, "y": REAL, "a": REAL, "b": REAL, "n": NAT, "m": NAT, "z": INT, "q": RAT}


def opened(statement: str):
    env = MicroEnv()
    state = env.open(Theorem(full_name="t", statement=statement))
    return state, env.state(state).goals[0]


def last(steps):
    return steps[-1][2]


# ---- the term interface ------------------------------------------------------------


def test_type_of_follows_the_interface():
    n, x = Var("n"), Var("x", REAL)
    assert type_of(n) == NAT and type_of(Num(2, RAT)) == RAT
    assert type_of(BinOp("^", x, Num(2))) == REAL  # `^`: its base's type
    assert type_of(Cast(REAL, n)) == REAL and type_of(Neg(Var("z", INT))) == INT
    assert type_of(Inv(x)) == REAL and type_of(Abs(Var("z", INT))) == INT
    assert type_of(MVar("m", RAT)) == RAT


def test_substitution_renames_typed_binders_and_keeps_their_type():
    p = Forall("y", Rel("<", Var("x", REAL), Var("y", REAL)), REAL)
    out = subst(p, "x", Cast(REAL, Var("y")))
    assert out.ty == REAL and out.var != "y"
    assert out.body == Rel("<", Cast(REAL, Var("y")), Var(out.var, REAL))
    assert free_vars(Rel("=", Abs(Neg(Var("x", REAL))), Inv(Cast(REAL, Var("n"))))) == {"x", "n"}


def test_typed_metavariables_never_unify_with_another_type():
    sub: dict = {}
    assert not unify_term(MVar("a", NAT), Var("x", REAL), sub)
    assert unify_term(MVar("a", REAL), Var("x", REAL), sub) and sub == {"a": Var("x", REAL)}
    assert not unify_term(Cast(REAL, MVar("k")), Cast(RAT, Var("n")), {})


# ---- elaboration: binop% / binrel% --------------------------------------------------


def test_numerals_take_the_maximal_type_else_nat():
    # Lean: `x = 2` with x : ℝ elaborates 2 : ℝ; `2 + 2 = 4` alone is over ℕ.
    assert parse_prop("x = 2", types=R) == Rel("=", Var("x", REAL), Num(2, REAL))
    assert parse_prop("2 + 2 = 4") == Rel("=", BinOp("+", Num(2), Num(2)), Num(4))


def test_a_negation_defaults_the_type_to_int():
    # Lean's default instances: `Neg Int` (priority mid) before `OfNat ℕ` (low), so
    # `-1 < 0` is over ℤ, both sides; `∀ x, 0 < -x` binds x : ℤ; but a use that fixes
    # the type wins over the default (`∀ w, -w < 0 ∧ w = y` with y : ℝ).
    assert parse_prop("-1 < 0") == Rel("<", Neg(Num(1, INT)), Num(0, INT))
    assert parse_prop("2 ∣ -4") == Rel("∣", Num(2, INT), Neg(Num(4, INT)))
    assert parse_prop("∀ x, 0 < -x").ty == INT
    assert parse_prop("∀ w, -w < 0 ∧ w = y", types={"y": REAL}).ty == REAL
    assert parse_prop("2 - 3 = 0").left == BinOp("-", Num(2), Num(3))  # no negation: ℕ


def test_casts_are_inserted_at_the_leaves_of_smaller_types():
    # Lean: `(n + 1 : ℝ)` is `↑n + 1`, while `((n + 1 : ℕ) : ℝ)` is `↑(n + 1)`.
    assert parse_term("(n + 1 : ℝ)", R) == BinOp("+", Cast(REAL, Var("n")), Num(1, REAL))
    assert parse_term("((n + 1 : ℕ) : ℝ)", R) == Cast(REAL, BinOp("+", Var("n"), Num(1)))
    # ℕ goes straight to ℝ (Nat.cast), not through ℤ; ↑ takes the tree's type
    assert parse_prop("↑n < x", types=R) == Rel("<", Cast(REAL, Var("n")), Var("x", REAL))
    assert parse_prop("z + n = 0", types=R).left == BinOp("+", Var("z", INT), Cast(INT, Var("n")))
    assert format_term(parse_term("((n : ℕ) : ℝ)", R)) == "↑n"


def test_the_exponent_is_elaborated_alone():
    # Lean: in `(n : ℝ) ^ (1 / 3)` the exponent is `1 / 3 : ℕ`, which is 0.
    t = parse_term("(n : ℝ) ^ (1 / 3)", R)
    assert t == BinOp("^", Cast(REAL, Var("n")), BinOp("/", Num(1), Num(3)))
    assert type_of(t.right) == NAT
    with pytest.raises(ParseError, match="Real.rpow"):
        parse_term("x ^ (1 / 3 : ℝ)", R)
    with pytest.raises(ParseError, match="zpow"):
        parse_term("x ^ z", R)


def test_divisibility_is_an_application_not_binrel():
    # `a ∣ b` is `Dvd.dvd a b`: b is elaborated against a's type, no ↑ on a.
    assert parse_prop("2 ∣ z", types=R) == Rel("∣", Num(2, INT), Var("z", INT))
    assert parse_prop("z ∣ n", types=R).right == Cast(INT, Var("n"))
    with pytest.raises(ParseError, match="type mismatch"):
        parse_prop("n ∣ z", types=R)
    with pytest.raises(ParseError, match="∣ on ℝ"):
        parse_prop("x ∣ y", types=R)


@pytest.mark.parametrize("text, message", [
    ("-n = 0", "Neg ℕ"),                  # ℕ has no negation
    ("x % 2 = 0", "HMod ℝ"),              # no `%` on a field
    ("z⁻¹ = 0", "Inv ℤ"),                 # `⁻¹` only on ℚ ℝ
    ("(x : ℕ) = n", "type mismatch"),     # no coercion ℝ → ℕ
    ("|n| = 0", "ℕ"),                     # |·| needs an additive group
])
def test_ill_typed_terms_are_refused_as_lean_refuses_them(text, message):
    with pytest.raises(ParseError, match=message):
        parse_prop(text, types=R)


def test_unannotated_binders_get_their_type_from_their_uses():
    # Lean: `∀ x, x + y = 0` with y : ℝ unifies x's type with ℝ, even when a
    # first use (`x = 2`) leaves it open; with no use fixing it, ℕ (default instance).
    assert parse_prop("∀ x, x + y = 0", types={"y": REAL}).ty == REAL
    assert parse_prop("∀ w, w = 2 ∧ w = y", types={"y": REAL}).ty == REAL
    p = parse_prop("∃ m, m > n ∧ ∃ p, m * p ≤ m + p", types=R)
    assert p.ty == NAT and p.body.right.ty == NAT
    assert parse_prop("∀ w > 0, w = w").ty == NAT


def test_typed_binders_and_binder_predicates():
    p = parse_prop("∀ (x y : ℝ) (k : ℕ), x ≤ y ∨ ↑k ≤ x")
    assert (p.ty, p.body.ty, p.body.body.ty) == (REAL, REAL, NAT)
    assert p.body.body.body.right.left == Cast(REAL, Var("k"))
    assert format_prop(p) == "∀ (x y : ℝ) (k : ℕ), x ≤ y ∨ ↑k ≤ x"
    assert format_prop(parse_prop("∃ x : ℝ, x > 0 ∧ x < 1")) == "∃ x > 0, x < 1"


# ---- printing as Lean's pp ---------------------------------------------------------


@pytest.mark.parametrize("text, shown", [
    ("-x ^ 2 = y", "-x ^ 2 = y"),              # neg is 75: `-(x ^ 2)`
    ("(-x) ^ 2 = y", "(-x) ^ 2 = y"),
    ("a * -b = - -x", "a * -b = - -x"),        # never `--` (a comment)
    ("(x + 1)⁻¹ = x⁻¹ ^ 2", "(x + 1)⁻¹ = x⁻¹ ^ 2"),
    ("abs (x - 1) + |y| = 0", "|x - 1| + |y| = 0"),
    ("((n + 1 : ℕ) : ℝ) = -x", "↑(n + 1) = -x"),
    ("(2 : ℝ) / 3 = x", "2 / 3 = x"),           # numerals plain
    ("-(x + y) = x - (a - b)", "-(x + y) = x - (a - b)"),
])
def test_printing(text, shown):
    p = parse_prop(text, types=R)
    assert format_prop(p) == shown
    assert parse_prop(shown, types=R) == p


def test_goals_print_typed_variable_groups_as_lean():
    state, _ = opened("theorem amc12b_2021_p4 (m a : ℕ) (h₀ : 0 < m ∧ 0 < a)\n"
                      "  (h₁ : ↑m / ↑a = (3:ℝ) / 4) :\n  (84 * ↑m + 70 * ↑a) / (↑m + ↑a) = (76:ℝ)")
    assert state.pp == ("m a : ℕ\nh₀ : 0 < m ∧ 0 < a\nh₁ : ↑m / ↑a = 3 / 4\n"
                        "⊢ (84 * ↑m + 70 * ↑a) / (↑m + ↑a) = 76")


def test_nat_only_statements_print_as_before():
    state, goal = opened("theorem t (a b : ℕ) (h : a < b) : ∀ (n m : ℕ), n + m = m + n")
    assert state.pp == "a b : ℕ\nh : a < b\n⊢ ∀ (n m : ℕ), n + m = m + n"
    assert goal.target == Forall("n", Forall("m", Rel("=", BinOp("+", Var("n"), Var("m")),
                                                        BinOp("+", Var("m"), Var("n")))))


# ---- real miniF2F statements -------------------------------------------------------


def test_minif2f_statements_elaborate_as_lean():
    _, g = opened("theorem amc12a_2021_p3 (x y : ℕ) (h₀ : x + y = 17402) (h₁ : 10∣x)\n"
                  "  (h₂ : x / 10 = y) :\n  ↑x - ↑y = (14238:ℤ)")
    assert g.target == Rel("=", BinOp("-", Cast(INT, Var("x")), Cast(INT, Var("y"))), Num(14238, INT))
    _, g = opened("theorem induction_11div10tonmn1ton (n : ℕ) : 11 ∣ (10^n - (-1 : ℤ)^n)")
    assert g.target.left == Num(11, INT) and type_of(g.target.right) == INT
    _, g = opened("theorem amc12a_2013_p4 :\n  (2^2014 + 2^2012) / (2^2014 - 2^2012) = (5:ℝ) / 3")
    assert type_of(g.target.left) == REAL and g.target.left.left.left.right == Num(2014)
    _, g = opened("theorem mathd_algebra_276 (a b : ℤ)\n"
                  "  (h₀ : ∀ x : ℝ, 10 * x^2 - x - 24 = (a * x - 8) * (b * x + 3)) :\n  a * b + b = 12")
    h0 = g.hyps[-1].type
    assert h0.ty == REAL and format_prop(h0) == "∀ (x : ℝ), 10 * x ^ 2 - x - 24 = (↑a * x - 8) * (↑b * x + 3)"


def _leaf_vars(t) -> bool:
    """Whether a variable is a leaf of the tree (exponents are trees of their own)."""
    if isinstance(t, Var):
        return True
    if isinstance(t, BinOp):
        return _leaf_vars(t.left) or (t.op != "^" and _leaf_vars(t.right))
    return isinstance(t, (Neg, Inv, Abs)) and _leaf_vars(t.arg)


def _types_fixed_by_variables(p) -> bool:
    if isinstance(p, Rel):
        return _leaf_vars(p.left) or _leaf_vars(p.right)
    if isinstance(p, (Forall, Exists)):
        return _types_fixed_by_variables(p.body)
    parts = [getattr(p, k) for k in ("arg", "left", "right") if hasattr(p, k)]
    return bool(parts) and all(_types_fixed_by_variables(q) for q in parts)


def _minif2f(split):
    path = MINIF2F / f"{split}.jsonl"
    if not path.exists():
        pytest.skip("miniF2F data not shipped here")
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("split, at_least", [("test", 90), ("valid", 80)])
def test_minif2f_statements_open_or_fail_with_a_reason(split, at_least):
    opened_, reasons = 0, []
    for row in _minif2f(split):
        try:
            MicroEnv().open(Theorem(full_name=row["full_name"], statement=row["statement"]))
            opened_ += 1
        except OpenError as e:
            reasons.append(str(e))
    assert opened_ >= at_least
    assert all("cannot open theorem" in r for r in reasons)


def test_printed_minif2f_propositions_reparse_to_themselves():
    # Lean's pp drops a cast's target and a closed numeral's type; everything else
    # printed must read back (same types, same tree).
    checked = 0
    for row in _minif2f("test") + _minif2f("valid"):
        try:
            state, g = opened(row["statement"])
        except OpenError:
            continue
        types = {h.name: h.type for h in g.hyps if h.is_var and h.type != "Prop"}
        props = {h.name for h in g.hyps if h.type == "Prop"}
        for p in [h.type for h in g.hyps if not h.is_var] + [g.target]:
            if "Cast(" in repr(p) or not _types_fixed_by_variables(p):
                continue
            checked += 1
            assert parse_prop(format_prop(p), props, types) == p, format_prop(p)
    assert checked > 300


@pytest.mark.parametrize("statement, what", [
    ("theorem t (x : ℝ) (h : 0 < x) : Real.sqrt x > 0", "Real.sqrt"),
    ("theorem t (f : ℝ → ℝ) (h : ∀ x, f x = 2) : f 1 = 2", "function type"),
    ("theorem t (n : ℕ) : ∑ k in Finset.range n, k = n", "Finset.sum"),
    ("theorem t (x : ℝ) (h : x = 0.5) : 2 * x = 1", "decimal literal 0.5"),
    ("theorem t (n : ℕ) (h : n ! = 6) : n = 3", "Nat.factorial"),
    ("theorem t (p : ℕ) (h : Nat.Prime p) : 2 ≤ p", "Nat.Prime"),
    ("theorem t (S : Finset ℕ) : S.card = 0", "Finset"),
    ("theorem t (x : ℂ) : x = x", "ℂ"),
    ("theorem t (n : ℕ) (h : Odd n) : n % 2 = 1", "Odd"),
    ("theorem t (x : ℝ) : x ^ (2 : ℝ) ≥ 0", "Real.rpow"),
])
def test_statements_outside_the_fragment_fail_with_a_reason(statement, what):
    with pytest.raises(OpenError, match="outside the embedded fragment") as err:
        MicroEnv().open(Theorem(full_name="t", statement=statement))
    assert what in str(err.value)


# ---- the typed lemma library --------------------------------------------------------


def test_lemmas_are_instantiated_at_the_type_of_their_arguments():
    steps = run_proof("theorem t (a b : ℝ) (ha : 0 < a) (hb : 0 < b) : 0 < a * b",
                      ["have h := sq_nonneg (a - b)", "have h2 := mul_pos ha hb", "exact h2"])
    assert "h : 0 ≤ (a - b) ^ 2" in steps[1][0]
    assert isinstance(last(steps), ProofFinished)


def test_lemma_statements_are_mathlibs():
    assert format_prop(get_lemma("sub_nonneg", REAL).conclusion) == "0 ≤ a - b ↔ b ≤ a"
    assert get_lemma("sq_nonneg", REAL).conclusion == Rel(
        "≤", Num(0, REAL), BinOp("^", Var("a", REAL), Num(2)))
    assert get_lemma("pow_pos", RAT).explicit[-1] == ("n", NAT)  # the exponent stays ℕ
    assert lemma_types("div_pos") == (RAT, REAL) and get_lemma("div_pos", INT) is None
    for name, (types, _) in polymorphic().items():
        for ty in types:
            assert get_lemma(name, ty).name == name


def test_the_expected_type_fixes_the_lemma_type():
    steps = run_proof("theorem t (x : ℝ) : 0 ≤ (x + 1) ^ 2", ["exact sq_nonneg _"])
    assert isinstance(last(steps), ProofFinished)
    steps = run_proof("theorem t (x : ℝ) (h : 0 ≤ x) : 0 ≤ x - 0", ["exact sub_nonneg.mpr h"])
    assert isinstance(last(steps), ProofFinished)


def test_a_lemma_at_the_wrong_type_does_not_prove_the_goal():
    # `le_refl n : n ≤ n` over ℕ is not `↑n ≤ ↑n` over ℝ (Lean: type mismatch).
    steps = run_proof("theorem t (n : ℕ) : (n : ℝ) ≤ n", ["exact le_refl n"])
    assert isinstance(last(steps), LeanError)
    # Mathlib has no `div_pos` on ℤ, and `sq_nonneg` is not offered on ℕ here.
    steps = run_proof("theorem t (z : ℤ) (h : 0 < z) : 0 < z / z", ["exact div_pos h h"])
    assert isinstance(last(steps), LeanError)


def test_nat_lemmas_keep_working():
    steps = run_proof("theorem t (a b : ℕ) : a + b = b + a", ["exact Nat.add_comm a b"])
    assert isinstance(last(steps), ProofFinished)
    steps = run_proof("theorem t (a b : ℕ) : a + b = b + a", ["exact add_comm a b"])
    assert isinstance(last(steps), ProofFinished)


def test_rw_with_a_polymorphic_lemma_on_reals():
    steps = run_proof("theorem t (a b : ℝ) (h : |a * b| = 2) : |b * a| = 2",
                      ["rw [mul_comm] at h", "exact h"])
    assert "h : |b * a| = 2" in steps[1][0] and isinstance(last(steps), ProofFinished)


def test_le_projection_of_gt_is_le_flipped():
    # Lean: `h.le` for `h : a > b` is `b ≤ a` (a > b unfolds to b < a; LT.lt.le).
    steps = run_proof("theorem t (a b : ℝ) (h : a > b) : True", ["have h2 := h.le", "trivial"])
    assert "h2 : b ≤ a" in steps[1][0]
    # GE.ge.le, GT.gt.lt, LT.lt.ne, LT.lt.ne'
    steps = run_proof("theorem t (a b : ℝ) (h : a ≥ b) (k : a > b) (l : a < b) : True",
                      ["have h1 := h.le", "have h2 := k.lt", "have h3 := l.ne", "have h4 := l.ne'",
                       "trivial"])
    assert "h1 : b ≤ a\nh2 : b < a\nh3 : a ≠ b\nh4 : b ≠ a" in steps[-1][0]


def test_witnesses_and_instantiation_are_elaborated_at_the_binder_type():
    steps = run_proof("theorem t : ∃ x : ℝ, x = 2 / 4", ["exact ⟨2 / 4, rfl⟩"])
    assert isinstance(last(steps), ProofFinished)
    steps = run_proof("theorem t (h : ∀ x : ℝ, x ^ 2 ≥ 0) (n : ℕ) : (n : ℝ) ^ 2 ≥ 0",
                      ["exact h n"])
    assert isinstance(last(steps), ProofFinished)  # `h ↑n`, the coercion inserted
    state = run_proof("theorem t (h : ∀ x : ℝ, x ^ 2 ≥ 0) (n : ℕ) : True", ["have k := h n"])
    assert "k : ↑n ^ 2 ≥ 0" in str(last(state))


# ---- property: printing then parsing gives the same typed tree ---------------------

from hypothesis import assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_VARS = {NAT: ("n", "m"), INT: ("z", "w"), RAT: ("q", "r"), REAL: ("x", "y")}
_TYPES = {v: ty for ty, names in _VARS.items() for v in names}


@st.composite
def typed_term(draw, ty, depth=3):
    """A well-typed elaborated term of type `ty`."""
    kinds = ["var", "num"] + (["cast"] if ty != NAT else [])
    if depth > 0:
        kinds += ["binop", "binop", "pow"] + (["neg", "abs"] if ty != NAT else [])
        kinds += ["inv"] if ty in (RAT, REAL) else []
    kind = draw(st.sampled_from(kinds))
    if kind == "var":
        return Var(draw(st.sampled_from(_VARS[ty])), ty)
    if kind == "num":
        return Num(draw(st.integers(0, 20)), ty)
    if kind == "cast":
        order = (NAT, INT, RAT, REAL)
        smaller = draw(st.sampled_from(order[:order.index(ty)]))
        inner = draw(typed_term(smaller, max(depth - 1, 0)))
        assume(_leaf_vars(inner))  # `↑2` reads back as a cast of an ℕ numeral
        return Cast(ty, inner)
    if kind == "binop":
        ops = ["+", "-", "*", "/"] + (["%"] if ty in (NAT, INT) else [])
        return BinOp(draw(st.sampled_from(ops)), draw(typed_term(ty, depth - 1)),
                     draw(typed_term(ty, depth - 1)))
    if kind == "pow":
        return BinOp("^", draw(typed_term(ty, depth - 1)), draw(typed_term(NAT, 1)))
    node = {"neg": Neg, "abs": Abs, "inv": Inv}[kind]
    return node(draw(typed_term(ty, depth - 1)))


@st.composite
def typed_relation(draw):
    ty = draw(st.sampled_from([NAT, INT, RAT, REAL]))
    ops = ["=", "≠", "<", "≤", ">", "≥"] + (["∣"] if ty in (NAT, INT) else [])
    left, right = draw(typed_term(ty)), draw(typed_term(ty))
    op = draw(st.sampled_from(ops))
    # the leaves must fix the type (for `∣`, the left side's), as in any printed goal
    assume(_leaf_vars(left) or (op != "∣" and _leaf_vars(right)))
    return Rel(op, left, right)


@settings(max_examples=150, deadline=None)
@given(typed_relation(), typed_relation())
def test_typed_propositions_print_and_read_back(p, q):
    for prop in (p, And(p, q), Forall("x", And(p, Imp(p, q)), REAL)):
        text = format_prop(prop)
        assert parse_prop(text, types=_TYPES) == prop, text


def test_cast_lemmas_take_their_target_type_from_the_expected_type():
    # `Nat.cast_le : (↑m : α) ≤ ↑n ↔ m ≤ n`: its argument is over ℕ, α comes from the goal.
    steps = run_proof("theorem t (m n : ℕ) (h : m ≤ n) : (m : ℝ) ≤ n", ["exact Nat.cast_le.mpr h"])
    assert isinstance(last(steps), ProofFinished)
    steps = run_proof("theorem t (m n : ℕ) (h : m ≤ n) : (m : ℝ) ≤ n", ["exact h"])
    assert isinstance(last(steps), LeanError)  # ↑m ≤ ↑n over ℝ is not m ≤ n over ℕ
    assert format_prop(get_lemma("Nat.cast_sub", REAL).conclusion) == "↑(n - m) = ↑n - ↑m"
    steps = run_proof("theorem t (n : ℕ) : True", ["have h : (0 : ℝ) ≤ n := Nat.cast_nonneg n"])
    assert "h : 0 ≤ ↑n" in str(last(steps))
    # nothing fixes α (Lean: "typeclass instance problem is stuck")
    steps = run_proof("theorem t (n : ℕ) : True", ["have h := Nat.cast_nonneg n"])
    assert isinstance(last(steps), LeanError) and "stuck" in last(steps).message


def test_rw_tries_only_subterms_with_the_patterns_head_symbol():
    # Lean's kabstract: `?n + 1` (HAdd.hAdd) is never tried against the literal 3
    # (OfNat.ofNat), though `Nat.succ ?n =?= 3` would unify.
    steps = run_proof("theorem t (m : ℕ) (h : 3 = m) : 3 = m", ["rw [Nat.add_one]"])
    assert isinstance(last(steps), LeanError) and "did not find" in last(steps).message


def test_nat_succ_is_distinct_from_plus_one_for_rw_but_defeq():
    # Lean: `rw [h]` with `h : n + 1 = 5` does not see `n + 1` in `Nat.succ n` (its head
    # is Nat.succ), while `exact h` works (defeq); a pattern with `Nat.succ ?n` inside
    # (Nat.pow_succ) rewrites `2 ^ (n + 1)`; `Nat.succ n` in a real tree is a leaf: `↑n.succ`.
    steps = run_proof("theorem t (n : ℕ) (h : n + 1 = 5) : Nat.succ n = 5", ["rw [h]"])
    assert isinstance(last(steps), LeanError)
    steps = run_proof("theorem t (n : ℕ) (h : n + 1 = 5) : Nat.succ n = 5", ["exact h"])
    assert isinstance(last(steps), ProofFinished)
    steps = run_proof("theorem t (n : ℕ) : 2 ^ (n + 1) = 2 ^ n * 2", ["rw [Nat.pow_succ]"])
    assert isinstance(last(steps), ProofFinished)
    steps = run_proof("theorem t (n m : ℕ) : n.succ + m = 0", ["rw [Nat.succ_add]"])
    assert str(last(steps).pp).endswith("⊢ (n + m).succ = 0")
    assert format_prop(parse_prop("(Nat.succ n : ℝ) = x", types=R)) == "↑n.succ = x"
    assert parse_prop("(Nat.succ n : ℝ) = x", types=R).left == Cast(REAL, nat_succ(Var("n")))
