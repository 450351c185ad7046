"""Closing tactics next to the model's (rir/closers.py): what they are for a printed
state, and how WithClosers adds them to a policy's tactics."""
from lean_env.micro import MicroEnv
from lean_env.protocol import ProofFinished
from lean_env.theorems import Theorem
from rir.closers import WithClosers, closing_tactics, typed_variables
from scripted_policy import ScriptedEnv, ScriptedPolicy
from search.prover import prove

AMGM = "a b c : ℝ\nh₀ : 0 < a ∧ 0 < b\nn : ℕ\n⊢ a ^ 2 + b ^ 2 ≥ 2 * a * b"


def test_nlinarith_gets_the_squares_of_differences_of_same_typed_variables():
    assert typed_variables(AMGM) == {"ℝ": ["a", "b", "c"]}
    tactics = closing_tactics(AMGM)
    assert tactics[:2] == ["norm_num", "linarith"]
    assert tactics[2] == "nlinarith [sq_nonneg (a - b), sq_nonneg (a - c), sq_nonneg (b - c)]"
    assert tactics[3:] == ["omega", "positivity", "ring", "decide"]


def test_only_the_first_goals_visible_variables_count():
    state = "x✝ y : ℤ\n⊢ y = y\n\nz w : ℤ\n⊢ z = w"
    assert typed_variables(state) == {"ℤ": ["y"]}
    assert closing_tactics(state)[2] == "nlinarith"


def test_closers_come_after_the_models_tactics_and_are_not_repeated():
    inner = ScriptedPolicy(tactics={"⊢ A": [("intro h", -0.1), ("norm_num", -0.3)]})
    lists = WithClosers(inner, logprob=-2.0).act("⊢ A", [None])
    texts = [s.text for s in lists[0]]
    assert texts[:2] == ["intro h", "norm_num"] and texts.count("norm_num") == 1
    assert "linarith" in texts and all(s.logprob == -2.0 for s in lists[0][2:])


def test_with_targets_only_the_closers_join_the_first_target():
    inner = ScriptedPolicy(plans={"⊢ A": [("⊢ B", -0.1, [("a", -0.1)]), ("⊢ C", -0.2, [("c", -0.1)])]})
    policy = WithClosers(inner)
    assert [s.text for s in policy.plan("⊢ A")] == ["⊢ B", "⊢ C"]
    first, second = policy.act("⊢ A", ["⊢ B", "⊢ C"])
    assert "linarith" in [s.text for s in first] and [s.text for s in second] == ["c"]


def test_a_policy_that_proposes_nothing_useful_still_proves_what_a_closer_closes():
    env = ScriptedEnv("⊢ A", {("⊢ A", "linarith"): ProofFinished()})
    result = prove(env, WithClosers(ScriptedPolicy(tactics={"⊢ A": [("junk", -0.1)]})),
                   Theorem("t", "theorem t : A"))
    assert result.proof == ["linarith"]
    assert [r[1] for r in env.runs][:2] == ["junk", "norm_num"]


def test_on_the_engine_a_first_step_by_the_model_then_a_closer():
    # The model knows only `intro h`; nlinarith with its hint closes what is left.
    thm = Theorem("amgm", "theorem amgm (a b : ℝ) : 0 < a → a ^ 2 + b ^ 2 ≥ 2 * a * b")
    env = MicroEnv()
    root = env.open(thm)
    policy = WithClosers(ScriptedPolicy(tactics={root.pp: [("intro h", -0.1)]}))
    result = prove(env, policy, thm)
    assert result.status == "proved" and result.proof[0] == "intro h"
    assert result.proof[1].startswith(("nlinarith", "positivity", "linarith"))
