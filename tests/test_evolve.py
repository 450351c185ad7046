"""The symbolic evolver: every mutation yields statements that parse, and it varies them."""
import random

import pytest

from lean_env import make_env
from lean_env.micro.parser import parse_statement
from lean_env.micro.syntax import free_vars
from training.conjecture_filter import ConjectureFilter
from training.creator import Conjecture
from training.evolve import MUTATIONS, SymbolicEvolver

SEEDS = [
    "theorem a (x y : ℕ) (h : x < y) : x + 1 ≤ y",
    "theorem b (p q r : Prop) (hp : p) (hq : q) (hr : r) : p ∧ q ∧ r",
    "theorem c (n : ℕ) : 2 * n + 3 > n",
    "theorem d (a b c : ℕ) (h₀ : a ≤ b) (h₁ : b ≤ c) : a ≤ c",
    "theorem e (p q : Prop) : p ∧ q → q ∧ p",
    "theorem f : ∀ n : ℕ, n + 0 = n",
    "theorem g (x : ℕ) (h : x ∣ 6) (h2 : 0 < x) : ∃ k : ℕ, x * k = 6",
    "theorem h (a b : ℕ) : (a + b) * (a + b) = a * a + 2 * a * b + b * b",
]


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_every_mutation_prints_a_statement_that_parses(kind):
    rng = random.Random(0)
    produced = 0
    for text in SEEDS:
        st = parse_statement(text)
        for _ in range(10):
            out = MUTATIONS[kind](st, rng)
            if out is None:
                continue
            produced += 1
            again = parse_statement(out.to_lean())
            assert again.to_lean() == out.to_lean()
    assert produced > 0, f"{kind} never applied to the seed statements"


def test_evolve_gives_distinct_named_variants_with_their_origin():
    conj = Conjecture("micro.a", SEEDS[0])
    variants = SymbolicEvolver().evolve(conj, 4, random.Random(1), iteration=2)
    assert len(variants) == 4
    assert len({v.statement.split(" ", 2)[2] for v in variants}) == 4
    for v in variants:
        assert v.parent == "micro.a" and v.iteration == 2 and v.origin.startswith("symbolic:")
        assert parse_statement(v.statement).name == v.name
    # a variant of a variant still belongs to the seed's lineage
    grandchild = SymbolicEvolver().evolve(variants[0], 1, random.Random(1), iteration=3)[0]
    assert variants[0].lineage == grandchild.lineage == "micro.a" and grandchild.parent == variants[0].name


def test_weights_steer_which_mutations_are_picked():
    conj = Conjecture("micro.a", SEEDS[0])
    favoured = {kind: (1.0 if kind == "add_hypothesis" else 1e-6) for kind in MUTATIONS}
    variants = SymbolicEvolver().evolve(conj, 4, random.Random(3), 1, weights=favoured)
    assert [v.origin for v in variants] == ["symbolic:add_hypothesis"] * 4
    # a mutation the weights do not name gets their mean: here the only weight, so it competes evenly
    both = SymbolicEvolver().evolve(conj, 4, random.Random(3), 1, weights={"add_hypothesis": 0.5})
    assert {v.origin for v in both} != {"symbolic:add_hypothesis"}


def test_add_hypothesis_strengthens_the_context():
    st = parse_statement(SEEDS[2])
    out = MUTATIONS["add_hypothesis"](st, random.Random(3))
    assert len(out.binders) == len(st.binders) + 1 and out.conclusion == st.conclusion


def test_change_domain_turns_propositional_atoms_into_arithmetic():
    out = MUTATIONS["change_domain"](parse_statement(SEEDS[1]), random.Random(0))
    assert all(t != "Prop" for _, t in out.binders)
    assert "∧" in out.to_lean()


def connectives(text: str) -> int:
    return sum(text.count(c) for c in "∧∨→¬↔")


def test_substituting_a_formula_for_a_propositional_variable_keeps_a_deeper_theorem():
    """p := q ∨ r (or ¬q, q ∧ r, q → r) in a tautology gives a tautology with more to prove."""
    st = parse_statement(SEEDS[4])  # p ∧ q → q ∧ p
    flt = ConjectureFilter(make_env("embedded"))
    for seed in range(8):
        out = MUTATIONS["substitute_proposition"](st, random.Random(seed)).to_lean()
        assert connectives(out) > connectives(st.to_lean())
        assert flt.reason_to_reject(Conjecture(f"v{seed}", out)) in (None, "duplicate")


def test_a_substituted_variable_that_no_longer_occurs_loses_its_binder():
    st = parse_statement("theorem e (p q : Prop) : p ∧ q → q ∧ p")
    outs = [MUTATIONS["substitute_proposition"](st, random.Random(k)) for k in range(20)]
    for out in outs:
        assert {n for n, t in out.binders if t == "Prop"} == free_vars(out.conclusion)
    assert any(len(out.binders) == 1 for out in outs)  # p := ¬q, say: only q is left


def test_pure_logic_also_evolves_in_depth():
    """A statement over Prop alone is no longer only moved to arithmetic (change_domain)."""
    variants = SymbolicEvolver().evolve(Conjecture("micro.e", SEEDS[4]), 4, random.Random(0), iteration=1)
    kinds = {v.origin for v in variants}
    assert kinds - {"symbolic:change_domain"}
    assert any(": Prop" in v.statement for v in variants)


def test_an_unparsable_conjecture_evolves_to_nothing():
    assert SymbolicEvolver().evolve(Conjecture("bad", "theorem bad : x +"), 4, random.Random(0), 1) == []
