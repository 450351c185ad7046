"""Arithmetic tactics: `decide`, `norm_num [..] at ..`, `ring`, `ring_nf at ..`,
`field_simp [..] at ..`: thin wrappers over the procedures in `lean_env.micro.arith`.

Models Lean 4 `decide` (src/Lean/Elab/Tactic/ElabTerm.lean), Mathlib/Tactic/NormNum/Core.lean
(`normNumAt`), Mathlib/Tactic/Ring/RingNF.lean (`ring`, `ring_nf`), Mathlib/Tactic/FieldSimp.lean.
`omega` and `linarith` live in linear.py. Where each procedure is weaker is said in its own
module.
"""
from __future__ import annotations

from lean_env.micro import arith
from lean_env.micro.arith.field_simp import field_simp
from lean_env.micro.arith.ring import RingNF
from lean_env.micro.goals import Hyp, TacticError
from lean_env.micro.syntax import Rel, Truth, free_vars
from lean_env.micro.tactics.common import find_hyp, prop_hyps, replace_hyp
from lean_env.micro.tactics.registry import tactic

TRUE, FALSE = Truth(True), Truth(False)


@tactic('decide')
def t_decide(r, tac, goal):
    t = goal.target
    if free_vars(t):
        raise TacticError(f"failed to synthesize Decidable: the proposition has free variables\n  "
                          f"{goal.pp().splitlines()[-1][2:]}")
    verdict = arith.decide(t)
    if verdict is True:
        return []
    if verdict is False:
        raise TacticError("decide failed: the proposition evaluates to false")
    raise TacticError("failed to synthesize Decidable instance for the proposition")


def extra_facts(r, tac, goal) -> list:
    el = r.elaborator(goal)
    return [el.result(el.infer(e)) for e in tac.exprs]


@tactic('norm_num')
def t_norm_num(r, tac, goal):
    if "only" in tac.names:  # a smaller simp set than the one modelled: refuse, never stronger
        raise TacticError("the embedded engine does not model `norm_num only`")
    extra = extra_facts(r, tac, goal)
    return at_locations(goal, tac.loc, lambda p: arith.norm_num(p, extra),
                        "norm_num failed to simplify", clear_true=True)


def at_locations(goal, loc, simplify, unchanged: str, clear_true: bool = False) -> list:
    """Simplify the target (`loc` empty or `⊢`) and the named hypotheses, as simp's
    `Location` does: a hypothesis that becomes False closes the goal, one that becomes True
    is cleared (`clear_true`), a target that becomes True is closed; no change fails."""
    for name in loc or ("⊢",):
        if name == "⊢":
            continue
        h = find_hyp(goal, name)
        new = simplify(h.type)
        if new == FALSE:
            return []
        if new == h.type:
            raise TacticError(unchanged)
        keep = None if clear_true and new == TRUE else Hyp(h.name, h.user, new, h.hidden)
        goal = replace_hyp(goal, h.name, keep)
    if loc and "⊢" not in loc:
        return [goal]
    new = simplify(goal.target)
    if new == TRUE:
        return []
    if new == goal.target:
        raise TacticError(unchanged)
    return [goal.with_target(new)]


def _ring_nf():
    nf = RingNF()  # one atom order for every location of the call

    def simplify(p):
        try:
            return arith.ring_nf(p, nf)
        except arith.RingRefused as e:
            raise TacticError(f"ring_nf failed: {e}") from None
    return simplify


@tactic('ring_nf')
def t_ring_nf(r, tac, goal):
    if tac.exprs or tac.names:
        raise TacticError("ring_nf takes no arguments")
    return at_locations(goal, tac.loc, _ring_nf(), "ring_nf made no progress")


@tactic('ring')
def t_ring(r, tac, goal):
    """Mathlib's macro `first | ring1 | try_this ring_nf`: when `ring1` does not close the
    equation, the goal is left in ring_nf's normal form (Lean warns "The `ring` tactic
    failed to close the goal"); when ring_nf makes no progress either, ring fails."""
    t = goal.target
    if isinstance(t, Rel) and t.op == "=" and arith.ring_equal(t.left, t.right):
        return []
    try:
        return at_locations(goal, (), _ring_nf(), "ring failed: ring_nf made no progress")
    except TacticError:
        raise TacticError("ring failed: ring_nf made no progress") from None


@tactic('field_simp')
def t_field_simp(r, tac, goal):
    """Mathlib's field_simp at the locations (default ⊢); `[h, …]` reach the discharger."""
    if "only" in tac.names:
        raise TacticError("the embedded engine does not model `field_simp only`")
    facts = prop_hyps(goal) + extra_facts(r, tac, goal)
    return at_locations(goal, tac.loc, lambda p: field_simp(p, facts),
                        "field_simp made no progress")
