"""The eva-style creator: score conjectures by how much repeated searches disagree,
sample the informative ones, and mix the evolved pool with the old one.

eva ("Evolving Alignment via Asymmetric Self-Play", Ye et al.) uses the reward
gap max − min over the solver's samples as informativeness: a prompt the solver
sometimes solves cheaply and sometimes not at all is where it learns most.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from lean_env.errors import BadInput
from lean_env.theorems import Theorem
from search.result import Budget, SearchResult


@dataclass(frozen=True)
class Conjecture:
    """A statement in the pool, with where it came from."""

    name: str
    statement: str
    origin: str = "seed"  # "seed", "symbolic:<mutation>", "llm:<template>"
    parent: str | None = None
    iteration: int = 0
    root: str | None = None  # the seed theorem it descends from (None: it is a seed)
    parent_proof: str | None = None  # a proof of the parent (tactics, one per line), if one is known

    def theorem(self) -> Theorem:
        return Theorem(full_name=self.name, statement=self.statement)

    @property
    def lineage(self) -> str:
        """The seed this conjecture descends from; a seed is its own lineage."""
        return self.root or self.name


def search_reward(result: SearchResult, budget: Budget, cost: str = "env_calls") -> float:
    """1 − cost/budget for a proof (cheaper proofs score higher), 0 otherwise."""
    if result.status != "proved":
        return 0.0
    if cost == "env_calls":
        used, limit = result.stats.env_calls, budget.max_env_calls
    elif cost == "time":
        used, limit = result.stats.total_time, budget.timeout
    else:
        raise BadInput(f"unknown reward cost '{cost}': choose env_calls or time")
    if not limit:
        raise BadInput(f"reward cost '{cost}' needs a budget limit for it")
    return max(0.0, 1.0 - used / limit)


def _max_min(r: np.ndarray) -> float:
    return float(r.max() - r.min())


def _max_mean(r: np.ndarray) -> float:
    return float(r.max() - r.mean())


def _variance(r: np.ndarray) -> float:
    return float(r.var())


def _uniform(r: np.ndarray) -> float:
    return 1.0


INFORMATIVENESS: dict[str, Callable[[np.ndarray], float]] = {
    "max-min": _max_min,  # eva's default
    "max-mean": _max_mean,
    "variance": _variance,
    "uniform": _uniform,
}


def informativeness(rewards: Sequence[float], kind: str = "max-min") -> float:
    if kind not in INFORMATIVENESS:
        raise BadInput(f"unknown informativeness '{kind}': choose one of {', '.join(INFORMATIVENESS)}")
    if not len(rewards):
        return 0.0
    return INFORMATIVENESS[kind](np.asarray(rewards, dtype=float))


def sampling_weights(scores: Sequence[float]) -> np.ndarray:
    """Min–max normalised scores; all-equal scores give uniform weights."""
    s = np.asarray(scores, dtype=float)
    span = s.max() - s.min() if len(s) else 0.0
    if span <= 0:
        return np.full(len(s), 1.0 / max(len(s), 1))
    w = (s - s.min()) / span
    return w / w.sum()


def shared_weights(weights: np.ndarray, lineages: Sequence[str]) -> np.ndarray:
    """Fitness sharing: each weight divided by how many of the pool share its lineage.

    A lineage that filled the pool then weighs as much as one conjecture of its own,
    so that the draw does not keep narrowing onto the few seeds evolved first."""
    counts = Counter(lineages)
    shared = weights / np.array([counts[name] for name in lineages], dtype=float)
    return shared / shared.sum() if shared.sum() > 0 else shared


def sample_informative(pool: Sequence[Conjecture], scores: Sequence[float], fraction: float,
                       rng: np.random.Generator, lineage_sharing: bool = False) -> list[Conjecture]:
    """Draw round(fraction × pool) conjectures without replacement, weighted by score
    (shared among each lineage's members with `lineage_sharing`).

    Items of weight 0 are drawn only once the positive-weight ones run out."""
    k = max(1, round(fraction * len(pool))) if pool else 0
    weights = sampling_weights(scores)
    if lineage_sharing:
        weights = shared_weights(weights, [c.lineage for c in pool])
    positive = np.flatnonzero(weights > 0)
    first = rng.choice(positive, size=min(k, len(positive)), replace=False, p=weights[positive] / weights[positive].sum())
    rest = np.setdiff1d(np.arange(len(pool)), first)
    extra = rng.choice(rest, size=k - len(first), replace=False) if k > len(first) else []
    return [pool[i] for i in [*first, *extra]]


def mutation_weights(conjectures: Sequence[Conjecture], scores: Sequence[float],
                     prior: float = 2.0) -> dict[str, float]:
    """How informative each mutation's (or template's) variants turned out: mean score.

    Keyed by the name after `symbolic:` or `llm:` in the origin; seeds do not count. Each
    mean is shrunk toward the mean of all evolved conjectures with `prior` pseudo-counts,
    so that a mutation seen twice is neither dropped nor favoured on that alone."""
    by_kind: dict[str, list[float]] = {}
    for conj, score in zip(conjectures, scores):
        if ":" in conj.origin:
            by_kind.setdefault(conj.origin.split(":", 1)[1], []).append(score)
    if not by_kind:
        return {}
    overall = float(np.mean([x for xs in by_kind.values() for x in xs]))
    return {k: (sum(xs) + prior * overall) / (len(xs) + prior) for k, xs in by_kind.items()}


def mix_pool(evolved: Sequence[Conjecture], previous: Sequence[Conjecture], size: int,
             rng: np.random.Generator, evolved_share: float = 0.8) -> list[Conjecture]:
    """Next pool: `evolved_share` evolved conjectures, the rest drawn from the previous pool."""
    n_new = min(len(evolved), round(evolved_share * size))
    n_old = min(len(previous), size - n_new)
    new = rng.choice(len(evolved), size=n_new, replace=False) if n_new else []
    old = rng.choice(len(previous), size=n_old, replace=False) if n_old else []
    return [evolved[i] for i in new] + [previous[i] for i in old]
