"""Self-play against expert iteration, from a shipped model, on the same search budget.

Both arms start from the same shipped model and run ITERATIONS iterations over the
same seed theorems (--num-seeds drawn at random from --seed-set, micro-train by default,
among its statements that open on the engine; `--seed-set minif2f-valid --heldout-set
minif2f-test` is issue 25's setting: miniF2F-valid statements without proofs as seeds,
pass@1 on the miniF2F-test statements that open):
  self-play          the creator evolves the pool where the solver's searches disagree;
  expert iteration   the pool stays the seed theorems (`rir selfplay --expert-iteration`);
  self-play + DPO    with --dpo-arm, a third arm: self-play whose updates also run DPO on
                     the search trees' tactic preference pairs (`rir selfplay --dpo`).
Every update replays micro-train's reference proofs (what the shipped models were
trained on), so neither arm forgets. Held-out pass@1 is `rir eval` on all of micro-test
(--heldout-set micro-valid to tune a setting first; beam search, --heldout-expansions
per theorem), for the start model and after every iteration of each arm. The arms run
side by side (--jobs); each seed (--seeds, one run after another) draws its own seed
theorems and sampling seeds. Runs live in
OUT/seed_S/{selfplay,expert}/ and resume like `rir selfplay`, so a rerun with more
seeds runs only the new ones; OUT/heldout.png plots the held-out curves.
--second-heldout SET (e.g. f1-test-novel, the corpus's unseen families) also measures the
start model (once) and each arm's last model there, with the same held-out settings.

One training run of an update moves the held-out figure by a theorem or two, as much as
the arms differ: --train-seeds K retrains each arm's last update with K-1 more training
seeds (same triples) and compares the means. A creator setting changes only the self-play
arm: --expert-from DIR copies the expert arms (and start figures) of an earlier run with
the same other settings instead of running them again.

    python benchmarks/selfplay_ablation.py [--mode flat] [--seeds 0 1 2] [--out runs/ablation]

--mode flat (the default) uses models/flat-micro: on a CPU its searches cost about a
sixth of the bi-level ones. `--mode rir --untargeted` runs the co-trained models/rir-micro.
--solver-update restart fine-tunes the start model each iteration on all proofs so far.
Goal: self-play at least 5 points above expert iteration after the last iteration.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

from lean_env import make_env
from lean_env.errors import BadInput, RirError
from lean_env.theorem_sets import load_theorem_set
from lean_env.theorems import write_theorems
from rir.commands.selfplay import add_creator_arguments, creator_settings
from training.heldout_guard import that_open
from training.selfplay import SelfPlay
from training.selfplay_config import SelfPlayConfig, UpdateConfig, flat_settings

ARMS = {"selfplay": {"creator": True}, "expert": {"creator": False},
        "selfplay-dpo": {"creator": True, "dpo": True}}  # name → its own settings
LABELS = {"selfplay": "self-play", "expert": "expert iteration", "selfplay-dpo": "self-play + DPO"}
COLOURS = {"selfplay": "tab:blue", "expert": "tab:orange", "selfplay-dpo": "tab:green"}
TRAIN_SEED_BASE = 1000  # extra training seeds of the last update: apart from the runs' own seed + i
# Settings only the creator reads: an expert-iteration arm does not depend on them.
CREATOR_FIELDS = {"informativeness", "sample_fraction", "variants", "evolved_share", "pool_size", "evolver",
                  "mutations", "llm_model", "refute", "reject_automation", "adaptive_evolution", "lineage_sharing",
                  "proof_transfer", "transfer_variants"}


def config(args, name: str, seeds: Path, seed: int, heldout_set: str | None = None,
           heldout_theorems: int | None = None) -> SelfPlayConfig:
    """The arm's settings; `heldout_set` (and its theorem count) in place of --heldout-set's."""
    return SelfPlayConfig.of(
        seed_theorems=str(seeds), out_dir=str(seeds.parent / name), iterations=args.iterations,
        mode=args.mode, untargeted=args.untargeted, **ARMS[name], dpo_steps=args.dpo_steps,
        num_searches=args.num_searches, search_timeout=args.search_timeout,
        max_env_calls=args.max_env_calls, train_steps=args.train_steps, replay=args.replay,
        solver_update=args.solver_update, lr=args.lr, min_new_share=args.min_new_share,
        # only the creator's own options: the shared ones (num_searches, ...) are this script's
        **{k: v for k, v in creator_settings(args).items() if k in CREATOR_FIELDS},
        heldout_set=heldout_set or args.heldout_set, heldout_expansions=args.heldout_expansions,
        heldout_theorems=heldout_theorems if heldout_set else args.heldout_theorems,
        heldout_start=False,  # measured once per seed, for both arms (start_pass_rate)
        seed=seed)


def run_arm(args, name: str, seeds: Path, seed: int, threads: int) -> tuple[list[dict], list[float]]:
    """The arm's metrics per iteration, and its last update's held-out pass rates: the run's
    own, then one per extra training seed (--train-seeds)."""
    import torch

    torch.set_num_threads(threads)

    def progress(msg: str) -> None:
        print(f"[{name}] {msg}", file=sys.stderr, flush=True)

    arm = SelfPlay(config(args, name, seeds, seed), progress=progress)
    metrics = arm.run()
    last = args.iterations - 1
    finals = [metrics[-1]["heldout_pass_rate"]]
    for k in range(1, args.train_seeds):
        finals.append(arm.retrain(last, TRAIN_SEED_BASE + k))
        progress(f"iteration {last} retrained with training seed {TRAIN_SEED_BASE + k}: {finals[-1]}")
    return metrics, finals


def start_pass_rate(args, seeds: Path, seed: int, threads: int) -> float | None:
    """The start model's held-out pass rate, with the arms' held-out settings."""
    import torch

    torch.set_num_threads(threads)
    # rir selfplay's own start measurement, kept once per seed (OUT/seed_S/start_heldout.jsonl)
    per_seed = replace(config(args, "selfplay", seeds, seed), out_dir=str(seeds.parent))
    return SelfPlay(per_seed, progress=lambda msg: None).measure_start()


def second_pass_rate(args, seeds: Path, seed: int, name: str, threads: int) -> float | None:
    """Pass@1 on --second-heldout of the start model (name "start", measured once for all
    seeds) or of an arm's last model, with the arms' held-out settings; results resume."""
    import torch

    from lean_env import make_env
    from training.heldout import Heldout
    from training.selfplay import iteration_dir

    torch.set_num_threads(threads)
    cfg = config(args, "selfplay" if name == "start" else name, seeds, seed,
                 args.second_heldout, args.second_heldout_theorems)
    arm = seeds.parent / name
    model = (SelfPlay(cfg, progress=lambda msg: None).initial_model() if name == "start"
             else iteration_dir(arm, args.iterations - 1) / "model")
    stem = args.second_heldout.replace("/", "_")
    results = Path(args.out) / f"start_{stem}.jsonl" if name == "start" else arm / f"heldout_{stem}.jsonl"

    def progress(msg: str) -> None:
        print(f"[{name}] {msg}", file=sys.stderr, flush=True)

    return Heldout(cfg, make_env("embedded"), progress).pass_rate(Path(model), results, f"{name}, last model")


def reuse_expert(args, seeds: Path, seed: int) -> None:
    """Copy --expert-from's expert arm and start figure for this seed, unless already here.

    The creator plays no part in expert iteration, so a creator setting needs only the
    self-play arm run again; the copied arm must have run with every other setting equal."""
    src, out = Path(args.expert_from) / f"seed_{seed}", seeds.parent
    if (out / "expert").exists():
        return
    if not (src / "expert" / "config.json").exists():
        raise BadInput(f"--expert-from {args.expert_from}: no expert arm for seed {seed} there")
    if (src / "seeds.jsonl").read_text() != seeds.read_text():
        raise BadInput(f"--expert-from {args.expert_from}: seed {seed} drew other seed theorems")
    theirs = flat_settings(json.loads((src / "expert" / "config.json").read_text()))
    ours = config(args, "expert", seeds, seed).flat()
    differ = sorted(k for k in ours.keys() - CREATOR_FIELDS - {"out_dir", "seed_theorems"} if theirs.get(k) != ours[k])
    if differ:
        raise BadInput(f"--expert-from {args.expert_from}: seed {seed}'s expert arm ran with other {', '.join(differ)}")
    shutil.copytree(src / "expert", out / "expert")
    for name in ("start_heldout.jsonl", "start.json"):
        if (src / name).exists() and not (out / name).exists():
            shutil.copy(src / name, out / name)


def run_seed(args, seed: int) -> tuple[float | None, dict[str, tuple[list[dict], list[float]]], dict[str, float]]:
    """One ablation: the start model's held-out pass rate, both arms' results (run_arm) and,
    with --second-heldout, the pass rates there (the start model's with the first seed only)."""
    out = Path(args.out) / f"seed_{seed}"
    out.mkdir(parents=True, exist_ok=True)
    seeds = out / "seeds.jsonl"
    train = that_open(load_theorem_set(args.seed_set), make_env("embedded"))
    write_theorems(seeds, random.Random(seed).sample(train, min(args.num_seeds, len(train))))
    if args.expert_from:
        reuse_expert(args, seeds, seed)
    threads = max(1, (os.cpu_count() or 1) // max(1, min(args.jobs, 2)))
    with ProcessPoolExecutor(max(1, args.jobs), mp_context=get_context("spawn")) as pool:
        arms = {name: pool.submit(run_arm, args, name, seeds, seed, threads) for name in arm_names(args)}
        start = pool.submit(start_pass_rate, args, seeds, seed, threads)
        results = {name: job.result() for name, job in arms.items()}
        names = ((["start"] if seed == args.seeds[0] else []) + arm_names(args)) if args.second_heldout else []
        second = {name: pool.submit(second_pass_rate, args, seeds, seed, name, threads) for name in names}
        return start.result(), results, {name: job.result() for name, job in second.items()}


def final(result: tuple[list[dict], list[float]]) -> float:
    """An arm's figure after the last iteration: its last update's mean over training seeds."""
    return statistics.mean(result[1])


def arm_names(args) -> list[str]:
    return ["selfplay", "expert"] + (["selfplay-dpo"] if args.dpo_arm else [])


def print_table(seed: int, start: float, results: dict[str, tuple[list[dict], list[float]]], args) -> dict[str, float]:
    """Held-out pass@1 per iteration and arm; returns each creator arm's gap to expert iteration."""
    names = arm_names(args)
    print(f"seed {seed}: held-out pass@1 on {args.heldout_set} ({args.mode}, {args.heldout_expansions} expansions)")
    print(f"{'iteration':>9}  " + "  ".join(f"{LABELS[n]:>16}" for n in names))
    print(f"{'start':>9}  " + "  ".join(f"{start:>16.1%}" for _ in names))
    for rows in zip(*(results[n][0] for n in names)):
        print(f"{rows[0]['iteration']:>9}  " + "  ".join(f"{m['heldout_pass_rate']:>16.1%}" for m in rows))
    if args.train_seeds > 1:
        print(f"last update over {args.train_seeds} training seeds: " + ", ".join(
            f"{LABELS[n]} {final(results[n]):.1%} ({' '.join(f'{r:.1%}' for r in results[n][1])})" for n in names))
    gaps = {n: 100 * (final(results[n]) - final(results["expert"])) for n in names if n != "expert"}
    for n, gap in gaps.items():
        print(f"{LABELS[n]} minus expert iteration after {args.iterations} iterations: {gap:+.1f} points")
    print()
    return gaps


def mean_se(rates: list[float]) -> str:
    se = f" ({statistics.stdev(rates) / len(rates) ** 0.5:.1%})" if len(rates) > 1 else ""
    return f"{statistics.mean(rates):.1%}{se}"


def plot(runs: list[tuple[float, dict[str, tuple[list[dict], list[float]]]]], heldout_set: str, path: Path) -> None:
    """Held-out pass@1 per iteration: one faint line per seed, the mean in bold."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.2), dpi=120)
    for name in runs[0][1]:
        colour, label = COLOURS[name], LABELS[name]
        curves = [[100 * start] + [100 * m["heldout_pass_rate"] for m in results[name][0]] for start, results in runs]
        xs = range(-1, len(curves[0]) - 1)
        for curve in curves:
            ax.plot(xs, curve, color=colour, alpha=0.25, linewidth=1)
        ax.plot(xs, [sum(c) / len(c) for c in zip(*curves)], color=colour, linewidth=2.5,
                marker="o", label=f"{label} (mean of {len(curves)} seeds)")
    ax.set_xticks(list(xs), ["start"] + [str(x) for x in xs[1:]])
    ax.set_xlabel("iteration")
    ax.set_ylabel(f"held-out pass@1 on {heldout_set} (%)")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("flat", "rir"), default="flat")
    parser.add_argument("--untargeted", action="store_true", help="rir: also tactics without a target")
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--seed-set", default="micro-train",
                        help="where the seed theorems are drawn from (those that open; minif2f-valid: "
                             "statements only)")
    parser.add_argument("--num-seeds", type=int, default=48, help="seed theorems drawn from --seed-set")
    parser.add_argument("--num-searches", type=int, default=6)
    parser.add_argument("--search-timeout", type=float, default=10.0)
    parser.add_argument("--max-env-calls", type=int, default=100)
    parser.add_argument("--train-steps", type=int, default=100)
    parser.add_argument("--replay", default="micro-train", help="theorem set replayed in every update")
    parser.add_argument("--solver-update", choices=("continue", "restart"), default="continue",
                        help="see SelfPlayConfig.solver_update")
    parser.add_argument("--lr", type=float, default=UpdateConfig.lr, help="learning rate of every update")
    parser.add_argument("--min-new-share", type=float, default=UpdateConfig.min_new_share, metavar="X",
                        help="the searches' triples are repeated to at least this share of an update")
    add_creator_arguments(parser)
    parser.add_argument("--heldout-set", default="micro-test",
                        help="where pass@1 is measured; micro-valid to tune a setting before micro-test")
    parser.add_argument("--heldout-expansions", type=int, default=32)
    parser.add_argument("--heldout-theorems", type=int, default=None,
                        help="the first N held-out statements that open (default: all of them)")
    parser.add_argument("--dpo-arm", action="store_true",
                        help="a third arm: self-play with DPO on the trees' preference pairs")
    parser.add_argument("--dpo-steps", type=int, default=UpdateConfig.dpo_steps, help="DPO steps per update")
    parser.add_argument("--second-heldout", metavar="SET",
                        help="also measure the start model and each arm's last model here (e.g. "
                             "f1-test-novel, the training corpus's novel-family split)")
    parser.add_argument("--second-heldout-theorems", type=int, default=None, metavar="N",
                        help="the first N statements of --second-heldout that open (default: all)")
    parser.add_argument("--train-seeds", type=int, default=1,
                        help="the last update is also retrained with K-1 other training seeds; each arm's "
                             "final figure is the mean (one training run moves it by a theorem or two)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2],
                        help="one ablation per seed (seed theorems, sampling, training)")
    parser.add_argument("--jobs", type=int, default=min(3, os.cpu_count() or 1),
                        help="processes: the two arms and the start model's evaluation")
    parser.add_argument("--expert-from", metavar="DIR",
                        help="reuse the expert arms (and start figures) of an earlier --out with the same settings")
    parser.add_argument("--out", default="runs/ablation")
    return parser


def main() -> int:
    parser = build_parser()
    args = parser.parse_args()
    if args.iterations < 1 or args.train_seeds < 1:
        parser.error("--iterations and --train-seeds must be at least 1")
    if args.iterations == 1:  # the creator's variants enter only the second iteration's pool
        print("selfplay_ablation: with --iterations 1 every arm searches and trains on the seed theorems "
              "alone; self-play can differ from expert iteration from the second iteration on", file=sys.stderr)
    gaps, runs, second_rates = {name: [] for name in arm_names(args) if name != "expert"}, [], {}
    try:
        for seed in args.seeds:
            start, results, second = run_seed(args, seed)
            for name, rate in second.items():
                second_rates.setdefault(name, []).append(rate)
            for name, gap in print_table(seed, start, results, args).items():
                gaps[name].append(gap)
            runs.append((start, results))
    except RirError as e:
        print(f"selfplay_ablation: {e}", file=sys.stderr)
        return 2
    for name, values in gaps.items():
        # the standard error of the mean gap says how far the seeds alone move it
        se = f", standard error {statistics.stdev(values) / len(values) ** 0.5:.1f}" if len(values) > 1 else ""
        print(f"{LABELS[name]} minus expert iteration after {args.iterations} iterations, over seeds "
              f"{' '.join(map(str, args.seeds))}: {', '.join(f'{g:+.1f}' for g in values)}; "
              f"mean {statistics.mean(values):+.1f} points{se} (goal: +5)")
    means = ", ".join(f"{LABELS[n]} {mean_se([final(r[n]) for _, r in runs])}" for n in arm_names(args))
    print(f"held-out pass@1, means over seeds (standard error): start model {mean_se([s for s, _ in runs])}, "
          f"after {args.iterations} iterations {means}")
    if args.second_heldout:
        print(f"held-out pass@1 on {args.second_heldout} ({args.heldout_expansions} expansions), means over "
              f"seeds (standard error): start model {mean_se(second_rates['start'])}, after {args.iterations} "
              "iterations " + ", ".join(f"{LABELS[n]} {mean_se(second_rates[n])}" for n in arm_names(args))
              + "; per seed " + "; ".join(f"{LABELS[n]} " + " ".join(f"{r:.1%}" for r in second_rates[n])
                                          for n in arm_names(args)))
    figure = Path(args.out) / "heldout.png"
    plot(runs, args.heldout_set, figure)
    print(f"plot: {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
