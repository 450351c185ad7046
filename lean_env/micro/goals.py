"""Goals, hypotheses and proof states, and their Lean 4 printing.

A hypothesis has an internal name (unique in its goal, used inside terms) and
the user name it was introduced with. Lean shows a hypothesis as `name✝` when
it is inaccessible (introduced without a name) or shadowed by a later one;
several such names get superscripts, the most recent plain `✝`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Union

from lean_env.micro.printer import format_prop
from lean_env.micro.syntax import Prop

HypType = Union[str, Prop]  # a type of NUM_TYPES (a variable) | 'Prop' | a proposition


class TacticError(Exception):
    """A tactic failed; the message is Lean-like."""


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True, slots=True)
class Hyp:
    name: str  # internal, unique within the goal
    user: str  # as introduced (`x`, `h`, `a` for an anonymous intro)
    type: HypType  # ℕ ℤ ℚ ℝ for a variable, 'Prop', or a proposition
    hidden: bool = False  # introduced inaccessible

    @property
    def is_var(self) -> bool:
        return isinstance(self.type, str)


@dataclass(frozen=True, slots=True)
class Goal:
    hyps: tuple[Hyp, ...]
    target: Prop
    tag: str = ""

    def display_names(self) -> dict[str, str]:
        """Internal name -> shown name, for every hypothesis."""
        shown: dict[str, str] = {}
        taken: set[str] = set()
        counts: dict[str, int] = {}
        for h in reversed(self.hyps):
            if not h.hidden and h.user not in taken:
                shown[h.name] = h.user
            else:
                k = counts.get(h.user, 0)
                counts[h.user] = k + 1
                shown[h.name] = h.user + "✝" + (str(k).translate(_SUPERSCRIPTS) if k else "")
            taken.add(h.user)
        return shown

    def accessible(self) -> dict[str, Hyp]:
        """User name -> hypothesis, for the names a tactic may refer to."""
        out: dict[str, Hyp] = {}
        for h in self.hyps:
            if h.hidden:
                out.pop(h.user, None)
            else:
                out[h.user] = h
        return out

    def names(self) -> set[str]:
        return {h.name for h in self.hyps}

    def fresh(self, user: str) -> str:
        """A new internal name for a hypothesis the user calls `user`."""
        taken = self.names()
        if user not in taken:
            return user
        i = 1
        while f"{user}.{i}" in taken:
            i += 1
        return f"{user}.{i}"

    def add(self, user: str, typ: HypType, hidden: bool = False) -> tuple["Goal", str]:
        name = self.fresh(user)
        return Goal(self.hyps + (Hyp(name, user, typ, hidden),), self.target, self.tag), name

    def with_target(self, target: Prop, tag: str | None = None) -> "Goal":
        return Goal(self.hyps, target, self.tag if tag is None else tag)

    def pp(self) -> str:
        names = self.display_names()
        trivial = all(k == v for k, v in names.items())
        nm = None if trivial else names
        lines = [f"case {self.tag}"] if self.tag else []
        group: list[str] = []
        group_type = None
        for h in self.hyps:
            if group and h.type == group_type:
                group.append(names[h.name])
                continue
            if group:
                lines.append(f"{' '.join(group)} : {_type_str(group_type, nm)}")
            group, group_type = [names[h.name]], h.type
        if group:
            lines.append(f"{' '.join(group)} : {_type_str(group_type, nm)}")
        lines.append(f"⊢ {_type_str(self.target, nm)}")
        return "\n".join(lines)


def _type_str(typ: HypType, names) -> str:
    if isinstance(typ, str):
        return typ
    return _format_plain(typ) if names is None else format_prop(typ, names)


@lru_cache(maxsize=1 << 15)
def _format_plain(p) -> str:
    return format_prop(p)


@lru_cache(maxsize=1 << 14)
def goal_pp(goal: "Goal") -> str:
    return goal.pp()


@dataclass(frozen=True, slots=True)
class ProofState:
    goals: tuple[Goal, ...]

    def pp(self) -> str:
        if not self.goals:
            return "no goals"
        return "\n\n".join(goal_pp(g) for g in self.goals)

    def replace_main(self, new: list[Goal] | tuple[Goal, ...]) -> "ProofState":
        return ProofState(tuple(new) + self.goals[1:])
