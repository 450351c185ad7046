"""F1 families over ℚ and ℝ (and ℤ systems): linear equations and systems, evaluating
expressions, quadratic, AM-GM-style and absolute-value inequalities. Each function
draws one instance from a seeded random.Random (see families.py)."""
from __future__ import annotations

import random
from fractions import Fraction

from lean_terms import REALS, VAR_ONE, VAR_PAIRS, Instance, lin, nonzero, num, par, poly

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
            ["rcases h₀ with h | h", "nlinarith [h]", "nlinarith [h]"])


def bounded_chain(r: random.Random) -> Instance:
    x, y = r.choice(VAR_PAIRS)
    a, b, c, d = r.randint(-10, 10), r.randint(1, 10), r.randint(-10, 10), r.randint(1, 10)
    k, m = r.randint(1, 5), r.randint(1, 5)
    hi = k * (a + b) + m * (c + d)
    return (f"({x} {y} : ℝ) (h₀ : {a} ≤ {x}) (h₁ : {x} ≤ {a + b}) (h₂ : {c} ≤ {y}) (h₃ : {y} ≤ {c + d})",
            f"{lin([(k, x), (m, y)])} ≤ {hi}",
            [f"have h₄ : {lin([(k, x)])} ≤ {k * (a + b)} := by linarith",
             f"have h₅ : {lin([(m, y)])} ≤ {m * (c + d)} := by linarith", "linarith"])
