"""MicroEnv end to end: open, run_tac outcomes, errors, whole proofs, soundness, speed."""
import time

import pytest

from lean_env import make_env
from lean_env.errors import OpenError
from lean_env.micro import MicroEnv, run_proof
from lean_env.micro import tactics as micro_tactics
from lean_env.protocol import LeanError, ProofFinished, TacticState, Timeout
from lean_env.theorem_sets import NAMED_SETS
from lean_env.theorems import Theorem, load_theorems


def open_env(statement: str):
    env = MicroEnv()
    return env, env.open(Theorem("demo", statement))


def test_make_env_builds_the_embedded_backend():
    assert isinstance(make_env("embedded"), MicroEnv)


def test_open_gives_the_initial_state():
    env, s = open_env("theorem demo (x y : ℕ) (h : x < y) : x + 1 ≤ y := by omega")
    assert s.pp == "x y : ℕ\nh : x < y\n⊢ x + 1 ≤ y"
    assert s.num_goals == 1 and env.state(s) is not None


def test_open_malformed_statement_raises_open_error_with_position():
    env = MicroEnv()
    with pytest.raises(OpenError, match=r"'broken'.*1:29: unexpected token '<'"):
        env.open(Theorem("broken", "theorem broken (x : ℕ) : x + < 2"))


def test_malformed_tactic_returns_parse_error():
    env, s = open_env("theorem demo (p : Prop) (h : p) : p")
    out = env.run_tac(s, "exact (h")
    assert isinstance(out, LeanError) and out.message.startswith("<input>:1:8:")


def test_states_have_distinct_ids_and_stay_valid():
    env, s0 = open_env("theorem demo (p q : Prop) (hp : p) (hq : q) : p ∧ q")
    s1 = env.run_tac(s0, "constructor")
    assert isinstance(s1, TacticState) and s1.num_goals == 2 and s1.id != s0.id
    s2 = env.run_tac(s1, "exact hp")
    assert s2.num_goals == 1
    # the earlier state can still be expanded differently (search branches)
    assert isinstance(env.run_tac(s1, "exact hq"), LeanError)
    assert isinstance(env.run_tac(s2, "exact hq"), ProofFinished)


def test_unknown_state_is_an_error_value():
    env, s = open_env("theorem demo (p : Prop) (h : p) : p")
    env.close()
    assert isinstance(env.run_tac(s, "exact h"), LeanError)


def test_a_bug_inside_a_tactic_comes_back_as_lean_error(monkeypatch):
    def broken(self, tac, goal):
        raise KeyError("oops")
    monkeypatch.setitem(micro_tactics.TACTICS, "omega", broken)
    env, s = open_env("theorem demo (x : ℕ) : x = x")
    out = env.run_tac(s, "omega")
    assert isinstance(out, LeanError) and "internal error" in out.message


def test_tactic_timeout_returns_timeout():
    env = MicroEnv(tactic_timeout=1e-9)
    s = env.open(Theorem("demo", "theorem demo (x y : ℕ) (h : x < y) : x + 1 ≤ y"))
    assert isinstance(env.run_tac(s, "omega"), Timeout)


@pytest.mark.parametrize("statement, proof", [
    ("theorem demo (p q : Prop) : p ∨ q → q ∨ p",
     ["intro h", "cases h", "right", "assumption", "left", "assumption"]),
    ("theorem demo : ∀ n : ℕ, 0 + n = n",
     ["intro n", "induction n", "rfl", "rename_i k ih", "rw [← Nat.add_assoc, ih]"]),
    ("theorem demo (n : ℕ) (h : ∃ k, n = 2 * k) : n % 2 = 0",
     ["obtain ⟨k, hk⟩ := h", "rw [hk]", "omega"]),
    ("theorem demo (a b c : ℕ) (h₁ : a < b) (h₂ : b < c) : a < c ∧ a ≤ c",
     ["have h := Nat.lt_trans h₁ h₂", "exact ⟨h, Nat.le_of_lt h⟩"]),
    ("theorem demo (p q r : Prop) : (p → q) → (q → r) → p → r",
     ["intro hpq hqr hp", "apply hqr", "apply hpq", "exact hp"]),
])
def test_multi_step_proofs_finish(statement, proof):
    steps = run_proof(statement, proof)
    assert len(steps) == len(proof)
    assert isinstance(steps[-1][2], ProofFinished), steps[-1]


@pytest.mark.parametrize("statement, tactic", [
    ("theorem demo (x y : ℕ) : x - y + y = x", "omega"),
    ("theorem demo (x : ℕ) : x * x ≥ x + 1", "nlinarith"),
    ("theorem demo (x : ℕ) (h : x > 0) : x > 1", "linarith"),
    ("theorem demo (p q : Prop) (h : p ∨ q) : p", "cases h <;> assumption"),
    ("theorem demo (a b : ℕ) : a - b = b - a", "ring"),
    ("theorem demo (n : ℕ) : n / 2 * 2 = n", "norm_num"),
    ("theorem demo (n : ℕ) : n + 1 = n", "rfl"),
    ("theorem demo (a b : ℕ) (h : a = b) : b + 1 = a", "rw [h]"),
    ("theorem demo (p : Prop) : p", "exact absurd"),
    ("theorem demo (a b : ℕ) (h : a ≤ b) : a < b", "exact h"),
    ("theorem demo (p q : Prop) (h : p ↔ q) : q", "exact h.mp"),
])
def test_false_goals_are_never_closed(statement, tactic):
    out = run_proof(statement, [tactic])[-1][2]
    assert not isinstance(out, ProofFinished)


def test_shipped_benchmark_reference_proofs_replay_fast():
    path = NAMED_SETS["micro"]  # shipped: a missing file fails the test
    theorems = [t for t in load_theorems(path) if t.proof][:120]
    env = MicroEnv()
    count, start = 0, time.perf_counter()
    for thm in theorems:
        state = env.open(thm)
        for tac in thm.tactics():
            out = env.run_tac(state, tac)
            count += 1
            state = out if isinstance(out, TacticState) else state
        assert isinstance(out, ProofFinished), (thm.full_name, out)
    rate = count / (time.perf_counter() - start)
    assert rate > 200  # loose floor for a shared CI core; typical is >1,000/s


def test_a_multi_line_reference_proof_splits_as_lean_lays_it_out():
    from lean_env.micro.layout import split_tactics
    from lean_env.replay import check_proof

    proof = ("  have ha : a = 1 := by\n    linarith\n  -- a comment\n  constructor\n"
             "  · exact ha\n  · linarith\n")
    assert split_tactics(proof) == ["have ha : a = 1 := by\n  linarith", "constructor",
                                    "· exact ha", "· linarith"]
    thm = Theorem("t", "theorem t (a b : ℝ) (h₀ : 3 * a + 2 * b = 5) (h₁ : a + b = 2) : a = 1 ∧ b = 1",
                  proof=proof)
    with MicroEnv() as env:
        assert check_proof(env, thm).ok
    # lines the lexer cannot read are split line by line, as before
    assert split_tactics("simp [Finset.sum_range_succ] at h ⊢\nexact ∑ i") == [
        "simp [Finset.sum_range_succ] at h ⊢", "exact ∑ i"]


def test_a_uniformly_indented_block_keeps_its_layout():
    env, s = open_env("theorem demo (p q : Prop) (hp : p) (hq : q) : p ∧ q")
    assert isinstance(env.run_tac(s, "\n    constructor\n    · exact hp\n    · exact hq\n"), ProofFinished)
    # only a first line at the block's column starts it: an indented second line is no tactic
    assert isinstance(env.run_tac(s, "constructor\n    exact hp"), LeanError)
