"""Parsing of the embedded fragment: precedences, round trips, statements, tactics."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lean_env.micro import ParseError, format_prop, format_term, parse_prop, parse_statement, parse_term
from lean_env.micro.syntax import (
    REL_OPS, TERM_OPS, And, BinOp, Exists, Forall, Iff, Imp, Not, Num, Or, PVar, Rel, Truth, Var,
)
from lean_env.micro.tactic_parser import PAnon, PApp, PBy, PName, PTerm, parse_tactic

PROPS = {"p", "q"}

terms = st.recursive(
    st.one_of(st.sampled_from([Var("x"), Var("y"), Var("a")]), st.integers(0, 12).map(Num)),
    lambda sub: st.builds(BinOp, st.sampled_from(TERM_OPS), sub, sub),
    max_leaves=6,
)
props = st.recursive(
    st.one_of(st.builds(Rel, st.sampled_from(REL_OPS), terms, terms),
              st.sampled_from([PVar("p"), PVar("q"), Truth(True), Truth(False)])),
    lambda sub: st.one_of(
        st.builds(Not, sub),
        st.builds(And, sub, sub), st.builds(Or, sub, sub), st.builds(Imp, sub, sub),
        st.builds(Iff, sub, sub),
        st.builds(Forall, st.sampled_from(["a", "b"]), sub),
        st.builds(Exists, st.sampled_from(["a", "b"]), sub),
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(props)
def test_prop_round_trip(p):
    text = format_prop(p)
    assert parse_prop(text, PROPS) == p
    assert format_prop(parse_prop(text, PROPS)) == text


@settings(max_examples=100, deadline=None)
@given(terms)
def test_term_round_trip(t):
    assert parse_term(format_term(t)) == t


@pytest.mark.parametrize("text, canonical", [
    ("a + b * c", "a + b * c"),
    ("(a + b) * c", "(a + b) * c"),
    ("a - (b - c)", "a - (b - c)"),
    ("(a - b) - c", "a - b - c"),
    ("2 ^ 3 ^ n", "2 ^ 3 ^ n"),
    ("(2 ^ 3) ^ n", "(2 ^ 3) ^ n"),
    ("Nat.succ (n + 1)", "n + 1 + 1"),
])
def test_term_precedences(text, canonical):
    assert format_term(parse_term(text)) == canonical


@pytest.mark.parametrize("text, canonical", [
    ("p → q → p", "p → q → p"),
    ("(p → q) → p", "(p → q) → p"),
    ("p ∧ q ∨ p", "p ∧ q ∨ p"),
    ("p ∧ (q ∨ p)", "p ∧ (q ∨ p)"),
    ("¬ x = y", "¬x = y"),
    ("¬ (p ∧ q)", "¬(p ∧ q)"),
    ("∀ x y : ℕ, x + y = y + x", "∀ (x y : ℕ), x + y = y + x"),
    ("∀ x : Nat, ∃ y, y > x", "∀ (x : ℕ), ∃ y, y > x"),
    ("(∀ x : ℕ, x = x) ∧ p", "(∀ (x : ℕ), x = x) ∧ p"),
    ("p ∧ ∀ x : ℕ, x = x", "p ∧ ∀ (x : ℕ), x = x"),
    ("p ↔ q → p", "p ↔ q → p"),
    ("a ∣ b", "a ∣ b"),
    ("x ≥ y /\\ x <= z", "x ≥ y ∧ x ≤ z"),
])
def test_prop_precedences(text, canonical):
    assert format_prop(parse_prop(text, PROPS)) == canonical


def test_relations_do_not_chain():
    with pytest.raises(ParseError, match="1:6: unexpected token '='"):
        parse_prop("a = b = c")


def test_connective_needs_propositions():
    with pytest.raises(ParseError, match="type mismatch"):
        parse_prop("x ∧ p", PROPS)


def test_statement_fields_and_to_lean():
    s = parse_statement("theorem foo (x y : ℕ) (p : Prop) (h : x < y) : x + 1 ≤ y ∨ p := by omega")
    assert s.name == "foo"
    assert s.binders == [("x", "ℕ"), ("y", "ℕ"), ("p", "Prop"), ("h", Rel("<", Var("x"), Var("y")))]
    assert s.conclusion == Or(Rel("≤", BinOp("+", Var("x"), Num(1)), Var("y")), PVar("p"))
    assert s.to_lean() == "theorem foo (x y : ℕ) (p : Prop) (h : x < y) : x + 1 ≤ y ∨ p"
    assert parse_statement(s.to_lean()) == s


def test_statement_error_has_position():
    with pytest.raises(ParseError) as err:
        parse_statement("theorem bad (x : ℕ) :\n  x + < 2")
    assert str(err.value).startswith("2:6: unexpected token '<'")


def test_tactic_parses():
    assert parse_tactic("exact Nat.le_trans h₁ (h₂ 3)") .exprs == (
        PApp(PName("Nat.le_trans"), (PName("h₁"), PApp(PName("h₂"), (PTerm(Num(3)),)))),)
    anon = parse_tactic("exact ⟨n - 1, by omega⟩").exprs[0]
    assert isinstance(anon, PAnon) and anon.items[0] == PTerm(BinOp("-", Var("n"), Num(1)))
    assert isinstance(anon.items[1], PBy)
    rw = parse_tactic("rw [Nat.add_comm a b, ← h] at h2")
    assert [rev for rev, _ in rw.rules] == [False, True] and rw.loc == ("h2",)
    assert parse_tactic("constructor <;> omega").kind == "<;>"


def test_tactic_parse_errors():
    with pytest.raises(ParseError, match="unknown tactic 'frobnicate'"):
        parse_tactic("frobnicate h")
    with pytest.raises(ParseError, match="1:9: unexpected end of input"):
        parse_tactic("exact (hp")
