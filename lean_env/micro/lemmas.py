"""The lemma library: Lean 4 core lemmas on ℕ and the connectives, and Mathlib's
root lemmas of ordered semirings, rings and fields, with their exact names and
statements.

Arguments in `{}` are implicit (metavariables found by unification); the ones in
`()` and the `∀`/`→` of the conclusion are explicit. `Nat.succ n` is `n + 1`.
A Mathlib root lemma (`sq_nonneg`, `mul_pos`, `add_comm`, ...) is polymorphic in
its type α: it has one instance per type of ℕ ℤ ℚ ℝ whose instances Mathlib has
(weaker than Mathlib where unsure: `sq_nonneg` is not offered at ℕ), and the
elaborator picks α from the arguments or the expected type.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lean_env.micro.binop import elab_prop
from lean_env.micro.goals import TacticError
from lean_env.micro.lexer import tokenize
from lean_env.micro.parser import ExprParser
from lean_env.micro.statement import parse_binder_group

SOURCES = """
Nat.add_comm : ∀ (n m : ℕ), n + m = m + n
Nat.add_assoc : ∀ (n m k : ℕ), n + m + k = n + (m + k)
Nat.add_zero (n : ℕ) : n + 0 = n
Nat.zero_add : ∀ (n : ℕ), 0 + n = n
Nat.add_succ (n m : ℕ) : n + Nat.succ m = Nat.succ (n + m)
Nat.succ_add : ∀ (n m : ℕ), Nat.succ n + m = Nat.succ (n + m)
Nat.add_one (n : ℕ) : n + 1 = Nat.succ n
Nat.succ_eq_add_one (n : ℕ) : Nat.succ n = n + 1
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
absurd {a b : Prop} (h₁ : a) (h₂ : ¬a) : b
False.elim {C : Prop} (h : False) : C
Not.elim {a b : Prop} (H1 : ¬a) (H2 : a) : b
mt {a b : Prop} (h₁ : a → b) (h₂ : ¬b) : ¬a
id {a : Prop} (h : a) : a
"""

# Mathlib's root lemmas over an ordered semiring/ring/field α, as `NAME [types] : statement`
# (α is instantiated at each listed type, found from the arguments or the expected type).
POLYMORPHIC = """
Eq.symm [ℕℤℚℝ] {a b : α} (h : a = b) : b = a
Eq.trans [ℕℤℚℝ] {a b c : α} (h₁ : a = b) (h₂ : b = c) : a = c
Eq.refl [ℕℤℚℝ] (a : α) : a = a
Ne.symm [ℕℤℚℝ] {a b : α} (h : a ≠ b) : b ≠ a
add_comm [ℕℤℚℝ] (a b : α) : a + b = b + a
add_assoc [ℕℤℚℝ] (a b c : α) : a + b + c = a + (b + c)
add_zero [ℕℤℚℝ] (a : α) : a + 0 = a
zero_add [ℕℤℚℝ] (a : α) : 0 + a = a
mul_comm [ℕℤℚℝ] (a b : α) : a * b = b * a
mul_assoc [ℕℤℚℝ] (a b c : α) : a * b * c = a * (b * c)
mul_one [ℕℤℚℝ] (a : α) : a * 1 = a
one_mul [ℕℤℚℝ] (a : α) : 1 * a = a
mul_zero [ℕℤℚℝ] (a : α) : a * 0 = 0
zero_mul [ℕℤℚℝ] (a : α) : 0 * a = 0
mul_add [ℕℤℚℝ] (a b c : α) : a * (b + c) = a * b + a * c
add_mul [ℕℤℚℝ] (a b c : α) : (a + b) * c = a * c + b * c
two_mul [ℕℤℚℝ] (a : α) : 2 * a = a + a
pow_succ [ℕℤℚℝ] (a : α) (n : ℕ) : a ^ (n + 1) = a ^ n * a
pow_zero [ℕℤℚℝ] (a : α) : a ^ 0 = 1
pow_two [ℕℤℚℝ] (a : α) : a ^ 2 = a * a
sq [ℕℤℚℝ] (x : α) : x ^ 2 = x * x
add_pow_two [ℕℤℚℝ] (a b : α) : (a + b) ^ 2 = a ^ 2 + 2 * a * b + b ^ 2
le_refl [ℕℤℚℝ] (a : α) : a ≤ a
le_trans [ℕℤℚℝ] {a b c : α} : a ≤ b → b ≤ c → a ≤ c
lt_trans [ℕℤℚℝ] {a b c : α} : a < b → b < c → a < c
le_of_lt [ℕℤℚℝ] {a b : α} (hab : a < b) : a ≤ b
lt_irrefl [ℕℤℚℝ] (a : α) : ¬a < a
le_antisymm [ℕℤℚℝ] {a b : α} : a ≤ b → b ≤ a → a = b
lt_of_lt_of_le [ℕℤℚℝ] {a b c : α} : a < b → b ≤ c → a < c
lt_of_le_of_lt [ℕℤℚℝ] {a b c : α} : a ≤ b → b < c → a < c
ne_of_gt [ℕℤℚℝ] {a b : α} (h : a > b) : a ≠ b
ne_of_lt [ℕℤℚℝ] {a b : α} (h : a < b) : a ≠ b
le_of_eq [ℕℤℚℝ] {a b : α} (hab : a = b) : a ≤ b
mul_pos [ℕℤℚℝ] {a b : α} (ha : 0 < a) (hb : 0 < b) : 0 < a * b
mul_nonneg [ℕℤℚℝ] {a b : α} (ha : 0 ≤ a) (hb : 0 ≤ b) : 0 ≤ a * b
add_pos [ℕℤℚℝ] {a b : α} (ha : 0 < a) (hb : 0 < b) : 0 < a + b
add_nonneg [ℕℤℚℝ] {a b : α} (ha : 0 ≤ a) (hb : 0 ≤ b) : 0 ≤ a + b
pow_pos [ℕℤℚℝ] {a : α} (H : 0 < a) (n : ℕ) : 0 < a ^ n
pow_nonneg [ℕℤℚℝ] {a : α} (H : 0 ≤ a) (n : ℕ) : 0 ≤ a ^ n
mul_le_mul_of_nonneg_left [ℕℤℚℝ] {a b c : α} (h : b ≤ c) (a_nonneg : 0 ≤ a) : a * b ≤ a * c
mul_le_mul_of_nonneg_right [ℕℤℚℝ] {a b c : α} (h : b ≤ c) (a_nonneg : 0 ≤ a) : b * a ≤ c * a
mul_lt_mul_of_pos_left [ℕℤℚℝ] {a b c : α} (h : b < c) (a_pos : 0 < a) : a * b < a * c
mul_lt_mul_of_pos_right [ℕℤℚℝ] {a b c : α} (h : b < c) (a_pos : 0 < a) : b * a < c * a
sq_nonneg [ℤℚℝ] (a : α) : 0 ≤ a ^ 2
pow_two_nonneg [ℤℚℝ] (a : α) : 0 ≤ a ^ 2
mul_self_nonneg [ℤℚℝ] (a : α) : 0 ≤ a * a
mul_pos_of_neg_of_neg [ℤℚℝ] {a b : α} (ha : a < 0) (hb : b < 0) : 0 < a * b
sub_nonneg [ℤℚℝ] {a b : α} : 0 ≤ a - b ↔ b ≤ a
sub_pos [ℤℚℝ] {a b : α} : 0 < a - b ↔ b < a
sub_neg [ℤℚℝ] {a b : α} : a - b < 0 ↔ a < b
neg_nonpos [ℤℚℝ] {a : α} : -a ≤ 0 ↔ 0 ≤ a
neg_neg [ℤℚℝ] (a : α) : - -a = a
sub_self [ℤℚℝ] (a : α) : a - a = 0
abs_nonneg [ℤℚℝ] (a : α) : 0 ≤ |a|
abs_mul_abs_self [ℤℚℝ] (a : α) : |a| * |a| = a * a
abs_mul_self [ℤℚℝ] (a : α) : |a * a| = a * a
sq_abs [ℤℚℝ] (a : α) : |a| ^ 2 = a ^ 2
abs_sub_comm [ℤℚℝ] (a b : α) : |a - b| = |b - a|
le_abs_self [ℤℚℝ] (a : α) : a ≤ |a|
neg_abs_le [ℤℚℝ] (a : α) : -|a| ≤ a
abs_pos [ℤℚℝ] {a : α} : 0 < |a| ↔ a ≠ 0
div_pos [ℚℝ] {a b : α} (ha : 0 < a) (hb : 0 < b) : 0 < a / b
div_nonneg [ℚℝ] {a b : α} (ha : 0 ≤ a) (hb : 0 ≤ b) : 0 ≤ a / b
inv_pos [ℚℝ] {a : α} : 0 < a⁻¹ ↔ 0 < a
one_div [ℚℝ] (a : α) : 1 / a = a⁻¹
div_add_div_same [ℚℝ] (a b c : α) : a / c + b / c = (a + b) / c
add_div [ℚℝ] (a b c : α) : (a + b) / c = a / c + b / c
div_self [ℚℝ] {a : α} (h : a ≠ 0) : a / a = 1
mul_inv_cancel₀ [ℚℝ] {a : α} (h : a ≠ 0) : a * a⁻¹ = 1
add_sq [ℕℤℚℝ] (a b : α) : (a + b) ^ 2 = a ^ 2 + 2 * a * b + b ^ 2
sub_sq [ℤℚℝ] (a b : α) : (a - b) ^ 2 = a ^ 2 - 2 * a * b + b ^ 2
mul_eq_zero [ℕℤℚℝ] {a b : α} : a * b = 0 ↔ a = 0 ∨ b = 0
mul_self_eq_zero [ℤℚℝ] {a : α} : a * a = 0 ↔ a = 0
sub_eq_zero [ℤℚℝ] {a b : α} : a - b = 0 ↔ a = b
neg_nonneg [ℤℚℝ] {a : α} : 0 ≤ -a ↔ a ≤ 0
neg_pos [ℤℚℝ] {a : α} : 0 < -a ↔ a < 0
mul_self_le_mul_self [ℕℤℚℝ] {a b : α} (h1 : 0 ≤ a) (h2 : a ≤ b) : a * a ≤ b * b
pow_le_pow_left [ℕℤℚℝ] {a b : α} (ha : 0 ≤ a) (hab : a ≤ b) (n : ℕ) : a ^ n ≤ b ^ n
abs_mul [ℤℚℝ] (a b : α) : |a * b| = |a| * |b|
abs_neg [ℤℚℝ] (a : α) : |-a| = |a|
abs_sub_abs_le_abs_sub [ℤℚℝ] (a b : α) : |a| - |b| ≤ |a - b|
abs_le [ℤℚℝ] {a b : α} : |a| ≤ b ↔ -b ≤ a ∧ a ≤ b
abs_lt [ℤℚℝ] {a b : α} : |a| < b ↔ -b < a ∧ a < b
abs_of_nonneg [ℤℚℝ] {a : α} (h : 0 ≤ a) : |a| = a
abs_of_pos [ℤℚℝ] {a : α} (h : 0 < a) : |a| = a
abs_of_neg [ℤℚℝ] {a : α} (h : a < 0) : |a| = -a
abs_of_nonpos [ℤℚℝ] {a : α} (h : a ≤ 0) : |a| = -a
Nat.cast_nonneg [ℤℚℝ] (n : ℕ) : 0 ≤ (n : α)
Nat.cast_pos [ℤℚℝ] {n : ℕ} : (0 : α) < n ↔ 0 < n
Nat.cast_le [ℤℚℝ] {m n : ℕ} : (m : α) ≤ n ↔ m ≤ n
Nat.cast_lt [ℤℚℝ] {m n : ℕ} : (m : α) < n ↔ m < n
Nat.cast_inj [ℤℚℝ] {m n : ℕ} : (m : α) = n ↔ m = n
Nat.cast_add [ℤℚℝ] (m n : ℕ) : ((m + n : ℕ) : α) = m + n
Nat.cast_mul [ℤℚℝ] (m n : ℕ) : ((m * n : ℕ) : α) = m * n
Nat.cast_pow [ℤℚℝ] (n m : ℕ) : ((n ^ m : ℕ) : α) = (n : α) ^ m
Nat.cast_sub [ℤℚℝ] {m n : ℕ} (h : m ≤ n) : ((n - m : ℕ) : α) = n - m
Nat.cast_succ [ℤℚℝ] (n : ℕ) : ((n + 1 : ℕ) : α) = n + 1
Nat.cast_zero [ℤℚℝ] : ((0 : ℕ) : α) = 0
Nat.cast_one [ℤℚℝ] : ((1 : ℕ) : α) = 1
Int.cast_le [ℚℝ] {m n : ℤ} : (m : α) ≤ n ↔ m ≤ n
Int.cast_lt [ℚℝ] {m n : ℤ} : (m : α) < n ↔ m < n
Int.cast_inj [ℚℝ] {m n : ℤ} : (m : α) = n ↔ m = n
Int.cast_add [ℚℝ] (m n : ℤ) : ((m + n : ℤ) : α) = m + n
Int.cast_mul [ℚℝ] (m n : ℤ) : ((m * n : ℤ) : α) = m * n
Int.cast_sub [ℚℝ] (m n : ℤ) : ((m - n : ℤ) : α) = m - n
Int.cast_neg [ℚℝ] (n : ℤ) : ((-n : ℤ) : α) = -n
"""

HypType = object  # one of ℕ ℤ ℚ ℝ | 'Prop' | Prop


@dataclass(frozen=True)
class Lemma:
    name: str
    implicit: tuple[tuple[str, str], ...]  # (name, a type of NUM_TYPES | 'Prop')
    explicit: tuple[tuple[str, HypType], ...]  # (name, a type | a premise)
    conclusion: object
    types: tuple[str, ...] = ()  # the instances of a polymorphic lemma; () if monomorphic


def parse_lemma(line: str, types: tuple[str, ...] = ()) -> Lemma:
    """A lemma from its signature; its propositions are elaborated (binop.py)
    with its binders in scope."""
    p = ExprParser(tokenize(line))
    name = p.ident()
    implicit, explicit = [], []
    scope: dict[str, str] = {}
    while p.at("(", "{"):
        names, typ, is_implicit = parse_binder_group(p)
        for n in names:
            if typ == "Prop":
                p.prop_vars.add(n)
            (implicit if is_implicit else explicit).append((n, typ))
            if isinstance(typ, str):
                scope[n] = typ
    p.expect(":")
    conclusion = p.prop()
    p.end()

    def lookup(n: str):
        if n not in scope:
            raise TacticError(f"unknown identifier '{n}' in lemma {name}")
        return n, scope[n]

    def elab(t):
        return t if isinstance(t, str) else elab_prop(t, lookup)

    return Lemma(name, tuple(implicit), tuple((n, elab(t)) for n, t in explicit),
                 elab_prop(conclusion, lookup), types)


_TYPE_CODES = {"ℕ": "ℕ", "ℤ": "ℤ", "ℚ": "ℚ", "ℝ": "ℝ"}


def _polymorphic(line: str) -> tuple[str, tuple[str, ...], str]:
    """`NAME [ℤℚℝ] rest` -> (NAME, types, 'NAME rest')."""
    name, rest = line.split(" ", 1)
    codes, rest = rest[1:].split("] ", 1)
    return name, tuple(_TYPE_CODES[c] for c in codes), f"{name} {rest}"


@lru_cache(maxsize=1)
def library() -> dict[str, Lemma]:
    lemmas = (parse_lemma(line) for line in SOURCES.strip().splitlines())
    return {lem.name: lem for lem in lemmas}


@lru_cache(maxsize=1)
def polymorphic() -> dict[str, tuple[tuple[str, ...], str]]:
    """name -> (types, signature with α)."""
    out = {}
    for line in POLYMORPHIC.strip().splitlines():
        name, types, sig = _polymorphic(line)
        out[name] = (types, sig)
    return out


@lru_cache(maxsize=1024)
def _instance(name: str, ty: str) -> Lemma:
    types, sig = polymorphic()[name]
    return parse_lemma(sig.replace("α", ty), types)


def lemma_types(name: str) -> tuple[str, ...]:
    """The types a polymorphic lemma is instantiated at; () for a monomorphic one."""
    entry = polymorphic().get(name)
    return entry[0] if entry else ()


def get_lemma(name: str, ty: str | None = None) -> Lemma | None:
    """The lemma `name`; a polymorphic one at type `ty` (None if it has no instance
    there), or at its first type when `ty` is not given."""
    entry = polymorphic().get(name)
    if entry is not None:
        types = entry[0]
        if ty is None:
            ty = types[0]
        return _instance(name, ty) if ty in types else None
    return library().get(name)
