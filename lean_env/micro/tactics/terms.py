"""Proof-term tactics: `exact`, `refine`, `apply`, `have`, `specialize`.

Models Lean 4 src/Lean/Elab/Tactic/ElabTerm.lean (`exact`, `refine`, `apply` via
`Lean.MVarId.apply` in src/Lean/Meta/Tactic/Apply.lean) and `have`/`specialize`
(src/Lean/Elab/Tactic/BuiltinTactic.lean, Lean/Elab/Tactic/Specialize.lean).
Weaker: unification is first-order up to the engine's `unfold`; no typeclass search,
no coercions, no higher-order patterns.
"""
from __future__ import annotations

from lean_env.micro.elaborate import resolve_prop, unfold
from lean_env.micro.goals import TacticError
from lean_env.micro.lemmas import get_lemma
from lean_env.micro.syntax import Forall, Imp, MVar, subst
from lean_env.micro.proof_terms import show_pexpr
from lean_env.micro.tactic_parser import PApp, PName
from lean_env.micro.tactics.common import child_tag, find_hyp, replace_hyp
from lean_env.micro.tactics.registry import tactic
from lean_env.micro.unify import has_mvars, instantiate, match


@tactic('exact')
def t_exact(r, tac, goal):
    el = r.elaborator(goal)
    el.check(tac.exprs[0], goal.target)
    return []


@tactic('refine')
def t_refine(r, tac, goal):
    el = r.elaborator(goal, holes=True)
    el.check(tac.exprs[0], goal.target)
    return new_goals(r, goal, [(t, instantiate(p, el.sub)) for t, p in el.new_goals], False)


def new_goals(r, goal, items, named: bool, inherit: bool = True):
    """The goals for `items` (tag, proposition). Lean's `appendParentTag`: a lone new goal
    keeps the parent's tag (`inherit`); otherwise each is tagged by its binder name."""
    for _, p in items:
        if has_mvars(p):
            raise TacticError("don't know how to synthesize implicit argument")
    if len(items) == 1 and inherit:
        return [goal.with_target(items[0][1])]
    return [goal.with_target(p, child_tag(goal.tag, t) if named else goal.tag) for t, p in items]


@tactic('apply')
def t_apply(r, tac, goal):
    el = r.elaborator(goal, holes=True)
    e = tac.exprs[0]
    ty, names, postponed = el.spine(e)
    # `apply` makes a metavariable per argument it adds, implicit ones included when the
    # term is a bare constant (Lean elaborates `apply Nat.foo` without instantiating them)
    n_mvars = _implicit_count(e, goal)
    premises = []
    for i in range(64):
        m = match(ty, goal.target, el.sub)
        if m is not None:
            el.sub = m
            break
        ty = unfold(ty)
        n_mvars += 1
        if isinstance(ty, Forall):
            el.fresh += 1
            ty = subst(ty.body, ty.var, MVar(f"{ty.var}_{el.fresh}", ty.ty))
        elif isinstance(ty, Imp):
            premises.append((names[i] if i < len(names) else "a", ty.left))
            ty = ty.right
        else:
            raise TacticError(f"tactic 'apply' failed, could not unify the conclusion of "
                              f"`{show_pexpr(e)}`\n  {el.show(ty)}\nwith the goal\n  {el.show(goal.target)}")
    else:
        raise TacticError("tactic 'apply' failed")
    holes_before = len(el.new_goals)
    el.finish(postponed)
    items = el.new_goals[holes_before:] + premises
    items = [(t, instantiate(p, el.sub)) for t, p in items]
    return new_goals(r, goal, items, True, inherit=n_mvars <= 1)


def _implicit_count(e, goal) -> int:
    if isinstance(e, PName) and e.name not in goal.accessible():
        lem = get_lemma(e.name)
        return len(lem.implicit) if lem is not None else 0
    return 0


@tactic('have')
def t_have(r, tac, goal):
    el = r.elaborator(goal)
    if tac.prop is not None:
        prop = resolve_prop(tac.prop, goal.accessible())
        el.check(tac.exprs[0], prop)
    else:
        prop = el.result(el.infer(tac.exprs[0]))
    g, _ = goal.add(tac.names[0], prop)
    return [g]


@tactic('specialize')
def t_specialize(r, tac, goal):
    e = tac.exprs[0]
    if not (isinstance(e, PApp) and isinstance(e.fn, PName)):
        raise TacticError("'specialize' requires a term of the form `h x_1 .. x_n`")
    h = find_hyp(goal, e.fn.name)
    el = r.elaborator(goal)
    prop = el.result(el.infer(e))
    g = replace_hyp(goal, h.name, None)
    return [g.add(h.user, prop)[0]]

