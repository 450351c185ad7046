"""Fidelity of tactic layout and combinators to Lean 4 (issues 21, 22): tactic blocks as
Lean's whitespace-sensitive parser reads them (src/Lean/Parser/Term.lean `sepByIndent`,
src/Init/Tactics.lean), and the combinators as Lean's macros and elaborators run them.
Each test states what Lean does; the engine must do the same, or be the weaker one."""
from engine_steps import proves, run

from lean_env.protocol import LeanError, TacticState


def pp(statement: str, *tactics: str) -> str:
    out = run(statement, *tactics)
    assert isinstance(out, TacticState), out
    return out.pp


# ---- layout: Lean's whitespace-sensitive tactic blocks (issue 21) ----

def test_a_line_break_at_the_block_column_starts_the_next_tactic():
    # Lean: application arguments are `colGt`, so `rfl` on the next line at the column of
    # `have` is a second tactic, not an argument of `Nat.le_refl a`.
    assert proves("theorem t (a : ℕ) : a = a", "have h : a ≤ a := Nat.le_refl a\nrfl")
    assert pp("theorem t (a : ℕ) : a = a ∧ a ≤ a", "have h : a ≤ a := Nat.le_refl a\nconstructor") == (
        "case left\na : ℕ\nh : a ≤ a\n⊢ a = a\n\ncase right\na : ℕ\nh : a ≤ a\n⊢ a ≤ a")
    # `show P` then a tactic on the next line.
    assert proves("theorem t (a b : ℕ) (h : a < b) : a < b", "show a < b\nexact h")
    # Lean rejects a line indented past the block that continues no tactic.
    out = run("theorem t (p : Prop) (hp : p) : p ∧ p", "constructor\n  exact hp")
    assert isinstance(out, LeanError) and "2:2" in out.message
    # inside brackets there is no position (`withoutPosition`): the term goes on.
    assert proves("theorem t (p q : Prop) (hp : p) (hq : q) : p ∧ q", "exact ⟨hp,\nhq⟩")


def test_nested_by_blocks_end_at_a_smaller_column():
    s = "theorem t (p q : Prop) (hp : p) (hq : q) : p ∧ q"
    assert proves(s, "have h : p ∧ q := by\n  constructor\n  exact hp\n  exact hq\nexact h")
    # Lean: the `by` block ends before `exact h`, with `q` unsolved inside it.
    out = run(s, "have h : p ∧ q := by\n  constructor\n  exact hp\nexact h")
    assert isinstance(out, LeanError) and out.message.startswith("unsolved goals\ncase right")


def test_bullets_case_and_next_blocks_span_lines():
    s = "theorem t (a : ℕ) : a ≤ a ∧ a = a"
    assert proves(s, "constructor\n· exact Nat.le_refl a\n· rfl")
    assert proves(s, "constructor\n· skip\n  exact Nat.le_refl a\n. rfl")
    # `·` must close its goal: Lean reports the unsolved goal.
    out = run(s, "constructor\n· skip\n· rfl")
    assert isinstance(out, LeanError) and out.message.startswith("unsolved goals\ncase left")
    # `case tag => …` picks the goal by tag (any order) and must close it.
    assert proves(s, "constructor\ncase right =>\n  rfl\nexact Nat.le_refl a")
    assert proves(s, "constructor\ncase left => exact Nat.le_refl a\ncase right => rfl")
    out = run(s, "constructor\ncase middle => rfl")
    assert isinstance(out, LeanError) and "Case tag 'middle' not found" in out.message
    # `case` names the inaccessible hypotheses like `rename_i`; `next` takes the main goal.
    n = "theorem t (n : ℕ) : 0 + n = n"
    assert proves(n, "induction n\ncase succ k ih => omega\ncase zero => rfl")
    assert proves(n, "induction n\nnext => rfl\nnext k ih =>\n  rw [← Nat.add_assoc, ih]")
    out = run(n, "induction n\ncase zero x => rfl")
    assert isinstance(out, LeanError) and "too many variable names" in out.message


def test_alternatives_and_chains_across_lines():
    n = "theorem t (n : ℕ) : 0 + n = n"
    assert proves(n, "induction n with\n| zero => rfl\n| succ k ih =>\n  omega")
    assert proves(n, "induction n with\n  | zero => rfl\n  | succ k ih => omega")
    s = "theorem t (a : ℕ) : a ≤ a ∧ a = a"
    assert proves(s, "constructor <;>\n  first\n  | rfl\n  | exact Nat.le_refl a")
    assert proves(s, "constructor\n<;> first\n    | exact Nat.le_refl a\n    | rfl")
    # a nested `with` ends at a `|` left of its own first `|` (`colGe`)
    p = "theorem t (p q : Prop) (h : p ∨ q) (k : p ∨ q) : q ∨ p"
    assert proves(p, "cases h with\n| inl a =>\n  cases k with\n  | inl b => right; exact a\n"
                     "  | inr b => left; exact b\n| inr b => left; exact b")


# ---- combinators as Lean's macros and elaborators (issue 22) ----

def test_combinators_take_a_tactic_sequence():
    s = "theorem t (a : ℕ) : a ≤ a ∧ a = a"
    # Lean: `try t1; t2` is `try (t1; t2)`: here `exact` closes `left`, `rfl` closes `right`.
    assert proves(s, "constructor; try exact Nat.le_refl a; rfl")
    # and the `try` body fails as a whole: the second `exact` fails on `a = a`, so the
    # state is the one before `try`.
    assert pp(s, "constructor", "try skip; exact Nat.le_refl a; exact Nat.le_refl a") == (
        "case left\na : ℕ\n⊢ a ≤ a\n\ncase right\na : ℕ\n⊢ a = a")
    assert proves(s, "constructor; all_goals first | rfl | exact Nat.le_refl a")


def test_any_goals_fails_only_when_it_fails_everywhere():
    s = "theorem t (a : ℕ) : a ≤ a ∧ a = a"
    assert pp(s, "constructor", "any_goals exact Nat.le_refl a") == "case right\na : ℕ\n⊢ a = a"
    out = run(s, "any_goals rfl")
    assert isinstance(out, LeanError) and out.message == "failed on all goals"
    # with no goals left, `any_goals` has nothing to succeed on; `all_goals` succeeds.
    out = run("theorem t (a : ℕ) : a = a", "rfl\nany_goals rfl")
    assert isinstance(out, LeanError) and out.message == "failed on all goals"
    assert proves("theorem t (a : ℕ) : a = a", "rfl\nall_goals rfl")
    # `all_goals` fails when its tactic fails on any goal.
    assert isinstance(run(s, "constructor", "all_goals exact Nat.le_refl a"), LeanError)


def test_repeat_stops_at_the_first_failure_and_iterate_counts():
    s = "theorem t (p : Prop) (hp : p) : p ∧ p ∧ p"
    # `repeat constructor` works on the main goal: it stops when `constructor` fails on `p`.
    assert pp(s, "repeat constructor") == (
        "case left\np : Prop\nhp : p\n⊢ p\n\ncase right\np : Prop\nhp : p\n⊢ p ∧ p")
    assert proves(s, "refine ⟨?_, ?_, ?_⟩ <;> repeat exact hp")
    # Lean's `repeat skip` recurses until "maximum recursion depth has been reached".
    out = run(s, "repeat skip")
    assert isinstance(out, LeanError) and "maximum recursion depth" in out.message
    # `iterate n t` runs t exactly n times; a failure fails.
    assert isinstance(run(s, "iterate 2 constructor"), LeanError)
    assert pp(s, "iterate 1 constructor") == (
        "case left\np : Prop\nhp : p\n⊢ p\n\ncase right\np : Prop\nhp : p\n⊢ p ∧ p")


def test_first_rethrows_the_last_error_and_focus_keeps_other_goals():
    s = "theorem t (a : ℕ) : a ≤ a ∧ a = a"
    out = run(s, "first | rfl | exact Nat.le_refl a")
    assert isinstance(out, LeanError) and "type mismatch" in out.message
    assert pp(s, "constructor", "focus exact Nat.le_refl a") == "case right\na : ℕ\n⊢ a = a"
    out = run(s, "constructor", "done")
    assert isinstance(out, LeanError) and out.message.startswith("unsolved goals")


def test_goal_order_tactics_wildcard_alternatives_and_case_bars():
    s = "theorem t (a : ℕ) : a ≤ a ∧ a = a"
    assert proves(s, "constructor\nswap\nrfl\nexact Nat.le_refl a")
    assert pp(s, "constructor\nrotate_left\nrfl") == "case left\na : ℕ\n⊢ a ≤ a"
    assert pp(s, "constructor\nrotate_right 3") == "case right\na : ℕ\n⊢ a = a\n\ncase left\na : ℕ\n⊢ a ≤ a"
    out = run(s, "swap")
    assert isinstance(out, LeanError) and out.message == "not enough goals"
    # `| _ => tac` serves every case not named; `case a | b => tac` runs tac on both.
    assert proves("theorem t (n : ℕ) : 0 + n = n", "induction n with\n| zero => rfl\n| _ => omega")
    assert proves("theorem t (p q : Prop) (h : p ∨ q) : q ∨ p",
                  "cases h with\n| inr h => left; exact h\n| _ h => right; exact h")
    assert proves("theorem t (a : ℕ) : a = a ∧ a = a", "constructor\ncase left | right => rfl")


def test_every_corpus_proof_runs_as_one_tactic_block():
    # A by-block's tactics separated by line breaks are Lean's `t1; t2; …`: each reference
    # proof of the corpus, sent as one multi-line tactic, closes its theorem. (Joined by
    # `; ` instead, a proof with `have … := by omega` then `omega` would differ: the `by`
    # takes the rest of the line.)
    from lean_env.micro import MicroEnv
    from lean_env.protocol import ProofFinished
    from lean_env.theorem_sets import load_theorem_set
    from lean_env.theorems import Theorem

    env = MicroEnv()
    failures = []
    for t in load_theorem_set("micro"):
        block = "\n".join(t.tactics())
        state = env.open(Theorem(t.full_name, t.statement))
        if not isinstance(env.run_tac(state, block), ProofFinished):
            failures.append(t.full_name)
    assert not failures, failures[:5]
