"""Variable capture (issue 21): substitution and unification are capture-avoiding.

Lean keeps bound variables apart from free ones (de Bruijn indices), so a lemma
instantiated with a user's `k` under the lemma's own `∀ k` binder never confuses
the two, and prints the binder as `k_1`. The property tests check that renaming
bound variables never changes a verdict, and that lemma applications with
clashing names never close a goal that z3 refutes.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lean_env.micro.arith import is_valid
from lean_env.micro.engine import MicroEnv, initial_goal
from lean_env.micro.parser import parse_statement
from lean_env.micro.syntax import Exists, Forall, MVar, Rel, Var
from lean_env.micro.unify import instantiate, unify
from lean_env.protocol import LeanError, ProofFinished
from lean_env.theorems import Theorem


def run(statement: str, tactics: list[str]):
    """'proved', 'error', or the pretty-printed state after the tactics."""
    env = MicroEnv(solver_timeout_ms=500)
    state = env.open(Theorem(full_name="t", statement=f"theorem t {statement} := by"))
    for tac in tactics:
        out = env.run_tac(state, tac)
        if isinstance(out, ProofFinished):
            return "proved"
        if isinstance(out, LeanError):
            return "error"
        state = out
    return state.pp


# ---- reproductions ------------------------------------------------------------------


def test_lemma_binder_is_renamed_not_captured():
    # Lean: `this : ∀ (k_1 : ℕ), k_1 + k ≤ k_1 + 5`
    pp = run("(k : ℕ) (h : k ≤ 5) : True", ["have := Nat.add_le_add_left h"])
    assert "this : ∀ (k_1 : ℕ), k_1 + k ≤ k_1 + 5" in pp


def test_false_theorem_through_captured_have_is_rejected():
    # 100 + 100 ≤ 100 + 5 is false; Lean: `this 100 : 100 + k ≤ 100 + 5`, a mismatch.
    assert run("(k : ℕ) (h : k ≤ 5) : 100 + 100 ≤ 100 + 5",
               ["have := Nat.add_le_add_left h", "exact this 100"]) == "error"


def test_exact_with_clashing_binder_is_accepted_up_to_alpha():
    # Lean accepts: the lemma's type is alpha-equivalent to the goal.
    assert run("(k : ℕ) (h : k ≤ 5) : ∀ j : ℕ, j + k ≤ j + 5",
               ["exact Nat.add_le_add_left h"]) == "proved"


def test_apply_with_clashing_binder_cannot_prove_false_goal():
    # ∀ k', k' + k' ≤ k' + 5 is false (k' = 6); Lean rejects the application.
    assert run("(k : ℕ) (h : k ≤ 5) : ∀ j : ℕ, j + j ≤ j + 5",
               ["apply Nat.add_le_add_left h"]) == "error"
    assert run("(k : ℕ) (h : k ≤ 5) : ∀ j : ℕ, j + j ≤ j + 5",
               ["exact Nat.add_le_add_left h"]) == "error"


def test_user_formula_after_induction_is_not_captured():
    # After `succ k ih` the new `k` has another internal name; `∀ n, n ≤ k` keeps
    # meaning "every n is at most k", so `Nat.le_refl` does not prove it (Lean:
    # type mismatch), while `∀ n, n ≤ n` it does.
    def after_induction(formula):
        return run("(a : ℕ) : a = a", [
            "induction a with\n  | zero => rfl\n"
            f"  | succ k ih => have h : ∀ n, {formula} := Nat.le_refl; rfl"])
    assert after_induction("n ≤ n") == "proved"
    assert after_induction("n ≤ k") == "error"


def test_show_after_induction_resolves_with_a_capture_check():
    # `show ∀ n, n ≤ n + k` is the goal written by the user: Lean accepts it.
    out = run("(a : ℕ) : ∀ n, n ≤ n + a", [
        "induction a with\n  | zero => intro n; omega\n"
        "  | succ k ih => show ∀ n, n ≤ n + (k + 1); intro m; omega"])
    assert out == "proved"
    # `∀ n, n ≤ n + n` is another proposition (Lean: type mismatch)
    out = run("(a : ℕ) : ∀ n, n ≤ n + a", [
        "induction a with\n  | zero => intro n; omega\n"
        "  | succ k ih => show ∀ n, n ≤ n + n; intro m; omega"])
    assert out == "error"


CLASHING_REJECTED = [
    # (statement, tactics): each false or not provable this way in Lean
    ("(k : ℕ) (h : ∃ k, k = 7) : k = 7", ["obtain ⟨j, hj⟩ := h", "exact hj"]),
    ("(k : ℕ) (h : ∃ j, j = 7) : k = 7", ["obtain ⟨k, hk⟩ := h", "exact hk"]),
    ("(k : ℕ) (h : k ≤ 5) : ∀ j : ℕ, j + j ≤ j + 5", ["intro j", "apply Nat.add_le_add_left h"]),
    ("(k : ℕ) (h : k ≤ 5) : ∀ k : ℕ, k + k ≤ k + 5", ["intro j", "exact Nat.add_le_add_left h j"]),
    ("(k : ℕ) (h : ∀ j, k ≤ j) : ∀ k : ℕ, k ≤ 0", ["intro j", "specialize h 0", "omega"]),
    ("(k : ℕ) (h : k = 3) : ∀ k, k = 3", ["rw [h]"]),
    ("(k : ℕ) (h : k = 5) : ∀ k, k = 5", ["subst h", "intro j", "rfl"]),
    ("(x : ℕ) (h : ∀ y, y = x) : ∀ x, x = 0", ["intro z", "exact h z"]),
    # rw cannot instantiate a pattern with a bound variable (kabstract skips loose bvars)
    ("(k : ℕ) : ∀ j, j + k = k + j", ["rw [Nat.add_comm]"]),
]


def test_clashing_names_never_prove_what_lean_rejects():
    for statement, tactics in CLASHING_REJECTED:
        assert run(statement, tactics) != "proved", (statement, tactics)


def test_witness_named_like_the_binder_is_fine():
    assert run("(k : ℕ) : ∃ k, k = 5", ["exact ⟨5, rfl⟩"]) == "proved"
    assert run("(k : ℕ) (h : k = 5) : ∃ j, j = k", ["exact ⟨k, rfl⟩"]) == "proved"


def test_assigned_metavariable_never_equals_a_bound_variable():
    # ?n := k (free) first; then under `∀ k` the target's `k` is the bound one.
    pat = Rel("≤", MVar("n"), Var("k"))
    sub: dict = {}
    assert unify(pat, Rel("≤", Var("k"), Var("k")), sub)
    inner = Forall("k", Rel("≤", MVar("n"), Var("k")))
    assert not unify(inner, Forall("k", Rel("≤", Var("k"), Var("k"))), dict(sub))


def test_instantiate_renames_capturing_binders():
    p = Exists("k", Rel("=", MVar("n"), Var("k")))
    out = instantiate(p, {"n": Var("k")})
    assert out == Exists("k_1", Rel("=", Var("k"), Var("k_1")))


# ---- properties ---------------------------------------------------------------------

BINDERS = ("j", "m", "x", "y", "k_1", "b")
SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

ALPHA_TEMPLATES = (
    ("(k : ℕ) (h : k ≤ 5) : ∀ {v} : ℕ, {v} + k ≤ {v} + 5", "exact Nat.add_le_add_left h"),
    ("(k : ℕ) (h : k ≤ 5) : ∀ {v} : ℕ, k + {v} ≤ 5 + {v}", "exact Nat.add_le_add_right h"),
    ("(k : ℕ) (h : k ≤ 5) : ∀ {v} : ℕ, {v} + k ≤ {v} + 5", "intro z; exact Nat.add_le_add_left h z"),
    ("(k : ℕ) : ∃ {v} : ℕ, {v} = k", "exact ⟨k, rfl⟩"),
    ("(k : ℕ) (h : ∀ {v} : ℕ, {v} ≤ k) : 0 ≤ k", "exact h 0"),
    ("(k : ℕ) (h : ∀ {v} : ℕ, {v} ≤ k) : k + 1 ≤ k", "exact h (k + 1)"),
    ("(k : ℕ) : ∀ {v} : ℕ, {v} + k = k + {v}", "intro k; omega"),
    ("(k : ℕ) : ∀ {v} : ℕ, {v} ≤ {v} + k", "exact fun z => Nat.le_add_right z k"),
)


@SETTINGS
@given(st.sampled_from(ALPHA_TEMPLATES), st.sampled_from(BINDERS), st.sampled_from(BINDERS))
def test_alpha_renaming_never_changes_a_verdict(template, v1, v2):
    statement, tactic = template
    first = run(statement.format(v=v1), [tactic])
    second = run(statement.format(v=v2), [tactic])
    assert (first == "proved") == (second == "proved"), (statement, tactic, v1, v2)


LEMMA_TACTICS = (
    "exact Nat.add_le_add_left h",
    "exact Nat.add_le_add_right h",
    "apply Nat.add_le_add_left h",
    "have := Nat.add_le_add_left h; exact this",
    "intro k; exact Nat.add_le_add_left h k",
    "intro j; exact Nat.add_le_add_left h j",
    "intro j; exact Nat.add_le_add_right h j",
    "exact fun k => Nat.add_le_add_left h k",
    "exact Nat.le_trans h (Nat.le_refl _)",
    "intro k; exact Nat.le_trans (Nat.le_add_right k k) (Nat.le_refl _)",
)
ATOM = st.sampled_from(("v", "k", "5", "v + v", "j"))


@SETTINGS
@given(st.sampled_from(("k", "k", "j", "x")), ATOM, st.one_of(st.none(), ATOM), st.booleans(),
       st.sampled_from(LEMMA_TACTICS), st.sampled_from(("∀", "∀", "∃")))
def test_clashing_lemma_applications_never_close_refuted_goals(v, a, b, left, tactic, q):
    """Mostly `∀ v, a + k ≤ a + 5` shapes (what the lemmas prove), v often the user's `k`."""
    b = a if b is None else b
    a, b = a.replace("v", v), b.replace("v", v)
    body = f"{a} + k ≤ {b} + 5" if left else f"k + {a} ≤ 5 + {b}"
    statement = f"(k j : ℕ) (h : k ≤ 5) : {q} {v} : ℕ, {body}"
    if run(statement, [tactic]) == "proved":
        goal = initial_goal(parse_statement(f"theorem t {statement} := by"))
        hyps = [hyp.type for hyp in goal.hyps if not isinstance(hyp.type, str)]
        assert is_valid(hyps, goal.target, timeout_ms=2000) is not False, (statement, tactic)
