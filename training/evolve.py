"""Evolvers: turn a conjecture into new ones (eva's "evolve" step).

Two evolvers share one interface, `evolve(conjecture, n, rng, iteration)`:
- `SymbolicEvolver` mutates statements of the embedded fragment (ℕ ℤ ℚ ℝ and Prop, as
  miniF2F writes them) on their syntax tree: in depth (add or drop a hypothesis, shift a
  bound, change a coefficient, generalise a constant into a variable or specialise a
  variable to a constant, compose with a lemma, substitute a term for a variable or a
  formula for a propositional variable) and in breadth (the same shape in another domain
  of the fragment, or over another number type).
- `LLMEvolver` (training/llm_evolver.py) asks a causal LM with mutation templates.
Every variant is printed back to Lean source (training.lean_source: ascriptions kept) and
must parse and elaborate on the embedded engine; truth is the filter's job.
"""
from __future__ import annotations

import random
from dataclasses import replace
from typing import Callable, Mapping, Protocol

from lean_env.micro import fragment
from lean_env.micro.goals import TacticError
from lean_env.micro.lexer import ParseError
from lean_env.micro.parser import Statement, parse_statement
from lean_env.micro.syntax import (
    NAT, NUM_TYPES, And, BinOp, Cast, Imp, Neg, Not, Num, Or, Prop, PVar, Rel, Term, Var,
    free_vars, fresh_name, subst,
)
from training.creator import Conjecture
from training.lean_source import statement_source
from training.statement_edit import (  # map_props, map_terms: the filter imports them from here
    binder_names, domain, hypotheses, map_casts, map_props, map_statement, map_terms, nat_vars,
    num_vars, numeral, prop_numerals, prop_vars, replace_numeral, replace_numeral_at, swap_ops,
    var_types, with_binder,
)


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


def _var(st: Statement, name: str) -> Term:
    return Var(name, var_types(st).get(name, NAT))


def _small_term(st: Statement, rng: random.Random) -> Term:
    """A variable of the statement's domain, or a small numeral."""
    names = num_vars(st, domain(st)) or nat_vars(st)
    return Var(rng.choice(names)) if names and rng.random() < 0.6 else Num(rng.randint(1, 5))


def _bound(ty: str, rng: random.Random) -> Term:
    """A small bound of type `ty`: ℕ from 1, ℤ ℚ ℝ also 0 or negative."""
    low = 1 if ty == NAT else -5
    return numeral(rng.randint(low, 9))


# ---- in-depth mutations ---------------------------------------------------------


def add_hypothesis(st: Statement, rng: random.Random) -> Statement | None:
    """A bound on a variable (`x ≤ c`, `0 < x`, `x < y`), or `x ≠ 0` over ℚ ℝ."""
    names = num_vars(st)
    if not names:
        return None
    name = rng.choice(names)
    ty, x = var_types(st)[name], Var(name)
    same = [n for n in num_vars(st, ty) if n != name]
    other = Var(rng.choice(same)) if same and rng.random() < 0.5 else _bound(ty, rng)
    rels = [Rel("≤", x, other), Rel("<", x, other), Rel("≤", other, x), Rel("<", other, x)]
    if ty in ("ℚ", "ℝ"):
        rels.append(Rel("≠", x, Num(0)))
    rel = rng.choice(rels)
    if rel.left == rel.right:
        return None
    return with_binder(st, fresh_name("h", binder_names(st)), rel)


def drop_hypothesis(st: Statement, rng: random.Random) -> Statement | None:
    """Generalise: forget one hypothesis (the filter drops the variant if it became false)."""
    hyps = hypotheses(st)
    if not hyps:
        return None
    name, _ = rng.choice(hyps)
    return replace(st, binders=[(n, t) for n, t in st.binders if n != name])


def _numeral_site(st: Statement, rng: random.Random, parents: tuple[str, ...]):
    """(site name, its prop, numeral index, value) of a numeral under one of `parents`."""
    sites = [("goal", st.conclusion)] + hypotheses(st)
    found = [(name, prop, i, value) for name, prop in sites
             for i, (value, parent) in enumerate(prop_numerals(prop)) if parent in parents]
    return rng.choice(found) if found else None


def _replace_site(st: Statement, name: str, changed: Prop) -> Statement:
    if name == "goal":
        return replace(st, conclusion=changed)
    return replace(st, binders=[(n, changed if n == name else t) for n, t in st.binders])


def shift_bound(st: Statement, rng: random.Random) -> Statement | None:
    """Strengthen or weaken one numeric bound (a numeral compared, added or subtracted)."""
    site = _numeral_site(st, rng, ("rel", "+", "-", "unary"))
    if site is None:
        return None
    name, prop, index, old = site
    new = old + rng.choice([-2, -1, 1, 2])
    if new < 0 and domain(st) == NAT:
        new = 0
    if new == old:
        return None
    return _replace_site(st, name, replace_numeral_at(prop, index, numeral(new)))


def change_coefficient(st: Statement, rng: random.Random) -> Statement | None:
    """Change one coefficient or divisor (a numeral multiplied, divided or taken modulo)."""
    site = _numeral_site(st, rng, ("*", "/", "%"))
    if site is None:
        return None
    name, prop, index, old = site
    new = rng.choice([old + 1, old - 1, old + 2, 2 * old])
    if new < 1 or new == old:
        return None
    return _replace_site(st, name, replace_numeral_at(prop, index, Num(new)))


def generalise_constant(st: Statement, rng: random.Random) -> Statement | None:
    """A constant of the conclusion becomes a variable of the statement's domain."""
    constants = [c for c, _ in prop_numerals(st.conclusion) if c >= 1]
    if not constants:
        return None
    c, ty = rng.choice(constants), domain(st)
    n = fresh_name("n", binder_names(st))
    out = with_binder(st, n, ty, before_hyps=True)
    out = replace(out, conclusion=map_terms(st.conclusion, lambda t: replace_numeral(t, c, Var(n))))
    if rng.random() < 0.5:  # keep the old case reachable: n ranges over c, c+1, ...
        out = with_binder(out, fresh_name("hn", binder_names(out)), Rel("≤", Num(c), Var(n)))
    return out


def specialise_variable(st: Statement, rng: random.Random) -> Statement | None:
    """A variable becomes a constant: the value a hypothesis `x = c` gives it (that
    hypothesis then goes), else a small one; written `(c : T)` so its type stays."""
    names = num_vars(st)
    if not names:
        return None
    x = rng.choice(names)
    ty = var_types(st)[x]
    given = [(h, p.right) for h, p in hypotheses(st) if isinstance(p, Rel) and p.op == "="
             and p.left == Var(x) and isinstance(p.right, (Num, Neg))]
    if given:
        hyp, value = rng.choice(given)
        value = Cast(ty, value) if ty != NAT else value
    else:
        hyp, value = None, numeral(rng.randint(0 if ty == NAT else -3, 5), ty)
    out = map_statement(replace(st, binders=[(n, t) for n, t in st.binders if n not in (x, hyp)]),
                        lambda p: subst(p, x, value))
    return out


def compose_lemma(st: Statement, rng: random.Random) -> Statement | None:
    """Push the conclusion through a monotonicity or algebra lemma of the library
    (add_le_add_right, mul_le_mul_left, add_comm, ...), or in logic through Or.inl or an
    unused premise."""
    goal, t = st.conclusion, _small_term(st, rng)
    if isinstance(goal, Rel) and goal.op in ("≤", "<", "=") and rng.random() < 0.7:
        if rng.random() < 0.5 or goal.op == "<":
            return replace(st, conclusion=Rel(goal.op, BinOp("+", goal.left, t), BinOp("+", goal.right, t)))
        return replace(st, conclusion=Rel(goal.op, BinOp("*", t, goal.left), BinOp("*", t, goal.right)))
    names = num_vars(st, domain(st)) or nat_vars(st)
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
    """Add a reasoning step: substitute a term for a variable everywhere (x := x + k, k * x;
    over ℤ ℚ ℝ also x - k and -x; or another variable of its type): an instance of a
    theorem is a theorem."""
    names = num_vars(st)
    if not names:
        return None
    x = rng.choice(names)
    ty = var_types(st)[x]
    k = Num(rng.randint(1, 3))
    choices: list[Term] = [BinOp("+", Var(x), k), BinOp("+", Var(x), k), BinOp("*", Num(rng.randint(2, 3)), Var(x))]
    if ty != NAT:
        choices += [BinOp("-", Var(x), k), Neg(Var(x))]
    same = [n for n in num_vars(st, ty) if n != x]
    if same:
        choices.append(Var(rng.choice(same)))
    value = rng.choice(choices)
    out = map_statement(st, lambda p: subst(p, x, value))
    if isinstance(value, Var):  # x is gone: so is its binder
        out = replace(out, binders=[(n, t) for n, t in out.binders if n != x])
    return out


def substitute_proposition(st: Statement, rng: random.Random) -> Statement | None:
    """A reasoning step in logic: p := ¬q, q ∧ r, q ∨ r or q → r over the statement's own
    atoms (an arithmetic fact among them when it has number variables). The statement holds
    for every p, so a substitution instance is a theorem; its proof needs more steps."""
    props = prop_vars(st)
    if not props:
        return None
    p = rng.choice(props)
    atoms: list[Prop] = [PVar(n) for n in props]
    names = num_vars(st)
    if names:
        atoms.append(Rel(rng.choice(["≤", "<"]), Var(rng.choice(names)), _small_term(st, rng)))
    q = rng.choice(atoms)
    r = rng.choice([a for a in atoms if a != q] or atoms)
    value = rng.choice([Not(q), And(q, r), Or(q, r), Imp(q, r)])
    swap = lambda x: value if isinstance(x, PVar) and x.name == p else None  # noqa: E731
    out = map_statement(st, lambda t: map_props(t, swap))
    used = free_vars(out.conclusion).union(*(free_vars(t) for _, t in hypotheses(out)))
    return out if p in used else replace(out, binders=[(n, t) for n, t in out.binders if n != p])


# ---- in-breadth mutations --------------------------------------------------------


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
        return map_statement(st, lambda p: map_terms(p, lambda u: swap_ops(u, table)))
    flip = lambda q: Rel(table[q.op], q.left, q.right) if isinstance(q, Rel) and q.op in table else None  # noqa: E731
    return replace(st, conclusion=map_props(st.conclusion, flip))


def change_type(st: Statement, rng: random.Random) -> Statement | None:
    """The same statement over another number type: every variable and ascription of one
    of ℕ ℤ ℚ ℝ moves to another (ℕ → ℤ keeps subtraction from truncating, ℤ → ℚ gives
    `/` its field meaning, ...). Variants that no longer typecheck are dropped."""
    present = sorted({t for t in var_types(st).values()} | {domain(st)}, key=NUM_TYPES.index)
    source = rng.choice(present)
    target = rng.choice([t for t in NUM_TYPES if t != source])
    table = {source: target}
    binders = [(n, target if t == source else t) for n, t in st.binders]
    return map_statement(replace(st, binders=binders), lambda p: map_terms(p, lambda u: map_casts(u, table)))


MUTATIONS: dict[str, Callable[[Statement, random.Random], Statement | None]] = {
    "add_hypothesis": add_hypothesis,
    "shift_bound": shift_bound,
    "generalise_constant": generalise_constant,
    "compose_lemma": compose_lemma,
    "instantiate_variable": instantiate_variable,
    "substitute_proposition": substitute_proposition,
    "change_domain": change_domain,
    "drop_hypothesis": drop_hypothesis,
    "change_coefficient": change_coefficient,
    "specialise_variable": specialise_variable,
    "change_type": change_type,
}


def elaborates(text: str) -> bool:
    """Whether a statement opens on the embedded engine (parses, elaborates, typechecks)."""
    from lean_env.micro.engine import initial_goal

    try:
        goal = initial_goal(parse_statement(text))
    except (ParseError, TacticError):
        return False
    return fragment.goal_ill_typed(goal) is None


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
            text = statement_source(replace(mutated, name=name))
            body = text.split(" ", 2)[2]  # without `theorem NAME`: dedupe by content
            if body in variants:
                continue
            parse_statement(text)  # a printed variant must read back: a bug otherwise
            if not elaborates(text):  # e.g. `-1` over ℕ, `%` over ℝ: another try
                continue
            variants[body] = Conjecture(name, text, f"symbolic:{kind}", conjecture.name, iteration,
                                        conjecture.lineage)
        return list(variants.values())
