"""The creator's filter: keep a conjecture only if it elaborates in the backend, is
new up to renaming, is not refuted, and (optionally) needs more than one
automation tactic."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from lean_env.errors import OpenError
from lean_env.micro.lexer import ParseError
from lean_env.micro.parser import Statement, parse_statement
from lean_env.micro.printer import format_prop
from lean_env.micro.syntax import Exists, Forall, Imp, Prop, PVar, Var, subst
from lean_env.protocol import Environment, ProofFinished
from training.creator import Conjecture
from training.evolve import map_props

AUTOMATION = ("omega", "linarith", "decide", "norm_num", "trivial")


def _rename_bound(p: Prop, depth: int = 0) -> Prop:
    """Bound variables named by binding depth, so `∀ x, P x` and `∀ y, P y` agree."""
    if isinstance(p, (Forall, Exists)):
        name = f"_b{depth}"
        return type(p)(name, _rename_bound(subst(p.body, p.var, Var(name)), depth + 1))
    if hasattr(p, "left") and not hasattr(p, "op"):
        return type(p)(_rename_bound(p.left, depth), _rename_bound(p.right, depth))
    if hasattr(p, "arg"):
        return type(p)(_rename_bound(p.arg, depth))
    return p


def canonical_key(st: Statement) -> str:
    """The statement up to its name, variable names, bound names and hypothesis names."""
    nat = {n: f"_v{i}" for i, n in enumerate(n for n, t in st.binders if t == "ℕ")}
    props = {n: f"_p{i}" for i, n in enumerate(n for n, t in st.binders if t == "Prop")}

    def norm(p: Prop) -> str:
        for old, new in nat.items():
            p = subst(p, old, Var(new))
        p = map_props(p, lambda q: PVar(props[q.name]) if isinstance(q, PVar) and q.name in props else None)
        return format_prop(_rename_bound(p))

    kinds = [t if isinstance(t, str) else norm(t) for _, t in st.binders]
    return " | ".join(kinds) + " ⊢ " + norm(st.conclusion)


def as_implication(st: Statement) -> Prop:
    """hyp₁ → hyp₂ → … → conclusion, with the ℕ and Prop variables left free."""
    p = st.conclusion
    for _, typ in reversed(st.binders):
        if not isinstance(typ, str):
            p = Imp(typ, p)
    return p


@dataclass
class ConjectureFilter:
    """Stateful across one iteration: every kept conjecture joins `seen`."""

    env: Environment
    seen: set[str] = field(default_factory=set)
    refute: bool = True
    reject_automation: bool = False
    solver_timeout_ms: int = 1000
    rejected: Counter = field(default_factory=Counter)

    def remember(self, statements: Iterable[str]) -> None:
        for text in statements:
            try:
                self.seen.add(canonical_key(parse_statement(text)))
            except ParseError:
                continue

    def reason_to_reject(self, conj: Conjecture) -> str | None:
        try:
            st = parse_statement(conj.statement)
            state = self.env.open(conj.theorem())
        except (ParseError, OpenError):
            return "does not elaborate"
        key = canonical_key(st)
        if key in self.seen:
            return "duplicate"
        if self.refute:
            from lean_env.micro.arith.validity import find_counterexample

            if find_counterexample(as_implication(st), timeout_ms=self.solver_timeout_ms) is not None:
                return "refuted"
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
