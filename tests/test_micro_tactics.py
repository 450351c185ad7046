"""Each tactic of the fragment: a success and a failure, with Lean 4's goal naming."""
import pytest
from engine_steps import proves, run

from lean_env.micro import MicroEnv
from lean_env.protocol import LeanError, ProofFinished, TacticState
from lean_env.theorems import Theorem


def fails(statement: str, *tactics: str, match: str = "") -> bool:
    out = run(statement, *tactics)
    return isinstance(out, LeanError) and match in out.message


def pp(statement: str, *tactics: str) -> str:
    out = run(statement, *tactics)
    assert isinstance(out, TacticState), out
    return out.pp


PQ = "theorem t (p q : Prop)"


# ---- intro family ----

def test_intro_names_and_unfolds_negation():
    assert pp(f"{PQ} : p → ¬q", "intro hp hq") == "p q : Prop\nhp : p\nhq : q\n⊢ False"
    assert pp("theorem t (x : ℕ) : x ≠ 0", "intro h") == "x : ℕ\nh : x = 0\n⊢ False"


def test_intro_without_name_is_inaccessible():
    assert pp(f"{PQ} : p → p", "intro") == "p q : Prop\na✝ : p\n⊢ p"


def test_intro_fails_without_binder():
    assert fails(f"{PQ} : p", "intro h", match="insufficient number of binders")


def test_intros_introduces_everything_inaccessibly():
    assert pp("theorem t : ∀ x y : ℕ, x = y → y = x", "intros") == (
        "x✝ y✝ : ℕ\na✝ : x✝ = y✝\n⊢ y✝ = x✝")


def test_rintro_patterns():
    assert pp(f"{PQ} : p ∧ q → q", "rintro ⟨hp, hq⟩") == "case intro\np q : Prop\nhp : p\nhq : q\n⊢ q"
    out = pp(f"{PQ} : p ∨ q → q ∨ p", "rintro (h | h)")
    assert out.startswith("case inl\np q : Prop\nh : p\n⊢ q ∨ p\n\ncase inr")
    assert proves("theorem t (x : ℕ) : ∀ y, y = x + 1 → y > x", "rintro y rfl", "omega")


def test_rename_i_names_the_last_inaccessible_hypotheses():
    assert pp("theorem t : ∀ x y : ℕ, x = y → y = x", "intros", "rename_i a b h") == (
        "a b : ℕ\nh : a = b\n⊢ b = a")
    assert fails("theorem t (x : ℕ) : x = x", "rename_i a", match="too many variable names")


# ---- exact / apply and proof terms ----

def test_exact_with_lemma_and_projection():
    assert proves("theorem t (a b c : ℕ) (h₁ : a ≤ b) (h₂ : b ≤ c) : a ≤ c", "exact Nat.le_trans h₁ h₂")
    assert proves(f"{PQ} (h : p ∧ q) : q ∧ p", "exact ⟨h.2, h.left⟩")
    assert proves(f"{PQ} (h : p ↔ q) (hq : q) : p", "exact h.mpr hq")
    assert proves("theorem t (n : ℕ) (h : 0 < n) : ∃ m, m + 1 = n", "exact ⟨n - 1, by omega⟩")
    assert proves(f"{PQ} (hp : p) (hn : ¬p) : q", "exact absurd hp hn")
    assert proves(f"{PQ} (h : False) : q", "exact False.elim h")
    assert proves(f"{PQ} (hp : p) : q ∨ p", "exact Or.inr hp")
    assert proves("theorem t (x y : ℕ) (h : x = y) : x + 2 = y + 2", "exact congrArg (· + 2) h")
    assert proves("theorem t (x : ℕ) (h : ∀ y : ℕ, y + 0 = y) : x + 0 = x", "exact h x")


def test_exact_type_mismatch_and_unknown_identifier():
    out = run("theorem t (x y : ℕ) (h : x < y) : x ≤ y", "exact h")
    assert isinstance(out, LeanError)
    assert out.message == "type mismatch\n  h\nhas type\n  x < y : Prop\nbut is expected to have type\n  x ≤ y : Prop"
    assert fails(f"{PQ} : p", "exact hp", match="unknown identifier 'hp'")
    assert fails("theorem t (x : ℕ) (h : 0 < x) : ∃ m, m + x = 0", "exact ⟨x, by omega⟩", match="omega")


def test_exact_sees_through_ge_and_not():
    assert proves("theorem t (x y : ℕ) (h : y ≤ x) : x ≥ y", "exact h")
    assert proves(f"{PQ} (h : p → False) : ¬p", "exact h")


def test_apply_leaves_explicit_premises_in_order():
    out = pp("theorem t (a b : ℕ) (h₁ : a ≤ b) (h₂ : b ≤ a) : a = b", "apply Nat.le_antisymm")
    assert out == ("case h₁\na b : ℕ\nh₁ : a ≤ b\nh₂ : b ≤ a\n⊢ a ≤ b\n\n"
                   "case h₂\na b : ℕ\nh₁ : a ≤ b\nh₂ : b ≤ a\n⊢ b ≤ a")
    assert pp("theorem t (a b c : ℕ) (h₁ : a ≤ b) (h₂ : b ≤ c) : a ≤ c", "apply Nat.le_trans h₁").endswith(
        "⊢ b ≤ c")
    assert pp(f"{PQ} (h : p → q) : q", "apply h").endswith("⊢ p")


def test_apply_failures():
    assert fails(f"{PQ} (h : p → q) : p", "apply h", match="could not unify")
    # an implicit argument no premise determines cannot become a metavariable goal
    assert fails("theorem t (a c : ℕ) : a ≤ c", "apply Nat.le_trans", match="synthesize")


# ---- connectives ----

def test_constructor_and_iff_tags():
    assert pp(f"{PQ} : p ↔ q", "constructor").startswith("case mp\np q : Prop\n⊢ p → q\n\ncase mpr")
    assert fails(f"{PQ} : p ∨ q", "constructor", match="constructor")


def test_left_right_exfalso():
    assert pp(f"{PQ} : p ∨ q", "right") == "case h\np q : Prop\n⊢ q"
    assert pp(f"{PQ} : p ∨ q", "left") == "case h\np q : Prop\n⊢ p"
    assert fails(f"{PQ} : p ∧ q", "left", match="left")
    assert pp(f"{PQ} : p", "exfalso") == "p q : Prop\n⊢ False"


def test_contradiction_assumption_trivial():
    assert proves(f"{PQ} (hp : p) (hn : ¬p) : q", "contradiction")
    assert proves("theorem t (x : ℕ) (h : x ≠ x) : False", "contradiction")
    assert fails(f"{PQ} (hp : p) : q", "contradiction", match="contradiction")
    assert proves("theorem t (x y : ℕ) (h : y ≤ x) : x ≥ y", "assumption")
    assert fails(f"{PQ} (hp : p) : q", "assumption", match="assumption")
    assert proves(f"{PQ} (hp : p) : True ∧ p", "trivial")
    assert fails(f"{PQ} : p", "trivial")


def test_rfl_and_decide():
    assert proves("theorem t (x : ℕ) : x + 0 = x", "rfl")
    assert proves("theorem t : 2 + 2 = 4", "rfl")
    assert fails("theorem t (x : ℕ) : 0 + x = x", "rfl", match="not definitionally equal")
    assert proves("theorem t : 3 < 5 ∧ 10 % 3 = 1", "decide")
    assert fails("theorem t : 5 < 3", "decide", match="false")
    assert fails("theorem t (x : ℕ) : x = x", "decide", match="Decidable")


# ---- arithmetic ----

def test_omega_linarith_norm_num_ring():
    assert proves("theorem t (x y : ℕ) (h : x < y) : x + 1 ≤ y", "omega")
    assert fails("theorem t (x y : ℕ) : x < y", "omega", match="omega could not prove the goal")
    assert proves("theorem t (x : ℕ) (h : x ≤ 3) : x ≤ 5", "linarith")
    assert fails("theorem t (x : ℕ) : x ≤ 5", "linarith", match="linarith failed")
    assert proves("theorem t : 12 * 3 = 36", "norm_num")
    assert fails("theorem t (x : ℕ) : x ≤ 5", "norm_num", match="norm_num failed")
    assert proves("theorem t (a b : ℕ) : (a + b) * (a + b) = a * a + 2 * a * b + b * b", "ring")
    assert fails("theorem t (a b : ℕ) : a * b = a + b", "ring", match="ring failed")


# ---- rewriting ----

def test_rw_forward_backward_and_at():
    assert pp("theorem t (a b c : ℕ) : a + b + c = c + b + a", "rw [Nat.add_comm a b]") == (
        "a b c : ℕ\n⊢ b + a + c = c + b + a")
    assert proves("theorem t (a b : ℕ) (h : a = b) : b = a", "rw [← h]")
    assert proves("theorem t (a b : ℕ) (h : a = b) (h2 : a + 1 = 5) : b + 1 = 5", "rw [h] at h2", "exact h2")
    assert proves(f"{PQ} (h : p ↔ q) (hq : q) : p", "rw [h]", "exact hq")
    out = run("theorem t (a b : ℕ) (h : a = b) : b = 1", "rw [h]")
    assert isinstance(out, LeanError) and "did not find instance of the pattern" in out.message


def test_simp_only():
    assert proves("theorem t (a b c : ℕ) : a + b + c = c + b + a",
                  "simp only [Nat.add_comm, Nat.add_assoc, Nat.add_left_comm]")
    assert proves("theorem t (a : ℕ) (h : a = 2) : a + 3 = 5", "simp only [h]")
    assert fails("theorem t (a : ℕ) : a = 5", "simp only [Nat.add_zero]", match="simp made no progress")


# ---- case analysis ----

def test_cases_or_and_exists():
    out = pp(f"{PQ} (h : p ∨ q) : True", "cases h")
    assert out == "case inl\np q : Prop\nh✝ : p\n⊢ True\n\ncase inr\np q : Prop\nh✝ : q\n⊢ True"
    assert pp(f"{PQ} (h : p ∧ q) : q", "cases h") == "case intro\np q : Prop\nleft✝ : p\nright✝ : q\n⊢ q"
    assert pp("theorem t (h : ∃ n : ℕ, n > 3) : True", "cases h") == "case intro\nw✝ : ℕ\nh✝ : w✝ > 3\n⊢ True"
    assert proves(f"{PQ} (h : False) : p", "cases h")
    assert fails(f"{PQ} (h : p) : p", "cases h", match="not an inductive type")


def test_cases_on_nat():
    out = pp("theorem t (n : ℕ) (h : n > 0) : n ≥ 1", "cases n")
    assert out == ("case zero\nh : 0 > 0\n⊢ 0 ≥ 1\n\n"
                   "case succ\nn✝ : ℕ\nh : n✝ + 1 > 0\n⊢ n✝ + 1 ≥ 1")


def test_induction_names_like_lean():
    out = pp("theorem t (n : ℕ) : n + 0 = n", "induction n")
    assert out == ("case zero\n⊢ 0 + 0 = 0\n\n"
                   "case succ\nn✝ : ℕ\na✝ : n✝ + 0 = n✝\n⊢ n✝ + 1 + 0 = n✝ + 1")
    assert pp("theorem t (n : ℕ) : n + 0 = n", "induction n", "rfl", "rename_i k ih").startswith(
        "case succ\nk : ℕ\nih : k + 0 = k\n")
    assert fails(f"{PQ} (h : p) : p", "induction h", match="induction")


def test_rcases_and_obtain():
    assert pp("theorem t (h : ∃ x y : ℕ, x < y) : True", "obtain ⟨x, y, hxy⟩ := h") == (
        "case intro.intro\nx y : ℕ\nhxy : x < y\n⊢ True")
    out = pp("theorem t (p q r : Prop) (h : p ∨ q ∨ r) : True", "rcases h with hp | hq | hr")
    assert "case inr.inr\np q r : Prop\nhr : r\n⊢ True" in out
    assert proves(f"{PQ} (h : p ∧ q) : q", "rcases h with ⟨-, hq⟩", "exact hq")
    assert fails(f"{PQ} (h : p) : p", "obtain ⟨a, b⟩ := h", match="rcases")


def test_by_cases_tags_pos_and_neg():
    assert pp(f"{PQ} : p ∨ ¬p", "by_cases h : p") == (
        "case pos\np q : Prop\nh : p\n⊢ p ∨ ¬p\n\ncase neg\np q : Prop\nh : ¬p\n⊢ p ∨ ¬p")


# ---- existentials, have, specialize ----

def test_exists_and_use_try_trivial():
    assert proves("theorem t : ∃ n : ℕ, n * 2 = 10", "exists 5")
    assert pp("theorem t : ∃ x y : ℕ, x + y = 3 ∧ x = 1", "exists 1") == "⊢ ∃ y, 1 + y = 3 ∧ 1 = 1"
    assert proves("theorem t : ∃ x y : ℕ, x + y = 3 ∧ x = 1", "use 1, 2")
    assert fails("theorem t (x : ℕ) : x = 1", "use 1", match="existential")


def test_have_and_specialize():
    assert pp("theorem t (x : ℕ) (h : x ≤ 3) : x ≤ 5", "have h2 : x ≤ 4 := by omega").endswith(
        "h : x ≤ 3\nh2 : x ≤ 4\n⊢ x ≤ 5")
    assert pp("theorem t (a b : ℕ) (h : a < b) : True", "have := Nat.le_of_lt h").endswith(
        "this : a ≤ b\n⊢ True")
    assert fails("theorem t (x : ℕ) : True", "have h : x = 2 := by omega", match="omega")
    assert pp("theorem t (h : ∀ y : ℕ, y + 1 > y) : True", "specialize h 3") == "h : 3 + 1 > 3\n⊢ True"
    assert fails("theorem t (h : ∀ y : ℕ, y + 1 > y) : True", "specialize g 3", match="unknown identifier")


# ---- combinators and errors ----

def test_combinators():
    assert proves(f"{PQ} (hp : p) (hq : q) : p ∧ q", "constructor <;> assumption")
    assert proves(f"{PQ} (hp : p) (hq : q) : p ∧ q", "constructor", "all_goals assumption")
    assert proves(f"{PQ} (hp : p) (hq : q) : p ∧ q", "constructor; exact hp; exact hq")
    assert pp(f"{PQ} (hp : p) : p ∧ q", "constructor", "try assumption") == "case right\np q : Prop\nhp : p\n⊢ q"


@pytest.mark.parametrize("tactic, message", [
    ("frobnicate", "unknown tactic 'frobnicate'"),
    ("exact (h", "<input>:1:8: unexpected end of input; expected ')'"),
    ("rw [h", "expected ']'"),
])
def test_malformed_tactics_are_parse_errors(tactic, message):
    assert fails(f"{PQ} (h : p) : p", tactic, match=message)


def test_tactic_on_finished_goal_list_is_error_not_exception():
    env = MicroEnv()
    s = env.open(Theorem("t", "theorem t (p : Prop) (h : p) : p"))
    assert isinstance(env.run_tac(s, "exact h"), ProofFinished)
    assert isinstance(env.run_tac(s, "exact h; exact h"), LeanError)


# ---- structured forms and small extras ----

def test_focus_dot_must_close_the_main_goal():
    assert proves(f"{PQ} (hp : p) (hq : q) : p ∧ q", "constructor", "· exact hp", "· exact hq")
    assert fails(f"{PQ} (hp : p) : p ∧ q", "constructor", "· constructor", match="")


def test_induction_and_cases_with_alternatives():
    assert proves("theorem t (n : ℕ) : 0 + n = n",
                  "induction n with\n| zero => rfl\n| succ k ih => rw [← Nat.add_assoc, ih]")
    assert proves(f"{PQ} (h : p ∨ q) : q ∨ p",
                  "cases h with | inl hp => exact Or.inr hp | inr hq => exact Or.inl hq")
    assert fails(f"{PQ} (h : p ∨ q) : q ∨ p", "cases h with | inl hp => exact Or.inr hp",
                 match="alternative 'inr' has not been provided")
    assert fails("theorem t (n : ℕ) : n = 0", "induction n with | zero => rfl | succ k ih => rfl",
                 match="not definitionally equal")


def test_by_contra_symm_refine():
    assert pp("theorem t (x : ℕ) : x ≤ 3", "by_contra h") == "x : ℕ\nh : ¬x ≤ 3\n⊢ False"
    assert pp("theorem t (x : ℕ) : 3 = x", "symm") == "x : ℕ\n⊢ x = 3"
    assert fails("theorem t (x : ℕ) : 3 < x", "symm", match="symm")
    assert pp(f"{PQ} (hq : q) : p ∧ q", "refine ⟨?_, hq⟩") == "p q : Prop\nhq : q\n⊢ p"


def test_simp_uses_a_small_default_set():
    assert proves("theorem t (x : ℕ) : x + 0 = x * 1", "simp")
    assert proves(f"{PQ} (hp : p) : p ∧ True", "simp [hp]")
    assert pp("theorem t (x : ℕ) (h : x * 1 = 0 + 3) : x = 3", "simp at h") == "x : ℕ\nh : x = 3\n⊢ x = 3"
    assert fails("theorem t (x : ℕ) : x = 3", "simp", match="simp made no progress")


def test_omega_sees_shadowed_variables_as_distinct():
    assert fails("theorem t (x : ℕ) (h : x = 2) : ∀ x : ℕ, x = 2", "intro x", "omega", match="omega")
    assert proves("theorem t (x : ℕ) (h : x = 2) : ∀ y : ℕ, x + y ≥ 2", "intro y", "omega")
