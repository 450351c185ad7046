"""Helpers shared by the tactic families: goal tags and hypothesis lookup."""
from __future__ import annotations

from lean_env.micro.goals import Goal, Hyp, TacticError


def child_tag(parent: str, tag: str) -> str:
    """Lean appends a case tag to its parent's (`mp.inl`)."""
    return f"{parent}.{tag}" if parent else tag


def replace_hyp(goal: Goal, name: str, new: Hyp | None) -> Goal:
    """Replace (or, with `new=None`, clear) the hypothesis with internal `name`."""
    hyps = tuple(new if h.name == name else h for h in goal.hyps if new is not None or h.name != name)
    return Goal(hyps, goal.target, goal.tag)


def find_hyp(goal: Goal, user: str) -> Hyp:
    h = goal.accessible().get(user)
    if h is None:
        raise TacticError(f"unknown identifier '{user}'")
    return h


def prop_hyps(goal: Goal) -> list:
    return [h.type for h in goal.hyps if not isinstance(h.type, str)]
