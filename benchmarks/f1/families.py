"""The theorem families (templates) of the F1 corpus: one function per family.

Each family takes a seeded `random.Random` and returns one instance as
(binders, conclusion, tactics), or None where the draw is degenerate (the caller
draws again). Statements are in the style of competition problems over ℕ ℤ ℚ ℝ;
proofs are written as a Mathlib user writes them, one tactic per line, no bullets.
"""
from __future__ import annotations

import random
from fractions import Fraction
from typing import Callable, Optional

Instance = Optional[tuple[str, str, list[str]]]


# ---- formatting ---------------------------------------------------------------

def num(q: Fraction | int) -> str:
    """A rational constant as a Lean term: `7`, `-3`, `7 / 3`, `-7 / 3`."""
    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator)
    return f"{q.numerator} / {q.denominator}"


def pnum(q: Fraction | int) -> str:
    """`num`, parenthesised where it is not atomic (under * or ^)."""
    text = num(q)
    return f"({text})" if " " in text or text.startswith("-") else text


def lin(terms: list[tuple[int, str]], const: int = 0) -> str:
    """`a * x + b * y - c` from (coefficient, variable) pairs and a constant."""
    out = ""
    for c, v in terms:
        if c == 0:
            continue
        mag = abs(c)
        body = v if mag == 1 else f"{mag} * {v}"
        if not out:
            out = body if c > 0 else f"-{body}" if mag == 1 else f"-{mag} * {v}"
        else:
            out += f" + {body}" if c > 0 else f" - {body}"
    if const or not out:
        out = str(const) if not out else out + (f" + {const}" if const > 0 else f" - {-const}")
    return out


def poly(coeffs: list[int], x: str) -> str:
    """c₀ + c₁ x + … written highest degree first: `2 * x ^ 3 - x + 5`."""
    terms = []
    for k in range(len(coeffs) - 1, 0, -1):
        terms.append((coeffs[k], x if k == 1 else f"{x} ^ {k}"))
    return lin(terms, coeffs[0])


def par(text: str) -> str:
    """Parenthesise a compound term where it is a factor."""
    return f"({text})" if " " in text else text


def nonzero(r: random.Random, lo: int, hi: int) -> int:
    while True:
        v = r.randint(lo, hi)
        if v:
            return v


VAR_PAIRS = [("x", "y"), ("a", "b"), ("m", "n"), ("u", "v"), ("p", "q"), ("s", "t")]
VAR_ONE = ["x", "y", "a", "b", "t", "r", "z", "u"]
REALS = ["ℝ", "ℚ"]


# ---- linear equations and systems ---------------------------------------------------

def lin_eq(r: random.Random) -> Instance:
    x, ty = r.choice(VAR_ONE), r.choice(REALS)
    a, b, x0 = r.randint(2, 15), nonzero(r, -40, 40), r.randint(-25, 25)
    c = a * x0 + b
    return (f"({x} : {ty}) (h₀ : {lin([(a, x)], b)} = {c})", f"{x} = {x0}",
            [f"have h₁ : {a} * {x} = {c - b} := by linarith", "linarith"])


def lin_eq_both_sides(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    a, c = r.randint(2, 12), r.randint(-9, 9)
    if a == c:
        return None
    x0, b = r.randint(-15, 15), r.randint(-30, 30)
    d = (a - c) * x0 + b
    return (f"({x} : ℝ) (h₀ : {lin([(a, x)], b)} = {lin([(c, x)], d)})", f"{x} = {x0}",
            [f"have h₁ : {lin([(a - c, x)])} = {d - b} := by linarith", "linarith"])


def lin_eq_fraction(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    q, p = r.randint(2, 9), r.randint(-30, 30)
    sol = Fraction(p, q)
    if sol.denominator == 1:
        return None
    b = r.randint(-20, 20)
    rhs = p + b  # q * x + b = p + b
    return (f"({x} : ℝ) (h₀ : {lin([(q, x)], b)} = {rhs})", f"{x} = {num(sol)}",
            [f"have h₁ : {q} * {x} = {p} := by linarith", "field_simp", "linarith"])


def lin_eq_int(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k", "x"])
    a, b, n0 = r.randint(2, 20), nonzero(r, -50, 50), r.randint(-30, 30)
    c = a * n0 + b
    return (f"({n} : ℤ) (h₀ : {lin([(a, n)], b)} = {c})", f"{n} = {n0}",
            [f"have h₁ : {a} * {n} = {c - b} := by omega", "omega"])


def system2(r: random.Random, ty: str) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    a1, b1, a2, b2 = (nonzero(r, -7, 7) for _ in range(4))
    if a1 * b2 - a2 * b1 == 0:
        return None
    x0, y0 = r.randint(-12, 12), r.randint(-12, 12)
    c1, c2 = a1 * x0 + b1 * y0, a2 * x0 + b2 * y0
    tactic = "linarith" if ty != "ℤ" else "omega"
    return (f"({x} {y} : {ty}) (h₀ : {lin([(a1, x), (b1, y)])} = {c1}) "
            f"(h₁ : {lin([(a2, x), (b2, y)])} = {c2})", f"{x} = {x0} ∧ {y} = {y0}",
            [f"have h₂ : {x} = {x0} := by {tactic}", f"have h₃ : {y} = {y0} := by {tactic}",
             "exact ⟨h₂, h₃⟩"])


def system2_real(r):
    return system2(r, r.choice(REALS))


def system2_int(r):
    return system2(r, "ℤ")


def system3(r: random.Random) -> Instance:
    names = ("x", "y", "z") if r.random() < 0.5 else ("a", "b", "c")
    rows = [[nonzero(r, -5, 5) for _ in range(3)] for _ in range(3)]
    det = (rows[0][0] * (rows[1][1] * rows[2][2] - rows[1][2] * rows[2][1])
           - rows[0][1] * (rows[1][0] * rows[2][2] - rows[1][2] * rows[2][0])
           + rows[0][2] * (rows[1][0] * rows[2][1] - rows[1][1] * rows[2][0]))
    if det == 0:
        return None
    sol = [r.randint(-9, 9) for _ in range(3)]
    hyps = " ".join(f"(h{'₀₁₂'[i]} : {lin(list(zip(row, names)))} = {sum(c * s for c, s in zip(row, sol))})"
                    for i, row in enumerate(rows))
    x, y, z = names
    return (f"({x} {y} {z} : ℝ) {hyps}", f"{x} = {sol[0]} ∧ {y} = {sol[1]} ∧ {z} = {sol[2]}",
            [f"have h₃ : {x} = {sol[0]} := by linarith", f"have h₄ : {y} = {sol[1]} := by linarith",
             f"have h₅ : {z} = {sol[2]} := by linarith", "exact ⟨h₃, h₄, h₅⟩"])


# ---- evaluating expressions -------------------------------------------------------

def eval_subst(r: random.Random) -> Instance:
    x, ty = r.choice(VAR_ONE), r.choice(["ℝ", "ℚ", "ℤ"])
    coeffs = [r.randint(-9, 9) for _ in range(r.randint(3, 4))]
    if coeffs[-1] == 0:
        return None
    v = r.randint(-6, 6)
    value = sum(c * v ** k for k, c in enumerate(coeffs))
    style = r.choice([["rw [h₀]", "norm_num"], ["subst h₀", "norm_num"]])
    return f"({x} : {ty}) (h₀ : {x} = {v})", f"{poly(coeffs, x)} = {value}", style


def eval_numeric(r: random.Random) -> Instance:
    a, b, c, k = r.randint(2, 30), r.randint(2, 30), r.randint(2, 9), r.randint(2, 4)
    ty = r.choice(["ℕ", "ℤ", "ℝ"])
    expr = f"{a} * {b} + {c} ^ {k}"
    value = a * b + c ** k
    d = r.randint(1, 40)
    if ty != "ℕ" or value >= d:
        expr, value = f"{expr} - {d}", value - d
    return "", f"({expr} : {ty}) = {value}", ["norm_num"]


def eval_fractions(r: random.Random) -> Instance:
    a, b, c, d = r.randint(1, 12), r.randint(2, 12), r.randint(1, 12), r.randint(2, 12)
    ty = r.choice(REALS)
    op = r.choice(["+", "-", "*"])
    fa, fc = Fraction(a, b), Fraction(c, d)
    value = fa + fc if op == "+" else fa - fc if op == "-" else fa * fc
    return "", f"({a} : {ty}) / {b} {op} {c} / {d} = {num(value)}", ["norm_num"]


def vieta_sum_squares(r: random.Random) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    s, p = r.randint(-15, 15), r.randint(-30, 30)
    kind = r.choice(["sq", "cube_free"])
    if kind == "sq":
        concl = f"{x} ^ 2 + {y} ^ 2 = {s * s - 2 * p}"
        ident = f"{x} ^ 2 + {y} ^ 2 = ({x} + {y}) ^ 2 - 2 * ({x} * {y})"
    else:
        concl = f"({x} - {y}) ^ 2 = {s * s - 4 * p}"
        ident = f"({x} - {y}) ^ 2 = ({x} + {y}) ^ 2 - 4 * ({x} * {y})"
    return (f"({x} {y} : ℝ) (h₀ : {x} + {y} = {s}) (h₁ : {x} * {y} = {p})", concl,
            [f"have h₂ : {ident} := by ring", "rw [h₂, h₀, h₁]", "norm_num"])


# ---- inequalities -----------------------------------------------------------------

def sq_two_vars(r: random.Random) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    k, m = r.randint(1, 9), r.randint(0, 20)
    lhs = f"{x} ^ 2 + {k * k} * {y} ^ 2" if k > 1 else f"{x} ^ 2 + {y} ^ 2"
    rhs = f"{2 * k} * {x} * {y}"
    if m:
        lhs += f" + {m}"
    concl = f"{lhs} ≥ {rhs}" if r.random() < 0.5 else f"{rhs} ≤ {lhs}"
    hint = f"{x} - {k} * {y}" if k > 1 else f"{x} - {y}"
    return f"({x} {y} : ℝ)", concl, [f"nlinarith [sq_nonneg ({hint})]"]


def sq_three_vars(r: random.Random) -> Instance:
    a, b, c = r.choice([("a", "b", "c"), ("x", "y", "z"), ("p", "q", "r")])
    k, m = r.randint(1, 6), r.randint(0, 12)
    lhs = f"{a} ^ 2 + {b} ^ 2 + {c} ^ 2"
    rhs = f"{a} * {b} + {b} * {c} + {c} * {a}"
    if k > 1:
        lhs, rhs = f"{k} * ({lhs})", f"{k} * ({rhs})"
    if m:
        lhs += f" + {m}"
    return (f"({a} {b} {c} : ℝ)", f"{lhs} ≥ {rhs}",
            [f"nlinarith [sq_nonneg ({a} - {b}), sq_nonneg ({b} - {c}), sq_nonneg ({c} - {a})]"])


def quadratic_min(r: random.Random) -> Instance:
    x, p, q = r.choice(VAR_ONE), nonzero(r, -12, 12), r.randint(-40, 40)
    bound = q - p * p
    strict = r.random() < 0.5
    rel, low = (">", bound - r.randint(1, 5)) if strict else ("≥", bound)
    return (f"({x} : ℝ)", f"{poly([q, -2 * p, 1], x)} {rel} {low}",
            [f"nlinarith [sq_nonneg ({lin([(1, x)], -p)})]"])


def quadratic_forall(r: random.Random) -> Instance:
    x, p = r.choice(VAR_ONE), nonzero(r, -10, 10)
    q = p * p + r.randint(1, 30)
    return ("", f"∀ {x} : ℝ, {poly([q, -2 * p, 1], x)} > 0",
            [f"intro {x}", f"nlinarith [sq_nonneg ({lin([(1, x)], -p)})]"])


def amgm_product(r: random.Random) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    k = r.randint(1, 12)
    concl = f"{x} + {y} ≥ {2 * k}" if r.random() < 0.5 else f"{2 * k} ≤ {x} + {y}"
    return (f"({x} {y} : ℝ) (h₀ : 0 < {x}) (h₁ : 0 < {y}) (h₂ : {x} * {y} = {k * k})", concl,
            [f"nlinarith [sq_nonneg ({x} - {y}), sq_nonneg ({x} + {y} - {2 * k})]"])


def amgm_reciprocal(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    s, t = r.randint(1, 6), r.randint(1, 6)
    lhs = f"{s * s} * {x} + {t * t} / {x}" if s > 1 else f"{x} + {t * t} / {x}"
    return (f"({x} : ℝ) (h₀ : 0 < {x})", f"{lhs} ≥ {2 * s * t}",
            [f"have h₁ : {lhs} - {2 * s * t} = ({lin([(s, x)], -t)}) ^ 2 / {x} := by",
             "  field_simp", "  ring",
             f"have h₂ : ({lin([(s, x)], -t)}) ^ 2 / {x} ≥ 0 := by positivity", "linarith"])


def abs_lt_bound(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    a, b = nonzero(r, -15, 15), r.randint(1, 12)
    return (f"({x} : ℝ) (h₀ : |{lin([(1, x)], -a)}| < {b})", f"{a - b} < {x} ∧ {x} < {a + b}",
            ["obtain ⟨h₁, h₂⟩ := abs_lt.mp h₀", "constructor", "linarith", "linarith"])


def abs_le_bound(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    a, b, k = nonzero(r, -15, 15), r.randint(1, 12), r.randint(1, 5)
    upper = r.random() < 0.5
    part, concl = (".2", f"{k} * {x} ≤ {k * (a + b)}") if upper else (".1", f"{k * (a - b)} ≤ {k} * {x}")
    return (f"({x} : ℝ) (h₀ : |{lin([(1, x)], -a)}| ≤ {b})", concl,
            [f"have h₁ := (abs_le.mp h₀){part}", "linarith"])


def quadratic_roots(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    r1 = r.randint(-12, 12)
    r2 = r1 + r.randint(1, 12)
    return (f"({x} : ℝ) (h₀ : {poly([r1 * r2, -(r1 + r2), 1], x)} = 0)", f"{x} = {r1} ∨ {x} = {r2}",
            [f"have h₁ : {par(lin([(1, x)], -r1))} * {par(lin([(1, x)], -r2))} = 0 := by linarith",
             "rcases mul_eq_zero.mp h₁ with h | h", "left", "linarith", "right", "linarith"])


def square_bound_nat(r: random.Random) -> Instance:
    n = r.choice(["n", "m", "k"])
    s = r.randint(2, 30)
    k = r.randint(s * s + 1, (s + 1) * (s + 1))
    return (f"({n} : ℕ) (h₀ : {n} * {n} < {k})", f"{n} ≤ {s}",
            ["by_contra h", "push_neg at h", f"have h₁ : {s + 1} ≤ {n} := by omega",
             f"have h₂ : {s + 1} * {s + 1} ≤ {n} * {n} := Nat.mul_le_mul h₁ h₁", "omega"])


def product_from_system(r: random.Random) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    xv, yv = r.randint(-15, 15), r.randint(-15, 15)
    return (f"({x} {y} : ℝ) (h₀ : {x} + {y} = {xv + yv}) (h₁ : {x} - {y} = {xv - yv})",
            f"{x} * {y} = {xv * yv}",
            [f"have hx : {x} = {xv} := by linarith", f"have hy : {y} = {yv} := by linarith",
             "rw [hx, hy]", "norm_num"])


def exists_pair(r: random.Random) -> Instance:
    a, b = r.randint(1, 20), r.randint(1, 20)
    m, n = r.choice(VAR_PAIRS)
    return ("", f"∃ {m} {n} : ℕ, {m} + {n} = {a + b} ∧ {m} * {n} = {a * b}",
            [f"refine ⟨{a}, {b}, ?_, ?_⟩", "norm_num", "norm_num"])


def interval_product(r: random.Random) -> Instance:
    x = r.choice(VAR_ONE)
    a = r.randint(-10, 10)
    b = a + r.randint(1, 10)
    return (f"({x} : ℝ) (h₀ : {x} ≤ {a} ∨ {x} ≥ {b})", f"{par(lin([(1, x)], -a))} * {par(lin([(1, x)], -b))} ≥ 0",
            ["rcases h₀ with h | h", f"nlinarith [h]", f"nlinarith [h]"])


def bounded_chain(r: random.Random) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    a, b, c, d = r.randint(-10, 10), r.randint(1, 10), r.randint(-10, 10), r.randint(1, 10)
    k, m = r.randint(1, 5), r.randint(1, 5)
    hi = k * (a + b) + m * (c + d)
    return (f"({x} {y} : ℝ) (h₀ : {a} ≤ {x}) (h₁ : {x} ≤ {a + b}) (h₂ : {c} ≤ {y}) (h₃ : {y} ≤ {c + d})",
            f"{lin([(k, x), (m, y)])} ≤ {hi}",
            [f"have h₄ : {lin([(k, x)])} ≤ {k * (a + b)} := by linarith",
             f"have h₅ : {lin([(m, y)])} ≤ {m * (c + d)} := by linarith", "linarith"])


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

CHAIN_VARS = ["a", "b", "c", "d", "u", "v", "w", "z"]
SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉"


def sub(i: int) -> str:
    return "".join(SUBSCRIPT[int(ch)] for ch in str(i))


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


FAMILIES: dict[str, Callable[[random.Random], Instance]] = {
    "lin_eq": lin_eq, "lin_eq_both_sides": lin_eq_both_sides, "lin_eq_fraction": lin_eq_fraction,
    "lin_eq_int": lin_eq_int, "system2_real": system2_real, "system2_int": system2_int,
    "system3": system3, "eval_subst": eval_subst, "eval_numeric": eval_numeric,
    "eval_fractions": eval_fractions, "vieta_sum_squares": vieta_sum_squares,
    "sq_two_vars": sq_two_vars, "sq_three_vars": sq_three_vars, "quadratic_min": quadratic_min,
    "quadratic_forall": quadratic_forall, "amgm_product": amgm_product,
    "amgm_reciprocal": amgm_reciprocal, "interval_product": interval_product,
    "bounded_chain": bounded_chain, "mod_linear": mod_linear, "last_digit": last_digit,
    "dvd_combination": dvd_combination, "mod_square": mod_square, "dvd_witness": dvd_witness,
    "interval_square": interval_square, "interval_residue": interval_residue,
    "split_half": split_half, "cases_or_linear": cases_or_linear, "induction_pow": induction_pow,
    "induction_bernoulli": induction_bernoulli,
    "exists_solution": exists_solution, "not_forall": not_forall,
    "forall_exists_bigger": forall_exists_bigger, "and_bounds": and_bounds,
    "prop_implication": prop_implication, "or_elim_bound": or_elim_bound,
    "calc_rewrite": calc_rewrite, "abs_lt_bound": abs_lt_bound, "abs_le_bound": abs_le_bound,
    "quadratic_roots": quadratic_roots, "square_bound_nat": square_bound_nat,
    "product_from_system": product_from_system, "exists_pair": exists_pair, "have_chain_real": have_chain_real,
    "have_chain_nat": have_chain_nat, "rewrite_hyps": rewrite_hyps, "rewrite_product": rewrite_product,
    "cast_nat_real": cast_nat_real, "cast_int_real": cast_int_real, "cast_to_real": cast_to_real,
    "cast_nat_int_sub": cast_nat_int_sub,
}

# Families held out of train and valid: their theorems form test_novel (as LeanDojo's
# novel_premises split holds out premises), one from each area.
NOVEL_FAMILIES = ("system2_int", "vieta_sum_squares", "amgm_reciprocal", "mod_square",
                  "interval_residue", "induction_bernoulli", "not_forall", "have_chain_nat",
                  "cast_int_real")
