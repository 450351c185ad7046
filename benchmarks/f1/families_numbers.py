"""F1 families of number theory, search, logic and structure: modular arithmetic,
divisibility and last digits, bounded searches with interval_cases, case analysis,
induction, quantifiers, `have` chains, rewriting with hypotheses, casts between ℕ ℤ ℝ.
Each function draws one instance from a seeded random.Random (see families.py)."""
from __future__ import annotations

import random
from fractions import Fraction

from lean_terms import CHAIN_VARS, REALS, VAR_ONE, VAR_PAIRS, Instance, lin, nonzero, num, sub

# ---- modular arithmetic, divisibility, last digits -------------------------------------

def mod_linear(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k"])
    m = r.randint(3, 13)
    res, a, b = r.randint(0, m - 1), r.randint(2, 12), r.randint(0, 30)
    return (f"({n} : ℕ) (h₀ : {n} % {m} = {res})", f"({lin([(a, n)], b)}) % {m} = {(a * res + b) % m}",
            [f"have h₁ : {n} = {m} * ({n} / {m}) + {res} := by omega", "omega"])


def last_digit(r: random.Random) -> Instance:
    a, k = r.randint(2, 29), r.randint(2, 14)
    m = r.choice([10, 10, 100, 7, 9, 11])
    return "", f"{a} ^ {k} % {m} = {pow(a, k, m)}", ["norm_num"]


def dvd_combination(r: random.Random) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    d, p, q = r.randint(2, 12), nonzero(r, -9, 9), nonzero(r, -9, 9)
    return (f"({x} {y} : ℤ) (h₀ : {d} ∣ {x}) (h₁ : {d} ∣ {y})", f"{d} ∣ {lin([(p, x), (q, y)])}",
            [f"have h₂ : {d} ∣ {lin([(p, x)])} := by omega", f"have h₃ : {d} ∣ {lin([(q, y)])} := by omega",
             "omega"])


def mod_square(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k"])
    m = r.randint(3, 10)
    res = r.randint(0, m - 1)
    return (f"({n} : ℤ) (h₀ : {n} % {m} = {res})", f"{n} ^ 2 % {m} = {res * res % m}",
            [f"have h₁ : {n} = {m} * ({n} / {m}) + {res} := by omega", "rw [h₁]", "ring_nf", "omega"])


def dvd_witness(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k"])
    d, a, b = r.randint(2, 12), r.randint(1, 9), r.randint(0, 20)
    expr, witness = lin([(d * a, n)], d * b), lin([(a, n)], b)
    return (f"({n} : ℕ)", f"{d} ∣ {expr}",
            [f"have h : {expr} = {d} * ({witness}) := by ring", "rw [h]",
             f"exact Nat.dvd_mul_right {d} ({witness})"])


# ---- bounded searches and case analysis -----------------------------------------------

def interval_square(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k"])
    lo = r.randint(0, 20)
    hi = lo + r.randint(2, 7)
    s = r.randint(lo, hi)
    style = r.choice([[f"interval_cases {n} <;> omega"], [f"interval_cases {n}", "all_goals omega"]])
    return (f"({n} : ℕ) (h₀ : {lo} ≤ {n}) (h₁ : {n} ≤ {hi}) (h₂ : {n} * {n} = {s * s})", f"{n} = {s}", style)


def interval_residue(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k"])
    m, e = r.randint(4, 9), r.choice([2, 3])
    t = r.randint(0, m - 1)
    sols = [v for v in range(m) if v ** e % m == t]
    if not sols or len(sols) == m:
        return None
    concl = " ∨ ".join(f"{n} = {v}" for v in sols)
    return (f"({n} : ℕ) (h₀ : {n} < {m}) (h₁ : {n} ^ {e} % {m} = {t})", concl,
            [f"interval_cases {n} <;> omega"])


def split_half(r: random.Random) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    s = 2 * r.randint(-15, 15)
    return (f"({x} {y} : ℝ) (h₀ : {x} + {y} = {s})", f"{x} ≥ {s // 2} ∨ {y} ≥ {s // 2}",
            [f"by_cases h : {x} ≥ {s // 2}", "left", "exact h", "right", "push_neg at h", "linarith"])


def cases_or_linear(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    a, b = r.randint(-10, 10), r.randint(-10, 10)
    k = r.randint(1, 5)
    hi = k * max(a, b) + r.randint(0, 5)
    return (f"({x} : ℝ) (h₀ : {x} = {a} ∨ {x} = {b})", f"{k} * {x} ≤ {hi}",
            ["rcases h₀ with h | h", "rw [h]", "norm_num", "rw [h]", "norm_num"])


# ---- induction --------------------------------------------------------------------

def induction_pow(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k"])
    a, c = r.randint(2, 9), r.randint(0, 25)
    concl = r.choice([f"{a} ^ {n} ≥ {n} + 1", f"{a} ^ {n} ≥ 1", f"{a} ^ {n} > {n}",
                      f"{c + 2} * {a} ^ {n} ≥ {c + 2} * {n} + {c + 2}"])
    return (f"({n} : ℕ)", concl,
            [f"induction {n} with", "| zero => norm_num", "| succ i ih =>", "  rw [pow_succ]", "  omega"])


def induction_bernoulli(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k", "j", "t"])
    a = r.randint(2, 10)  # a = 1 would be induction_pow's `2 ^ n ≥ n + 1`
    return (f"({n} : ℕ)", f"{a + 1} ^ {n} ≥ {lin([(a, n)], 1)}",
            [f"induction {n} with", "| zero => norm_num", "| succ i ih =>", "  rw [pow_succ]",
             "  nlinarith [ih]"])


# ---- logic and quantifiers ---------------------------------------------------------

def exists_solution(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    a, b = r.randint(2, 12), r.randint(-20, 20)
    sol = Fraction(r.randint(-30, 30), r.choice([1, 1, 2, 3, 4]))
    c = a * sol + b
    if c.denominator != 1:
        return None
    return "", f"∃ {x} : ℝ, {lin([(a, x)], b)} = {c.numerator}", [f"use {num(sol)}", "norm_num"]


def not_forall(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    c = r.randint(0, 40)
    w = r.randint(-5, 5)
    if w * w > c:
        return None
    return "", f"¬∀ {x} : ℝ, {x} ^ 2 > {c}", ["push_neg", f"use {w}", "norm_num"]


def forall_exists_bigger(r: random.Random) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    k = r.randint(1, 20)
    return "", f"∀ {x} : ℝ, ∃ {y} : ℝ, {y} > {x} + {k}", [f"intro {x}", f"use {x} + {k + 1}", "linarith"]


def and_bounds(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    a = r.randint(-20, 20)
    b = a + r.randint(1, 15)
    k = r.randint(2, 6)
    return (f"({x} : ℝ) (h₀ : {a} < {x}) (h₁ : {x} < {b})",
            f"{k * a} < {k} * {x} ∧ {k} * {x} < {k * b}", ["constructor", "linarith", "linarith"])


def prop_implication(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    a = r.randint(-10, 10)
    k = r.randint(1, 9)
    return (f"(P : Prop) ({x} : ℝ) (h₀ : {x} > {a} → P) (h₁ : {x} ≥ {a + k})", "P",
            ["apply h₀", "linarith"])


def or_elim_bound(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    a, b = r.randint(-15, 15), r.randint(-15, 15)
    low = min(a, b) - r.randint(0, 4)
    return (f"(P Q : Prop) ({x} : ℝ) (h₀ : P → {x} > {a}) (h₁ : Q → {x} > {b}) (h₂ : P ∨ Q)",
            f"{x} > {low}",
            ["rcases h₂ with hp | hq", f"have h₃ : {x} > {a} := h₀ hp", "linarith",
             f"have h₄ : {x} > {b} := h₁ hq", "linarith"])


# ---- have chains and rewriting ----------------------------------------------------


def have_chain(r: random.Random, ty: str) -> Instance:
    length = r.randint(2, 8)
    names = CHAIN_VARS[:length]
    value = r.randint(-5, 9) if ty != "ℕ" else r.randint(0, 9)
    hyps = [f"(h{sub(0)} : {names[0]} = {value})"]
    values = [value]
    for i in range(1, length):
        a, b = r.randint(1, 3), r.randint(0 if ty == "ℕ" else -5, 6)
        if a == 1 and b == 0:
            b = 1
        hyps.append(f"(h{sub(i)} : {names[i]} = {lin([(a, names[i - 1])], b)})")
        values.append(a * values[-1] + b)
    tactics = [f"have e{sub(0)} : {names[0]} = {values[0]} := h{sub(0)}"]
    for i in range(1, length):
        if ty == "ℕ":
            tactics.append(f"have e{sub(i)} : {names[i]} = {values[i]} := by omega")
        else:  # rw then norm_num: rw's closing rfl cannot evaluate ℚ/ℝ arithmetic, a = 1, b = 0 excluded
            tactics.append(f"have e{sub(i)} : {names[i]} = {values[i]} := by rw [h{sub(i)}, e{sub(i - 1)}]; norm_num")
    tactics.append(f"exact e{sub(length - 1)}")
    return (f"({' '.join(names)} : {ty}) {' '.join(hyps)}", f"{names[-1]} = {values[-1]}", tactics)


def have_chain_real(r):
    return have_chain(r, r.choice(REALS))


def have_chain_nat(r):
    return have_chain(r, "ℕ")


def rewrite_hyps(r: random.Random) -> Instance:
    a, b, c = r.choice([("a", "b", "c"), ("x", "y", "z"), ("p", "q", "r")])
    p, q, v = r.randint(2, 7), r.randint(2, 7), r.randint(-9, 9)
    k = r.randint(1, 4)
    value = p * q * v + k * q * v + v
    return (f"({a} {b} {c} : ℝ) (h₀ : {a} = {p} * {b}) (h₁ : {b} = {q} * {c}) (h₂ : {c} = {v})",
            f"{a} + {lin([(k, b)])} + {c} = {value}", ["rw [h₀, h₁, h₂]", "norm_num"])


def rewrite_product(r: random.Random) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    s, d = r.randint(-20, 20), r.randint(-20, 20)
    if (s + d) % 2:
        return None
    xv, yv = (s + d) // 2, (s - d) // 2
    return (f"({x} {y} : ℤ) (h₀ : {x} + {y} = {s}) (h₁ : {x} - {y} = {d})", f"{x} * {y} = {xv * yv}",
            [f"have h₂ : {x} = {xv} := by omega", f"have h₃ : {y} = {yv} := by omega", "rw [h₂, h₃]",
             "norm_num"])


def calc_rewrite(r: random.Random) -> Instance:
    a, b = r.choice(VAR_PAIRS)
    k, m, v = r.randint(2, 9), r.randint(1, 9), r.randint(-9, 9)
    return (f"({a} {b} : ℝ) (h₀ : {a} = {k} * {b}) (h₁ : {b} = {v})",
            f"{a} + {lin([(m, b)])} = {(k + m) * v}",
            [f"calc {a} + {lin([(m, b)])} = {k} * {b} + {lin([(m, b)])} := by rw [h₀]",
             f"  _ = {k + m} * {b} := by ring",
             f"  _ = {(k + m) * v} := by rw [h₁]; norm_num"])


# ---- casts between ℕ, ℤ and ℝ -------------------------------------------------------

def cast_nat_real(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k"])
    a, v = r.randint(1, 30), r.randint(0, 40)
    return (f"({n} : ℕ) (h₀ : ({n} : ℝ) + {a} = {v + a})", f"{n} = {v}",
            [f"have h₁ : ({n} : ℝ) = {v} := by linarith", "exact_mod_cast h₁"])


def cast_int_real(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k"])
    a, v, b = r.randint(2, 9), r.randint(-20, 20), r.randint(-20, 20)
    return (f"({n} : ℤ) (h₀ : {lin([(a, f'({n} : ℝ)')], b)} = {a * v + b})", f"{n} = {v}",
            [f"have h₁ : ({n} : ℝ) = {v} := by linarith", "exact_mod_cast h₁"])


def cast_to_real(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k"])
    a, v = r.randint(1, 20), r.randint(0, 30)
    k = r.randint(1, 5)
    return (f"({n} : ℕ) (h₀ : {n} + {a} = {v + a})", f"{k} * ({n} : ℝ) = {k * v}",
            [f"have h₁ : {n} = {v} := by omega", "rw [h₁]", "norm_num"])


def cast_nat_int_sub(r: random.Random) -> Instance:
    a, b = r.choice(VAR_PAIRS)
    k = r.randint(0, 30)
    return (f"({a} {b} : ℕ) (h₀ : {b} + {k} ≤ {a})", f"(({a} - {b} : ℕ) : ℤ) ≥ {k}",
            [f"have h₁ : {a} - {b} ≥ {k} := by omega", "exact_mod_cast h₁"])
