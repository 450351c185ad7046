"""The creator's filter: keep a conjecture only if it elaborates in the backend, is
new up to renaming, is no protected held-out statement, is not refuted, is not vacuous
(hypotheses that contradict each other prove anything: `(h₀ : 5 % 8 = 7) : 5 % 4 = 3`,
or `(h₀ : n % 8 = 7) (h : n ≤ 1)`, teach the solver nothing about the problem), and
(optionally) needs more than one automation tactic.

Refutation runs on the elaborated goal, so each variable has its Lean type: a
counterexample is searched by z3 over ℕ ℤ ℚ ℝ with Lean 4 + Mathlib semantics
(lean_env.micro.arith.validity: ℕ subtraction truncates, ℤ `/` `%` are `Int.ediv`
`Int.emod`, `x / 0 = 0` in every type, `↑` the injections ℕ → ℤ → ℚ → ℝ), and a model
z3 returns is re-evaluated exactly before it counts. A timeout, `unknown` or an
encoding z3 cannot express is never a refutation: a true statement is never dropped. A
conjecture is vacuous only when z3 proves its hypotheses unsatisfiable (`unsat`).
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from lean_env.errors import OpenError
from lean_env.micro.goals import Goal
from lean_env.micro.lexer import ParseError
from lean_env.micro.parser import Statement, parse_statement
from lean_env.micro.syntax import Exists, Forall, Imp, Prop, PVar, Truth, Var, subst
from lean_env.protocol import Environment, ProofFinished
from training.creator import Conjecture
from training.evolve import map_props
from training.lean_source import prop_source

log = logging.getLogger("rir")

AUTOMATION = ("omega", "linarith", "decide", "norm_num", "trivial")


def _rename_bound(p: Prop, depth: int = 0) -> Prop:
    """Bound variables named by binding depth, so `∀ x, P x` and `∀ y, P y` agree."""
    if isinstance(p, (Forall, Exists)):
        name = f"_b{depth}"
        return type(p)(name, _rename_bound(subst(p.body, p.var, Var(name)), depth + 1), p.ty)
    if hasattr(p, "left") and not hasattr(p, "op"):
        return type(p)(_rename_bound(p.left, depth), _rename_bound(p.right, depth))
    if hasattr(p, "arg"):
        return type(p)(_rename_bound(p.arg, depth))
    return p


def canonical_key(st: Statement) -> str:
    """The statement up to its name, variable names (of every type), bound names and
    hypothesis names; type ascriptions kept (`(2 : ℝ)` is not `↑2`)."""
    variables = {n: f"_v{i}" for i, (n, t) in enumerate(st.binders) if isinstance(t, str) and t != "Prop"}
    props = {n: f"_p{i}" for i, (n, t) in enumerate(st.binders) if t == "Prop"}

    def norm(p: Prop) -> str:
        for old, new in variables.items():
            p = subst(p, old, Var(new))
        p = map_props(p, lambda q: PVar(props[q.name]) if isinstance(q, PVar) and q.name in props else None)
        return prop_source(_rename_bound(p))

    kinds = [t if isinstance(t, str) else norm(t) for _, t in st.binders]
    return " | ".join(kinds) + " ⊢ " + norm(st.conclusion)


def as_implication(goal: Goal) -> Prop:
    """hyp₁ → hyp₂ → … → target over the elaborated goal: the variables stay free, at their types."""
    p = goal.target
    for hyp in reversed(goal.hyps):
        if not hyp.is_var:
            p = Imp(hyp.type, p)
    return p


_warned_no_z3 = False


def _have_z3() -> bool:
    """Whether z3 can be imported; when not, logged once (nothing is then refuted)."""
    global _warned_no_z3
    try:
        import z3  # noqa: F401  (lazily: z3-solver is needed only to refute)
    except ImportError:
        if not _warned_no_z3:
            log.warning("z3 is not installed (pip install z3-solver): conjectures are not checked "
                        "for counterexamples")
            _warned_no_z3 = True
        return False
    return True


def counterexample(goal: Goal, timeout_ms: int = 1000) -> dict | None:
    """Values of the goal's variables that make a hypothesis-respecting instance false, or
    None (none found in time, or z3 is not installed: then logged once, never refuted)."""
    if not _have_z3():
        return None
    from lean_env.micro.arith.validity import find_counterexample

    return find_counterexample(as_implication(goal), timeout_ms=timeout_ms)


def vacuous(goal: Goal, timeout_ms: int = 1000) -> bool:
    """Whether z3 shows the goal's hypotheses contradict each other (False otherwise,
    also when z3 cannot tell or is not installed)."""
    hyps = [h.type for h in goal.hyps if not h.is_var]
    if not hyps or not _have_z3():
        return False
    from lean_env.micro.arith.validity import is_valid

    return is_valid(hyps, Truth(False), timeout_ms) is True


@dataclass
class ConjectureFilter:
    """Stateful across one iteration: every kept conjecture joins `seen`. `protected`:
    canonical keys of held-out statements no variant may equal (training.heldout_guard)."""

    env: Environment
    seen: set[str] = field(default_factory=set)
    refute: bool = True
    reject_automation: bool = False
    solver_timeout_ms: int = 1000
    protected: set[str] = field(default_factory=set)
    rejected: Counter = field(default_factory=Counter)

    def remember(self, statements: Iterable[str]) -> None:
        for text in statements:
            try:
                self.seen.add(canonical_key(parse_statement(text)))
            except ParseError:
                continue

    def reason_to_reject(self, conj: Conjecture) -> str | None:
        from lean_env.micro.engine import initial_goal

        try:
            st = parse_statement(conj.statement)
            state = self.env.open(conj.theorem())
            goal = initial_goal(st)
        except (ParseError, OpenError):
            return "does not elaborate"
        key = canonical_key(st)
        if key in self.protected:
            return "held-out statement"
        if key in self.seen:
            return "duplicate"
        if self.refute and counterexample(goal, self.solver_timeout_ms) is not None:
            return "refuted"
        if self.refute and vacuous(goal, self.solver_timeout_ms):
            return "vacuous"
        if self.reject_automation and any(
            isinstance(self.env.run_tac(state, tac), ProofFinished) for tac in AUTOMATION
        ):
            return "closed by one automation tactic"
        self.seen.add(key)
        return None

    def keep(self, conjectures: Iterable[Conjecture]) -> list[Conjecture]:
        kept = []
        for conj in conjectures:
            reason = self.reason_to_reject(conj)
            if reason is None:
                kept.append(conj)
            else:
                self.rejected[reason] += 1
        return kept
