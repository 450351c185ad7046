"""Evolvers: turn a conjecture into new ones (eva's "evolve" step).

Two evolvers share one interface, `evolve(conjecture, n, rng, iteration)`:
- `SymbolicEvolver` mutates statements of the embedded fragment on their syntax
  tree: in depth (add a hypothesis, shift a bound, generalise a constant,
  compose with a lemma, add a step by instantiating a variable or substituting
  a formula for a propositional variable) and in breadth
  (the same shape in another domain of the fragment).
- `LLMEvolver` (training/llm_evolver.py) asks a causal LM with mutation templates.
Every variant is printed back to Lean and must parse; truth is the filter's job.
"""
from __future__ import annotations

import random
from dataclasses import replace
from typing import Callable, Mapping, Protocol

from lean_env.micro.lexer import ParseError
from lean_env.micro.parser import Statement, parse_statement
from lean_env.micro.syntax import (
    And, BinOp, Exists, Forall, Iff, Imp, Not, Num, Or, Prop, PVar, Rel, Term, Var,
    free_vars, fresh_name, subst,
)
from training.creator import Conjecture


class Evolver(Protocol):
    """`weights`: how often to pick each mutation or template, by name (None: uniformly)."""

    def evolve(self, conjecture: Conjecture, n: int, rng: random.Random, iteration: int,
               weights: Mapping[str, float] | None = None) -> list[Conjecture]: ...


def weighted(names: list[str], weights: Mapping[str, float] | None) -> list[float]:
    """Weights for `names`; a name without one gets the mean of the others, none at all 1."""
    if not weights:
        return [1.0] * len(names)
    default = sum(weights.values()) / len(weights)
    w = [max(weights.get(n, default), 0.0) for n in names]
    return w if sum(w) > 0 else [1.0] * len(names)


# ---- generic rewriting of terms inside propositions --------------------------


def map_terms(p: Prop, fn: Callable[[Term], Term]) -> Prop:
    """Apply `fn` to every maximal term of `p` (the two sides of each relation)."""
    if isinstance(p, Rel):
        return Rel(p.op, fn(p.left), fn(p.right))
    if isinstance(p, Not):
        return Not(map_terms(p.arg, fn))
    if isinstance(p, (And, Or, Imp, Iff)):
        return type(p)(map_terms(p.left, fn), map_terms(p.right, fn))
    if isinstance(p, (Forall, Exists)):
        return type(p)(p.var, map_terms(p.body, fn))
    return p


def map_props(p: Prop, fn: Callable[[Prop], Prop | None]) -> Prop:
    """Rebuild `p` bottom-up, replacing each node for which `fn` returns a Prop."""
    if isinstance(p, Not):
        p = Not(map_props(p.arg, fn))
    elif isinstance(p, (And, Or, Imp, Iff)):
        p = type(p)(map_props(p.left, fn), map_props(p.right, fn))
    elif isinstance(p, (Forall, Exists)):
        p = type(p)(p.var, map_props(p.body, fn))
    out = fn(p)
    return p if out is None else out


def term_numerals(t: Term) -> list[int]:
    if isinstance(t, Num):
        return [t.value]
    if isinstance(t, BinOp) and t.op != "^":  # exponents stay: they decide the shape
        return term_numerals(t.left) + term_numerals(t.right)
    return []


def prop_numerals(p: Prop) -> list[int]:
    found: list[int] = []
    map_terms(p, lambda t: found.extend(term_numerals(t)) or t)
    return found


def replace_numeral(t: Term, old: int, new: Term) -> Term:
    if isinstance(t, Num) and t.value == old:
        return new
    if isinstance(t, BinOp) and t.op != "^":
        return BinOp(t.op, replace_numeral(t.left, old, new), replace_numeral(t.right, old, new))
    return t


def swap_ops(t: Term, table: dict[str, str]) -> Term:
    if isinstance(t, BinOp):
        return BinOp(table.get(t.op, t.op), swap_ops(t.left, table), swap_ops(t.right, table))
    return t


# ---- statements ---------------------------------------------------------------


def nat_vars(st: Statement) -> list[str]:
    return [n for n, typ in st.binders if typ == "ℕ"]


def prop_vars(st: Statement) -> list[str]:
    return [n for n, typ in st.binders if typ == "Prop"]


def binder_names(st: Statement) -> set[str]:
    return {n for n, _ in st.binders}


def hypotheses(st: Statement) -> list[tuple[str, Prop]]:
    return [(n, typ) for n, typ in st.binders if not isinstance(typ, str)]


def with_binder(st: Statement, name: str, typ, before_hyps: bool = False) -> Statement:
    """Add a binder; ℕ variables go before the first hypothesis, as people write them."""
    binders = list(st.binders)
    if before_hyps:
        first_hyp = next((i for i, (_, t) in enumerate(binders) if not isinstance(t, str)), len(binders))
        binders.insert(first_hyp, (name, typ))
    else:
        binders.append((name, typ))
    return replace(st, binders=binders)


def _small_term(st: Statement, rng: random.Random) -> Term:
    names = nat_vars(st)
    return Var(rng.choice(names)) if names and rng.random() < 0.6 else Num(rng.randint(1, 5))


# ---- in-depth mutations ---------------------------------------------------------


def add_hypothesis(st: Statement, rng: random.Random) -> Statement | None:
    names = nat_vars(st)
    if not names:
        return None
    x = Var(rng.choice(names))
    other = Var(rng.choice(names)) if len(names) > 1 and rng.random() < 0.5 else Num(rng.randint(1, 9))
    rel = rng.choice([Rel("≤", x, other), Rel("<", x, other), Rel("≤", other, x), Rel("<", other, x)])
    if rel.left == rel.right:
        return None
    return with_binder(st, fresh_name("h", binder_names(st)), rel)


def shift_bound(st: Statement, rng: random.Random) -> Statement | None:
    """Strengthen or weaken a numeric bound in the conclusion or a hypothesis."""
    sites = [("goal", st.conclusion)] + hypotheses(st)
    sites = [(n, p) for n, p in sites if prop_numerals(p)]
    if not sites:
        return None
    name, prop = rng.choice(sites)
    old = rng.choice(prop_numerals(prop))
    new = max(0, old + rng.choice([-2, -1, 1, 2]))
    if new == old:
        return None
    changed = map_terms(prop, lambda t: replace_numeral(t, old, Num(new)))
    if name == "goal":
        return replace(st, conclusion=changed)
    return replace(st, binders=[(n, changed if n == name else t) for n, t in st.binders])


def generalise_constant(st: Statement, rng: random.Random) -> Statement | None:
    constants = [c for c in prop_numerals(st.conclusion) if c >= 1]
    if not constants:
        return None
    c = rng.choice(constants)
    n = fresh_name("n", binder_names(st) | {v for v in nat_vars(st)})
    out = with_binder(st, n, "ℕ", before_hyps=True)
    out = replace(out, conclusion=map_terms(st.conclusion, lambda t: replace_numeral(t, c, Var(n))))
    if rng.random() < 0.5:  # keep the old case reachable: n ranges over c, c+1, ...
        out = with_binder(out, fresh_name("hn", binder_names(out)), Rel("≤", Num(c), Var(n)))
    return out


def compose_lemma(st: Statement, rng: random.Random) -> Statement | None:
    """Push the conclusion through a monotonicity or algebra lemma of the library
    (Nat.add_le_add_right, Nat.mul_le_mul_left, Nat.add_comm, ...), or in logic
    through Or.inl or an unused premise."""
    goal, t = st.conclusion, _small_term(st, rng)
    if isinstance(goal, Rel) and goal.op in ("≤", "<", "=") and rng.random() < 0.7:
        if rng.random() < 0.5 or goal.op == "<":
            return replace(st, conclusion=Rel(goal.op, BinOp("+", goal.left, t), BinOp("+", goal.right, t)))
        return replace(st, conclusion=Rel(goal.op, BinOp("*", t, goal.left), BinOp("*", t, goal.right)))
    names = nat_vars(st)
    props = prop_vars(st)
    if len(names) < 2 and props:
        q = PVar(rng.choice(props))
        return replace(st, conclusion=Or(goal, q) if rng.random() < 0.5 else Imp(q, goal))
    if len(names) < 2:
        return None
    a, b = rng.sample(names, 2)
    op = rng.choice(["+", "*"])
    fact = Rel("=", BinOp(op, Var(a), Var(b)), BinOp(op, Var(b), Var(a)))
    return replace(st, conclusion=And(goal, fact))


def instantiate_variable(st: Statement, rng: random.Random) -> Statement | None:
    """Add a reasoning step: substitute x := x + k or k * x everywhere (validity is kept)."""
    names = nat_vars(st)
    if not names:
        return None
    x = rng.choice(names)
    k = Num(rng.randint(1, 3))
    value = BinOp("+", Var(x), k) if rng.random() < 0.6 else BinOp("*", Num(rng.randint(2, 3)), Var(x))
    binders = [(n, t if isinstance(t, str) else subst(t, x, value)) for n, t in st.binders]
    return replace(st, binders=binders, conclusion=subst(st.conclusion, x, value))


def substitute_proposition(st: Statement, rng: random.Random) -> Statement | None:
    """A reasoning step in logic: p := ¬q, q ∧ r, q ∨ r or q → r over the statement's own
    atoms (an arithmetic fact among them when it has ℕ variables). The statement holds for
    every p, so a substitution instance is a theorem; its proof needs more steps."""
    props = prop_vars(st)
    if not props:
        return None
    p = rng.choice(props)
    atoms: list[Prop] = [PVar(n) for n in props]
    names = nat_vars(st)
    if names:
        atoms.append(Rel(rng.choice(["≤", "<"]), Var(rng.choice(names)), _small_term(st, rng)))
    q = rng.choice(atoms)
    r = rng.choice([a for a in atoms if a != q] or atoms)
    value = rng.choice([Not(q), And(q, r), Or(q, r), Imp(q, r)])
    swap = lambda x: value if isinstance(x, PVar) and x.name == p else None  # noqa: E731
    binders = [(n, t if isinstance(t, str) else map_props(t, swap)) for n, t in st.binders]
    out = replace(st, binders=binders, conclusion=map_props(st.conclusion, swap))
    used = free_vars(out.conclusion).union(*(free_vars(t) for _, t in hypotheses(out)))
    return out if p in used else replace(out, binders=[(n, t) for n, t in out.binders if n != p])


# ---- in-breadth mutation --------------------------------------------------------


def change_domain(st: Statement, rng: random.Random) -> Statement | None:
    """The same logical shape in another domain of the fragment: propositional
    atoms become arithmetic facts, or + and *, ≤ and < trade places."""
    props = prop_vars(st)
    if props:
        used = binder_names(st)
        atoms: dict[str, Prop] = {}
        new_vars: list[str] = []
        for p in props:
            a = fresh_name("a", used | set(new_vars))
            new_vars.append(a)
            atoms[p] = Rel(rng.choice(["≤", "<", "="]), Var(a), Num(rng.randint(0, 9)))
        swap = lambda q: atoms.get(q.name) if isinstance(q, PVar) else None  # noqa: E731
        binders = [(v, "ℕ") for v in new_vars]
        binders += [(n, t if isinstance(t, str) else map_props(t, swap))
                    for n, t in st.binders if t != "Prop"]
        return replace(st, binders=binders, conclusion=map_props(st.conclusion, swap))
    table = rng.choice([{"+": "*", "*": "+"}, {"≤": "<", "<": "≤"}, {"≤": "≥", "≥": "≤"}])
    if "+" in table:
        return replace(st, binders=[(n, t if isinstance(t, str) else map_terms(t, lambda u: swap_ops(u, table)))
                                    for n, t in st.binders],
                       conclusion=map_terms(st.conclusion, lambda u: swap_ops(u, table)))
    flip = lambda q: Rel(table[q.op], q.left, q.right) if isinstance(q, Rel) and q.op in table else None  # noqa: E731
    return replace(st, conclusion=map_props(st.conclusion, flip))


MUTATIONS: dict[str, Callable[[Statement, random.Random], Statement | None]] = {
    "add_hypothesis": add_hypothesis,
    "shift_bound": shift_bound,
    "generalise_constant": generalise_constant,
    "compose_lemma": compose_lemma,
    "instantiate_variable": instantiate_variable,
    "substitute_proposition": substitute_proposition,
    "change_domain": change_domain,
}


class SymbolicEvolver:
    """Mutations of embedded-fragment statements on their syntax tree."""

    def __init__(self, mutations: dict | None = None, max_tries: int = 30):
        self.mutations = mutations or MUTATIONS
        self.max_tries = max_tries

    def evolve(self, conjecture: Conjecture, n: int, rng: random.Random, iteration: int,
               weights: Mapping[str, float] | None = None) -> list[Conjecture]:
        try:
            st = parse_statement(conjecture.statement)
        except ParseError:
            return []
        kinds = list(self.mutations)
        odds = weighted(kinds, weights)
        variants: dict[str, Conjecture] = {}
        for _ in range(self.max_tries):
            if len(variants) == n:
                break
            # unweighted: rng.choice, so that runs without weights draw as they always did
            kind = rng.choice(kinds) if weights is None else rng.choices(kinds, odds)[0]
            mutated = self.mutations[kind](st, rng)
            if mutated is None or mutated == st:
                continue
            name = f"{conjecture.name}.{kind[:3]}{iteration}_{len(variants)}"
            text = replace(mutated, name=name).to_lean()
            body = text.split(" ", 2)[2]  # without `theorem NAME`: dedupe by content
            if body in variants:
                continue
            parse_statement(text)  # a printed variant must read back: a bug otherwise
            variants[body] = Conjecture(name, text, f"symbolic:{kind}", conjecture.name, iteration,
                                        conjecture.lineage)
        return list(variants.values())
