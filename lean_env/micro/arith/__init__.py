"""Decision procedures behind the arithmetic tactics of the embedded engine, one
module per procedure: `omega`, `linarith`, `decide`, `norm_num`, `ring` (ring1, ring_nf), and
`validity` (Lean + Mathlib semantics over ℕ ℤ ℚ ℝ by z3 and semantics.py, trusted by
the tests and self-play, not a tactic).
Each module's docstring says which Lean / Mathlib source it models and where it
is weaker; none is stronger, so a proof the engine accepts replays in Lean.
"""
from __future__ import annotations

from lean_env.micro.arith.decide import decide, eval_prop
from lean_env.micro.arith.linarith import clear_cache as clear_linarith, linarith
from lean_env.micro.arith.nlinarith import clear_cache as clear_nlinarith, nlinarith
from lean_env.micro.arith.norm_num import norm_num
from lean_env.micro.arith.omega import clear_cache as clear_omega, omega
from lean_env.micro.arith.positivity import positivity
from lean_env.micro.arith.ring import Refused as RingRefused, ring_equal, ring_nf
from lean_env.micro.arith.validity import find_counterexample, is_valid

__all__ = ["clear_caches", "decide", "eval_prop", "find_counterexample", "is_valid", "linarith",
           "nlinarith", "norm_num", "omega", "positivity", "ring_equal", "ring_nf", "RingRefused"]


def clear_caches() -> None:
    """Forget memoised answers (benchmarks measure the procedures, not the cache)."""
    clear_omega()
    clear_linarith()
    clear_nlinarith()
