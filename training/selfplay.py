"""Self-play: the creator evolves conjectures where the solver's searches disagree,
and the solver retrains on what it proves (expert iteration plus hindsight).

One iteration, written to OUT/iter_NNN/, one module per step:
  estimate   N sampled searches per pool conjecture → rewards, informativeness
             (training.estimate; conjectures.jsonl, proofs.jsonl)
  create     sample, evolve, filter, mix → the next pool (training.creator_step;
             next_pool.jsonl), and (transfer_variants) unsearched variants a known proof
             also proves (augmented.jsonl)
  update     train on proof triples + hindsight triples, mixed with replayed reference
             proofs → model/ (training.solver_update; triples.jsonl, preferences.jsonl)
  measure    held-out pass rate as `rir eval` gives it (heldout.jsonl); a line in OUT/metrics.jsonl
A finished iteration ends by writing done.json; a rerun resumes after the last one, with
the settings OUT/config.json holds (training.selfplay_config).
"""
from __future__ import annotations

import functools
import json
import logging
import math
import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable

import numpy as np

from lean_env import jsonl, make_env
from lean_env.errors import BadInput
from lean_env.protocol import Environment
from lean_env.theorem_sets import load_theorem_set
from training.creator import Conjecture
from training.creator_step import Creator
from training.data import Triple
from training.estimate import Estimate, Estimator
from training.heldout import Heldout
from training.heldout_guard import Protected, select_seeds
from training.selfplay_config import SelfPlayConfig, flat_settings
from training.solver_update import SolverUpdate

log = logging.getLogger("rir")

# replay 'auto' for seeds without proofs: the shipped models' training splits (micro and F1)
AUTO_REPLAY = "micro-train,f1-train"

# Settings that may change on resume: how far to go and how many processes measure.
RESUMABLE_CHANGES = ("iterations", "heldout_workers")


def check_resume(path: Path, config: SelfPlayConfig) -> None:
    """Refuse to resume a run written with other settings: its iterations would mix two runs."""
    if not path.is_file():
        return
    try:
        before = flat_settings(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, AttributeError) as e:
        raise BadInput(f"{path}: not a self-play config ({e}); pass --force to overwrite it") from None
    now = config.flat()
    changed = [k for k in now if k in before and k not in RESUMABLE_CHANGES and before[k] != now[k]]
    if changed:
        diffs = ", ".join(f"{k} {before[k]!r} -> {now[k]!r}" for k in changed)
        raise BadInput(f"{path.parent} was run with other settings ({diffs}): "
                       "use another --out, or --force to resume anyway")


def read_rows(path: Path) -> list:
    return [value for _, value in jsonl.read_lines(path)]


def iteration_dir(out: Path, i: int) -> Path:
    return out / f"iter_{i:03d}"


def completed_iterations(out: Path) -> int:
    i = 0
    while (iteration_dir(out, i) / "done.json").is_file():
        i += 1
    return i


class SelfPlay:
    def __init__(self, config: SelfPlayConfig, env: Environment | None = None,
                 progress: Callable[[str], None] | None = None):
        self.config = config
        self.out = Path(config.out_dir)
        self.env = env or make_env("embedded")
        self.progress = progress or (lambda msg: log.info("%s", msg))
        loaded = load_theorem_set(config.seed_theorems)
        self.heldout = Heldout(config, self.env, self.progress)
        # never a protected (miniF2F-test) or held-out statement as a seed or in a pool
        self.protected = Protected([self.heldout.set_name])
        self.protected.refuse_named(loaded, config.seed_theorems)
        allowed = self.protected.without_heldout(loaded)
        self.seed_theorems = select_seeds(allowed, self.env, config.seed_limit)
        if not self.seed_theorems:
            raise BadInput(f"no seed theorems in '{config.seed_theorems}' open on the embedded engine")
        if len(self.seed_theorems) < len(loaded):
            limit = f", the first {config.seed_limit} of them" if config.seed_limit else ""
            heldout = f", {len(loaded) - len(allowed)} left out as held-out statements" if len(allowed) < len(loaded) else ""
            self.progress(f"seeds: {len(self.seed_theorems)} of the {len(loaded)} theorems of "
                          f"{config.seed_theorems} (those that open on the engine{limit}{heldout})")
        replay = config.update.replay
        if replay == "auto":
            replay = "seeds" if any(t.proof for t in self.seed_theorems) else AUTO_REPLAY
            if replay == AUTO_REPLAY:
                self.progress(f"replay: {AUTO_REPLAY}'s reference proofs in every update (the seeds have none)")
        # loaded now, so that a bad name fails before any search is run
        replay_theorems = ([] if not replay else self.seed_theorems if replay == "seeds"
                           else [t for name in replay.split(",") for t in load_theorem_set(name.strip())])
        self.protected.refuse_named(replay_theorems, replay or "", "replayed theorems")
        replay_theorems = self.protected.without_heldout(replay_theorems)  # no held-out proof trained on
        self.solver = SolverUpdate(config.update, self.env, config.mode, replay_theorems)
        self.creator = (Creator(config.creator, self.env, self.seed_theorems, config.seed, self.progress,
                                self.protected.keys) if config.creator else None)

    # -- state carried between iterations
    def initial_model(self) -> str:
        from rir.prover import DEFAULT_MODELS

        return str(self.config.model or DEFAULT_MODELS[self.config.mode])

    def model_after(self, i: int) -> str:
        return self.initial_model() if i < 0 else str(iteration_dir(self.out, i) / "model")

    def pool_after(self, i: int) -> list[Conjecture]:
        if i < 0 or not self.creator:
            return [Conjecture(t.full_name, t.statement) for t in self.seed_theorems]
        return [Conjecture(**row) for row in read_rows(iteration_dir(self.out, i) / "next_pool.jsonl")]

    @functools.cached_property
    def replay_triples(self) -> list[Triple]:
        return self.solver.replay_triples

    def found_before(self, i: int) -> list[Triple]:
        """The searches' own triples (not the replayed ones) of iterations 0..i-1."""
        out = []
        for j in range(i):
            out += [Triple(**row) for row in read_rows(iteration_dir(self.out, j) / "triples.jsonl")
                    if row["source"].startswith("selfplay:")]
        return out

    # -- the loop
    def run(self, force: bool = False) -> list[dict]:
        """Run the iterations not yet done; `force`: resume even with changed settings."""
        if not force:
            check_resume(self.out / "config.json", self.config)
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "config.json").write_text(json.dumps(asdict(self.config), indent=2) + "\n")
        if self.config.heldout.heldout_set and self.config.heldout.heldout_start:
            self.measure_start()
        start = completed_iterations(self.out)
        if start:
            self.progress(f"resuming after {start} completed iteration(s)")
        for i in range(start, self.config.iterations):
            self.iteration(i)
        return read_rows(self.out / "metrics.jsonl") if (self.out / "metrics.jsonl").exists() else []

    def measure_start(self) -> float | None:
        """The starting model's held-out pass rate, kept in start.json (its results resume)."""
        rate = self.heldout_pass_rate(Path(self.initial_model()), self.out / "start_heldout.jsonl", "start model")
        (self.out / "start.json").write_text(json.dumps({"heldout_pass_rate": rate}) + "\n")
        self.progress(f"start model: held-out pass rate {rate}")
        return rate

    def estimator(self, i: int) -> Estimator:
        c = self.config
        return Estimator(self.env, self.model_after(i - 1), c.mode, c.search, c.untargeted, c.seed, c.estimate,
                         proof_transfer=bool(c.creator and c.creator.proof_transfer), preferences=c.update.dpo)

    def iteration(self, i: int) -> dict:
        c, t0 = self.config, time.perf_counter()
        d = iteration_dir(self.out, i)
        if d.exists():  # an interrupted iteration starts over
            shutil.rmtree(d)
        d.mkdir(parents=True)
        pool = self.pool_after(i - 1)
        estimates = self.estimator(i).run(pool, lambda msg: self.progress(f"iteration {i}: {msg}"))
        jsonl.write_atomic(d / "conjectures.jsonl", (e.to_dict() for e in estimates))
        jsonl.write_atomic(d / "proofs.jsonl", (
            {"name": e.conjecture.name, "statement": e.conjecture.statement, "proof": e.known_proof,
             "found_by": "search" if e.proof else "transfer"} for e in estimates if e.known_proof))
        next_pool, rejected, made = self.creator.next_pool(i, pool, estimates) if self.creator else (pool, {}, 0)
        jsonl.write_atomic(d / "next_pool.jsonl", (asdict(x) for x in next_pool))
        augmented = self.creator.augment(i, pool, estimates, next_pool) if self.creator else []
        jsonl.write_atomic(d / "augmented.jsonl", ({**asdict(conj), "proof": tactics} for conj, tactics, _ in augmented))

        found = [t for e in estimates for t in e.triples] + [t for *_, triples in augmented for t in triples]
        jsonl.write_atomic(d / "triples.jsonl", (asdict(t) for t in found + self.replay_triples))
        trained = self.solver.trained(self.found_before(i), found)
        mixed = self.solver.mixed(trained)
        self.progress(f"iteration {i}: training on {len(mixed)} triples ({len(found)} found, "
                      f"{c.update.train_steps} steps)")
        summary = self.update(i, mixed)
        preferences = [p for e in estimates for p in e.preferences]
        dpo = None
        if c.update.dpo:
            jsonl.write_atomic(d / "preferences.jsonl", (asdict(p) for p in preferences))
            dpo = self.solver.prefer(d / "model", self.model_after(i - 1), preferences, c.seed + i)
        heldout = self.heldout_pass_rate(d / "model", d / "heldout.jsonl", f"iteration {i}")
        metrics = iteration_metrics(i, pool, next_pool, estimates, augmented, found, trained,
                                    len(self.replay_triples), summary, dpo, rejected, heldout)
        metrics["variants_made"] = made
        metrics["seconds"] = time.perf_counter() - t0
        jsonl.append(self.out / "metrics.jsonl", metrics)
        (d / "done.json").write_text(json.dumps(metrics) + "\n")
        self.progress(f"iteration {i}: proved {metrics['proved_share']:.0%} of the pool, "
                      f"held-out pass rate {heldout}")
        return metrics

    def update(self, i: int, triples: list[Triple], d: Path | None = None, seed: int | None = None):
        """Iteration i's solver update, into d (default: the iteration's folder), trained
        with `seed` (default: the run's seed + i)."""
        base = self.model_after(-1 if self.config.update.solver_update == "restart" else i - 1)
        return self.solver.train(base, triples, d or iteration_dir(self.out, i),
                                 self.config.seed + i if seed is None else seed)

    def retrain(self, i: int, seed: int) -> float | None:
        """Iteration i's supervised update again on the same triples with another training
        seed (no DPO), and the held-out pass rate it gives: how much of one iteration's figure
        is the luck of its training run. Kept in iter_NNN/retrain_SEED/; a rerun reads it back."""
        d = iteration_dir(self.out, i) / f"retrain_{seed}"
        if (d / "done.json").is_file():
            return json.loads((d / "done.json").read_text())["heldout_pass_rate"]
        if not (iteration_dir(self.out, i) / "done.json").is_file():
            raise BadInput(f"{self.out}: iteration {i} has not run, so it cannot be retrained")
        earlier = self.found_before(i)
        trained = self.solver.trained(earlier, self.found_before(i + 1)[len(earlier):])
        d.mkdir(parents=True, exist_ok=True)
        self.update(i, self.solver.mixed(trained), d, seed)
        rate = self.heldout_pass_rate(d / "model", d / "heldout.jsonl")
        (d / "done.json").write_text(json.dumps({"train_seed": seed, "heldout_pass_rate": rate}) + "\n")
        return rate

    def heldout_pass_rate(self, model: Path, results: Path, label: str = "") -> float | None:
        """Pass rate of `rir eval` on the held-out statements that open (training.heldout),
        with this model (results kept); progress reported theorem by theorem."""
        return self.heldout.pass_rate(model, results, label or Path(model).parent.name)


def iteration_metrics(i: int, pool: list, next_pool: list, estimates: list[Estimate], augmented: list,
                      found: list, trained: list, replay: int, summary, dpo, rejected: dict,
                      heldout: float | None) -> dict:
    """The line of OUT/metrics.jsonl for one iteration (no NaN: JSON has none)."""
    scores = [e.score for e in estimates]
    loss = summary.final_loss
    return {
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
        "replay_triples": replay,
        "train_loss": loss if loss is not None and math.isfinite(loss) else None,
        "dpo_pairs": sum(len(e.preferences) for e in estimates) if dpo is not None else None,
        "dpo_loss": dpo.final_loss if dpo is not None else None,
        "rejected": rejected,
    }
