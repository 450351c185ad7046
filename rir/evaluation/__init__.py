"""Evaluation of a prover on a theorem set: the loop, its worker pools and its results file."""
from rir.evaluation.loop import EvalRun, evaluate, order_theorems, theorem_key

__all__ = ["EvalRun", "evaluate", "order_theorems", "theorem_key"]
