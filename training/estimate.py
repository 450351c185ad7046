"""The estimate step of self-play: N sampled searches per pool conjecture → rewards, score.

The searches run through the assembly `rir prove` and `rir eval` use (rir.prover's
ProverSettings, build_policy, prove_theorem): the same search, budget and final check.
Search k of every conjecture samples with seed `seed * 1000 + k`, one policy per k.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from lean_env.protocol import Environment
from search.result import SearchResult
from search.tree import PROVED, STATE, Status
from training.creator import Conjecture, informativeness, search_reward
from training.data import Triple, transfer_proof, unique_triples
from training.selfplay_config import EstimateConfig


@dataclass
class Estimate:
    """The solver's repeated searches on one conjecture."""

    conjecture: Conjecture
    rewards: list[float]
    score: float
    proof: list[str] | None
    triples: list[Triple] = field(default_factory=list)
    preferences: list = field(default_factory=list)  # training.dpo.PreferencePair
    transferred: list[str] | None = None  # the parent's proof, where it proves this conjecture too

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self.conjecture), "rewards": self.rewards, "informativeness": self.score,
                "proved": sum(r > 0 for r in self.rewards), "proof": self.proof,
                "transferred": self.transferred}

    @property
    def known_proof(self) -> list[str] | None:
        """A proof of this conjecture from its searches, or else from its parent's."""
        return self.proof or self.transferred


@dataclass(frozen=True)
class Estimator:
    """Scores a pool with the searches of one model (see the module docstring)."""

    env: Environment
    model: str
    mode: str
    search: str
    untargeted: bool
    seed: int
    config: EstimateConfig
    proof_transfer: bool = False  # also try each conjecture's parent proof on it
    preferences: bool = False  # collect DPO preference pairs from the trees

    def settings(self, k: int):
        from rir.prover import ProverSettings

        c = self.config
        # The solver alone (no --flat-actor): its retrained successors have no flat partner.
        return ProverSettings(search=self.search, mode=self.mode, model=self.model, timeout=c.search_timeout,
                              flat_actor=None, max_env_calls=c.max_env_calls, num_targets=c.num_targets,
                              num_tactics=c.num_tactics, untargeted=self.untargeted, decoding="sample",
                              temperature=c.temperature, seed=self.seed * 1000 + k)

    def run(self, pool: list[Conjecture], progress: Callable[[str], None]) -> list[Estimate]:
        from rir.prover import build_policy, prove_theorem

        results: list[list[SearchResult]] = [[] for _ in pool]
        n = self.config.num_searches
        for k in range(n):
            settings = self.settings(k)
            policy = build_policy(settings)
            for rows, conj in zip(results, pool):
                rows.append(prove_theorem(self.env, policy, conj.theorem(), settings))
            proved = sum(rows[-1].status == "proved" for rows in results)
            progress(f"search {k + 1}/{n} of {len(pool)} conjectures: {proved} proved")
        return [self.estimate(conj, rows) for conj, rows in zip(pool, results)]

    def estimate(self, conj: Conjecture, results: list[SearchResult]) -> Estimate:
        from training.dpo import preference_pairs

        c = self.config
        rewards = [search_reward(r, c.budget, c.reward_cost) for r in results]
        triples = [t for r in results for t in proof_triples(r, c.hindsight)]
        records = [rec for r in results if self.preferences and r.tree is not None for rec in r.tree.edge_records()]
        proofs = [list(r.proof) for r in results if r.status == "proved" and r.proof]
        best = min(proofs, key=len) if proofs else None  # the first of the shortest
        transferred, transfer_triples = (transfer_proof(conj, self.env) if self.proof_transfer else None) or (None, [])
        return Estimate(conj, rewards, informativeness(rewards, c.informativeness), best,
                        unique_triples(triples + transfer_triples), preference_pairs(records), transferred)


def proof_triples(result: SearchResult, hindsight: bool) -> list[Triple]:
    """Triples of the proof found, and (hindsight) of every sub-goal proved in the tree,
    whether or not the whole search succeeded."""
    tree = result.tree
    if tree is None:
        return []
    if hindsight:
        edges = [e for e in tree.edges if e.outcome in (STATE, PROVED) and e.status is Status.PROVED]
    else:
        edges = (tree.proof_edges() or []) if result.status == "proved" else []
    out = []
    for e in edges:
        after = e.dst.pp if e.outcome == STATE else "no goals"
        out.append(Triple(e.src.pp, e.tactic, after, source=f"selfplay:{result.theorem}"))
    return out
