"""Lean 4 + Mathlib semantics by z3 (z3_encode.ExactEncoder): validity and
counterexamples over ℕ ℤ ℚ ℝ. Not a tactic: what the soundness tests and self-play's
refutation filter trust. A timeout or `unknown` is never an answer (None), and a
counterexample is re-evaluated exactly (semantics.py) wherever that is possible."""
from __future__ import annotations

from fractions import Fraction

from lean_env.micro.semantics import eval_prop
from lean_env.micro.syntax import RAT, Forall, Prop, Var, free_vars, fresh_name, subst
from lean_env.micro.z3_encode import ExactEncoder, Unsupported, check, model_values

Assignment = dict[str, int | Fraction | bool]


def is_valid(hyps: list[Prop], goal: Prop, timeout_ms: int = 2000) -> bool | None:
    """Whether `hyps → goal` holds for every assignment of the free variables (at their
    types; quantifiers included); None when z3 cannot tell in time or the encoding
    cannot express it."""
    enc = ExactEncoder()
    try:
        facts = [enc.prop(h) for h in hyps] + [f"(not {enc.prop(goal, positive=False)})"]
    except Unsupported:
        return None
    status, model = check(enc.script(facts), timeout_ms, simple=False)
    if status == "unsat":
        return True
    if status != "sat":
        return None
    return False if _genuine(model, enc, hyps, goal) is not None else None


def find_counterexample(prop: Prop, timeout_ms: int = 2000) -> Assignment | None:
    """Values of the free variables (and of leading `∀` variables) making `prop` false."""
    names = free_vars(prop)
    while isinstance(prop, Forall):
        new = fresh_name(prop.var, names)
        names.add(new)
        prop = prop.body if new == prop.var else subst(prop.body, prop.var, Var(new, prop.ty))
    enc = ExactEncoder()
    try:
        script = enc.script([f"(not {enc.prop(prop, positive=False)})"])
    except Unsupported:
        return None
    status, model = check(script, timeout_ms, simple=False)
    return _genuine(model, enc, [], prop) if status == "sat" else None


def _genuine(model, enc: ExactEncoder, hyps: list[Prop], goal: Prop) -> Assignment | None:
    """The model's assignment if it really refutes `hyps → goal`: checked exactly where
    semantics.py can evaluate; otherwise trusted only when the encoding was exact and
    read no ℚ as ℝ (a real witness need not be rational)."""
    values = model_values(model, enc)
    verdicts = [eval_prop(h, values) for h in hyps] + [eval_prop(goal, values)]
    if False in verdicts[:-1] or verdicts[-1] is True:
        return None  # z3's model is no counterexample here (uninterpreted parts)
    if None not in verdicts:
        return values
    reads_rat_as_real = RAT in enc.sorts.values() or enc.rat_binders
    return values if enc.exact and not reads_rat_as_real else None
