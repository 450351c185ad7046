"""`calc`: a chain of relation steps, each proved by its own term.

Models Lean 4 src/Lean/Elab/Calc.lean and src/Lean/Elab/Tactic/Calc.lean: the first step
`a R b := proof` (or `calc a` with every step `_ R c := proof`), each later `_` standing
for the previous right-hand side (so a step is elaborated at its type); steps compose by
the `Trans` instances of core and Mathlib (`=` with any relation keeps it; `≤`/`<` chains
give `<` once strict, likewise `≥`/`>`; `∣` with `∣`); the composite must be defeq to
the goal, or else Lean adds a last step `rhs R' rhs'` to the goal's relation as a new goal
`calc.step`. Weaker: no `?_` holes in steps, relations only between terms.
"""
from __future__ import annotations

from lean_env.micro.elaborate import resolve_prop, resolve_term
from lean_env.micro.goals import TacticError
from lean_env.micro.syntax import Rel, type_of
from lean_env.micro.tactics.common import child_tag
from lean_env.micro.tactics.registry import tactic
from lean_env.micro.unify import defeq

_CHAINS = {("≤", "≤"): "≤", ("≤", "<"): "<", ("<", "≤"): "<", ("<", "<"): "<",
           ("≥", "≥"): "≥", ("≥", ">"): ">", (">", "≥"): ">", (">", ">"): ">", ("∣", "∣"): "∣"}


def compose(r1: str | None, r2: str) -> str | None:
    """The relation of `a r1 b` then `b r2 c` (a `Trans` instance), or None."""
    if r1 is None or r1 == "=":
        return r2
    if r2 == "=":
        return r1
    return _CHAINS.get((r1, r2))


@tactic('calc')
def t_calc(r, tac, goal):
    acc, el = goal.accessible(), r.elaborator(goal)
    start = tac.terms[0]
    prev = resolve_term(start, acc) if start is not None else None
    op = first = None
    for lhs, step_op, rhs, proof in tac.rules:
        if lhs is not None:
            rel = resolve_prop(Rel(step_op, lhs, rhs), acc)
        else:
            if prev is None:
                raise TacticError("invalid 'calc' step: `_` has no previous term")
            rel = Rel(step_op, prev, resolve_term(rhs, acc, expected=type_of(prev)))
        el.check(proof, rel)
        new_op = compose(op, step_op)
        if new_op is None:
            raise TacticError(f"invalid 'calc' step, failed to synthesize `Trans` instance for {op} and {step_op}")
        op, first, prev = new_op, rel.left if first is None else first, rel.right
    result = Rel(op, first, prev)
    if defeq(result, goal.target):
        return []
    t = goal.target
    if isinstance(t, Rel) and t.op in {"=", "≤", "<", "≥", ">", "∣", "≠"}:
        last_op = compose(op, t.op)
        if last_op is not None and defeq(Rel(last_op, first, t.right), t) and type_of(t.right) == type_of(prev):
            return [goal.with_target(Rel(t.op, prev, t.right), child_tag(goal.tag, "calc.step"))]
    raise TacticError(f"invalid 'calc' step, relation expected\n  {el.show(result)}")
