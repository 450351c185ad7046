"""The engine's tactics: one module per tactic family, each registering its tactics with
`@tactic(...)` (registry.py); `Runner` (runner.py) runs parsed tactics through the registry,
and the combinators (combinators.py) on the whole proof state.

Naming follows Lean 4: anonymous intros are inaccessible (`a✝`, `x✝`), `cases` and
`rcases` tag goals `inl`/`inr`/`intro`, `induction` and `cases` on ℕ tag `zero`/`succ`
with `n✝` and the IH `a✝` (the goal's binders keep their names; a user's name for `n✝`
renames a binder that would shadow it, `n_1`, as Lean's pretty printer does), `by_cases`
tags `pos`/`neg`, and a tag is appended to the parent's (`mp.inl`).
"""
from lean_env.micro.tactics.registry import TACTICS, tactic
from lean_env.micro.tactics.runner import Runner
# importing a family module registers its tactics
from lean_env.micro.tactics import (  # noqa: F401
    arithmetic, calc, cases, classical, closing, constructors, intro, linear, push_neg, rewriting,
    terms,
)
from lean_env.micro.tactics import casts, interval_cases  # noqa: F401  (A2)

__all__ = ["Runner", "TACTICS", "tactic"]
