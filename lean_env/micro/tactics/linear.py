"""Linear-arithmetic tactics: `omega` and `linarith`: thin wrappers over the decision
procedures in `lean_env.micro.arith` (owned with them).

Models Lean 4 `omega` (src/Lean/Elab/Tactic/Omega/) and Mathlib/Tactic/Linarith/. Where
each procedure is weaker is said in its own module.
"""
from __future__ import annotations

from lean_env.micro import arith
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


@tactic('linarith')
def t_linarith(r, tac, goal):
    r.check_time()
    if tac.loc:
        raise TacticError("linarith takes no location (`at`)")
    hyps = [] if "only" in tac.names else prop_hyps(goal)  # `linarith only [..]`
    if arith.linarith(hyps + extra_facts(r, tac, goal), goal.target, r.timeout_ms):
        return []
    raise TacticError("linarith failed to find a contradiction")
