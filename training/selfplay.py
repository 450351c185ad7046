"""Self-play: the creator evolves conjectures where the solver's searches disagree,
and the solver retrains on what it proves (expert iteration plus hindsight).

One iteration, written to OUT/iter_NNN/:
  estimate   N sampled searches per pool conjecture → rewards, informativeness
             (conjectures.jsonl, proofs.jsonl)
  sample     25% of the pool, weighted by informativeness
  evolve     4 variants each (symbolic or LLM evolver), then filter
  mix        next pool = 80% evolved + 20% of the old pool (next_pool.jsonl)
  augment    (transfer_variants) unsearched variants that a known proof also proves (augmented.jsonl)
  update     train on proof triples + hindsight triples, mixed with replayed reference
             proofs (the seeds', or a training set's) → model/; the last model on this
             iteration's triples, or (restart) the starting model on every iteration's so far
  measure    held-out pass rate as `rir eval` gives it (heldout.jsonl); a line in OUT/metrics.jsonl
A finished iteration ends by writing done.json; a rerun resumes after the last one.
"""
from __future__ import annotations

import functools
import json
import logging
import math
import random
import shutil
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

from lean_env import make_env
from lean_env.errors import BadInput
from lean_env.protocol import Environment
from lean_env.theorem_sets import load_theorem_set
from lean_env.theorems import Theorem
from search.result import Budget, SearchResult
from search.tree import PROVED, STATE, Status
from training.conjecture_filter import ConjectureFilter
from training.creator import (
    Conjecture, informativeness, mix_pool, mutation_weights, sample_informative, search_reward,
)
from training.data import Triple

log = logging.getLogger("rir")

FLAT_WEIGHT = 0.5  # as in the second stage of configs/micro_rir.yaml


@dataclass(frozen=True)
class SelfPlayConfig:
    seed_theorems: str = "micro-train"
    out_dir: str = "runs/selfplay"
    iterations: int = 3
    model: str | None = None  # the starting solver; None: the shipped rir model
    mode: str = "rir"
    search: str = "bfs"
    creator: bool = True  # False: expert iteration on the seed theorems alone (the baseline)
    # estimate
    num_searches: int = 6
    search_timeout: float = 10.0
    max_env_calls: int = 200
    reward_cost: str = "env_calls"
    informativeness: str = "max-min"
    num_targets: int = 4
    num_tactics: int = 4
    temperature: float = 1.0
    # creator
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
    # solver update: "continue" fine-tunes the previous iteration's model on this
    # iteration's triples; "restart" fine-tunes the starting model on the triples of every
    # iteration so far (expert iteration as Polu et al. 2022 run it), so that updates do not
    # compound on a few proofs trained on again and again.
    solver_update: str = "continue"
    train_steps: int = 100
    train_batch_size: int = 8
    lr: float = 1e-4
    hindsight: bool = True
    dpo: bool = False  # also DPO on preference pairs from the trees, previous model as reference
    dpo_steps: int = 50
    dpo_beta: float = 0.1
    dpo_lr: float = 1e-5
    # Reference proofs replayed in every update, against forgetting: "seeds" (the seed
    # theorems), a theorem set (e.g. micro-train, what the shipped model was trained on)
    # or None.
    replay: str | None = "seeds"
    # The searches' own triples are repeated until they make up at least this share of
    # the training data; otherwise a large replay set drowns them.
    min_new_share: float = 0.5
    untargeted: bool = False  # rir: the actor also proposes tactics without a target
    # held-out measurement: beam search as `rir eval` runs it, capped in expansions so
    # that the figure does not depend on the machine's load
    heldout_set: str | None = "micro-test"
    heldout_theorems: int | None = None
    heldout_timeout: float = 60.0
    heldout_expansions: int | None = 32
    heldout_workers: int = 0  # 0: in this process
    heldout_start: bool = True  # also the starting model, the figure every iteration is read against
    seed: int = 0

    def __post_init__(self):
        if self.iterations < 0 or self.num_searches < 1 or self.variants < 1 or self.transfer_variants < 0:
            raise BadInput("iterations and transfer_variants must be ≥ 0, num_searches and variants ≥ 1")
        if self.evolver not in ("symbolic", "llm"):
            raise BadInput(f"unknown evolver '{self.evolver}': choose symbolic or llm")
        if not 0 < self.sample_fraction <= 1 or not 0 <= self.evolved_share <= 1:
            raise BadInput("sample_fraction must be in (0, 1] and evolved_share in [0, 1]")
        if self.mutations is not None:
            from training.evolve import MUTATIONS

            unknown = [m for m in self.mutations if m not in MUTATIONS]
            if unknown or not self.mutations:
                raise BadInput(f"unknown mutation '{(unknown or [''])[0]}': choose from {', '.join(MUTATIONS)}")
        if self.solver_update not in ("continue", "restart"):
            raise BadInput(f"unknown solver update '{self.solver_update}': choose continue or restart")
        if not 0 <= self.min_new_share < 1:
            raise BadInput(f"min_new_share must be in [0, 1), got {self.min_new_share}")

    @property
    def budget(self) -> Budget:
        return Budget(timeout=self.search_timeout, max_env_calls=self.max_env_calls)


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


# ---- artefacts --------------------------------------------------------------


def write_jsonl(path: Path, rows) -> None:
    """Write to a temporary name and rename: a killed run never leaves half a file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# Settings that may change on resume: how far to go and how many processes measure.
RESUMABLE_CHANGES = ("iterations", "heldout_workers")


def check_resume(path: Path, config: SelfPlayConfig) -> None:
    """Refuse to resume a run written with other settings: its iterations would mix two runs."""
    if not path.is_file():
        return
    try:
        before = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BadInput(f"{path}: not a self-play config ({e}); pass --force to overwrite it") from None
    now = json.loads(json.dumps(asdict(config)))  # tuples as JSON lists, as stored
    changed = [k for k in now if k in before and k not in RESUMABLE_CHANGES and before[k] != now[k]]
    if changed:
        diffs = ", ".join(f"{k} {before[k]!r} -> {now[k]!r}" for k in changed)
        raise BadInput(f"{path.parent} was run with other settings ({diffs}): "
                       "use another --out, or --force to resume anyway")


def iteration_dir(out: Path, i: int) -> Path:
    return out / f"iter_{i:03d}"


def completed_iterations(out: Path) -> int:
    i = 0
    while (iteration_dir(out, i) / "done.json").is_file():
        i += 1
    return i


# ---- estimate -----------------------------------------------------------------


def proof_triples(result: SearchResult, hindsight: bool) -> list[Triple]:
    """Triples of the proof found, and (hindsight) of every sub-goal proved in the tree,
    whether or not the whole search succeeded."""
    tree = result.tree
    if tree is None:
        return []
    if hindsight:
        edges = [e for e in tree.edges if e.outcome in (STATE, PROVED) and e.status is Status.PROVED]
    else:
        edges = tree.proof_edges() or []
    out = []
    for e in edges:
        after = e.dst.pp if e.outcome == STATE else "no goals"
        out.append(Triple(e.src.pp, e.tactic, after, source=f"selfplay:{result.theorem}"))
    return out


def estimate(conj: Conjecture, env: Environment, policy, config: SelfPlayConfig,
             prove_fn: Callable) -> Estimate:
    """N sampled searches (a different seed each) with a fixed budget."""
    from training.dpo import preference_pairs

    rewards, triples, records, best = [], [], [], None
    for k in range(config.num_searches):
        policy.seed = config.seed * 1000 + k
        result = prove_fn(env, policy, conj.theorem(), algorithm=config.search, budget=config.budget,
                          untargeted=config.untargeted)
        rewards.append(search_reward(result, config.budget, config.reward_cost))
        triples += proof_triples(result, config.hindsight)
        if config.dpo and result.tree is not None:
            records.extend(result.tree.edge_records())
        if result.proof and (best is None or len(result.proof) < len(best)):
            best = result.proof
    transferred, transfer_triples = (transfer_proof(conj, env) if config.proof_transfer else None) or (None, [])
    return Estimate(conj, rewards, informativeness(rewards, config.informativeness), best,
                    unique(triples + transfer_triples), preference_pairs(records), transferred)


def traced_triples(env: Environment, theorem: Theorem, source: str) -> list[Triple] | None:
    """The (state, tactic, next state) steps of the theorem's proof replayed, if it checks."""
    from lean_env.replay import trace_proof
    from rir.policy import strip_premise_marks

    traced = trace_proof(env, theorem)
    if not traced.ok:
        return None
    return [Triple(step.state_before, strip_premise_marks(step.tactic), step.state_after, source=source)
            for step in traced.traced_tactics]


def transfer_proof(conj: Conjecture, env: Environment) -> tuple[list[str], list[Triple]] | None:
    """The parent's proof replayed on the conjecture: its tactics and triples, if it checks."""
    if not conj.parent_proof:
        return None
    triples = traced_triples(env, replace(conj.theorem(), proof=conj.parent_proof), f"selfplay:{conj.name}")
    return ([t.tactic for t in triples], triples) if triples is not None else None


# ---- the loop -----------------------------------------------------------------


class SelfPlay:
    def __init__(self, config: SelfPlayConfig, env: Environment | None = None,
                 progress: Callable[[str], None] | None = None):
        self.config = config
        self.out = Path(config.out_dir)
        self.env = env or make_env("embedded")
        self.progress = progress or (lambda msg: log.info("%s", msg))
        self.seed_theorems = load_theorem_set(config.seed_theorems)
        if not self.seed_theorems:
            raise BadInput(f"no seed theorems in '{config.seed_theorems}'")
        # loaded now, so that a bad name fails before any search is run
        self.replay_theorems = ([] if not config.replay else self.seed_theorems if config.replay == "seeds"
                                else load_theorem_set(config.replay))

    # -- state carried between iterations
    def initial_model(self) -> str:
        from rir.prover import DEFAULT_MODELS

        return str(self.config.model or DEFAULT_MODELS[self.config.mode])

    def model_after(self, i: int) -> str:
        return self.initial_model() if i < 0 else str(iteration_dir(self.out, i) / "model")

    def pool_after(self, i: int) -> list[Conjecture]:
        if i < 0 or not self.config.creator:
            return [Conjecture(t.full_name, t.statement) for t in self.seed_theorems]
        return [Conjecture(**row) for row in read_jsonl(iteration_dir(self.out, i) / "next_pool.jsonl")]

    def run(self, force: bool = False) -> list[dict]:
        """Run the iterations not yet done; `force`: resume even with changed settings."""
        if not force:
            check_resume(self.out / "config.json", self.config)
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "config.json").write_text(json.dumps(asdict(self.config), indent=2) + "\n")
        if self.config.heldout_set and self.config.heldout_start:
            self.measure_start()
        start = completed_iterations(self.out)
        if start:
            self.progress(f"resuming after {start} completed iteration(s)")
        for i in range(start, self.config.iterations):
            self.iteration(i)
        return read_jsonl(self.out / "metrics.jsonl") if (self.out / "metrics.jsonl").exists() else []

    def measure_start(self) -> float | None:
        """The starting model's held-out pass rate, kept in start.json (its results resume)."""
        rate = self.heldout_pass_rate(Path(self.initial_model()), self.out / "start_heldout.jsonl")
        (self.out / "start.json").write_text(json.dumps({"heldout_pass_rate": rate}) + "\n")
        self.progress(f"start model: held-out pass rate {rate}")
        return rate

    def iteration(self, i: int) -> dict:
        from rir.policy import load_policy
        from search.prover import prove

        c, t0 = self.config, time.perf_counter()
        d = iteration_dir(self.out, i)
        if d.exists():  # an interrupted iteration starts over
            shutil.rmtree(d)
        d.mkdir(parents=True)
        pool = self.pool_after(i - 1)
        policy = load_policy(self.model_after(i - 1), mode=c.mode, num_targets=c.num_targets,
                             num_tactics=c.num_tactics, decoding="sample", temperature=c.temperature)
        estimates = []
        for k, conj in enumerate(pool, 1):
            estimates.append(estimate(conj, self.env, policy, c, prove))
            self.progress(f"iteration {i}: estimated {k}/{len(pool)} conjectures")
        write_jsonl(d / "conjectures.jsonl", (e.to_dict() for e in estimates))
        write_jsonl(d / "proofs.jsonl", ({"name": e.conjecture.name, "statement": e.conjecture.statement,
                                          "proof": e.known_proof, "found_by": "search" if e.proof else "transfer"}
                                         for e in estimates if e.known_proof))
        next_pool, rejected = self.create(i, pool, estimates) if c.creator else (pool, {})
        write_jsonl(d / "next_pool.jsonl", (asdict(x) for x in next_pool))
        augmented = self.augment(i, pool, estimates, next_pool) if c.creator and c.transfer_variants else []
        if c.transfer_variants:
            write_jsonl(d / "augmented.jsonl", ({**asdict(conj), "proof": tactics} for conj, tactics, _ in augmented))

        found = [t for e in estimates for t in e.triples] + [t for *_, triples in augmented for t in triples]
        write_jsonl(d / "triples.jsonl", (asdict(t) for t in found + self.replay_triples))
        trained = unique(self.found_before(i) + found) if c.solver_update == "restart" else found
        triples = mix_replay(trained, self.replay_triples, c.min_new_share)
        summary = self.update(i, triples)
        preferences = [p for e in estimates for p in e.preferences]
        if c.dpo:
            write_jsonl(d / "preferences.jsonl", (asdict(p) for p in preferences))
            dpo = self.prefer(i, preferences)
        heldout = self.heldout_pass_rate(d / "model", d / "heldout.jsonl")
        scores = [e.score for e in estimates]
        metrics = {
            "iteration": i,
            "pool_size": len(pool),
            "next_pool_size": len(next_pool),
            "informativeness_histogram": np.histogram(scores, bins=10, range=(0, 1))[0].tolist(),
            "mean_informativeness": float(np.mean(scores)) if scores else 0.0,
            "proved_share": float(np.mean([e.proof is not None for e in estimates])) if estimates else 0.0,
            "proved_by_transfer_only": sum(e.proof is None and e.transferred is not None for e in estimates),
            "augmented": len(augmented),
            "heldout_pass_rate": heldout,
            "train_triples": len(found),
            "buffer_triples": len(trained),
            "replay_triples": len(self.replay_triples),
            "train_loss": summary.final_loss,
            "dpo_pairs": len(preferences) if c.dpo else None,
            "dpo_loss": dpo.final_loss if c.dpo else None,
            "rejected": rejected,
            "seconds": time.perf_counter() - t0,
        }
        with (self.out / "metrics.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(metrics) + "\n")
        (d / "done.json").write_text(json.dumps(metrics) + "\n")
        self.progress(f"iteration {i}: proved {metrics['proved_share']:.0%} of the pool, "
                      f"held-out pass rate {heldout}")
        return metrics

    def create(self, i: int, pool: list[Conjecture], estimates: list[Estimate]):
        c = self.config
        rng, py_rng = np.random.default_rng(c.seed + i), random.Random(c.seed + i)
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
        flt = ConjectureFilter(self.env, refute=c.refute, reject_automation=c.reject_automation)
        flt.remember([x.statement for x in pool] + [t.statement for t in self.seed_theorems])
        kept = flt.keep(variants)
        size = c.pool_size or len(self.seed_theorems)
        self.progress(f"iteration {i}: {len(variants)} variants, {len(kept)} kept "
                      f"({dict(flt.rejected)} rejected)")
        return mix_pool(kept, pool, size, rng, c.evolved_share), dict(flt.rejected)

    def augment(self, i: int, pool: list[Conjecture], estimates: list[Estimate], next_pool: list[Conjecture]):
        """(variant, its proof, its triples) for the unsearched variants of every pool conjecture
        with a known proof that this proof also proves (see SelfPlayConfig.transfer_variants)."""
        c = self.config
        rng = random.Random(f"augment {c.seed} {i}")  # its own stream: the pool draws as without it
        proofs = self.known_proofs(estimates)
        flt = ConjectureFilter(self.env, refute=False)  # a proof that checks is the stronger test
        flt.remember([x.statement for x in pool + next_pool] + [t.statement for t in self.seed_theorems])
        out = []
        for conj in pool:
            if conj.name not in proofs:
                continue
            variants = self.evolver.evolve(conj, c.transfer_variants, rng, i + 1)
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

    @functools.cached_property
    def replay_triples(self) -> list[Triple]:
        """The traced reference proofs of the replay set (see SelfPlayConfig.replay)."""
        out = []
        for thm in self.replay_theorems:
            if not thm.proof:
                continue
            triples = traced_triples(self.env, thm, f"replay:{thm.full_name}")
            if triples is None:
                log.warning("%s: its reference proof does not check; not trained on", thm.full_name)
                continue
            out += triples
        return out

    def found_before(self, i: int) -> list[Triple]:
        """The searches' own triples (not the replayed ones) of iterations 0..i-1."""
        out = []
        for j in range(i):
            out += [Triple(**row) for row in read_jsonl(iteration_dir(self.out, j) / "triples.jsonl")
                    if row["source"].startswith("selfplay:")]
        return out

    def update(self, i: int, triples: list[Triple], d: Path | None = None, seed: int | None = None):
        """Iteration i's solver update, into d (default: the iteration's folder), trained
        with `seed` (default: the run's seed + i)."""
        from rir.policy import trained_modes
        from training.config import TrainConfig
        from training.run import train

        d = d or iteration_dir(self.out, i)
        base = self.model_after(-1 if self.config.solver_update == "restart" else i - 1)
        # A co-trained model that also acts without a target (the shipped one) keeps
        # doing so: its actor goes on training in the flat format as well.
        keeps_flat = self.config.mode == "rir" and "flat" in trained_modes(Path(base))
        config = TrainConfig(
            mode="rir" if self.config.mode == "rir" else "flat", model=base,
            flat_weight=FLAT_WEIGHT if keeps_flat else 0.0,
            max_steps=self.config.train_steps, batch_size=self.config.train_batch_size,
            lr=self.config.lr, warmup_steps=min(10, self.config.train_steps),
            seed=self.config.seed + i if seed is None else seed, out_dir=str(d / "train"),
            export_dir=str(d / "model"),
            val_every=max(1, self.config.train_steps), log_every=max(1, self.config.train_steps),
        )
        summary = train(config, triples=triples, progress=False)
        (d / "train" / "last.ckpt").unlink(missing_ok=True)  # the HF model is the checkpoint kept
        return summary

    def retrain(self, i: int, seed: int) -> float | None:
        """Iteration i's supervised update again on the same triples with another training
        seed (no DPO), and the held-out pass rate it gives: how much of one iteration's figure
        is the luck of its training run. Kept in iter_NNN/retrain_SEED/; a rerun reads it back."""
        d = iteration_dir(self.out, i) / f"retrain_{seed}"
        if (d / "done.json").is_file():
            return json.loads((d / "done.json").read_text())["heldout_pass_rate"]
        if not (iteration_dir(self.out, i) / "done.json").is_file():
            raise BadInput(f"{self.out}: iteration {i} has not run, so it cannot be retrained")
        found = self.found_before(i + 1)
        trained = unique(found) if self.config.solver_update == "restart" else found[len(self.found_before(i)):]
        d.mkdir(parents=True, exist_ok=True)
        self.update(i, mix_replay(trained, self.replay_triples, self.config.min_new_share), d, seed)
        rate = self.heldout_pass_rate(d / "model", d / "heldout.jsonl")
        (d / "done.json").write_text(json.dumps({"train_seed": seed, "heldout_pass_rate": rate}) + "\n")
        return rate

    def prefer(self, i: int, pairs: list):
        """DPO on the updated model, the previous iteration's model as reference."""
        from rir.policy import PolicyModel
        from training.dpo import train_dpo

        c, model_dir = self.config, iteration_dir(self.out, i) / "model"
        model = PolicyModel.load(model_dir)
        reference = PolicyModel.load(self.model_after(i - 1))
        summary = train_dpo(model, reference, pairs, steps=c.dpo_steps, lr=c.dpo_lr, beta=c.dpo_beta,
                            batch_size=c.train_batch_size, seed=c.seed + i)
        if summary.steps:
            model.save(model_dir)  # keeps the modes it was trained for
        return summary

    def heldout_pass_rate(self, model: Path, results: Path) -> float | None:
        """Pass rate of `rir eval` on the held-out set with this model (results kept)."""
        c = self.config
        if not c.heldout_set:
            return None
        from rir.prover import ProverSettings
        from rir.report import summarize
        from rir.evaluation import evaluate

        settings = ProverSettings(search=c.search, mode=c.mode, model=str(model), timeout=c.heldout_timeout,
                                  max_expansions=c.heldout_expansions, untargeted=c.untargeted)
        run = evaluate(load_theorem_set(c.heldout_set), settings, results, workers=c.heldout_workers,
                       num_theorems=c.heldout_theorems, progress=False)
        summary = summarize(run.records)
        return summary.pass_at_1 if summary.attempted else None


def unique(triples: list[Triple]) -> list[Triple]:
    """One triple per (state, tactic), the first kept."""
    seen: dict[tuple[str, str], Triple] = {}
    for t in triples:
        seen.setdefault((t.state, t.tactic), t)
    return list(seen.values())


def mix_replay(found: list[Triple], replay: list[Triple], min_new_share: float) -> list[Triple]:
    """`found` repeated until it is at least `min_new_share` of the result, then `replay`."""
    if not found or not replay or min_new_share <= 0:
        return found + replay
    wanted = min_new_share / (1 - min_new_share) * len(replay)
    copies = max(1, math.ceil(wanted / len(found)))
    return found * copies + replay
