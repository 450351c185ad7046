"""The full ℕ semantics by z3: validity and counterexamples. Not a tactic: what the
soundness tests and self-play's refutation filter trust."""
from __future__ import annotations

from lean_env.micro.arith.decide import eval_prop
from lean_env.micro.syntax import Forall, Prop, Var, free_vars, fresh_name, subst
from lean_env.micro.z3_encode import NatEncoder, Unsupported, check, model_values


def is_valid(hyps: list[Prop], goal: Prop, timeout_ms: int = 2000) -> bool | None:
    """Whether `hyps → goal` holds for every assignment of ℕ / Prop variables
    (quantifiers over ℕ included); None when z3 cannot tell in time."""
    enc = NatEncoder()
    try:
        facts = [enc.prop(h) for h in hyps] + [f"(not {enc.prop(goal)})"]
    except Unsupported:
        return None
    status, _ = check(enc.script(facts), timeout_ms, simple=False)
    if status == "unsat":
        return True
    return False if status == "sat" and enc.exact else None


def find_counterexample(prop: Prop, timeout_ms: int = 2000) -> dict[str, int | bool] | None:
    """Values of the free variables (and of leading `∀` variables) making `prop` false."""
    names = free_vars(prop)
    while isinstance(prop, Forall):
        new = fresh_name(prop.var, names)
        names.add(new)
        prop = prop.body if new == prop.var else subst(prop.body, prop.var, Var(new))
    enc = NatEncoder()
    try:
        script = enc.script([f"(not {enc.prop(prop)})"])
    except Unsupported:
        return None
    status, model = check(script, timeout_ms, simple=False)
    if status != "sat":
        return None
    values = model_values(model, enc)
    verdict = eval_prop(prop, values)
    if verdict is None:  # quantifiers or huge powers: trust z3 only on an exact encoding
        return values if enc.exact else None
    return values if verdict is False else None
