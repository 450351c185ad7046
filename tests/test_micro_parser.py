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
    ("Nat.succ (n + 1)", "(n + 1).succ"),
    ("Nat.succ n + 1", "n.succ + 1"),
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


# ---- deep nesting and many binders (issue 27, item 8) --------------------------------

DEEP_SHAPES = {
    "and": lambda n: " ∧ ".join(["x = x"] * n),
    "imp": lambda n: " → ".join(["x = x"] * n),
    "or_left": lambda n: "(" * (n - 1) + "x = x" + " ∨ x = x)" * (n - 1),
    "sum": lambda n: " + ".join(["x"] * n) + " = x",
    "power": lambda n: " ^ ".join(["x"] * n) + " = x",
    "parens": lambda n: "(" * n + "x = x" + ")" * n,
    "not": lambda n: "¬" * n + "x = x",
    "forall": lambda n: "".join(f"∀ y{i} : ℕ, " for i in range(n)) + "x = x",
    "succ": lambda n: "Nat.succ (" * n + "x" + ")" * n + " = x",
}


@pytest.mark.parametrize("shape", sorted(DEEP_SHAPES))
@pytest.mark.parametrize("depth", [800, 5000])
def test_deep_statements_are_a_clean_parse_error(shape, depth):
    text = f"theorem t (x : ℕ) : {DEEP_SHAPES[shape](depth)}"
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_statement(text)


@pytest.mark.parametrize("shape", sorted(DEEP_SHAPES))
def test_statements_below_the_depth_limit_parse_print_and_run(shape):
    from lean_env.micro.engine import MicroEnv
    from lean_env.protocol import TacticState
    from lean_env.theorems import Theorem

    text = f"theorem t (x : ℕ) : {DEEP_SHAPES[shape](70)}"
    stmt = parse_statement(text)
    assert parse_prop(format_prop(stmt.conclusion)) == stmt.conclusion
    env = MicroEnv(solver_timeout_ms=200)
    state = env.open(Theorem(full_name="t", statement=text))
    for tactic in ("constructor", "intro h", "simp", "omega", "decide", "tauto", "rfl"):
        out = env.run_tac(state, tactic)  # may fail, never with a recursion error
        assert isinstance(out, TacticState) or "recursion" not in str(out).lower()


def test_deep_tactic_formula_is_a_clean_error():
    from lean_env.micro.engine import MicroEnv
    from lean_env.protocol import LeanError
    from lean_env.theorems import Theorem

    env = MicroEnv()
    state = env.open(Theorem(full_name="t", statement="theorem t (x : ℕ) : True"))
    out = env.run_tac(state, "have h : " + " ∧ ".join(["x = x"] * 900) + " := by simp")
    assert isinstance(out, LeanError) and "nested too deeply" in out.message


def test_rir_check_reports_a_deep_theorem_and_goes_on(tmp_path, capsys):
    import json

    from rir import cli

    deep = {"full_name": "deep", "statement": "theorem deep (x : ℕ) : " + DEEP_SHAPES["and"](800),
            "proof": "simp"}
    fine = {"full_name": "fine", "statement": "theorem fine (x : ℕ) : x = x", "proof": "rfl"}
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (deep, fine)))
    assert cli.main(["check", str(path), "--verbose"]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "nested too deeply" in text and "fine" in text and "1 passed" in text


def _binders(n: int) -> str:
    # repeated names too: later binders shadow earlier ones (internal names x0.1, ...)
    return " ".join(f"(x{i % (n // 2)} : ℕ)" for i in range(n)) + f" (h : x0 = x{n // 2 - 1})"


def test_many_binders_open_with_lean_shadowing():
    from lean_env.micro.engine import initial_goal

    n = 3000
    goal = initial_goal(parse_statement(f"theorem t {_binders(n)} : x0 = x0"))
    assert len(goal.hyps) == n + 1
    assert len({h.name for h in goal.hyps}) == n + 1
    assert goal.hyps[0].name == "x0" and goal.hyps[n // 2].name == "x0.1"
    assert goal.hyps[-1].type == Rel("=", Var("x0.1"), Var(f"x{n // 2 - 1}.1"))
    assert goal.target == Rel("=", Var("x0.1"), Var("x0.1"))
    assert "x0✝ " in goal.pp()


@pytest.mark.slow
def test_thirty_thousand_binders_open():
    from lean_env.micro.engine import MicroEnv
    from lean_env.theorems import Theorem

    state = MicroEnv().open(Theorem(full_name="t", statement=f"theorem t {_binders(30000)} : True"))
    assert state.pp.endswith("⊢ True")
