"""Goal printing as Lean 4 shows it: grouped hypotheses, case tags, inaccessible names."""
from lean_env.micro import MicroEnv, parse_prop
from lean_env.micro.goals import Goal, Hyp, ProofState
from lean_env.micro.syntax import Rel, Var
from lean_env.protocol import TacticState
from lean_env.theorems import Theorem


def run(statement: str, *tactics: str) -> str:
    env = MicroEnv()
    state = env.open(Theorem("t", statement))
    for tac in tactics:
        state = env.run_tac(state, tac)
        assert isinstance(state, TacticState), state
    return state.pp


def test_binders_become_grouped_hypotheses():
    assert run("theorem t (x y : ℕ) (h : x < y) : x + 1 ≤ y") == "x y : ℕ\nh : x < y\n⊢ x + 1 ≤ y"


def test_consecutive_hypotheses_of_one_type_share_a_line():
    pp = run("theorem t (x : ℕ) (p q : Prop) (h₁ h₂ : x = 0) (y : ℕ) : p")
    assert pp == "x : ℕ\np q : Prop\nh₁ h₂ : x = 0\ny : ℕ\n⊢ p"


def test_nat_succ_prints_with_field_notation_and_nat_as_blackboard():
    # Lean 4's pp.fieldNotation: `Nat.succ n` is shown `n.succ` (not `n + 1`)
    assert run("theorem t (n : Nat) : Nat.succ n > n") == "n : ℕ\n⊢ n.succ > n"
    assert run("theorem t (n : Nat) : Nat.succ (n + 1) = n.succ.succ") == (
        "n : ℕ\n⊢ (n + 1).succ = n.succ.succ")


def test_several_goals_are_separated_by_a_blank_line_with_case_tags():
    pp = run("theorem t (p q : Prop) (hp : p) (hq : q) : p ∧ q", "constructor")
    assert pp == ("case left\np q : Prop\nhp : p\nhq : q\n⊢ p\n\n"
                  "case right\np q : Prop\nhp : p\nhq : q\n⊢ q")


def test_anonymous_intro_is_inaccessible_with_superscripts():
    pp = run("theorem t : ∀ x : ℕ, ∀ x : ℕ, x = x", "intro", "intro")
    assert pp == "x✝¹ x✝ : ℕ\n⊢ x✝ = x✝"


def test_shadowed_hypothesis_prints_inaccessible():
    pp = run("theorem t (x : ℕ) : ∀ x : ℕ, x ≥ 0", "intro x")
    assert pp == "x✝ x : ℕ\n⊢ x ≥ 0"


def test_hypothesis_mentioning_a_shadowed_variable_uses_its_dagger_name():
    pp = run("theorem t (x : ℕ) (h : x = 1) : ∀ x : ℕ, x ≥ 0", "intro x")
    assert pp == "x✝ : ℕ\nh : x✝ = 1\nx : ℕ\n⊢ x ≥ 0"


def test_nested_tags_are_appended():
    pp = run("theorem t (p q : Prop) : p ∨ q ↔ q ∨ p", "constructor", "intro h", "cases h")
    assert pp.startswith("case mp.inl\n")
    assert "\n\ncase mp.inr\n" in pp and "\n\ncase mpr\n" in pp


def test_no_goals():
    assert ProofState(()).pp() == "no goals"


def test_goal_pp_directly():
    g = Goal((Hyp("n", "n", "ℕ"), Hyp("h", "h", parse_prop("n > 0"))), Rel("≠", Var("n"), Var("n")))
    assert g.pp() == "n : ℕ\nh : n > 0\n⊢ n ≠ n"


def test_binder_predicates_print_as_mathlib_does():
    assert run("theorem t : ∃ x : ℕ, x > 0 ∧ x < 5") == "⊢ ∃ x > 0, x < 5"
    assert run("theorem t : ∀ x : ℕ, x ≥ 2 → x * x ≥ 4") == "⊢ ∀ x ≥ 2, x * x ≥ 4"
    assert run("theorem t : ∃ x y : ℕ, x > y") == "⊢ ∃ x y, x > y"
