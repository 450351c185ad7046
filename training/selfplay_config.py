"""Self-play settings: one section per step of the loop (estimate, creator, update, held-out).

`SelfPlayConfig.of(**flat)` builds the nested config from the flat names the command line
and the benchmarks use; every name belongs to exactly one section. Each field declares its
default and help once (rir.settings); `rir selfplay`'s options are made from them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from lean_env.errors import BadInput
from rir.prompts import MODES
from rir.settings import setting
from search.prover import ALGORITHMS as SEARCHES
from search.result import Budget

INFORMATIVENESS = ("max-min", "max-mean", "variance", "uniform")


def _none_or(text: str) -> str | None:
    """A command-line name where `none` means None."""
    return None if text == "none" else text


def _count_or_all(text: str) -> int | None:
    """A command-line count where `all` means None (no limit)."""
    return None if text == "all" else int(text)


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split(","))


@dataclass(frozen=True)
class EstimateConfig:
    """N sampled searches per pool conjecture, and how their rewards are scored."""

    num_searches: int = setting(6, help="sampled searches per conjecture")
    search_timeout: float = setting(10.0, metavar="SECONDS", help="seconds per search")
    max_env_calls: int = setting(200, help="environment calls per search")
    reward_cost: str = setting("env_calls", cli=False, help="what a proof's reward is discounted by")
    informativeness: str = setting("max-min", choices=INFORMATIVENESS,
                                   help="how the searches' rewards score a conjecture")
    num_targets: int = setting(4, cli=False, help="planner targets per expansion")
    num_tactics: int = setting(4, cli=False, help="actor tactics per target")
    temperature: float = setting(1.0, cli=False, help="sampling temperature")
    # also train on every sub-goal a tree proved, not only whole proofs
    hindsight: bool = setting(True, cli=False, help="train on proved sub-goals too")

    def __post_init__(self):
        if self.num_searches < 1:
            raise BadInput(f"num_searches must be ≥ 1, got {self.num_searches}")

    @property
    def budget(self) -> Budget:
        return Budget(timeout=self.search_timeout, max_env_calls=self.max_env_calls)


@dataclass(frozen=True)
class CreatorConfig:
    """How the creator draws, evolves and filters conjectures into the next pool."""

    sample_fraction: float = setting(0.25, help="share of the pool drawn to evolve")
    variants: int = setting(4, help="variants per drawn conjecture")
    evolved_share: float = setting(0.8, help="share of the next pool that is evolved; the rest "
                                             "is drawn from the last pool")
    pool_size: int | None = setting(None, help="pool size (default: number of seed theorems)")
    evolver: str = setting("symbolic", choices=("symbolic", "llm"),
                           help="symbolic: mutations of the statements; llm: a causal LM rewrites them")
    mutations: tuple[str, ...] | None = setting(
        None, parse=_names, metavar="NAMES",
        help="symbolic evolver: comma-separated mutations to use (default: all)")
    llm_model: str | None = setting(None, metavar="PATH", help="causal LM for --evolver llm (HF dir or hub id)")
    refute: bool = setting(True, cli=False, help="drop conjectures a counterexample refutes")
    reject_automation: bool = setting(False, help="drop conjectures closed by a single automation tactic")
    # Pick mutations (or LLM templates) in proportion to how informative their variants in
    # this pool turned out, rather than uniformly: fewer variants no search can prove.
    adaptive_evolution: bool = setting(False, help="pick mutations (templates) by how informative "
                                                   "their variants turned out")
    # Share each conjecture's sampling weight among the pool members of its lineage (the
    # seed it descends from): eva's draw otherwise narrows the pool onto a few seeds.
    lineage_sharing: bool = setting(False, help="share sampling weight among conjectures descending "
                                                "from the same seed")
    # Try the parent's proof on each variant as well (symbolic mutations often keep it
    # valid, as in Alchemy's mutated theorems): a proof that checks is trained on, so the
    # solver learns new instances it could not yet prove. The searches alone score it.
    proof_transfer: bool = setting(False, help="also try each parent's proof on its variants, and "
                                               "train on those that check")
    # Every pool conjecture with a known proof (found, transferred, or a seed's reference
    # proof) also yields this many variants that are never searched: its proof is replayed
    # on each, and the ones it proves are trained on. Replay costs no search budget, so the
    # solver sees many new instances of what it can already prove (Alchemy's augmentation).
    transfer_variants: int = setting(0, metavar="K", help="K unsearched variants of every conjecture "
                                                          "with a known proof, trained on where that "
                                                          "proof checks on them")

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
    solver_update: str = setting("continue", choices=("continue", "restart"),
                                 help="continue: fine-tune the last model on this iteration's proofs; "
                                      "restart: fine-tune the starting model on every iteration's "
                                      "proofs so far")
    train_steps: int = setting(100, help="training steps per solver update")
    train_batch_size: int = setting(8, cli=False, help="batch size of the solver update")
    lr: float = setting(1e-4, cli=False, help="learning rate of the solver update")
    # also DPO on preference pairs from the trees, previous model as reference
    dpo: bool = setting(False, help="also DPO on tactic preference pairs from the search trees")
    dpo_steps: int = setting(50, help="DPO steps per solver update")
    dpo_beta: float = setting(0.1, cli=False, help="DPO's beta")
    dpo_lr: float = setting(1e-5, cli=False, help="DPO's learning rate")
    # Reference proofs replayed in every update, against forgetting: "seeds" (the seed
    # theorems), theorem sets, comma-separated (e.g. micro-train,f1-train, what the shipped
    # models were trained on) or None. "auto": the seeds' when they have reference proofs, else
    # micro-train's and f1-train's (miniF2F seeds are statements only: an update on a few found
    # proofs alone makes the solver forget).
    replay: str | None = setting("auto", parse=_none_or,
                                 help="reference proofs replayed in every update: 'seeds', theorem "
                                      "sets, comma-separated (e.g. micro-train,f1-train, the shipped "
                                      "models' training splits), 'auto' (the seeds' if they have proofs, "
                                      "else micro-train's and f1-train's) or 'none'")
    # The searches' own triples are repeated until they make up at least this share of
    # the training data; otherwise a large replay set drowns them.
    min_new_share: float = setting(0.5, cli=False, help="least share of new triples in an update")

    def __post_init__(self):
        if self.solver_update not in ("continue", "restart"):
            raise BadInput(f"unknown solver update '{self.solver_update}': choose continue or restart")
        if not 0 <= self.min_new_share < 1:
            raise BadInput(f"min_new_share must be in [0, 1), got {self.min_new_share}")


@dataclass(frozen=True)
class HeldoutConfig:
    """The held-out measurement: beam search as `rir eval` runs it, capped in expansions so
    that the figure does not depend on the machine's load."""

    # "auto": the test split that goes with the seeds (training.heldout_guard.default_heldout):
    # miniF2F-test for miniF2F seeds, micro-test otherwise.
    heldout_set: str | None = setting("auto", flag="--heldout", parse=_none_or, metavar="SET",
                                      help="held-out theorem set ('auto': minif2f-test for miniF2F seeds, "
                                           "micro-test otherwise; 'none' to skip)")
    # Only statements that open on the embedded engine are measured (pass@1 over those). The
    # default keeps a first run's two measurements (start model, after the iteration) to a
    # few minutes on a CPU; `all` for a figure to report.
    heldout_theorems: int | None = setting(10, parse=_count_or_all, metavar="N",
                                           help="the first N held-out theorems that open (rir eval's "
                                                "order); 'all' for every one")
    heldout_timeout: float = setting(60.0, metavar="SECONDS", help="seconds per held-out theorem")
    heldout_expansions: int | None = setting(32, help="expansions per held-out theorem")
    heldout_workers: int = setting(0, flag="--workers", help="processes for the held-out evaluation "
                                                             "(0: in this process)")
    # also the starting model, the figure every iteration is read against
    heldout_start: bool = setting(True, cli=False, help="measure the starting model too")


SECTIONS = {"estimate": EstimateConfig, "creator": CreatorConfig, "update": UpdateConfig,
            "heldout": HeldoutConfig}


@dataclass(frozen=True)
class SelfPlayConfig:
    seed_theorems: str = setting("micro-train", metavar="SET",
                                 help="theorem set (name or JSONL) seeding the pool")
    out_dir: str = setting("runs/selfplay", cli=False, help="output directory (resumable)")
    iterations: int = setting(3, help="self-play iterations")
    model: str | None = setting(None, metavar="PATH",
                                help="starting model (default: the shipped model for --mode)")
    mode: str = setting("rir", choices=MODES, help="rir: planner + actor (bi-level); flat: tactics only")
    search: str = setting("bfs", choices=SEARCHES, help="bfs: best-first search; mcts: Monte Carlo tree search")
    untargeted: bool = setting(False, help="rir: the actor also proposes tactics without a target "
                                           "(see rir eval)")
    # Seeds are statements only (their proofs, if any, are replayed, never searched from);
    # those that do not open on the embedded engine are left out before the limit applies.
    seed_limit: int | None = setting(None, metavar="N", help="the first N seed theorems that open "
                                                              "on the engine (rir eval's order; default all)")
    seed: int = setting(0, help="random seed of the creator, the searches and training")
    estimate: EstimateConfig = field(default_factory=EstimateConfig)
    creator: CreatorConfig | None = field(default_factory=CreatorConfig)  # None: expert iteration
    update: UpdateConfig = field(default_factory=UpdateConfig)
    heldout: HeldoutConfig = field(default_factory=HeldoutConfig)

    def __post_init__(self):
        if self.iterations < 0:
            raise BadInput(f"iterations must be ≥ 0, got {self.iterations}")
        if self.seed_limit is not None and self.seed_limit < 1:
            raise BadInput(f"seed_limit must be ≥ 1, got {self.seed_limit}")

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
