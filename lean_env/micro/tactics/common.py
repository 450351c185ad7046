"""Helpers shared by the tactic families: goal tags and hypothesis lookup."""
from __future__ import annotations

from lean_env.micro.goals import Goal, Hyp, TacticError
from lean_env.micro.syntax import (
    NUM_TYPES, And, Exists, Forall, Iff, Imp, Not, Or, Var, free_vars, subst,
)
from lean_env.micro.unify import bound_names  # the names bound by ∀/∃ anywhere in a prop


def child_tag(parent: str, tag: str) -> str:
    """Lean appends a case tag to its parent's (`mp.inl`)."""
    return f"{parent}.{tag}" if parent else tag


def replace_hyp(goal: Goal, name: str, new: Hyp | None) -> Goal:
    """Replace (or, with `new=None`, clear) the hypothesis with internal `name`."""
    hyps = tuple(new if h.name == name else h for h in goal.hyps if new is not None or h.name != name)
    return Goal(hyps, goal.target, goal.tag)


def find_hyp(goal: Goal, user: str) -> Hyp:
    if user == "*":
        raise TacticError("the embedded engine does not model `at *` for this tactic")
    h = goal.accessible().get(user)
    if h is None:
        raise TacticError(f"unknown identifier '{user}'")
    return h


def prop_hyps(goal: Goal) -> list:
    return [h.type for h in goal.hyps if not isinstance(h.type, str)]


def add_hidden_var(goal: Goal, user: str, ty: str, scope=()) -> tuple[Goal, str]:
    """An inaccessible variable (`n✝`) whose internal name clashes with no binder in the
    propositions `scope` it will be substituted into: Lean's term keeps its binder names
    (`∀ (n : ℕ), n✝ + n = …`), so ours must not be renamed by capture avoidance."""
    avoid = goal.names() | {b for p in scope for b in bound_names(p)}
    name, i = user, 0
    while name in avoid:
        i += 1
        name = f"{user}.{i}"
    return Goal(goal.hyps + (Hyp(name, user, ty, True),), goal.target, goal.tag), name


def name_var(goal: Goal, h: Hyp, user: str) -> Goal:
    """Give the variable `h` the accessible name `user`. Its internal name becomes `user`
    when free, so a binder `user` over a body that mentions it is renamed (`n_1`), as
    Lean's pretty printer renames a binder that would shadow a used local."""
    h = next(x for x in goal.hyps if x.name == h.name)  # its current type
    new = Hyp(h.name, user, h.type, False)
    if h.name == user or user in goal.names() or not h.is_var:
        return replace_hyp(goal, h.name, new)
    value = Var(user, h.type) if h.type in NUM_TYPES else Var(user)
    hyps = tuple(Hyp(user, user, x.type, False) if x.name == h.name
                 else x if x.is_var else Hyp(x.name, x.user, rename_free(x.type, h.name, value), x.hidden)
                 for x in goal.hyps)
    return Goal(hyps, rename_free(goal.target, h.name, value), goal.tag)


def rename_free(p, name: str, value):
    """`subst`, but only into the parts of `p` where `name` occurs free (no binder of a
    part without it is renamed)."""
    if name not in free_vars(p):
        return p
    if isinstance(p, Not):
        return Not(rename_free(p.arg, name, value))
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(rename_free(p.left, name, value), rename_free(p.right, name, value))
    if isinstance(p, (Forall, Exists)) and p.var != value.name:
        return type(p)(p.var, rename_free(p.body, name, value), p.ty)
    return subst(p, name, value)  # a Rel, or the binder to rename


def wildcard_locations(goal: Goal, loc: tuple) -> tuple | None:
    """`at *`: the internal names of the propositional hypotheses, then "⊢"; else None."""
    if loc != ("*",):
        return None
    return tuple(h.name for h in goal.hyps if not h.is_var) + ("⊢",)
