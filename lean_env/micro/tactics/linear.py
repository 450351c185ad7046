"""Linear-arithmetic tactics: `omega`, `linarith`, `nlinarith`, `positivity`: thin
wrappers over the decision procedures in `lean_env.micro.arith` (owned with them).

Models Lean 4 `omega` (src/Lean/Elab/Tactic/Omega/), Mathlib/Tactic/Linarith/ (Frontend:
`linarith`, `nlinarith`, `only`, hint terms) and Mathlib/Tactic/Positivity/. Where each
procedure is weaker is said in its own module.
"""
from __future__ import annotations

from lean_env.micro import arith
from lean_env.micro.arith.nlinarith import nlinarith
from lean_env.micro.arith.positivity import failure as positivity_failure
from lean_env.micro.goals import TacticError
from lean_env.micro.tactics.arithmetic import extra_facts
from lean_env.micro.tactics.common import prop_hyps
from lean_env.micro.tactics.registry import tactic


@tactic('omega')
def t_omega(r, tac, goal):
    r.check_time()
    if arith.omega(prop_hyps(goal), goal.target, r.timeout_ms):
        return []
    raise TacticError("omega could not prove the goal")


def _linarith_facts(r, tac, goal, name: str) -> list:
    r.check_time()
    if tac.loc:
        raise TacticError(f"{name} takes no location (`at`)")
    hyps = [] if "only" in tac.names else prop_hyps(goal)  # `linarith only [..]`
    return hyps + extra_facts(r, tac, goal)


@tactic('linarith')
def t_linarith(r, tac, goal):
    if arith.linarith(_linarith_facts(r, tac, goal, "linarith"), goal.target, r.timeout_ms):
        return []
    raise TacticError("linarith failed to find a contradiction")


@tactic('nlinarith')
def t_nlinarith(r, tac, goal):
    if nlinarith(_linarith_facts(r, tac, goal, "nlinarith"), goal.target, r.timeout_ms):
        return []
    raise TacticError("linarith failed to find a contradiction")


@tactic('positivity')
def t_positivity(r, tac, goal):
    r.check_time()
    if tac.loc or "only" in tac.names:
        raise TacticError("positivity takes no location and no `only`")
    error = positivity_failure(prop_hyps(goal) + extra_facts(r, tac, goal), goal.target)
    if error is None:
        return []
    raise TacticError(error)
