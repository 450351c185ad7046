"""`intro`, `intros`, `rintro`.

Models Lean 4 `Lean.Elab.Tactic.evalIntro` (src/Lean/Elab/Tactic/BuiltinTactic.lean) and
Mathlib's `rintro` (Mathlib/Tactic/RCases.lean). Anonymous intros are inaccessible (`a✝`).
Binders over ℕ ℤ ℚ ℝ keep their type (`x : ℝ`). Weaker: only binders and implications are introduced; `intro` does not unfold
definitions beyond the engine's `unfold` (¬P as P → False).
"""
from __future__ import annotations

from lean_env.micro.elaborate import unfold
from lean_env.micro.goals import Goal, TacticError
from lean_env.micro.syntax import Forall, Imp, Var, subst
from lean_env.micro.tactic_parser import PatName
from lean_env.micro.tactics.cases import rcases
from lean_env.micro.tactics.registry import tactic


def intro1(r, goal: Goal, name: str | None) -> tuple[Goal, str]:
    t = unfold(goal.target)
    hidden = name is None or name == "_"
    if isinstance(t, Forall):
        g, internal = goal.add(t.var if hidden else name, t.ty, hidden)
        body = t.body if internal == t.var else subst(t.body, t.var, Var(internal, t.ty))
        return g.with_target(body), internal
    if isinstance(t, Imp):
        g, internal = goal.add("a" if hidden else name, t.left, hidden)
        return g.with_target(t.right), internal
    raise TacticError("tactic 'introN' failed, insufficient number of binders")


@tactic('intro')
def t_intro(r, tac, goal):
    names = tac.names or (None,)
    for n in names:
        goal, _ = intro1(r, goal, n)
    return [goal]


@tactic('intros')
def t_intros(r, tac, goal):
    if tac.names:
        return t_intro(r, tac, goal)
    while isinstance(goal.target, (Forall, Imp)):
        goal, _ = intro1(r, goal, None)
    return [goal]


@tactic('rintro')
def t_rintro(r, tac, goal):
    goals = [goal]
    for pat in tac.body:
        new = []
        for g in goals:
            if isinstance(pat, PatName) and pat.name not in ("rfl", "-"):
                new.append(intro1(r, g, pat.name)[0])
            else:
                g2, h = intro1(r, g, None)
                new += rcases(r, g2, h, pat)
        goals = new
    return goals
