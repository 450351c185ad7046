"""The lemma library: Lean 4 core (and a few Mathlib root) lemmas on ℕ and the
connectives, with their exact names and statements.

Arguments in `{}` are implicit (metavariables found by unification); the ones in
`()` and the `∀`/`→` of the conclusion are explicit. `Nat.succ n` is `n + 1`.
Mathlib's root lemmas (`add_comm`, `le_refl`, ...) are stated at type ℕ.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lean_env.micro.lexer import tokenize
from lean_env.micro.parser import ExprParser, parse_binder_group

SOURCES = """
Nat.add_comm : ∀ (n m : ℕ), n + m = m + n
Nat.add_assoc : ∀ (n m k : ℕ), n + m + k = n + (m + k)
Nat.add_zero (n : ℕ) : n + 0 = n
Nat.zero_add : ∀ (n : ℕ), 0 + n = n
Nat.add_succ (n m : ℕ) : n + Nat.succ m = Nat.succ (n + m)
Nat.succ_add : ∀ (n m : ℕ), Nat.succ n + m = Nat.succ (n + m)
Nat.add_one (n : ℕ) : n + 1 = Nat.succ n
Nat.add_left_comm (n m k : ℕ) : n + (m + k) = m + (n + k)
Nat.add_right_comm (n m k : ℕ) : n + m + k = n + k + m
Nat.mul_comm : ∀ (n m : ℕ), n * m = m * n
Nat.mul_assoc : ∀ (n m k : ℕ), n * m * k = n * (m * k)
Nat.mul_one : ∀ (n : ℕ), n * 1 = n
Nat.one_mul (n : ℕ) : 1 * n = n
Nat.mul_zero (n : ℕ) : n * 0 = 0
Nat.zero_mul : ∀ (n : ℕ), 0 * n = 0
Nat.left_distrib (n m k : ℕ) : n * (m + k) = n * m + n * k
Nat.right_distrib (n m k : ℕ) : (n + m) * k = n * k + m * k
Nat.mul_add (n m k : ℕ) : n * (m + k) = n * m + n * k
Nat.add_mul (n m k : ℕ) : (n + m) * k = n * k + m * k
Nat.mul_succ (n m : ℕ) : n * Nat.succ m = n * m + n
Nat.succ_mul (n m : ℕ) : Nat.succ n * m = n * m + m
Nat.two_mul (n : ℕ) : 2 * n = n + n
Nat.mul_two (n : ℕ) : n * 2 = n + n
Nat.pow_succ {b n : ℕ} : b ^ Nat.succ n = b ^ n * b
Nat.pow_zero (b : ℕ) : b ^ 0 = 1
Nat.pow_one (b : ℕ) : b ^ 1 = b
Nat.sub_self : ∀ (n : ℕ), n - n = 0
Nat.sub_zero (n : ℕ) : n - 0 = n
Nat.add_sub_cancel {n m : ℕ} : n + m - m = n
Nat.le_refl (n : ℕ) : n ≤ n
Nat.le_trans {n m k : ℕ} : n ≤ m → m ≤ k → n ≤ k
Nat.lt_trans {n m k : ℕ} (h₁ : n < m) : m < k → n < k
Nat.le_of_lt {n m : ℕ} (h : n < m) : n ≤ m
Nat.le_of_eq {n m : ℕ} (p : n = m) : n ≤ m
Nat.lt_irrefl (n : ℕ) : ¬n < n
Nat.lt_succ_self (n : ℕ) : n < Nat.succ n
Nat.lt_add_one (n : ℕ) : n < n + 1
Nat.succ_le_of_lt {n m : ℕ} (h : n < m) : Nat.succ n ≤ m
Nat.lt_of_succ_le {n m : ℕ} (h : Nat.succ n ≤ m) : n < m
Nat.zero_le : ∀ (n : ℕ), 0 ≤ n
Nat.zero_lt_succ (n : ℕ) : 0 < Nat.succ n
Nat.succ_pos (n : ℕ) : 0 < Nat.succ n
Nat.succ_ne_zero (n : ℕ) : Nat.succ n ≠ 0
Nat.le_antisymm {n m : ℕ} (h₁ : n ≤ m) (h₂ : m ≤ n) : n = m
Nat.lt_of_lt_of_le {n m k : ℕ} : n < m → m ≤ k → n < k
Nat.lt_of_le_of_lt {n m k : ℕ} : n ≤ m → m < k → n < k
Nat.le_mul_self : ∀ (n : ℕ), n ≤ n * n
Nat.succ_le_succ {n m : ℕ} : n ≤ m → Nat.succ n ≤ Nat.succ m
Nat.le_of_succ_le_succ {n m : ℕ} : Nat.succ n ≤ Nat.succ m → n ≤ m
Nat.le_succ (n : ℕ) : n ≤ n + 1
Nat.le_add_right : ∀ (n k : ℕ), n ≤ n + k
Nat.le_add_left (n m : ℕ) : n ≤ m + n
Nat.add_le_add {a b c d : ℕ} (h₁ : a ≤ b) (h₂ : c ≤ d) : a + c ≤ b + d
Nat.add_lt_add {a b c d : ℕ} (h₁ : a < b) (h₂ : c < d) : a + c < b + d
Nat.add_le_add_left {n m : ℕ} (h : n ≤ m) (k : ℕ) : k + n ≤ k + m
Nat.add_le_add_right {n m : ℕ} (h : n ≤ m) (k : ℕ) : n + k ≤ m + k
Nat.mul_le_mul {p q m n : ℕ} (h₁ : p ≤ m) (h₂ : q ≤ n) : p * q ≤ m * n
Nat.pos_of_ne_zero {n : ℕ} : n ≠ 0 → 0 < n
Nat.lt_or_ge (a b : ℕ) : a < b ∨ a ≥ b
Nat.le_total (m n : ℕ) : m ≤ n ∨ n ≤ m
Nat.eq_zero_or_pos : ∀ (n : ℕ), n = 0 ∨ 0 < n
Nat.not_succ_le_self (n : ℕ) : ¬n + 1 ≤ n
Nat.not_lt_zero (n : ℕ) : ¬n < 0
Nat.dvd_refl (a : ℕ) : a ∣ a
Nat.dvd_mul_right (a b : ℕ) : a ∣ a * b
Nat.dvd_mul_left (a b : ℕ) : a ∣ b * a
Nat.dvd_trans {a b c : ℕ} (h₁ : a ∣ b) (h₂ : b ∣ c) : a ∣ c
Nat.one_dvd (n : ℕ) : 1 ∣ n
Nat.dvd_zero (a : ℕ) : a ∣ 0
And.intro {a b : Prop} (left : a) (right : b) : a ∧ b
And.left {a b : Prop} (self : a ∧ b) : a
And.right {a b : Prop} (self : a ∧ b) : b
And.symm {a b : Prop} : a ∧ b → b ∧ a
Or.inl {a b : Prop} (h : a) : a ∨ b
Or.inr {a b : Prop} (h : b) : a ∨ b
Or.elim {a b c : Prop} (h : a ∨ b) (left : a → c) (right : b → c) : c
Or.symm {a b : Prop} : a ∨ b → b ∨ a
Iff.intro {a b : Prop} (mp : a → b) (mpr : b → a) : a ↔ b
Iff.mp {a b : Prop} (self : a ↔ b) : a → b
Iff.mpr {a b : Prop} (self : a ↔ b) : b → a
Iff.symm {a b : Prop} (h : a ↔ b) : b ↔ a
Eq.symm {a b : ℕ} (h : a = b) : b = a
Eq.trans {a b c : ℕ} (h₁ : a = b) (h₂ : b = c) : a = c
Eq.refl (a : ℕ) : a = a
Ne.symm {a b : ℕ} (h : a ≠ b) : b ≠ a
absurd {a b : Prop} (h₁ : a) (h₂ : ¬a) : b
False.elim {C : Prop} (h : False) : C
Not.elim {a b : Prop} (H1 : ¬a) (H2 : a) : b
mt {a b : Prop} (h₁ : a → b) (h₂ : ¬b) : ¬a
id {a : Prop} (h : a) : a
add_comm (a b : ℕ) : a + b = b + a
add_assoc (a b c : ℕ) : a + b + c = a + (b + c)
add_zero (a : ℕ) : a + 0 = a
zero_add (a : ℕ) : 0 + a = a
mul_comm (a b : ℕ) : a * b = b * a
mul_assoc (a b c : ℕ) : a * b * c = a * (b * c)
mul_one (a : ℕ) : a * 1 = a
one_mul (a : ℕ) : 1 * a = a
mul_zero (a : ℕ) : a * 0 = 0
zero_mul (a : ℕ) : 0 * a = 0
mul_add (a b c : ℕ) : a * (b + c) = a * b + a * c
add_mul (a b c : ℕ) : (a + b) * c = a * c + b * c
two_mul (a : ℕ) : 2 * a = a + a
pow_succ (a : ℕ) (n : ℕ) : a ^ (n + 1) = a ^ n * a
pow_zero (a : ℕ) : a ^ 0 = 1
le_refl (a : ℕ) : a ≤ a
le_trans {a b c : ℕ} : a ≤ b → b ≤ c → a ≤ c
lt_trans {a b c : ℕ} : a < b → b < c → a < c
le_of_lt {a b : ℕ} (hab : a < b) : a ≤ b
lt_irrefl (a : ℕ) : ¬a < a
le_antisymm {a b : ℕ} : a ≤ b → b ≤ a → a = b
lt_of_lt_of_le {a b c : ℕ} : a < b → b ≤ c → a < c
lt_of_le_of_lt {a b c : ℕ} : a ≤ b → b < c → a < c
"""

HypType = object  # 'ℕ' | 'Prop' | Prop


@dataclass(frozen=True)
class Lemma:
    name: str
    implicit: tuple[tuple[str, str], ...]  # (name, 'ℕ' | 'Prop')
    explicit: tuple[tuple[str, HypType], ...]  # (name, 'ℕ' | a premise)
    conclusion: object


def parse_lemma(line: str) -> Lemma:
    p = ExprParser(tokenize(line))
    name = p.ident()
    implicit, explicit = [], []
    while p.at("(", "{"):
        names, typ, is_implicit = parse_binder_group(p)
        for n in names:
            if typ == "Prop":
                p.prop_vars.add(n)
            (implicit if is_implicit else explicit).append((n, typ))
    p.expect(":")
    conclusion = p.prop()
    p.end()
    return Lemma(name, tuple(implicit), tuple(explicit), conclusion)


@lru_cache(maxsize=1)
def library() -> dict[str, Lemma]:
    lemmas = (parse_lemma(line) for line in SOURCES.strip().splitlines())
    return {lem.name: lem for lem in lemmas}


def get_lemma(name: str) -> Lemma | None:
    return library().get(name)
