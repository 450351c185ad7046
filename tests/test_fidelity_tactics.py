"""Fidelity of the engine's tactics to Lean 4 + Mathlib (issue 21): one test per category.
Each test states what Lean does (accepts, rejects, or the state it prints); the engine must
do the same, or be the weaker one, never the stronger."""
from lean_env.micro import MicroEnv
from lean_env.protocol import LeanError, ProofFinished, TacticState
from lean_env.theorems import Theorem


def run(statement: str, *tactics: str):
    """The outcome of the last tactic (earlier ones must give states)."""
    env = MicroEnv()
    state = env.open(Theorem("t", statement))
    outcome = state
    for i, tac in enumerate(tactics):
        outcome = env.run_tac(state, tac)
        if i < len(tactics) - 1:
            assert isinstance(outcome, TacticState), (tac, outcome)
            state = outcome
    return outcome


def proves(statement: str, *tactics: str) -> bool:
    return isinstance(run(statement, *tactics), ProofFinished)


def pp(statement: str, *tactics: str) -> str:
    out = run(statement, *tactics)
    assert isinstance(out, TacticState), out
    return out.pp


def test_use_discharger_is_rfl_assumption_and_intro_true_intro_only():
    # Lean+Mathlib: `use 3` closes `3 + 2 = 5` (with_reducible rfl folds ℕ literals) ...
    assert proves("theorem t : ∃ x : ℕ, x + 2 = 5", "use 3")
    # ... and `h : 3 < 7` by assumption, and both sides of an ∧ by And.intro.
    assert proves("theorem t (h : 3 < 7) : ∃ x : ℕ, x < 7", "use 3")
    assert proves("theorem t : ∃ x : ℕ, x = 2 ∧ x ≤ 2", "use 2")
    # Lean leaves `⊢ 3 < 5` open: use_discharger has no `decide`.
    assert pp("theorem t : ∃ x : ℕ, x < 5", "use 3") == "⊢ 3 < 5"
    # Lean leaves `⊢ 2 = 2 ∧ 2 < 3`: And.intro only applies when every side closes.
    assert pp("theorem t : ∃ x : ℕ, x = 2 ∧ x < 3", "use 2") == "⊢ 2 = 2 ∧ 2 < 3"
    # `exists` is core's `refine ⟨x, ?_⟩; try trivial`, and `trivial` does try `decide`.
    assert proves("theorem t : ∃ x : ℕ, x < 5", "exists 3")
