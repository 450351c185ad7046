"""Bi-level against flat search at equal time (issue 24's figures).

Same theorems, same wall-clock budget per theorem, same machine, one run per arm and
seed, through `rir eval`'s machinery to OUT/<set>/<arm>-s<seed>.jsonl (a rerun resumes):
  flat          the flat model, flat best-first search (ReProver's)
  rir           the co-trained model: planner targets + the actor toward each, and the
                actor without a target too (`--untargeted`), at every expansion
  rir-targets   the same, targets only
  rir-fallback  the co-trained model alone, `--planning fallback --flat-actor none`: a
                node's first expansion asks the actor without a target; the planner only
                when the node comes up again (its cheap guesses failed)
  rir-flat-actor  the same, with the first guesses (and widening) from the flat model
                (`--flat-actor shipped`, rir/flat_actor.py): flat search plus the planner
  rir-exhausted the same pair, `--planning exhausted`: flat search first; the planner only in
                a round of its own when that first pass is exhausted, before the widening;
                `rir eval`'s default for the shipped co-trained model
`--closers` adds the no-model baseline's closing tactics to every arm (rir/closers.py);
`--max-tactics N` bounds every arm's widened beam when its tree is exhausted early
(search/best_first.py; the prover's default 64, 0 for no widening).
For each set and arm: pass@1 (mean ± standard error over seeds, and by the proof's
length: the reference proof's, else the shortest proof any arm found), time to proof on
the theorems both the arm and flat prove (ratio of the medians; over all common proofs
and over those needing ≥ 3 tactics), planner / actor / environment shares of wall time,
expansions per second, and the largest overshoot of the budget. Plot the time-to-proof
CDF with `rir report --out DIR OUT/<set>/flat-s0.jsonl OUT/<set>/rir-fallback-s0.jsonl`.

    python benchmarks/rir_vs_flat.py [--sets micro-test minif2f-valid] [--arms ...]
        [--seeds 3] [--timeout 60] [--limit N] [--workers 2] [--decoding beam|sample]
        [--target-decoding beam|sample] [--num-targets G] [--plan-penalty P] [--plan-after K]
        [--rir-model DIR] [--flat-model DIR] [--out runs/rir_vs_flat]

With beam decoding (the default of `rir eval`) the seeds repeat the same search, so their
spread is the machine's timing noise; `--decoding sample` makes each seed its own sample.
Exit 0 when it ran, 2 on a bad set, model or option (one line on stderr).
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search.best_first import MAX_WIDTH
from shipped_models import BUCKETS, opened_theorems

ARMS = {
    "flat": {"mode": "flat"},
    "rir": {"mode": "rir", "untargeted": True, "planning": "always", "flat_actor": None},
    "rir-targets": {"mode": "rir", "planning": "always", "flat_actor": None},
    "rir-fallback": {"mode": "rir", "planning": "fallback", "flat_actor": None},
    "rir-flat-actor": {"mode": "rir", "planning": "fallback", "flat_actor": "shipped"},
    "rir-exhausted": {"mode": "rir", "planning": "exhausted", "flat_actor": "shipped"},
}


def run_arm(arm: str, seed: int, theorems: list, args, out: Path) -> dict:
    """{theorem name: SearchResult} of one arm and seed."""
    from rir.evaluation import evaluate
    from rir.prover import ProverSettings

    model = args.flat_model if arm == "flat" else args.rir_model
    options = dict(ARMS[arm])
    if options.get("flat_actor") and args.flat_model:
        options["flat_actor"] = args.flat_model  # the flat arm's model gives the first guesses
    if options["mode"] == "rir":  # bi-level options only, so flat's results stay comparable
        given = {"target_decoding": args.target_decoding, "num_targets": args.num_targets}
        options.update({k: v for k, v in given.items() if v is not None})
        if options["planning"] == "exhausted":
            options["plan_after"] = args.plan_after
    sampled = "sample" in (args.decoding, options.get("target_decoding"))
    settings = ProverSettings(model=model, timeout=args.timeout, decoding=args.decoding,
                              seed=seed if sampled else None,
                              plan_penalty=args.plan_penalty, closers=args.closers, max_tactics=args.max_tactics,
                              **options)
    path = out / f"{arm}-s{seed}.jsonl"
    run = evaluate(theorems, settings, path, workers=args.workers, force=args.force)
    names = {t.full_name for t in theorems}
    return {r.theorem: r for r in run.records if r.theorem in names}


def length_bucket(n: int | None) -> str | None:
    if n is None:
        return None
    return BUCKETS[0] if n <= 2 else BUCKETS[1] if n <= 5 else BUCKETS[2]


def proof_lengths(theorems: list, runs: dict) -> dict[str, int | None]:
    """Each theorem's proof length: its reference proof's, else the shortest found."""
    from lean_env.micro.layout import split_tactics

    lengths = {}
    for t in theorems:
        if t.proof:
            lengths[t.full_name] = len(split_tactics(t.proof))
            continue
        found = [len(r.proof) for seeds in runs.values() for results in seeds
                 for r in [results.get(t.full_name)] if r is not None and r.status == "proved" and r.proof]
        lengths[t.full_name] = min(found) if found else None
    return lengths


def mean_se(values: list[float]) -> str:
    m = statistics.fmean(values)
    se = statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else 0.0
    return f"{100 * m:.1f} ± {100 * se:.1f}"


def time_ratio(arm_runs: list[dict], flat_runs: list[dict], keep) -> str:
    """Median time to proof of the arm over flat's, on the theorems both prove (per seed, pooled)."""
    mine, theirs = [], []
    for a, f in zip(arm_runs, flat_runs):
        for name, r in a.items():
            g = f.get(name)
            if keep(name) and r.status == "proved" and g is not None and g.status == "proved":
                mine.append(r.stats.total_time)
                theirs.append(g.stats.total_time)
    if not mine:
        return "–"
    return f"{statistics.median(mine) / max(statistics.median(theirs), 1e-9):.2f}× (n={len(mine)})"


def arm_row(arm: str, runs: dict, lengths: dict, timeout: float) -> str:
    seeds = runs[arm]
    n = len(lengths)
    rates = [sum(r.status == "proved" for r in results.values()) / n for results in seeds]
    cells = []
    for b in BUCKETS:
        names = [k for k, v in lengths.items() if length_bucket(v) == b]
        if not names:
            cells.append("–")
            continue
        proved = [sum(results[k].status == "proved" for k in names if k in results) / len(names)
                  for results in seeds]
        cells.append(f"{100 * statistics.fmean(proved):.1f}% of {len(names)}")
    records = [r for results in seeds for r in results.values()]
    total = sum(r.stats.total_time for r in records) or 1e-9
    shares = "/".join(f"{100 * sum(getattr(r.stats, f) for r in records) / total:.0f}"
                      for f in ("planner_time", "actor_time", "env_time"))
    eps = sum(r.stats.expanded_nodes for r in records) / total
    overshoot = max((r.stats.total_time / timeout - 1 for r in records), default=0.0)
    flat = runs.get("flat")
    ratios = ("–", "–") if flat is None or arm == "flat" else (
        time_ratio(seeds, flat, lambda k: True),
        time_ratio(seeds, flat, lambda k: (lengths.get(k) or 0) >= 3))
    return (f"| {arm} | {mean_se(rates)} | " + " | ".join(cells) + f" | {ratios[0]} | {ratios[1]} | "
            f"{shares} | {eps:.2f} | {100 * max(overshoot, 0):.0f}% |")


def print_set(name: str, total: int, theorems: list, runs: dict, args) -> None:
    lengths = proof_lengths(theorems, runs)
    print(f"\n## {name}: {len(theorems)} searched ({total} in the set), {args.timeout:g} s each, "
          f"{len(args.seeds_list)} seed(s)")
    print("| arm | pass@1 % (mean ± se) | " + " | ".join(f"proof {b}" for b in BUCKETS)
          + " | time to proof / flat's | same, proofs ≥ 3 | planner/actor/env % | expansions/s | max overshoot |")
    print("|---|---|" + "---|" * len(BUCKETS) + "---|---|---|---|---|")
    for arm in runs:
        print(arm_row(arm, runs, lengths, args.timeout))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["micro-test", "minif2f-valid"])
    parser.add_argument("--arms", nargs="+", default=["flat", "rir-flat-actor", "rir-exhausted"],
                        choices=list(ARMS))
    parser.add_argument("--seeds", type=int, default=3, help="runs per arm")
    parser.add_argument("--limit", type=int, help="at most N opened statements per set")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per theorem")
    parser.add_argument("--workers", type=int, default=2, help="worker processes, one core each")
    parser.add_argument("--decoding", default="beam", choices=("beam", "sample"))
    parser.add_argument("--target-decoding", choices=("beam", "sample"),
                        help="the bi-level arms' planner decoding (default: --decoding's)")
    parser.add_argument("--num-targets", type=int, help="the bi-level arms' planner targets per expansion "
                        "(default: the prover's)")
    parser.add_argument("--plan-after", type=int, default=0,
                        help="rir-exhausted's --plan-after (widening rounds before the planning round)")
    parser.add_argument("--plan-penalty", type=float, default=1.0, help="rir-fallback's --plan-penalty")
    parser.add_argument("--closers", action="store_true", help="every arm with --closers")
    parser.add_argument("--max-tactics", type=int, default=MAX_WIDTH,
                        help="every arm's --max-tactics (0: no widening)")
    parser.add_argument("--rir-model", help="co-trained checkpoint (default: the shipped one)")
    parser.add_argument("--flat-model", help="flat checkpoint (default: the shipped one)")
    parser.add_argument("--force", action="store_true", help="add to results files of other settings")
    parser.add_argument("--out", default="runs/rir_vs_flat")
    args = parser.parse_args(argv)
    if args.seeds < 1:
        print("rir_vs_flat: --seeds must be at least 1", file=sys.stderr)
        return 2
    args.seeds_list = list(range(args.seeds))
    from lean_env.errors import RirError

    try:
        for name in args.sets:
            total, opened = opened_theorems(name, args.limit)
            theorems = opened[:args.limit]
            out = Path(args.out) / name
            out.mkdir(parents=True, exist_ok=True)
            runs = {arm: [run_arm(arm, s, theorems, args, out) for s in args.seeds_list] for arm in args.arms}
            print_set(name, total, theorems, runs, args)
            sys.stdout.flush()
    except RirError as e:
        print(f"rir_vs_flat: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
