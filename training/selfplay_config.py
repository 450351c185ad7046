"""Self-play settings: one section per step of the loop (estimate, creator, update, held-out).

`SelfPlayConfig.of(**flat)` builds the nested config from the flat names the command line
and the benchmarks use; every name belongs to exactly one section.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from lean_env.errors import BadInput
from search.result import Budget


@dataclass(frozen=True)
class EstimateConfig:
    """N sampled searches per pool conjecture, and how their rewards are scored."""

    num_searches: int = 6
    search_timeout: float = 10.0
    max_env_calls: int = 200
    reward_cost: str = "env_calls"
    informativeness: str = "max-min"
    num_targets: int = 4
    num_tactics: int = 4
    temperature: float = 1.0
    hindsight: bool = True  # also train on every sub-goal a tree proved, not only whole proofs

    def __post_init__(self):
        if self.num_searches < 1:
            raise BadInput(f"num_searches must be ≥ 1, got {self.num_searches}")

    @property
    def budget(self) -> Budget:
        return Budget(timeout=self.search_timeout, max_env_calls=self.max_env_calls)


@dataclass(frozen=True)
class CreatorConfig:
    """How the creator draws, evolves and filters conjectures into the next pool."""

    sample_fraction: float = 0.25
    variants: int = 4
    evolved_share: float = 0.8
    pool_size: int | None = None  # None: the size of the seed pool
    evolver: str = "symbolic"  # symbolic | llm
    mutations: tuple[str, ...] | None = None  # symbolic: these mutations only (None: all)
    llm_model: str | None = None
    refute: bool = True
    reject_automation: bool = False
    # Pick mutations (or LLM templates) in proportion to how informative their variants in
    # this pool turned out, rather than uniformly: fewer variants no search can prove.
    adaptive_evolution: bool = False
    # Share each conjecture's sampling weight among the pool members of its lineage (the
    # seed it descends from): eva's draw otherwise narrows the pool onto a few seeds.
    lineage_sharing: bool = False
    # Try the parent's proof on each variant as well (symbolic mutations often keep it
    # valid, as in Alchemy's mutated theorems): a proof that checks is trained on, so the
    # solver learns new instances it could not yet prove. The searches alone score it.
    proof_transfer: bool = False
    # Every pool conjecture with a known proof (found, transferred, or a seed's reference
    # proof) also yields this many variants that are never searched: its proof is replayed
    # on each, and the ones it proves are trained on. Replay costs no search budget, so the
    # solver sees many new instances of what it can already prove (Alchemy's augmentation).
    transfer_variants: int = 0

    def __post_init__(self):
        if self.variants < 1 or self.transfer_variants < 0:
            raise BadInput("variants must be ≥ 1 and transfer_variants ≥ 0")
        if self.evolver not in ("symbolic", "llm"):
            raise BadInput(f"unknown evolver '{self.evolver}': choose symbolic or llm")
        if not 0 < self.sample_fraction <= 1 or not 0 <= self.evolved_share <= 1:
            raise BadInput("sample_fraction must be in (0, 1] and evolved_share in [0, 1]")
        if self.mutations is not None:
            from training.evolve import MUTATIONS

            unknown = [m for m in self.mutations if m not in MUTATIONS]
            if unknown or not self.mutations:
                raise BadInput(f"unknown mutation '{(unknown or [''])[0]}': choose from {', '.join(MUTATIONS)}")


@dataclass(frozen=True)
class UpdateConfig:
    """The solver update on the iteration's proofs (and optionally DPO on tree preferences)."""

    # "continue" fine-tunes the previous iteration's model on this iteration's triples;
    # "restart" fine-tunes the starting model on the triples of every iteration so far
    # (expert iteration as Polu et al. 2022 run it), so that updates do not compound on a
    # few proofs trained on again and again.
    solver_update: str = "continue"
    train_steps: int = 100
    train_batch_size: int = 8
    lr: float = 1e-4
    dpo: bool = False  # also DPO on preference pairs from the trees, previous model as reference
    dpo_steps: int = 50
    dpo_beta: float = 0.1
    dpo_lr: float = 1e-5
    # Reference proofs replayed in every update, against forgetting: "seeds" (the seed
    # theorems), a theorem set (e.g. micro-train, what the shipped model was trained on) or None.
    replay: str | None = "seeds"
    # The searches' own triples are repeated until they make up at least this share of
    # the training data; otherwise a large replay set drowns them.
    min_new_share: float = 0.5

    def __post_init__(self):
        if self.solver_update not in ("continue", "restart"):
            raise BadInput(f"unknown solver update '{self.solver_update}': choose continue or restart")
        if not 0 <= self.min_new_share < 1:
            raise BadInput(f"min_new_share must be in [0, 1), got {self.min_new_share}")


@dataclass(frozen=True)
class HeldoutConfig:
    """The held-out measurement: beam search as `rir eval` runs it, capped in expansions so
    that the figure does not depend on the machine's load."""

    heldout_set: str | None = "micro-test"  # None: not measured
    heldout_theorems: int | None = None
    heldout_timeout: float = 60.0
    heldout_expansions: int | None = 32
    heldout_workers: int = 0  # 0: in this process
    heldout_start: bool = True  # also the starting model, the figure every iteration is read against


SECTIONS = {"estimate": EstimateConfig, "creator": CreatorConfig, "update": UpdateConfig,
            "heldout": HeldoutConfig}


@dataclass(frozen=True)
class SelfPlayConfig:
    seed_theorems: str = "micro-train"
    out_dir: str = "runs/selfplay"
    iterations: int = 3
    model: str | None = None  # the starting solver; None: the shipped model for `mode`
    mode: str = "rir"
    search: str = "bfs"
    untargeted: bool = False  # rir: the actor also proposes tactics without a target
    seed: int = 0
    estimate: EstimateConfig = field(default_factory=EstimateConfig)
    creator: CreatorConfig | None = field(default_factory=CreatorConfig)  # None: expert iteration
    update: UpdateConfig = field(default_factory=UpdateConfig)
    heldout: HeldoutConfig = field(default_factory=HeldoutConfig)

    def __post_init__(self):
        if self.iterations < 0:
            raise BadInput(f"iterations must be ≥ 0, got {self.iterations}")

    @classmethod
    def of(cls, creator: bool = True, **settings: Any) -> "SelfPlayConfig":
        """The config from flat names (num_searches=..., lr=...); creator=False: expert
        iteration on the seed theorems alone, the creator's settings ignored."""
        top = {f.name for f in fields(cls)} - set(SECTIONS)
        parts: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
        owner = {f.name: name for name, section in SECTIONS.items() for f in fields(section)}
        values: dict[str, Any] = {}
        for key, value in settings.items():
            if key in top:
                values[key] = value
            elif key in owner:
                parts[owner[key]][key] = value
            else:
                raise BadInput(f"unknown self-play setting '{key}'")
        sections = {name: SECTIONS[name](**kw) for name, kw in parts.items()}
        if not creator:
            sections["creator"] = None
        return cls(**values, **sections)

    def flat(self) -> dict[str, Any]:
        """Every setting by its flat name (tuples as JSON lists), as resume compares them."""
        return flat_settings(asdict(self))


def flat_settings(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored (nested or, from older runs, flat) config as flat name → value."""
    out: dict[str, Any] = {}
    for key, value in stored.items():
        if key in SECTIONS and isinstance(value, dict):
            out.update(value)
        else:
            out[key] = list(value) if isinstance(value, tuple) else value
    for section in SECTIONS.values():
        for f in fields(section):
            if isinstance(out.get(f.name), tuple):
                out[f.name] = list(out[f.name])
    return out
