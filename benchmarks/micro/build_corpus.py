"""Build the embedded theorem corpus: `python benchmarks/micro/build_corpus.py`.

Writes all.jsonl and the train/valid/test splits next to this file. Each line is
{"full_name", "statement", "proof"}: a Lean 4 statement without `:= by` and its
reference tactic proof, one tactic per line, no bullets (each tactic acts on the
first goal). Every proof is meant to replay unchanged in Lean 4 + Mathlib and is
checked on the embedded engine by `rir check micro` and tests/test_corpus.py.

Theorems come from parametric families (one function per family, instantiated
with varied propositions, constants and shapes) plus a hand-written list. The
output is deterministic: no randomness, and the split is a hash of the name.
"""
from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Entry:
    full_name: str
    statement: str
    proof: str


def entry(name: str, binders: str, concl: str, tactics: list[str]) -> Entry:
    head = f"theorem {name} {binders} : {concl}" if binders else f"theorem {name} : {concl}"
    return Entry(name, head, "\n".join(tactics))


def split_of(full_name: str) -> str:
    """test for hash digit 0-1, valid for 2, train otherwise (deterministic by name)."""
    digit = int(hashlib.sha256(full_name.encode("utf-8")).hexdigest(), 16) % 10
    return "test" if digit < 2 else "valid" if digit == 2 else "train"


# ---- propositional logic -----------------------------------------------------

# Propositions substituted for the schematic A, B, C of each logic family. Compound
# ones are parenthesised so that substitution never changes how the statement parses.
PROP_POOL = ["p", "q", "r", "s", "¬p", "(p ∨ q)", "(q ∧ r)", "(r → s)", "(p ↔ s)", "a < b", "¬q"]


def prop_binders(*props: str) -> str:
    text = " ".join(props)
    names = [v for v in "pqrs" if re.search(rf"\b{v}\b", text)]
    nat = "(a b : ℕ) " if re.search(r"\ba\b", text) else ""
    return nat + (f"({' '.join(names)} : Prop)" if names else "")


def instances(arity: int, count: int, offset: int) -> list[tuple[str, ...]]:
    """`count` tuples of distinct pool propositions, spread over all permutations.

    A tuple is never the arithmetic atom alone: with a Prop atom beside it the
    statement stays propositional (omega cannot see through Prop atoms).
    """
    perms = [t for t in itertools.permutations(PROP_POOL, arity) if t != ("a < b",)]
    step = max(1, len(perms) // count)
    return [perms[(offset + i * step) % len(perms)] for i in range(count)]


def neg(a: str) -> str:
    return f"¬{a}" if a[0] in "¬(" or " " not in a else f"¬({a})"


def par(a: str) -> str:
    """Parenthesise an arithmetic atom where it sits under a connective tighter than it."""
    return f"({a})" if " " in a and not a.startswith("(") else a


def logic_families() -> Iterator[tuple[str, int, Callable, int]]:
    """(name, arity, make(A, B, C, style) -> (conclusion, hypotheses, tactics), instances).

    `style` alternates between equivalent proofs where a family has two.
    """

    def and_swap(a, b, style):
        tac = (["intro h", "obtain ⟨ha, hb⟩ := h", "exact ⟨hb, ha⟩"] if style % 2 == 0
               else ["intro h", "constructor", "exact h.2", "exact h.1"])
        return f"{a} ∧ {b} → {b} ∧ {a}", "", tac

    def or_swap(a, b, style):
        tac = (["intro h", "rcases h with ha | hb", "right", "exact ha", "left", "exact hb"]
               if style % 2 == 0 else
               ["intro h", "cases h", "right", "assumption", "left", "assumption"])
        return f"{a} ∨ {b} → {b} ∨ {a}", "", tac

    def imp_trans(a, b, c, style):
        tac = (["intro hab hbc ha", "exact hbc (hab ha)"] if style % 2 == 0
               else ["intro hab hbc ha", "apply hbc", "apply hab", "exact ha"])
        return f"({a} → {b}) → ({b} → {c}) → {a} → {c}", "", tac

    def curry(a, b, c, style):
        tac = ["constructor", "intro h ha hb", "exact h ⟨ha, hb⟩", "intro h hab",
               "exact h hab.1 hab.2"]
        return f"({a} ∧ {b} → {c}) ↔ ({a} → {b} → {c})", "", tac

    def uncurry(a, b, c, style):
        return f"({a} → {b} → {c}) → {a} ∧ {b} → {c}", "", ["intro h hab", "exact h hab.1 hab.2"]

    def and_or_distrib(a, b, c, style):
        tac = ["intro h", "obtain ⟨ha, hbc⟩ := h", "rcases hbc with hb | hc", "left",
               "exact ⟨ha, hb⟩", "right", "exact ⟨ha, hc⟩"]
        return f"{a} ∧ ({b} ∨ {c}) → ({a} ∧ {b}) ∨ ({a} ∧ {c})", "", tac

    def and_or_collect(a, b, c, style):
        tac = ["intro h", "rcases h with ⟨ha, hb⟩ | ⟨ha, hc⟩", "exact ⟨ha, Or.inl hb⟩",
               "exact ⟨ha, Or.inr hc⟩"]
        return f"({a} ∧ {b}) ∨ ({a} ∧ {c}) → {a} ∧ ({b} ∨ {c})", "", tac

    def or_and_distrib(a, b, c, style):
        tac = ["intro h", "rcases h with ha | ⟨hb, hc⟩", "exact ⟨Or.inl ha, Or.inl ha⟩",
               "exact ⟨Or.inr hb, Or.inr hc⟩"]
        return f"{a} ∨ ({b} ∧ {c}) → ({a} ∨ {b}) ∧ ({a} ∨ {c})", "", tac

    def contrapositive(a, b, style):
        return f"({a} → {b}) → {neg(b)} → {neg(a)}", "", ["intro hab hnb ha", "exact hnb (hab ha)"]

    def not_or_iff(a, b, style):
        tac = ["constructor", "intro h", "constructor", "intro ha", "apply h", "left", "exact ha",
               "intro hb", "apply h", "right", "exact hb", "intro h hab",
               "rcases hab with ha | hb", "exact h.1 ha", "exact h.2 hb"]
        return f"¬({a} ∨ {b}) ↔ {neg(a)} ∧ {neg(b)}", "", tac

    def not_and_of_or_not(a, b, style):
        tac = ["intro h hab", "rcases h with hna | hnb", "exact hna hab.1", "exact hnb hab.2"]
        return f"{neg(a)} ∨ {neg(b)} → ¬({a} ∧ {b})", "", tac

    def not_not_intro(a, style):
        return f"{a} → ¬¬{par(a)}", "", ["intro ha hna", "exact hna ha"]

    def iff_symm(a, b, style):
        tac = ["intro h", "constructor", "exact h.mpr", "exact h.mp"]
        return f"({a} ↔ {b}) → ({b} ↔ {a})", "", tac

    def iff_trans(a, b, c, style):
        tac = ["intro h₁ h₂", "constructor", "intro ha", "exact h₂.mp (h₁.mp ha)", "intro hc",
               "exact h₁.mpr (h₂.mpr hc)"]
        return f"({a} ↔ {b}) → ({b} ↔ {c}) → ({a} ↔ {c})", "", tac

    def and_absorb(a, b, style):
        tac = ["constructor", "intro h", "exact h.1", "intro ha", "exact ⟨ha, Or.inl ha⟩"]
        return f"{a} ∧ ({a} ∨ {b}) ↔ {a}", "", tac

    def or_absorb(a, b, style):
        tac = ["constructor", "intro h", "rcases h with ha | hab", "exact ha", "exact hab.1",
               "intro ha", "exact Or.inl ha"]
        return f"{a} ∨ ({a} ∧ {b}) ↔ {a}", "", tac

    def by_cases_elim(a, b, style):
        tac = ["intro h₁ h₂", f"by_cases hc : {a}", "exact h₁ hc", "exact h₂ hc"]
        return f"({a} → {b}) → ({neg(a)} → {b}) → {b}", "", tac

    def and_assoc(a, b, c, style):
        tac = ["intro h", "obtain ⟨⟨ha, hb⟩, hc⟩ := h", "exact ⟨ha, hb, hc⟩"]
        return f"({a} ∧ {b}) ∧ {c} → {a} ∧ {b} ∧ {c}", "", tac

    def or_assoc(a, b, c, style):
        tac = ["intro h", "rcases h with (ha | hb) | hc", "exact Or.inl ha",
               "exact Or.inr (Or.inl hb)", "exact Or.inr (Or.inr hc)"]
        return f"({a} ∨ {b}) ∨ {c} → {a} ∨ {b} ∨ {c}", "", tac

    def imp_and(a, b, c, style):
        tac = ["intro h", "constructor", "intro ha", "exact (h ha).1", "intro ha", "exact (h ha).2"]
        return f"({a} → {b} ∧ {c}) → ({a} → {b}) ∧ ({a} → {c})", "", tac

    def or_elim(a, b, c, style):
        tac = (["intro hac hbc h", "rcases h with ha | hb", "exact hac ha", "exact hbc hb"]
               if style % 2 == 0 else ["intro hac hbc h", "exact Or.elim h hac hbc"])
        return f"({a} → {c}) → ({b} → {c}) → {a} ∨ {b} → {c}", "", tac

    def disjunctive_syllogism(a, b, style):
        tac = ["intro h ha", "rcases h with hna | hb", "exact absurd ha hna", "exact hb"]
        return f"({neg(a)} ∨ {b}) → {a} → {b}", "", tac

    def modus_tollens_chain(a, b, c, style):
        hyps = f"(h₁ : {a} → {b}) (h₂ : {b} → {c}) (h₃ : {neg(c)})"
        return neg(a), hyps, ["intro ha", "exact h₃ (h₂ (h₁ ha))"]

    def exfalso_hyp(a, b, style):
        hyps = f"(ha : {a}) (hna : {neg(a)})"
        return b, hyps, ["exfalso", "exact hna ha"]

    def and_imp_left(a, b, c, style):
        tac = ["intro h hab", "constructor", "exact h hab.1", "exact hab.2"]
        return f"({a} → {c}) → {a} ∧ {b} → {c} ∧ {b}", "", tac

    yield "and_swap", 2, and_swap, 8
    yield "or_swap", 2, or_swap, 8
    yield "imp_trans", 3, imp_trans, 6
    yield "curry", 3, curry, 5
    yield "uncurry", 3, uncurry, 3
    yield "and_or_distrib", 3, and_or_distrib, 6
    yield "and_or_collect", 3, and_or_collect, 5
    yield "or_and_distrib", 3, or_and_distrib, 5
    yield "contrapositive", 2, contrapositive, 4
    yield "not_or_iff", 2, not_or_iff, 5
    yield "not_and_of_or_not", 2, not_and_of_or_not, 4
    yield "not_not_intro", 1, not_not_intro, 3
    yield "iff_symm", 2, iff_symm, 4
    yield "iff_trans", 3, iff_trans, 4
    yield "and_absorb", 2, and_absorb, 4
    yield "or_absorb", 2, or_absorb, 4
    yield "by_cases_elim", 2, by_cases_elim, 4
    yield "and_assoc", 3, and_assoc, 4
    yield "or_assoc", 3, or_assoc, 4
    yield "imp_and", 3, imp_and, 4
    yield "or_elim", 3, or_elim, 6
    yield "disjunctive_syllogism", 2, disjunctive_syllogism, 4
    yield "modus_tollens_chain", 3, modus_tollens_chain, 3
    yield "exfalso_hyp", 2, exfalso_hyp, 3
    yield "and_imp_left", 3, and_imp_left, 4


def logic() -> Iterator[Entry]:
    for k, (family, arity, make, count) in enumerate(logic_families()):
        for i, props in enumerate(instances(arity, count, offset=7 * k + 3)):
            concl, hyps, tactics = make(*props, style=i)
            binders = " ".join(x for x in (prop_binders(*props), hyps) if x)
            yield entry(f"micro.logic.{family}_{i + 1}", binders, concl, tactics)


# ---- quantifiers -------------------------------------------------------------


def quantifiers() -> Iterator[Entry]:
    # A ∀-hypothesis instantiated by `specialize`, then linear arithmetic.
    for i, (k1, k2) in enumerate([(2, 3), (1, 4), (5, 1), (3, 3), (4, 6), (7, 2)]):
        yield entry(f"micro.quant.specialize_le_{i + 1}", "(a b : ℕ) (h : ∀ n : ℕ, a ≤ b + n)",
                    f"a ≤ b + {k1} + {k2}", [f"specialize h {k1 + k2}", "omega"])
    for i, k in enumerate([0, 1, 2, 4, 6]):
        yield entry(f"micro.quant.specialize_imp_{i + 1}",
                    f"(a b : ℕ) (h : ∀ n : ℕ, n < a → n < b) (h₀ : {k} < a)",
                    f"{k + 1} ≤ b", [f"specialize h {k} h₀", "omega"])
    for i, (c, k) in enumerate([(2, 1), (3, 6), (2, 5), (4, 2), (5, 3)]):
        yield entry(f"micro.quant.forall_mono_{i + 1}",
                    f"(a b : ℕ) (h : ∀ n : ℕ, n < a → {c} * n < b)",
                    f"∀ m : ℕ, m < a → {c} * m < b + {k}",
                    ["intro m hm", "specialize h m hm", "omega"])
    for i, k in enumerate([1, 2, 3, 5]):
        yield entry(f"micro.quant.apply_forall_{i + 1}",
                    "(a b : ℕ) (h : ∀ n : ℕ, n ≤ a → n ≤ b)", f"a + {k} ≤ b + {k}",
                    ["have hab : a ≤ b := h a (Nat.le_refl a)", "omega"])
    # ∃ goals: a witness, then arithmetic on the residual goal.
    for i, (k, c) in enumerate([(1, 0), (2, 1), (1, 3), (3, 2), (2, 4), (5, 0)]):
        extra = f" + {c}" if c else ""
        yield entry(f"micro.quant.exists_gap_{i + 1}", f"(a b : ℕ) (h : a + {k} ≤ b)",
                    f"∃ k : ℕ, a + k + {k} = b{extra}", [f"use b{extra} - a - {k}", "omega"])
    for i, (c, k) in enumerate([(2, 3), (3, 1), (4, 5), (2, 7), (5, 2), (3, 4)]):
        yield entry(f"micro.quant.forall_exists_{i + 1}", "",
                    f"∀ n : ℕ, ∃ m : ℕ, n + m = {c} * n + {k}",
                    ["intro n", f"use {c - 1} * n + {k}", "omega"])
    for i, k in enumerate([1, 2, 4, 7, 10]):
        yield entry(f"micro.quant.exists_greater_{i + 1}", "", f"∀ n : ℕ, ∃ m : ℕ, n + {k} < m",
                    ["intro n", f"exists 2 * n + {k + 1}", "omega"])
    # ∃ hypotheses taken apart with `obtain`.
    for i, (c, d) in enumerate([(2, 2), (3, 3), (2, 4), (5, 5), (3, 6), (4, 8)]):
        yield entry(f"micro.quant.obtain_mul_{i + 1}", f"(a : ℕ) (h : ∃ k : ℕ, a = {c} * k)",
                    f"∃ m : ℕ, a + {d} = {c} * m",
                    ["obtain ⟨k, hk⟩ := h", f"use k + {d // c}", "omega"])
    for i, k in enumerate([1, 3, 4, 9]):
        yield entry(f"micro.quant.obtain_le_{i + 1}", f"(a b : ℕ) (h : ∃ k : ℕ, a = b + k + {k})",
                    "b < a", ["obtain ⟨k, hk⟩ := h", "omega"])
    for i, (k, j) in enumerate([(3, 1), (5, 2), (8, 3), (4, 4)]):
        yield entry(f"micro.quant.not_exists_{i + 1}", f"(a : ℕ) (h : a > {k})",
                    f"¬∃ n : ℕ, n + a = {k - j}",
                    ["intro hex", "obtain ⟨n, hn⟩ := hex", "omega"])
    for i, k in enumerate([2, 5, 6]):
        yield entry(f"micro.quant.not_exists_forall_{i + 1}",
                    f"(a : ℕ) (h : ∀ n : ℕ, n + a ≠ {k})", f"¬∃ n : ℕ, n + a = {k}",
                    ["intro hex", "obtain ⟨n, hn⟩ := hex", "exact h n hn"])
    # Two witnesses and a conjunction.
    for i, k in enumerate([1, 2, 3, 5]):
        yield entry(f"micro.quant.exists_pair_{i + 1}", "(a b : ℕ) (h : a < b)",
                    f"∃ x y : ℕ, x < y ∧ x + y = a + b + {k}",
                    [f"use a, b + {k}", "constructor", "omega", "omega"])
    for i, (c, k) in enumerate([(2, 1), (3, 2), (2, 5), (4, 3)]):
        yield entry(f"micro.quant.exists_and_{i + 1}", "(n : ℕ)",
                    f"∃ m : ℕ, n < m ∧ m ≤ {c} * n + {k}",
                    ["use n + 1", "constructor", "omega", "omega"])
    # ∀ over a Prop-valued statement, used twice.
    for i, (k, j) in enumerate([(1, 2), (2, 3), (3, 1), (2, 5)]):
        # apply the step hypothesis k times: h₁ : j + 1 ≤ a, h₂ : j + 1 + 1 ≤ a, ...
        steps, prev, bound = [], "hj", str(j)
        for t in range(1, k + 1):
            name = "h" + "₀₁₂₃₄"[t]
            arg = bound if " " not in bound else f"({bound})"
            steps.append(f"have {name} : {bound} + 1 ≤ a := h {arg} {prev}")
            prev, bound = name, f"{bound} + 1"
        yield entry(f"micro.quant.forall_iterate_{i + 1}",
                    "(a : ℕ) (h : ∀ n : ℕ, n ≤ a → n + 1 ≤ a)", f"{j} ≤ a → {j} + {k} ≤ a",
                    ["intro hj", *steps, "omega"])
    # ∃ in a hypothesis feeding an ∃ goal with a Prop side condition.
    for i, (c, k) in enumerate([(2, 1), (3, 2), (2, 3)]):
        yield entry(f"micro.quant.exists_transfer_{i + 1}",
                    f"(p : Prop) (hp : p) (h : ∃ n : ℕ, n > {k})",
                    f"∃ n : ℕ, {c} * n > {c * k} ∧ p",
                    ["obtain ⟨n, hn⟩ := h", "use n", "constructor", "omega", "exact hp"])


# ---- linear arithmetic (some fall to one automation tactic) -----------------


def arithmetic() -> Iterator[Entry]:
    for i, (k, j) in enumerate([(1, 2), (3, 1), (2, 2), (5, 3), (4, 7), (6, 1)]):
        yield entry(f"micro.arith.lt_add_{i + 1}", "(a b c : ℕ) (h₁ : a < b) (h₂ : b ≤ c)",
                    f"a + {k} < c + {k + j}", ["omega"])
    for i, (c, k) in enumerate([(2, 1), (3, 2), (2, 5), (4, 1), (3, 3)]):
        yield entry(f"micro.arith.linarith_chain_{i + 1}",
                    f"(x y z : ℕ) (h₁ : x ≤ y) (h₂ : {c} * y + {k} ≤ z)", f"{c} * x < z + 1",
                    ["linarith"])
    for i, (s, d) in enumerate([(10, 2), (14, 4), (20, 6), (9, 1), (30, 10)]):
        x = (s + d) // 2
        yield entry(f"micro.arith.solve_system_{i + 1}",
                    f"(x y : ℕ) (h₁ : x + y = {s}) (h₂ : x = y + {d})", f"x = {x}",
                    ["have h₃ : 2 * x = {} := by omega".format(s + d), "omega"])
    for i, (a, b) in enumerate([(3, 4), (5, 2), (7, 3), (2, 10)]):
        yield entry(f"micro.arith.norm_num_pow_{i + 1}", "", f"{a} ^ {b} = {a ** b}", ["norm_num"])
    for i, (a, b, c) in enumerate([(12, 5, 7), (3, 9, 4), (15, 15, 2)]):
        yield entry(f"micro.arith.decide_{i + 1}", "", f"{a} * {b} + {c} = {a * b + c}", ["decide"])
    # Structure first, arithmetic after: cases on a disjunction of bounds.
    for i, (k, j) in enumerate([(2, 5), (3, 4), (1, 9), (4, 6)]):
        yield entry(f"micro.arith.cases_bound_{i + 1}",
                    f"(a : ℕ) (p : Prop) (h : a < {k} ∨ a > {j}) (hp : a < {k} → p) (hq : a > {j} → p)",
                    "p", ["rcases h with h₁ | h₂", "exact hp h₁", "exact hq h₂"])
    for i, (k, j) in enumerate([(3, 2), (5, 4), (7, 1), (4, 4)]):
        yield entry(f"micro.arith.constructor_bounds_{i + 1}", f"(a b : ℕ) (h₁ : a < b) (h₂ : b < {k})",
                    f"a < {k} ∧ a + {j} < b + {j}", ["constructor", "omega", "omega"])
    for i, k in enumerate([2, 3, 5]):
        yield entry(f"micro.arith.iff_shift_{i + 1}", "(a b : ℕ)", f"a + {k} ≤ b + {k} ↔ a ≤ b",
                    ["constructor", "intro h", "omega", "intro h", "omega"])
    for i, (k, j) in enumerate([(2, 3), (3, 5), (4, 9)]):
        yield entry(f"micro.arith.by_cases_max_{i + 1}", "(a b : ℕ)",
                    f"a ≤ b + {k} ∨ b + {j} ≤ a + {j - k}",
                    ["by_cases h : a ≤ b + " + str(k), "left", "exact h", "right", "omega"])
    for i, (k, j) in enumerate([(1, 2), (2, 5), (3, 3)]):
        yield entry(f"micro.arith.trans_have_{i + 1}", "(a b c : ℕ) (h₁ : a ≤ b) (h₂ : b ≤ c)",
                    f"a + {k} ≤ c + {k + j}",
                    ["have h₃ : a ≤ c := Nat.le_trans h₁ h₂", "omega"])


# ---- rewriting ---------------------------------------------------------------


def rewriting() -> Iterator[Entry]:
    for i, (x, y, z) in enumerate([("a", "b", "c"), ("b", "c", "a"), ("c", "a", "b"), ("a", "c", "b")]):
        yield entry(f"micro.rw.subst_mul_comm_{i + 1}", f"(a b c d : ℕ) (h : {x} = {y})",
                    f"{x} * {z} + d = d + {z} * {y}",
                    ["rw [h]", f"rw [Nat.mul_comm {z} {y}]", f"rw [Nat.add_comm d ({y} * {z})]"])
    for i, (x, y, z, w) in enumerate([("a", "b", "c", "d"), ("d", "a", "b", "c"), ("c", "d", "a", "b")]):
        yield entry(f"micro.rw.subst_add_mul_{i + 1}", f"(a b c d : ℕ) (h : {x} = {y} + {z})",
                    f"{x} * {w} = {w} * {y} + {z} * {w}",
                    ["rw [h]", f"rw [Nat.add_mul {y} {z} {w}]", f"rw [Nat.mul_comm {y} {w}]"])
    for i, (x, y, z) in enumerate([("a", "b", "c"), ("b", "a", "c"), ("c", "b", "a")]):
        yield entry(f"micro.rw.mul_add_comm_{i + 1}", "(a b c : ℕ)",
                    f"{x} * ({y} + {z}) = {z} * {x} + {x} * {y}",
                    [f"rw [Nat.mul_add {x} {y} {z}]", f"rw [Nat.mul_comm {z} {x}]",
                     f"rw [Nat.add_comm ({x} * {y}) ({x} * {z})]"])
    for i, (x, y, z) in enumerate([("a", "b", "c"), ("c", "a", "b"), ("b", "c", "a")]):
        yield entry(f"micro.rw.add_comm_twice_{i + 1}", "(a b c : ℕ)",
                    f"{x} + {y} + {z} = {z} + ({y} + {x})",
                    [f"rw [Nat.add_comm {y} {x}]", f"rw [Nat.add_comm ({x} + {y}) {z}]"])
    for i, (x, y) in enumerate([("a", "b"), ("b", "a"), ("a", "c")]):
        yield entry(f"micro.rw.mul_one_zero_{i + 1}", "(a b c : ℕ)",
                    f"{x} * 1 + 0 * {y} = {x}",
                    # one rw: `x + 0 = x` may already close by rfl in Lean after two steps
                    [f"rw [Nat.mul_one {x}, Nat.zero_mul {y}, Nat.add_zero {x}]"])
    for i, (x, y, z) in enumerate([("a", "b", "c"), ("b", "c", "a"), ("c", "a", "b")]):
        yield entry(f"micro.rw.hyp_chain_{i + 1}",
                    f"(a b c d : ℕ) (h₁ : {x} = {y} * d) (h₂ : {y} = {z} + 1)",
                    f"{x} = {z} * d + d",
                    ["rw [h₁, h₂]", f"rw [Nat.add_mul {z} 1 d]", "rw [Nat.one_mul d]"])
    for i, (x, y) in enumerate([("a", "b"), ("b", "c"), ("c", "a")]):
        yield entry(f"micro.rw.rw_at_{i + 1}",
                    f"(a b c : ℕ) (h : {x} * {y} = c + 2) (h' : {y} * {x} = 5)", "c = 3",
                    [f"rw [Nat.mul_comm {x} {y}] at h", "omega"])
    # A product hypothesis used inside a bigger product: reassociate or commute first.
    for i, (x, y, z) in enumerate([("a", "b", "d"), ("b", "d", "a"), ("d", "a", "b"), ("a", "d", "b")]):
        yield entry(f"micro.rw.mul_assoc_hyp_{i + 1}", f"(a b c d : ℕ) (h : {x} * {y} = c)",
                    f"{x} * ({y} * {z}) = c * {z}",
                    [f"rw [← Nat.mul_assoc {x} {y} {z}]", "rw [h]"])
    for i, (x, y, z) in enumerate([("a", "b", "d"), ("b", "d", "a"), ("d", "a", "b"), ("b", "a", "d")]):
        yield entry(f"micro.rw.mul_comm_hyp_{i + 1}", f"(a b c d : ℕ) (h : {y} * {x} = c)",
                    f"{x} * {y} * {z} = {z} * c",
                    [f"rw [Nat.mul_comm {x} {y}]", "rw [h]", f"rw [Nat.mul_comm c {z}]"])
    for i, (x, y, z) in enumerate([("a", "b", "c"), ("b", "a", "c"), ("c", "a", "b")]):
        yield entry(f"micro.rw.ring_after_subst_{i + 1}",
                    f"(a b c : ℕ) (h : {x} = {y} + {z})", f"{x} * {x} = {y} * {y} + 2 * {y} * {z} + {z} * {z}",
                    ["rw [h]", "ring"])
    for i, (x, y) in enumerate([("a", "b"), ("b", "c"), ("b", "a")]):
        yield entry(f"micro.rw.symm_hyp_{i + 1}", f"(a b c : ℕ) (h : {y} * c = {x})",
                    f"{x} + {y} * c = 2 * ({y} * c)", ["rw [← h]", "ring"])


# ---- induction ---------------------------------------------------------------


def induction() -> Iterator[Entry]:
    for k in [1, 2, 3, 5, 7]:
        yield entry(f"micro.induct.one_le_pow_{k}", "(n : ℕ)", f"1 ≤ {k} ^ n",
                    ["induction n", "decide", "rename_i m ih", "rw [Nat.pow_succ]", "omega"])
    for k in [2, 3, 4, 10]:
        yield entry(f"micro.induct.lt_pow_{k}", "(n : ℕ)", f"n < {k} ^ n",
                    ["induction n", "decide", "rename_i m ih", "rw [Nat.pow_succ]", "omega"])
    for k in [2, 3, 6]:
        yield entry(f"micro.induct.succ_le_pow_{k}", "(n : ℕ)", f"{k} ^ n ≥ n + 1",
                    ["induction n", "decide", "rename_i m ih", "rw [Nat.pow_succ]", "omega"])
    for i, c in enumerate([1, 2, 3]):
        yield entry(f"micro.induct.even_mul_succ_{i + 1}", "(n : ℕ)",
                    f"∃ m : ℕ, n * (n + 1) + {2 * c} = 2 * m",
                    ["induction n", f"exact ⟨{c}, by norm_num⟩", "rename_i k ih",
                     "obtain ⟨m, hm⟩ := ih", "use m + k + 1",
                     "have h : (k + 1) * (k + 1 + 1) = k * (k + 1) + 2 * (k + 1) := by ring",
                     "omega"])
    for k in [1, 2, 4]:
        yield entry(f"micro.induct.mul_le_mul_{k}", "(n : ℕ)", f"n ≤ n * (n + {k})",
                    ["induction n", "decide", "rename_i m ih",
                     f"have h : (m + 1) * (m + 1 + {k}) = m * (m + {k}) + 2 * m + {k + 1} := by ring",
                     "omega"])
    for k in [2, 3, 5]:
        yield entry(f"micro.induct.le_sq_add_{k}", "(n : ℕ)", f"{k} * n ≤ n ^ 2 + {k * k}",
                    ["induction n", "decide", "rename_i m ih",
                     "have h : (m + 1) ^ 2 = m ^ 2 + 2 * m + 1 := by ring", "omega"])
    for c in [2, 3, 4, 5]:
        yield entry(f"micro.induct.bernoulli_{c}", "(n : ℕ)", f"{c} ^ n ≥ {c - 1} * n + 1",
                    ["induction n", "decide", "rename_i k ih", "rw [Nat.pow_succ]", "omega"])
    # (c + 1) ^ n leaves remainder 1 mod c: the witness grows by (c + 1) ^ k.
    for c in [2, 3, 4, 5, 6]:
        yield entry(f"micro.induct.pow_mod_{c}", "(n : ℕ)", f"∃ m : ℕ, {c + 1} ^ n + {c - 1} = {c} * m",
                    ["induction n", "exact ⟨1, by norm_num⟩", "rename_i k ih",
                     "obtain ⟨m, hm⟩ := ih", f"use m + {c + 1} ^ k", "rw [Nat.pow_succ]", "omega"])
    for c in [0, 1, 2]:
        extra = f" + {3 * c}" if c else ""
        yield entry(f"micro.induct.cube_add_{c}", "(n : ℕ)", f"∃ m : ℕ, n ^ 3 + 2 * n{extra} = 3 * m",
                    ["induction n", f"exact ⟨{c}, by norm_num⟩", "rename_i k ih",
                     "obtain ⟨m, hm⟩ := ih", "use m + k ^ 2 + k + 1",
                     "have h : (k + 1) ^ 3 + 2 * (k + 1) = k ^ 3 + 2 * k + 3 * (k ^ 2 + k + 1) := by ring",
                     "omega"])
    for k in [2, 3]:
        # omega knows no `0 ≤ k ^ n` (a literal base leaves an ℤ power atom): 2·a ≤ 3·a needs it.
        positivity = [f"have h := Nat.zero_le ({k} ^ n)"] if k > 2 else []
        yield entry(f"micro.rw.pow_succ_add_{k}", "(n : ℕ)", f"{k} ^ n + {k} ^ n ≤ {k} ^ (n + 1)",
                    ["rw [Nat.pow_succ]", *positivity, "omega"])


# ---- divisibility and multiplication ----------------------------------------


def divisibility() -> Iterator[Entry]:
    for i, (x, y, z) in enumerate([("a", "b", "c"), ("b", "c", "a"), ("c", "a", "b")]):
        yield entry(f"micro.dvd.trans_{i + 1}", f"(a b c : ℕ) (h₁ : {x} ∣ {y}) (h₂ : {y} ∣ {z})",
                    f"{x} ∣ {z}", ["exact Nat.dvd_trans h₁ h₂"])
    for i, (x, y, z) in enumerate([("a", "b", "c"), ("b", "c", "a"), ("c", "a", "b")]):
        yield entry(f"micro.dvd.mul_of_dvd_{i + 1}", f"(a b c : ℕ) (h : {x} ∣ {y})",
                    f"{x} ∣ {y} * {z}",
                    [f"have h₂ : {y} ∣ {y} * {z} := Nat.dvd_mul_right {y} {z}",
                     "exact Nat.dvd_trans h h₂"])
    for i, (x, y, z) in enumerate([("a", "b", "c"), ("c", "b", "a"), ("b", "a", "c")]):
        yield entry(f"micro.dvd.mul_left_twice_{i + 1}", "(a b c : ℕ)", f"{x} ∣ {z} * ({y} * {x})",
                    [f"have h₁ : {x} ∣ {y} * {x} := Nat.dvd_mul_left {x} {y}",
                     f"have h₂ : {y} * {x} ∣ {z} * ({y} * {x}) := Nat.dvd_mul_left ({y} * {x}) {z}",
                     "exact Nat.dvd_trans h₁ h₂"])
    for i, (x, y) in enumerate([("a", "b"), ("b", "a"), ("a", "a")]):
        yield entry(f"micro.dvd.of_eq_mul_{i + 1}", f"(a b c : ℕ) (h : c = {x} * {y} + {x})",
                    f"{x} ∣ c",
                    ["rw [h]", f"rw [← Nat.mul_succ {x} {y}]", f"exact Nat.dvd_mul_right {x} ({y} + 1)"])
    # Divisibility by a constant, spelled as ∃ (the engine does not unfold `∣` to ∃).
    for i, k in enumerate([2, 3, 5, 7]):
        yield entry(f"micro.dvd.exists_mul_add_{i + 1}", f"(a b c : ℕ) (h : ∃ m : ℕ, a = {k} * m)",
                    f"∃ n : ℕ, a * b + {k} * c = {k} * n",
                    ["obtain ⟨m, hm⟩ := h", "rw [hm]", "use m * b + c", "ring"])
    for i, (x, y) in enumerate([("a", "b"), ("b", "c"), ("c", "a")]):
        yield entry(f"micro.dvd.exists_sum_{i + 1}",
                    f"(a b c d : ℕ) (h₁ : ∃ m : ℕ, {x} = d * m) (h₂ : ∃ n : ℕ, {y} = d * n)",
                    f"∃ k : ℕ, {x} + {y} = d * k",
                    ["obtain ⟨m, hm⟩ := h₁", "obtain ⟨n, hn⟩ := h₂", "rw [hm, hn]",
                     "exact ⟨m + n, by ring⟩"])


def nonlinear() -> Iterator[Entry]:
    for i, (x, y, z) in enumerate([("a", "b", "c"), ("b", "c", "a"), ("c", "a", "b")]):
        yield entry(f"micro.mul.le_mul_right_{i + 1}", f"(a b c : ℕ) (h : {x} ≤ {y})",
                    f"{x} * {z} ≤ {y} * {z}", [f"exact Nat.mul_le_mul h (Nat.le_refl {z})"])
    for i, (x, y, z, w) in enumerate([("a", "b", "c", "d"), ("c", "d", "a", "b")]):
        yield entry(f"micro.mul.le_mul_both_{i + 1}",
                    f"(a b c d : ℕ) (h₁ : {x} ≤ {y}) (h₂ : {z} ≤ {w})",
                    f"{x} * {z} + 1 ≤ {y} * {w} + 1",
                    [f"have h : {x} * {z} ≤ {y} * {w} := Nat.mul_le_mul h₁ h₂", "omega"])
    for i, (k, j) in enumerate([(2, 3), (3, 1), (4, 4)]):
        yield entry(f"micro.mul.sq_expand_{i + 1}", "(a : ℕ)",
                    f"(a + {k}) * (a + {k}) ≥ a * a + {2 * k} * a + {k * k - j}",
                    [f"have h : (a + {k}) * (a + {k}) = a * a + {2 * k} * a + {k * k} := by ring",
                     "omega"])


# ---- hand-written mixed proofs ------------------------------------------------

HAND_WRITTEN: list[tuple[str, str, str, list[str]]] = [
    ("micro.mixed.max_cases", "(a b : ℕ)", "∃ m : ℕ, a ≤ m ∧ b ≤ m",
     ["by_cases h : a ≤ b", "exact ⟨b, h, Nat.le_refl b⟩", "exact ⟨a, Nat.le_refl a, by omega⟩"]),
    ("micro.mixed.min_exists", "(a b : ℕ)", "∃ m : ℕ, m ≤ a ∧ m ≤ b",
     ["exact ⟨0, Nat.zero_le a, Nat.zero_le b⟩"]),
    ("micro.mixed.prop_and_arith", "(a b : ℕ) (p : Prop) (hp : p) (h : a < b)",
     "p ∧ a + 1 ≤ b", ["constructor", "exact hp", "omega"]),
    ("micro.mixed.or_arith", "(a : ℕ) (p : Prop) (h : p ∨ a > 3) (hn : ¬p)", "a ≥ 4",
     ["rcases h with hp | ha", "exact absurd hp hn", "omega"]),
    ("micro.mixed.iff_arith_prop", "(a : ℕ) (p : Prop) (h : p ↔ a = 2) (hp : p)", "a + a = 4",
     ["have ha : a = 2 := h.mp hp", "omega"]),
    ("micro.mixed.forall_prop", "(p : Prop) (h : ∀ n : ℕ, n > 5 → p)", "p",
     ["exact h 6 (by norm_num)"]),
    ("micro.mixed.exists_prop_pick", "(p q : Prop) (hp : p) (h : p → ∃ n : ℕ, n > 2 ∧ q)",
     "∃ n : ℕ, n > 1 ∧ q",
     ["obtain ⟨n, hn, hq⟩ := h hp", "use n", "constructor", "omega", "exact hq"]),
    ("micro.mixed.contra_lt", "(a b : ℕ) (h₁ : a < b) (h₂ : b < a)", "False",
     ["have h₃ : a < a := Nat.lt_trans h₁ h₂", "exact Nat.lt_irrefl a h₃"]),
    ("micro.mixed.le_antisymm", "(a b : ℕ) (h₁ : a ≤ b) (h₂ : b ≤ a)", "a * a = b * b",
     ["have h : a = b := Nat.le_antisymm h₁ h₂", "rw [h]"]),
    ("micro.mixed.specialize_two", "(a b : ℕ) (h : ∀ x y : ℕ, x ≤ y → x * 2 ≤ y * 2) (hab : a ≤ b)",
     "a * 2 ≤ b * 2 + 1", ["specialize h a b hab", "omega"]),
    ("micro.mixed.not_lt_self", "(n : ℕ)", "¬n < n", ["exact Nat.lt_irrefl n"]),
    ("micro.mixed.imp_exists", "(a : ℕ)", "a > 0 → ∃ b : ℕ, a = b + 1",
     ["intro h", "use a - 1", "omega"]),
    ("micro.mixed.double_exists", "(a b : ℕ) (h₁ : ∃ x : ℕ, a = 2 * x) (h₂ : ∃ y : ℕ, b = 2 * y)",
     "∃ z : ℕ, a + b = 2 * z",
     ["obtain ⟨x, hx⟩ := h₁", "obtain ⟨y, hy⟩ := h₂", "use x + y", "omega"]),
    ("micro.mixed.cases_or_pow", "(n : ℕ) (h : n = 0 ∨ n = 1)", "n * n = n",
     ["rcases h with h₀ | h₁", "rw [h₀, Nat.mul_zero]", "rw [h₁, Nat.mul_one]"]),
    ("micro.mixed.succ_ne_zero", "(n : ℕ)", "n + 1 ≠ 0", ["intro h", "omega"]),
    ("micro.mixed.exists_sq", "(n : ℕ)", "∃ m : ℕ, m * m = n * n + 2 * n + 1",
     ["use n + 1", "ring"]),
    ("micro.mixed.and_forall", "(a b : ℕ) (h : ∀ n : ℕ, n ≤ a ∧ n ≤ b → n ≤ a + b)",
     "0 ≤ a + b", ["exact h 0 ⟨Nat.zero_le a, Nat.zero_le b⟩"]),
    ("micro.mixed.ne_of_lt", "(a b : ℕ) (h : a < b)", "a ≠ b",
     ["intro heq", "rw [heq] at h", "exact Nat.lt_irrefl b h"]),
    ("micro.mixed.intro_cases_and", "(p : Prop) (a : ℕ)", "p ∧ a > 2 → a ≥ 3 ∧ p",
     ["intro h", "obtain ⟨hp, ha⟩ := h", "constructor", "omega", "exact hp"]),
    ("micro.mixed.exists_from_forall", "(h : ∀ n : ℕ, n > 0 → ∃ m : ℕ, m + 1 = n)",
     "∃ m : ℕ, m + 1 = 5", ["obtain ⟨m, hm⟩ := h 5 (by norm_num)", "exact ⟨m, hm⟩"]),
    ("micro.mixed.forall_compose",
     "(a b c : ℕ) (h₁ : ∀ n : ℕ, n < a → n < b) (h₂ : ∀ n : ℕ, n < b → n < c)",
     "∀ n : ℕ, n < a → n < c", ["intro n hn", "exact h₂ n (h₁ n hn)"]),
    ("micro.mixed.forall_two_props", "(p q : Prop) (h : ∀ n : ℕ, (n > 3 → p) ∧ (n < 2 → q))",
     "p ∧ q", ["constructor", "exact (h 4).1 (by norm_num)", "exact (h 0).2 (by norm_num)"]),
    ("micro.mixed.exists_diff", "(a b : ℕ) (h : a ≤ b)", "∃ c : ℕ, b = a + c ∧ c ≤ b",
     ["use b - a", "constructor", "omega", "omega"]),
    ("micro.mixed.or_lt_ge", "(a b : ℕ) (p : Prop) (h₁ : a < b → p) (h₂ : b ≤ a → p)", "p",
     ["by_cases h : a < b", "exact h₁ h", "apply h₂", "omega"]),
]


def mixed_families() -> Iterator[Entry]:
    # A bound from a Prop that cannot hold: case on the bound, refute one side.
    for i, k in enumerate([2, 4, 7, 10]):
        yield entry(f"micro.mixed.contra_bound_{i + 1}",
                    f"(p : Prop) (a : ℕ) (h : a > {k} → p) (h' : ¬p)", f"a ≤ {k}",
                    [f"by_cases ha : a > {k}", "exact absurd (h ha) h'", "omega"])
    for i, (k, j) in enumerate([(3, 5), (2, 2), (4, 8), (6, 6)]):
        yield entry(f"micro.mixed.incompatible_{i + 1}",
                    f"(p q : Prop) (a : ℕ) (h₁ : p → a < {k}) (h₂ : q → a > {j})", "¬(p ∧ q)",
                    ["intro hpq", "obtain ⟨hp, hq⟩ := hpq", f"have h₃ : a < {k} := h₁ hp",
                     f"have h₄ : a > {j} := h₂ hq", "omega"])
    for i, k in enumerate([1, 2, 5]):
        yield entry(f"micro.mixed.iff_rw_{i + 1}",
                    f"(p : Prop) (a b : ℕ) (h : p ↔ a < b) (hab : a + {k} ≤ b)", "p",
                    ["rw [h]", "omega"])
    for i, (k, j) in enumerate([(3, 1), (5, 2), (4, 0)]):
        yield entry(f"micro.mixed.exists_between_{i + 1}",
                    f"(a b : ℕ) (h : ∃ n : ℕ, n > a + {j} ∧ n < b)", f"a + {j + 2} ≤ b",
                    ["obtain ⟨n, h₁, h₂⟩ := h", "omega"])


def hand_written() -> Iterator[Entry]:
    for name, binders, concl, tactics in HAND_WRITTEN:
        yield entry(name, binders, concl, tactics)


def corpus() -> list[Entry]:
    entries = [*logic(), *quantifiers(), *arithmetic(), *rewriting(), *induction(),
               *divisibility(), *nonlinear(), *mixed_families(), *hand_written()]
    names = [e.full_name for e in entries]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"duplicate theorem names: {sorted(duplicates)}")
    return entries


def write(entries: list[Entry], out_dir: Path = HERE) -> dict[str, int]:
    from lean_env import jsonl

    files: dict[str, list[dict]] = {name: [] for name in ("all", "train", "valid", "test")}
    for e in entries:
        for name in ("all", split_of(e.full_name)):
            files[name].append(asdict(e))
    for name, rows in files.items():  # each file replaced whole: a kill leaves the old or the new
        jsonl.write_atomic(out_dir / f"{name}.jsonl", rows)
    return {name: len(rows) for name, rows in files.items()}


def main() -> None:
    counts = write(corpus())
    print(" ".join(f"{name}={n}" for name, n in counts.items()))


if __name__ == "__main__":
    main()
