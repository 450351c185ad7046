"""The creator step of self-play: the next pool from the estimated one, and augmentation.

  sample   a share of the pool, weighted by informativeness (training.creator)
  evolve   variants of each drawn conjecture (symbolic or LLM evolver), then filter
           (parse, dedupe, refute by counterexample; training.conjecture_filter)
  mix      next pool = the evolved share + a draw from the old pool
  augment  (transfer_variants) unsearched variants that a known proof also proves
"""
from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from lean_env.errors import BadInput
from lean_env.protocol import Environment
from lean_env.theorems import Theorem
from training.conjecture_filter import ConjectureFilter
from training.creator import Conjecture, mix_pool, mutation_weights, sample_informative
from training.data import Triple, transfer_proof
from training.estimate import Estimate
from training.selfplay_config import CreatorConfig

Augmented = tuple[Conjecture, list[str], list[Triple]]  # a variant, its proof, its triples
SHOWN_VARIANTS = 3  # kept variants shown in the progress log per iteration


@dataclass
class Creator:
    config: CreatorConfig
    env: Environment
    seed_theorems: list[Theorem]
    seed: int
    progress: Callable[[str], None]
    protected: set[str] = field(default_factory=set)  # held-out statement keys (training.heldout_guard)

    @functools.cached_property
    def evolver(self):
        """Built once: an LLM evolver holds its model across iterations."""
        if self.config.evolver == "llm":
            from training.llm_evolver import LLMEvolver

            if not self.config.llm_model:
                raise BadInput("the llm evolver needs --llm-model PATH")
            return LLMEvolver.from_pretrained(self.config.llm_model)
        from training.evolve import MUTATIONS, SymbolicEvolver

        return SymbolicEvolver({k: MUTATIONS[k] for k in self.config.mutations or MUTATIONS})

    def next_pool(self, i: int, pool: list[Conjecture],
                  estimates: list[Estimate]) -> tuple[list[Conjecture], dict[str, int], int]:
        """Iteration i's next pool, how many variants the filter rejected, by reason, and how
        many variants the evolver made."""
        c = self.config
        rng, py_rng = np.random.default_rng(self.seed + i), random.Random(self.seed + i)
        scores = [e.score for e in estimates]
        drawn = sample_informative(pool, scores, c.sample_fraction, rng, c.lineage_sharing)
        weights = (mutation_weights(pool, scores) or None) if c.adaptive_evolution else None
        if weights:
            self.progress(f"iteration {i}: mutation weights "
                          + ", ".join(f"{k} {w:.2f}" for k, w in sorted(weights.items())))
        variants = [v for conj in drawn for v in self.evolver.evolve(conj, c.variants, py_rng, i + 1, weights)]
        if c.proof_transfer:
            proofs = self.known_proofs(estimates)
            variants = [replace(v, parent_proof=proofs.get(v.parent)) for v in variants]
        flt = ConjectureFilter(self.env, refute=c.refute, reject_automation=c.reject_automation,
                               protected=self.protected)
        flt.remember([x.statement for x in pool] + [t.statement for t in self.seed_theorems])
        kept = flt.keep(variants)
        size = c.pool_size or len(self.seed_theorems)
        self.progress(f"iteration {i}: {len(variants)} variants, {len(kept)} kept "
                      f"({dict(flt.rejected)} rejected)")
        for conj in kept[:SHOWN_VARIANTS]:  # what the creator makes, at a glance
            self.progress(f"iteration {i}: {conj.origin}: {conj.statement}")
        return mix_pool(kept, pool, size, rng, c.evolved_share), dict(flt.rejected), len(variants)

    def augment(self, i: int, pool: list[Conjecture], estimates: list[Estimate],
                next_pool: list[Conjecture]) -> list[Augmented]:
        """The unsearched variants of every pool conjecture with a known proof that this
        proof also proves (see CreatorConfig.transfer_variants)."""
        if not self.config.transfer_variants:
            return []
        rng = random.Random(f"augment {self.seed} {i}")  # its own stream: the pool draws as without it
        proofs = self.known_proofs(estimates)
        # a proof that checks is the stronger test than refutation; held-out statements stay out
        flt = ConjectureFilter(self.env, refute=False, protected=self.protected)
        flt.remember([x.statement for x in pool + next_pool] + [t.statement for t in self.seed_theorems])
        out = []
        for conj in pool:
            if conj.name not in proofs:
                continue
            variants = self.evolver.evolve(conj, self.config.transfer_variants, rng, i + 1)
            for v in flt.keep(replace(v, name=f"{v.name}.t", parent_proof=proofs[conj.name]) for v in variants):
                transferred = transfer_proof(v, self.env)
                if transferred:
                    out.append((v, *transferred))
        self.progress(f"iteration {i}: {len(out)} unsearched variants proved by their parent's proof")
        return out

    def known_proofs(self, estimates: list[Estimate]) -> dict[str, str]:
        """Name → a proof (one tactic per line): found or transferred this iteration, else
        a seed's reference proof."""
        proofs = {t.full_name: t.proof for t in self.seed_theorems if t.proof}
        proofs.update({e.conjecture.name: "\n".join(e.known_proof) for e in estimates if e.known_proof})
        return proofs
