"""The theorem families (templates) of the F1 corpus, in build order.

A family is a function of a seeded `random.Random` returning one instance as
(binders, conclusion, tactics), or None where the draw is degenerate (the builder
draws again). Statements are in the style of competition problems over ℕ ℤ ℚ ℝ;
proofs are written as a Mathlib user writes them, one tactic per line, no bullets.
The families themselves are in families_algebra.py and families_numbers.py.
"""
from __future__ import annotations

import random
from typing import Callable

import families_algebra as algebra
import families_numbers as numbers
from lean_terms import Instance

FAMILIES: dict[str, Callable[[random.Random], Instance]] = {
    "lin_eq": algebra.lin_eq,
    "lin_eq_both_sides": algebra.lin_eq_both_sides,
    "lin_eq_fraction": algebra.lin_eq_fraction,
    "lin_eq_int": algebra.lin_eq_int,
    "system2_real": algebra.system2_real,
    "system2_int": algebra.system2_int,
    "system3": algebra.system3,
    "eval_subst": algebra.eval_subst,
    "eval_numeric": algebra.eval_numeric,
    "eval_fractions": algebra.eval_fractions,
    "vieta_sum_squares": algebra.vieta_sum_squares,
    "sq_two_vars": algebra.sq_two_vars,
    "sq_three_vars": algebra.sq_three_vars,
    "quadratic_min": algebra.quadratic_min,
    "quadratic_forall": algebra.quadratic_forall,
    "amgm_product": algebra.amgm_product,
    "amgm_reciprocal": algebra.amgm_reciprocal,
    "interval_product": algebra.interval_product,
    "bounded_chain": algebra.bounded_chain,
    "mod_linear": numbers.mod_linear,
    "last_digit": numbers.last_digit,
    "dvd_combination": numbers.dvd_combination,
    "mod_square": numbers.mod_square,
    "dvd_witness": numbers.dvd_witness,
    "interval_square": numbers.interval_square,
    "interval_residue": numbers.interval_residue,
    "split_half": numbers.split_half,
    "cases_or_linear": numbers.cases_or_linear,
    "induction_pow": numbers.induction_pow,
    "induction_bernoulli": numbers.induction_bernoulli,
    "exists_solution": numbers.exists_solution,
    "not_forall": numbers.not_forall,
    "forall_exists_bigger": numbers.forall_exists_bigger,
    "and_bounds": numbers.and_bounds,
    "prop_implication": numbers.prop_implication,
    "or_elim_bound": numbers.or_elim_bound,
    "calc_rewrite": numbers.calc_rewrite,
    "abs_lt_bound": algebra.abs_lt_bound,
    "abs_le_bound": algebra.abs_le_bound,
    "quadratic_roots": algebra.quadratic_roots,
    "square_bound_nat": algebra.square_bound_nat,
    "product_from_system": algebra.product_from_system,
    "exists_pair": algebra.exists_pair,
    "have_chain_real": numbers.have_chain_real,
    "have_chain_nat": numbers.have_chain_nat,
    "rewrite_hyps": numbers.rewrite_hyps,
    "rewrite_product": numbers.rewrite_product,
    "cast_nat_real": numbers.cast_nat_real,
    "cast_int_real": numbers.cast_int_real,
    "cast_to_real": numbers.cast_to_real,
    "cast_nat_int_sub": numbers.cast_nat_int_sub,
}

# Families held out of train and valid: their theorems form test_novel (as LeanDojo's
# novel_premises split holds out premises), one from each area.
NOVEL_FAMILIES = ("system2_int", "vieta_sum_squares", "amgm_reciprocal", "mod_square",
                  "interval_residue", "induction_bernoulli", "not_forall", "have_chain_nat",
                  "cast_int_real")
