"""Fidelity of the engine's tactics to Lean 4 + Mathlib (issue 21): one test per category.
Each test states what Lean does (accepts, rejects, or the state it prints); the engine must
do the same, or be the weaker one, never the stronger."""
from engine_steps import proves, run

from lean_env.protocol import LeanError, TacticState


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
    assert pp("theorem t : ∃ x : ℕ, x < 5", "use 3") == "case h\n⊢ 3 < 5"
    # Lean leaves `⊢ 2 = 2 ∧ 2 < 3`: And.intro only applies when every side closes.
    assert pp("theorem t : ∃ x : ℕ, x = 2 ∧ x < 3", "use 2") == "case h\n⊢ 2 = 2 ∧ 2 < 3"
    # `exists` is core's `refine ⟨x, ?_⟩; try trivial`, and `trivial` does try `decide`.
    assert proves("theorem t : ∃ x : ℕ, x < 5", "exists 3")


def test_rw_closes_with_reducible_rfl_and_fails_without_pattern():
    # Lean: `rw` is `rewrite` then `with_reducible rfl`; Eq.refl folds ℕ literals, so after
    # `rw [h]` the goal `2 + 2 = 4` is closed and a following `norm_num` says "no goals".
    assert proves("theorem t (a : ℕ) (h : a = 2) : a + 2 = 4", "rw [h]")
    # `le_refl` is @[refl]: `rw [h]` closes `b ≤ b`; `≥` unfolds reducibly to `≤`.
    assert proves("theorem t (a b : ℕ) (h : a = b) : a ≤ b", "rw [h]")
    assert proves("theorem t (a b : ℕ) (h : a = b) : a ≥ b", "rw [h]")
    # `rewrite` does not try rfl: Lean prints the rewritten goal.
    assert pp("theorem t (a b : ℕ) (h : a = b) : a = b", "rewrite [h]") == "a b : ℕ\nh : a = b\n⊢ b = b"
    # reducible rfl does not unfold `+` on variables: `b + 0 = b` stays open after `rw`.
    assert pp("theorem t (a b : ℕ) (h : a = b) : a + 0 = b", "rw [h]") == "a b : ℕ\nh : a = b\n⊢ b + 0 = b"
    # Lean rejects a rule whose pattern does not occur, in the target or at a hypothesis.
    for tactic in ("rw [h]", "rw [h] at h2", "rw [Nat.mul_comm]"):
        out = run("theorem t (a b c : ℕ) (h : c = b) (h2 : a = 1) : a + 1 = 2", tactic)
        assert isinstance(out, LeanError) and "did not find instance of the pattern" in out.message, tactic


def test_by_contra_names_as_batteries_does():
    # Lean: unnamed `by_contra` gives an inaccessible hypothesis, which `exact this` cannot name.
    assert pp("theorem t (p : Prop) (hp : p) : p", "by_contra") == "p : Prop\nhp : p\nx✝ : ¬p\n⊢ False"
    out = run("theorem t (p : Prop) (hp : ¬p) : ¬p", "by_contra", "exact hp this")
    assert isinstance(out, LeanError) and "unknown identifier 'this'" in out.message
    # On `¬q` it is `intro`: `h : q`, not `h : ¬¬q`; on `a ≠ b` (reducibly `¬a = b`), `h : a = b`.
    assert pp("theorem t (q : Prop) : ¬q", "by_contra h") == "q : Prop\nh : q\n⊢ False"
    assert pp("theorem t (a b : ℕ) : a ≠ b", "by_contra h") == "a b : ℕ\nh : a = b\n⊢ False"
    assert pp("theorem t (a b : ℕ) : a ≤ b", "by_contra h") == "a b : ℕ\nh : ¬a ≤ b\n⊢ False"


def test_by_cases_unnamed_is_hygienic():
    # Lean: `by_cases p` names the hypothesis `h✝` (inaccessible) in both cases.
    assert pp("theorem t (p : Prop) : p ∨ ¬p", "by_cases p") == (
        "case pos\np : Prop\nh✝ : p\n⊢ p ∨ ¬p\n\ncase neg\np : Prop\nh✝ : ¬p\n⊢ p ∨ ¬p")
    out = run("theorem t (p : Prop) : p ∨ ¬p", "by_cases p", "exact Or.inl h")
    assert isinstance(out, LeanError) and "unknown identifier 'h'" in out.message
    assert proves("theorem t (p : Prop) : p ∨ ¬p", "by_cases h : p", "exact Or.inl h", "exact Or.inr h")


def test_by_takes_the_whole_tactic_sequence():
    # Lean parses `have h : P := by tac1; tac2` as `have h : P := by (tac1; tac2)`: both
    # tactics run inside the `by` block, and the main goal is untouched by `tac2`.
    statement = "theorem t (p q : Prop) (hp : p) (hq : q) : q ∧ p"
    assert pp(statement, "have h : p ∧ q := by constructor; exact hp; exact hq") == (
        "p q : Prop\nhp : p\nhq : q\nh : p ∧ q\n⊢ q ∧ p")
    # Lean rejects this: the second `exact hq` runs inside the block, where no goals are left
    # (read as `(by exact hq); exact hq` it would close the main goal `q`).
    out = run("theorem t (q : Prop) (hq : q) : q", "have h : q := by exact hq; exact hq")
    assert isinstance(out, LeanError)
    # inside a term the block still ends at `,` and `⟩`
    assert proves("theorem t (p q : Prop) (hp : p) (hq : q) : p ∧ q", "exact ⟨by exact hp, by exact hq⟩")


def test_simp_only_closes_only_by_eq_self_iff_self_and_literals():
    # Lean: `simp only [h]` rewrites `a ≤ b` to `b ≤ b` and stops there: `le_refl` is not
    # in the set, so the goal is printed, not closed.
    assert pp("theorem t (a b : ℕ) (h : a = b) : a ≤ b", "simp only [h]") == "a b : ℕ\nh : a = b\n⊢ b ≤ b"
    # `eq_self` and ℕ literal evaluation do close it (`simp only [h]` on `a + 3 = 5`).
    assert proves("theorem t (a b : ℕ) (h : a = b) : a = b", "simp only [h]")
    assert proves("theorem t (a : ℕ) (h : a = 2) : a + 3 ≤ 5", "simp only [h]")
    # the full simp set has `le_refl`: Lean's `simp [h]` closes it.
    assert proves("theorem t (a b : ℕ) (h : a = b) : a ≤ b", "simp [h]")


def test_simp_normal_form_ne_eq_not_lt_not_le_ge_gt():
    # Lean+Mathlib's simp set rewrites with ne_eq, not_lt, not_le, ge_iff_le, gt_iff_lt.
    base = "theorem t (a b c : ℕ) (hc : c = 0) :"
    assert pp(f"{base} a + c ≠ b", "simp [hc]").endswith("⊢ ¬a = b")
    assert pp(f"{base} ¬a + c < b", "simp [hc]").endswith("⊢ b ≤ a")
    assert pp(f"{base} ¬a + c ≤ b", "simp [hc]").endswith("⊢ b < a")
    assert pp(f"{base} a + c ≥ b", "simp [hc]").endswith("⊢ b ≤ a")
    assert pp(f"{base} a + c > b", "simp [hc]").endswith("⊢ b < a")
    # `simp only` has none of them: only the rewrite by `hc` (and `Nat.add_zero`) happens.
    assert pp(f"{base} a + c ≥ b", "simp only [hc, Nat.add_zero]").endswith("⊢ a ≥ b")


def test_case_tags_after_apply_left_right_use():
    # Lean's `appendParentTag`: a lone new metavariable keeps the parent's tag, otherwise
    # each goal is tagged by its binder name; `left`/`right` apply `Or.inl`/`Or.inr`
    # ({a b : Prop} (h : a)), `use` leaves `Exists.intro`'s `h`.
    assert pp("theorem t (p q : Prop) (hp : p) : p ∨ q", "left") == "case h\np q : Prop\nhp : p\n⊢ p"
    assert pp("theorem t (p q : Prop) (hq : q) : p ∨ q", "right") == "case h\np q : Prop\nhq : q\n⊢ q"
    assert pp("theorem t (p q : Prop) : p ∨ q → q ∨ p", "intro h", "cases h", "right").startswith(
        "case inl.h\n")
    assert pp("theorem t : ∃ x : ℕ, x < 5", "use 3").startswith("case h\n")
    # `apply h` with `h : p → q` adds one metavariable: the goal keeps the (empty) tag.
    assert pp("theorem t (p q : Prop) (h : p → q) : q", "apply h") == "p q : Prop\nh : p → q\n⊢ p"
    # `apply h` with `h : ∀ n, n > 0 → P n` adds two (n is assigned): the premise is `case a`.
    out = pp("theorem t (x : ℕ) (h : ∀ n : ℕ, n > 0 → n ≥ 1) (hx : x > 0) : x ≥ 1", "apply h")
    assert out.startswith("case a\n") and out.endswith("⊢ x > 0")
    # implicit arguments count: `Nat.succ_le_of_lt {n m : ℕ} (h : n < m)` adds three.
    assert pp("theorem t (a b : ℕ) (h : a < b) : a + 1 ≤ b", "apply Nat.succ_le_of_lt") == (
        "case h\na b : ℕ\nh : a < b\n⊢ a < b")


def test_subst_keeps_the_context_in_scope():
    # Lean's `subst` reverts the hypotheses that mention the variable and reintroduces them
    # after the rest, so `hx` (now about `y`) comes after `y : ℕ`; `rcases h with rfl` too.
    statement = "theorem t (x : ℕ) (hx : x > 2) (y : ℕ) (h : x = y + 1) : x > 0"
    expected = "y : ℕ\nhx : y + 1 > 2\n⊢ y + 1 > 0"
    assert pp(statement, "subst h") == expected
    assert pp(statement, "rcases h with rfl") == expected
    assert pp(statement, "obtain rfl := h") == expected


def test_constructor_closes_le_refl():
    # Lean: `constructor` on `a ≤ a` applies `Nat.le.refl`; `<` is not reducibly inductive.
    assert proves("theorem t (a : ℕ) : a ≤ a", "constructor")
    assert proves("theorem t (a : ℕ) : a + 0 ≥ a", "constructor")
    out = run("theorem t (a : ℕ) : a < a + 1", "constructor")
    assert isinstance(out, LeanError)


# ---- names after induction / cases (issue 21) ----

def test_induction_keeps_binder_names_and_takes_the_users_names():
    s = "theorem t (m : ℕ) : ∀ n : ℕ, m + n = n + m"
    # Lean: the new variable is `n✝`; the binder `n` of the goal is not renamed (no `n_1`).
    assert pp(s, "induction m").split("\n\n")[1] == (
        "case succ\nn✝ : ℕ\na✝ : ∀ (n : ℕ), n✝ + n = n + n✝\n⊢ ∀ (n : ℕ), n✝ + 1 + n = n + (n✝ + 1)")
    assert pp(s, "cases m").split("\n\n")[1] == (
        "case succ\nn✝ : ℕ\n⊢ ∀ (n : ℕ), n✝ + 1 + n = n + (n✝ + 1)")
    assert pp(s, "rcases m with _ | k").split("\n\n")[1] == (
        "case succ\nk : ℕ\n⊢ ∀ (n : ℕ), k + 1 + n = n + (k + 1)")
    # named `n` by the user, the binder now shadows a used local: Lean's pp shows `n_1`.
    out = run(s, "induction m with\n| zero => omega\n| succ n ih => skip")
    assert isinstance(out, LeanError) and out.message.endswith(
        "case succ\nn : ℕ\nih : ∀ (n_1 : ℕ), n + n_1 = n_1 + n\n⊢ ∀ (n_1 : ℕ), n + 1 + n_1 = n_1 + (n + 1)")
    # `rename_i` names both the variable and the hypothesis mentioning it.
    assert pp(s, "induction m", "· intro n; omega", "rename_i k ih") == (
        "case succ\nk : ℕ\nih : ∀ (n : ℕ), k + n = n + k\n⊢ ∀ (n : ℕ), k + 1 + n = n + (k + 1)")
    # a user's `n_1` is just a name
    assert pp("theorem t (n : ℕ) : ∀ n_1 : ℕ, n + n_1 = n_1", "induction n").split("\n\n")[1] == (
        "case succ\nn✝ : ℕ\na✝ : ∀ (n_1 : ℕ), n✝ + n_1 = n_1\n⊢ ∀ (n_1 : ℕ), n✝ + 1 + n_1 = n_1")
    # the named variable can be used by the user's formulas
    assert proves(s, "induction m with\n| zero => omega\n| succ k ih =>\n  intro n\n"
                     "  have h : k + n = n + k := ih n\n  omega")


# ---- common proofs Lean accepts (issue 21: weaker-than-Lean cases) ----

def test_exact_and_assumption_see_lt_as_succ_le():
    # Lean: `Nat.lt n m := n + 1 ≤ m` (and `Int.lt`), defeq at default transparency, so
    # `exact h`, `assumption` and `show` accept either form (`Nat.lt_iff_add_one_le := .rfl`).
    assert proves("theorem t (a b : ℕ) (h : a + 1 ≤ b) : a < b", "exact h")
    assert proves("theorem t (a b : ℕ) (h : a < b) : a + 1 ≤ b", "exact h")
    assert proves("theorem t (a b : ℕ) (h : a + 1 ≤ b) : b > a", "exact h")
    assert proves("theorem t (a b : ℕ) (h : a < b) : a + 1 ≤ b", "assumption")
    assert proves("theorem t (a b : ℤ) (h : a + 1 ≤ b) : a < b", "exact h")
    # `0 < n` is `0 + 1 ≤ n`, and ℕ literal arithmetic reduces: `1 ≤ n` proves it
    assert proves("theorem t (n : ℕ) (h : 1 ≤ n) : 0 < n", "exact h")
    assert proves("theorem t (n : ℕ) (h : 0 < n) : n ≥ 1", "exact h")
    assert not proves("theorem t (n : ℕ) (h : 1 ≤ n) : 1 < n", "exact h")
    assert pp("theorem t (a b : ℕ) (h : a < b) : a + 1 ≤ b", "show a < b") == (
        "a b : ℕ\nh : a < b\n⊢ a < b")
    # ... but not on ℝ, where `<` is no such definition; nor `a + 2 ≤ b` for `a < b`.
    assert isinstance(run("theorem t (a b : ℝ) (h : a + 1 ≤ b) : a < b", "exact h"), LeanError)
    assert isinstance(run("theorem t (a b : ℕ) (h : a ≤ b) : a < b", "exact h"), LeanError)


def test_expected_type_flows_into_arguments():
    # Lean elaborates `rfl` after unifying `Or.inl`'s result with the goal.
    assert proves("theorem t : 1 = 1 ∨ 1 = 2", "exact Or.inl rfl")
    assert proves("theorem t : 1 = 2 ∨ 1 = 1", "exact Or.inr rfl")
    assert proves("theorem t (a : ℕ) : a = a ∧ True", "exact And.intro rfl trivial")
    assert isinstance(run("theorem t : 1 = 2 ∨ 1 = 1", "exact Or.inl rfl"), LeanError)
    # with no expected type there is nothing to flow: Lean cannot synthesize `?a`.
    assert isinstance(run("theorem t (a : ℕ) : a = a", "have := Or.inl rfl"), LeanError)


def test_have_by_block_with_intro():
    assert proves("theorem t : ∀ x : ℕ, x + 0 = x", "have h : ∀ x : ℕ, x + 0 = x := by intro x; simp\nexact h")
    assert proves("theorem t (p q : Prop) (hq : q) : p → q", "have h : p → q := by intro _; exact hq\nexact h")


# ---- typed binders in the structural tactics (issue 22, F1) ----

def test_intro_and_destructuring_keep_binder_types():
    assert pp("theorem t : ∀ x : ℝ, ∀ n : ℕ, x + n = n + x", "intro x n") == (
        "x : ℝ\nn : ℕ\n⊢ x + ↑n = ↑n + x")
    assert pp("theorem t : ∀ x : ℝ, ∀ n : ℕ, x + n = n + x", "intros") == (
        "x✝ : ℝ\nn✝ : ℕ\n⊢ x✝ + ↑n✝ = ↑n✝ + x✝")
    assert pp("theorem t : ∀ x y : ℤ, x < y → x + 1 ≤ y", "rintro x y h") == (
        "x y : ℤ\nh : x < y\n⊢ x + 1 ≤ y")
    assert pp("theorem t (h : ∃ x : ℝ, x > 0) : True", "obtain ⟨x, hx⟩ := h") == (
        "case intro\nx : ℝ\nhx : x > 0\n⊢ True")
    assert pp("theorem t (h : ∃ x : ℚ, x > 0) : True", "rcases h with ⟨_, hx⟩") == (
        "case intro\nw✝ : ℚ\nhx : w✝ > 0\n⊢ True")


def test_witnesses_and_arguments_are_elaborated_at_the_binder_type():
    # Lean elaborates `use 1/2` at ℝ (field division, not ℕ's 1 / 2 = 0) and `use n`
    # with `↑n`; with_reducible rfl closes `↑n = ↑n` but not `(1 : ℝ) + 1 = 2`.
    assert pp("theorem t : ∃ x : ℝ, 2 * x = 1", "use 1/2") == "case h\n⊢ 2 * (1 / 2) = 1"
    assert proves("theorem t : ∃ x : ℝ, 2 * x = 1", "use 1/2", "norm_num")
    assert proves("theorem t (n : ℕ) : ∃ x : ℝ, x = n", "use n")
    assert pp("theorem t : ∃ x : ℝ, x + 1 = 2", "use 1") == "case h\n⊢ 1 + 1 = 2"
    assert pp("theorem t : ∃ x : ℤ, x + 3 = 1", "use -2") == "case h\n⊢ -2 + 3 = 1"
    assert isinstance(run("theorem t : ∃ x : ℕ, x + 3 = 1", "use -2"), LeanError)
    # `specialize h y` / `exact h y` insert the coercion of a ℕ argument to ℝ.
    s = "theorem t (h : ∀ x : ℝ, x ^ 2 ≥ 0) (y : ℕ) : (y : ℝ) ^ 2 ≥ 0"
    assert pp(s, "specialize h y") == "y : ℕ\nh : ↑y ^ 2 ≥ 0\n⊢ ↑y ^ 2 ≥ 0"
    assert proves(s, "exact h y")
    # a real is not a proof
    out = run("theorem t (x : ℝ) : x = x", "exact x")
    assert isinstance(out, LeanError)


def test_no_literal_folding_outside_nat():
    # Lean's with_reducible rfl reduces ℕ literals only; folding ℝ literals with ℕ's
    # truncated subtraction would "prove" (2 : ℝ) - 3 + 1 = 1 + 0, which is false.
    assert not proves("theorem t (a : ℝ) (h : a = 2) : a - 3 + 1 = 1 + 0", "rw [h]")
    assert not proves("theorem t : ∃ x : ℝ, x - 3 + 1 = 1 + 0", "use 2")
    assert proves("theorem t (a : ℕ) (h : a = 2) : a - 3 + 1 = 1 + 0", "rw [h]")


def test_structural_tactics_on_typed_goals():
    # induction and cases are refused on ℝ/ℤ variables (weaker: Lean has Int/Real eliminators)
    for tactic in ("induction x", "cases x"):
        assert isinstance(run("theorem t (x : ℝ) : x = x", tactic), LeanError)
    assert pp("theorem t (x y : ℝ) (h : x = y + 1) : x - 1 = y", "subst h") == "y : ℝ\n⊢ y + 1 - 1 = y"
    assert pp("theorem t (x y : ℝ) (h : x = y + 1) : x - 1 = y", "rcases h with rfl") == "y : ℝ\n⊢ y + 1 - 1 = y"
    assert pp("theorem t (x : ℝ) (p : Prop) : x = x ∨ p", "by_cases h : x = 0").startswith(
        "case pos\nx : ℝ\np : Prop\nh : x = 0\n⊢ x = x ∨ p")
    assert proves("theorem t (x : ℝ) (h : x < x) (h2 : ¬x < x) : False", "contradiction")
    assert pp("theorem t (x : ℝ) : x = x ∨ x < x", "left") == "case h\nx : ℝ\n⊢ x = x"
    # `constructor` closes `a ≤ a` by `Nat.le.refl` on ℕ only: `≤` on ℝ is no inductive type
    assert proves("theorem t (x : ℕ) : x ≤ x", "constructor")
    assert isinstance(run("theorem t (x : ℝ) : x ≤ x", "constructor"), LeanError)
    assert proves("theorem t (x : ℝ) : x ≤ x", "rfl")  # `le_refl` is @[refl]


# ---- push_neg (Mathlib/Tactic/PushNeg.lean) ----

def test_push_neg_rules_as_mathlib():
    cases = {  # goal -> the goal Lean prints after `push_neg`
        "¬∀ x : ℝ, ∃ y : ℝ, x ≤ y": "∃ x, ∀ (y : ℝ), y < x",
        "¬(p ∧ q)": "p → ¬q",  # not `¬p ∨ ¬q`: push_neg.use_distrib is off by default
        "¬(p ∨ q)": "¬p ∧ ¬q",
        "¬(p ↔ q)": "p ∧ ¬q ∨ ¬p ∧ q",
        "¬¬p": "p",
        "¬(p → q)": "p ∧ ¬q",
        "¬(a < b)": "b ≤ a",
        "¬(a ≤ b)": "b < a",
        "¬(a ≥ b) ∧ ¬(a > b)": "a < b ∧ a ≤ b",
        "¬(a = b)": "a ≠ b",
        "¬(a ≠ b)": "a = b",
        "¬∃ x : ℤ, x > a ∧ x < b": "∀ x > a, b ≤ x",
        "p → ¬¬(a ≤ b)": "p → a ≤ b",  # pushed at every position
    }
    for goal, shown in cases.items():
        out = pp(f"theorem t (a b : ℤ) (p q : Prop) : {goal}", "push_neg")
        assert out.splitlines()[-1] == "⊢ " + shown, goal


def test_push_neg_at_hypotheses_and_failures():
    s = "theorem t (h : ¬∀ ε : ℝ, ε > 0 → ∃ δ : ℝ, δ > 0 ∧ δ < ε) : False"
    assert pp(s, "push_neg at h") == "h : ∃ ε > 0, ∀ δ > 0, ε ≤ δ\n⊢ False"
    assert proves("theorem t (a : ℕ) (h : ¬a ≤ 3) : 3 < a", "push_neg at h\nexact h")
    assert pp("theorem t (p : Prop) (h : ¬¬p) : ¬¬p", "push_neg at h ⊢") == "p : Prop\nh : p\n⊢ p"
    # Lean: nothing to push is an error, at the goal or at a hypothesis; `∣` has no rule.
    for statement, tactic in (("theorem t (a b : ℕ) : a ≠ b", "push_neg"),
                              ("theorem t (a b : ℕ) : ¬a ∣ b", "push_neg"),
                              ("theorem t (p : Prop) (h : p) : p", "push_neg at h")):
        out = run(statement, tactic)
        assert isinstance(out, LeanError) and out.message == "push_neg made no progress", statement
    assert isinstance(run("theorem t (p : Prop) (h : p) : ¬¬p", "push_neg [h]"), LeanError)


def test_contradiction_decides_closed_hypotheses():
    # Lean's Contradiction.Config has useDecide := true: a closed decidable hypothesis that
    # evaluates to false closes the goal (the docstring's `h : 2 + 2 = 3`).
    assert proves("theorem t (p : Prop) (h : 2 + 2 = 5) : p", "contradiction")
    assert not proves("theorem t (p : Prop) (h : 2 + 2 = 4) : p", "contradiction")
    # real equality has no computable Decidable instance
    assert not proves("theorem t (p : Prop) (h : (2 : ℝ) + 2 = 5) : p", "contradiction")
    # and a hypothesis with free variables is not decided
    assert not proves("theorem t (p : Prop) (x : ℕ) (h : x + 1 = 0) : p", "contradiction")


def test_subst_a_variable_eliminates_that_variable():
    # Lean: `subst h` with `h : a = b` replaces the variable `b` (else `a`); `subst x`
    # finds an equation `x = e` or `e = x` and eliminates `x` itself.
    s = "theorem t (x y : ℝ) (h : x = y) : x - 1 = y"
    assert pp(s, "subst h") == "x : ℝ\n⊢ x - 1 = x"
    assert pp(s, "subst x") == "y : ℝ\n⊢ y - 1 = y"
    assert pp("theorem t (x y : ℤ) (h : y + 1 = x) : x - 1 = y", "subst x") == "y : ℤ\n⊢ y + 1 - 1 = y"
    out = run("theorem t (x y : ℝ) (h : x ≤ y) : x = y", "subst x")
    assert isinstance(out, LeanError) and "did not find equation" in out.message


def test_mathlib_cases_prime_and_induction_prime_name_in_order():
    # Mathlib's `cases' h with a b`: the names go to the new hypotheses, goal after goal.
    assert pp("theorem t (p q : Prop) (h : p ∨ q) : q ∨ p", "cases' h with hp hq") == (
        "case inl\np q : Prop\nhp : p\n⊢ q ∨ p\n\ncase inr\np q : Prop\nhq : q\n⊢ q ∨ p")
    assert pp("theorem t (x : ℝ) (h : ∃ y : ℝ, y > x ∧ y < 0) : x < 0", "cases' h with y hy") == (
        "case intro\nx y : ℝ\nhy : y > x ∧ y < 0\n⊢ x < 0")
    n = "theorem t (n : ℕ) : 0 + n = n"
    assert pp(n, "induction' n with k ih").split("\n\n")[1] == (
        "case succ\nk : ℕ\nih : 0 + k = k\n⊢ 0 + (k + 1) = k + 1")
    assert proves(n, "induction' n with k ih\nrfl\nomega")
    assert isinstance(run(n, "cases' n with k j l"), LeanError)
    out = run(n, "induction' n with k ih generalizing m")
    assert isinstance(out, LeanError) and "does not model" in out.message


def test_by_contra_bang_pushes_the_negation():
    # Mathlib: `by_contra! h` is `by_contra h; try push_neg at h`; unnamed, `this`.
    assert pp("theorem t : 1 < 2", "by_contra! h") == "h : 2 ≤ 1\n⊢ False"
    assert pp("theorem t : 1 < 2", "by_contra!") == "this : 2 ≤ 1\n⊢ False"
    assert pp("theorem t (p : Prop) : p", "by_contra! h") == "p : Prop\nh : ¬p\n⊢ False"
    # `by_contra! h : t` keeps t as written, when it pushes to the same normal form.
    assert pp("theorem t : 1 < 2", "by_contra! h : ¬1 < 2") == "h : ¬1 < 2\n⊢ False"
    assert isinstance(run("theorem t : 1 < 2", "by_contra! h : 2 < 1"), LeanError)
    s = "theorem t (x : ℝ) : ∀ y : ℝ, y > 0 → y ≠ x → y ^ 2 ≠ 4"
    assert pp(s, "by_contra! h") == "x : ℝ\nh : ∃ y > 0, y ≠ x ∧ y ^ 2 = 4\n⊢ False"


def test_calc_chains_steps_by_trans_instances():
    s = "theorem t (a b c : ℕ) (h1 : a ≤ b) (h2 : b < c) : a < c"
    # Lean: `≤` then `<` gives `<`; later steps start with `_` on their own lines.
    assert proves(s, "calc a ≤ b := h1\n  _ < c := h2")
    assert proves(s, "calc a ≤ b := by exact h1\n  _ < c := by\n    exact h2")
    assert proves(s, "have : a < c := by\n  calc a ≤ b := h1\n  _ < c := h2\nexact this")
    # each step is checked against its own relation
    assert isinstance(run(s, "calc a ≤ b := h2\n  _ < c := h2"), LeanError)
    # no `Trans` instance for `≤` then `≥`
    out = run("theorem t (a b c : ℕ) (h1 : a ≤ b) (h2 : b ≥ c) : a ≤ c", "calc a ≤ b := h1\n  _ ≥ c := h2")
    assert isinstance(out, LeanError) and "Trans" in out.message
    # `calc a` then `_ = …` steps; a step is elaborated at the type of `_` (ℝ here)
    assert proves("theorem t (x : ℝ) (h : x = 2) : x * x = 4",
                  "calc x * x\n    _ = 2 * 2 := by rw [h]\n    _ = 4 := by norm_num")
    # a chain short of the goal leaves Lean's last step `rhs R rhs'` as goal `calc.step`
    assert pp("theorem t (a b c d : ℕ) (h1 : a ≤ b) (h2 : b < c) : a < d",
              "calc a ≤ b := h1\n  _ < c := h2") == (
        "case calc.step\na b c d : ℕ\nh1 : a ≤ b\nh2 : b < c\n⊢ c < d")
    # ... but a strict chain never proves a non-strict goal it does not match
    assert isinstance(run("theorem t (a b c : ℕ) (h1 : a ≤ b) (h2 : b < c) : a ≤ c",
                          "calc a ≤ b := h1\n  _ < c := h2"), LeanError)


def test_simpa_closes_with_the_simplified_term():
    # Mathlib's simpa: simp the goal and the type of `e`, then `exact e` up to defeq.
    assert proves("theorem t (a b : ℕ) (h : a + 0 = b) : a = b + 0", "simpa using h")
    assert proves("theorem t (p : Prop) (h : p ∧ False) : p", "simpa using h")  # h simps to False
    assert proves("theorem t (a b : ℕ) (h : a = b) (h2 : a + 0 = 5) : b = 5", "simpa [h] using h2")
    out = run("theorem t (a b : ℕ) (h : a + 0 = b) : a = b + 1", "simpa using h")
    assert isinstance(out, LeanError) and out.message.startswith("simpa failed")
    # without `using`: `this` is simplified, then `assumption`
    assert proves("theorem t (a b : ℕ) (this : a + 0 = b) : a = b", "simpa")
    assert not proves("theorem t (p q : Prop) (h : p ∧ q) : q ∧ p", "simpa")


def test_at_star_locations():
    # `simp at *`: every hypothesis and the goal, with the simp set only (no hypotheses as
    # rules); a hypothesis simplified to False closes the goal; no progress anywhere fails.
    assert pp("theorem t (a b : ℕ) (h : a + 0 = b) (h2 : ¬b < a) : a + 0 = b + 0", "simp at *") == (
        "a b : ℕ\nh : a = b\nh2 : a ≤ b\n⊢ a = b")
    assert proves("theorem t (p : Prop) (h : p ∧ False) : 1 = 2", "simp at *")
    assert isinstance(run("theorem t (a b : ℕ) (h : a = b) : a = b", "simp at *"), LeanError)
    # `push_neg at *` never fails: Mathlib only logs that no negation moved.
    assert pp("theorem t (a b : ℕ) (h : ¬a < b) (h2 : ¬¬b = a) : ¬a = b", "push_neg at *") == (
        "a b : ℕ\nh : b ≤ a\nh2 : b = a\n⊢ a ≠ b")
    assert pp("theorem t (a b : ℕ) (h : a = b) : a = b", "push_neg at *") == "a b : ℕ\nh : a = b\n⊢ a = b"
    # tactics without a model of `at *` say so
    out = run("theorem t (a b : ℕ) (h : a = b) : a = b", "rw [h] at *")
    assert isinstance(out, LeanError) and "at *" in out.message


def test_simp_all_uses_the_other_hypotheses():
    # Lean's simp_all: hypotheses simplify each other (equations as rules, others as True),
    # then the goal; a hypothesis simplified to False closes the goal.
    assert proves("theorem t (x y : ℕ) (h : x = 5) (h2 : y = x + 0) : y = 5", "simp_all")
    assert proves("theorem t (x y : ℝ) (h : x = 2) (h2 : y = x) : y = 2", "simp_all")
    assert proves("theorem t (p q : Prop) (hp : p) (h : p → q) : q", "simp_all")
    assert proves("theorem t (p : Prop) (hp : p) (h : ¬p) : 1 = 2", "simp_all")
    out = run("theorem t (a b : ℕ) (h : a < b) : a < b + 1", "simp_all")
    assert isinstance(out, LeanError) and "no progress" in out.message
    # never closes a goal the hypotheses do not give
    assert not proves("theorem t (x y : ℕ) (h : x = 5) : y = 5", "simp_all")
