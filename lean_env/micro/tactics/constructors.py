"""`constructor`, `left`, `right`, `exfalso`, `exists`, `use`.

Models Lean 4 src/Lean/Elab/Tactic/BuiltinTactic.lean / Lean/Meta/Tactic/Constructor.lean
(`constructor`, `left`, `right` with goal tags from the constructor's argument names),
`exists` (src/Init/Tactics.lean: `refine ⟨x, ?_⟩; try trivial`) and Mathlib/Tactic/Use.lean
(`use` then `try with_reducible use_discharger`: And.intro / rfl / assumption / True.intro).
Weaker: only ∧, ↔, ∨, ∃ (witnesses elaborated at the binder's type, `↑` inserted), True,
reflexive equations and `a ≤ a` on ℕ; `use` only on ∃ goals.
"""
from __future__ import annotations

from lean_env.micro.elaborate import resolve_term
from lean_env.micro.goals import TacticError
from lean_env.micro.syntax import NAT, And, Exists, Iff, Imp, Or, Rel, Truth, subst, type_of
from lean_env.micro.tactics.closing import assumption_reducible, reducible_rfl
from lean_env.micro.tactics.common import child_tag
from lean_env.micro.tactics.registry import tactic
from lean_env.micro.unify import canon

TRUE, FALSE = Truth(True), Truth(False)


@tactic('constructor')
def t_constructor(r, tac, goal):
    t = goal.target
    if isinstance(t, And):
        return [goal.with_target(t.left, child_tag(goal.tag, "left")),
                goal.with_target(t.right, child_tag(goal.tag, "right"))]
    if isinstance(t, Iff):
        return [goal.with_target(Imp(t.left, t.right), child_tag(goal.tag, "mp")),
                goal.with_target(Imp(t.right, t.left), child_tag(goal.tag, "mpr"))]
    # `Eq.refl`, and `Nat.le.refl` (the first constructor of `Nat.le`; `≥` unfolds reducibly);
    # `≤` on ℤ ℚ ℝ is no inductive type
    if t == TRUE or (isinstance(t, Rel) and (t.op == "=" or t.op in ("≤", "≥") and type_of(t.left) == NAT)
                     and _refl(t)):
        return []
    raise TacticError(f"tactic 'constructor' failed, target is not an inductive datatype with "
                      f"a unique solution in this fragment\n{goal.pp()}")


@tactic('left')
def t_left(r, tac, goal):
    if not isinstance(goal.target, Or):
        raise TacticError("tactic 'left' failed, target is not an inductive datatype with 2 constructors")
    # `apply Or.inl`: three metavariables ({a b : Prop} (h : a)), so the goal is tagged `h`
    return [goal.with_target(goal.target.left, child_tag(goal.tag, "h"))]


@tactic('right')
def t_right(r, tac, goal):
    if not isinstance(goal.target, Or):
        raise TacticError("tactic 'right' failed, target is not an inductive datatype with 2 constructors")
    return [goal.with_target(goal.target.right, child_tag(goal.tag, "h"))]


@tactic('exfalso')
def t_exfalso(r, tac, goal):
    return [goal.with_target(FALSE)]


def _instantiate_witnesses(tac, goal):
    t = goal.target
    acc = goal.accessible()
    for term in tac.terms:
        if not isinstance(t, Exists):
            raise TacticError(f"invalid constructor ⟨...⟩, the goal is not an existential\n{goal.pp()}")
        t = subst(t.body, t.var, resolve_term(term, acc, expected=t.ty))  # witness at the binder's type
    return goal.with_target(t)


@tactic('exists')
def t_exists(r, tac, goal):
    """Lean core: `exists x, y` is `refine ⟨x, y, ?_⟩; try trivial`."""
    g = _instantiate_witnesses(tac, goal)
    return [] if r.closes_trivially(g) else [g]


@tactic('use')
def t_use(r, tac, goal):
    """Mathlib's `use`: refine with the witnesses, then `try with_reducible use_discharger`."""
    g = _instantiate_witnesses(tac, goal)
    # the remaining goal is `Exists.intro`'s argument `h`
    return [] if use_discharger(g.target, g) else [g.with_target(g.target, child_tag(goal.tag, "h"))]


def use_discharger(p, goal) -> bool:
    """Mathlib/Tactic/Use.lean `use_discharger` under `with_reducible`: `And.intro <;>
    use_discharger`, `rfl`, `assumption`, `True.intro` (no `decide`, no `contradiction`).
    (`exists_prop.mpr` does not arise: ∃ here ranges over ℕ.)"""
    if p == TRUE or reducible_rfl(p) or assumption_reducible(goal.with_target(p)):
        return True
    return isinstance(p, And) and use_discharger(p.left, goal) and use_discharger(p.right, goal)


def _refl(t) -> bool:
    c = canon(t)
    return c.left == c.right
