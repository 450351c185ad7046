"""Pass@1 of the shipped models and the no-model baseline, side by side (issue 23's figures).

For each theorem set, only the statements that open on the embedded engine are searched;
pass@1 is printed over those and over the whole set (miniF2F's 244 each). Three arms:
  rir       models/rir-micro, bi-level best-first search with `rir eval`'s defaults
            (tactics from the shipped flat model (`--flat-actor auto`) until the tree is
            exhausted, then a round of planning, then beams widened up to 64 tactics)
  flat      models/flat-micro, flat best-first search (the ReProver baseline, widened alike)
  baseline  no model: fixed closing tactics at the root (benchmarks/f1_baseline.py)
  rir-closers, flat-closers   the same searches with `--closers`: the baseline's closing
            tactics also tried at every expansion, after the model's likelier tactics
Sets with reference proofs are also reported by the proof's length (1–2, 3–5, ≥ 6
tactics). Model runs go through `rir eval`'s machinery to OUT/<set>/<arm>.jsonl, so a
rerun resumes; plot them with `rir report OUT/<set>/rir.jsonl OUT/<set>/flat.jsonl`.

    python benchmarks/shipped_models.py [--sets micro-test f1-test-novel minif2f-valid minif2f-test]
        [--limit N] [--timeout 60] [--workers 2] [--untargeted] [--arms rir flat baseline ...]
        [--rir-model DIR] [--flat-model DIR] [--out runs/shipped]

--limit N takes the first N opened statements of each set in `rir eval --num-theorems`
order (ReProver's), so a small run is a fixed, reproducible sample.
Exit 0 when it ran, 2 on a bad set, model or option (one line on stderr).
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SETS = ("micro-test", "f1-test-novel", "minif2f-valid", "minif2f-test")
ARMS = ("rir", "flat", "baseline", "rir-closers", "flat-closers")
DEFAULT_ARMS = ARMS[:3]
BUCKETS = ("1-2", "3-5", ">=6")


@dataclass
class ArmResult:
    arm: str
    proved: set[str] = field(default_factory=set)
    attempted: int = 0


@dataclass
class SetResult:
    name: str
    total: int
    opened: int  # how many statements open on the engine
    searched: list  # the Theorems searched: those that open, or the first --limit of them
    arms: list[ArmResult] = field(default_factory=list)


def bucket(theorem) -> str | None:
    """The reference proof's length bucket, None without a proof."""
    from lean_env.micro.layout import split_tactics

    if not theorem.proof:
        return None
    n = len(split_tactics(theorem.proof))
    return BUCKETS[0] if n <= 2 else BUCKETS[1] if n <= 5 else BUCKETS[2]


def opened_theorems(name: str, limit: int | None) -> tuple[int, list]:
    from lean_env.errors import OpenError
    from lean_env.micro import MicroEnv
    from lean_env.theorem_sets import load_theorem_set
    from rir.evaluation.loop import order_theorems

    theorems = load_theorem_set(name)
    env = MicroEnv()
    opened = []
    for theorem in order_theorems(theorems):
        try:
            env.open(theorem)
        except OpenError:
            continue
        opened.append(theorem)
    env.close()
    return len(theorems), opened


def run_baseline(theorems: list) -> ArmResult:
    from f1_baseline import root_tactics
    from lean_env.micro import MicroEnv
    from lean_env.protocol import ProofFinished

    result = ArmResult("baseline", attempted=len(theorems))
    env = MicroEnv(tactic_timeout=10.0)
    for theorem in theorems:
        state = env.open(theorem)
        if any(isinstance(env.run_tac(state, t), ProofFinished) for t in root_tactics(state.pp)):
            result.proved.add(theorem.full_name)
    env.close()
    return result


def run_model(arm: str, theorems: list, args, out: Path) -> ArmResult:
    from rir.evaluation import evaluate
    from rir.prover import ProverSettings

    mode = arm.split("-")[0]
    model = args.rir_model if mode == "rir" else args.flat_model
    settings = ProverSettings(mode=mode, model=model, timeout=args.timeout,
                              untargeted=args.untargeted and mode == "rir",
                              closers=arm.endswith("-closers"))
    run = evaluate(theorems, settings, out / f"{arm}.jsonl", workers=args.workers, force=args.force)
    latest = {r.theorem: r for r in run.records}
    names = {t.full_name for t in theorems}
    return ArmResult(arm, {n for n, r in latest.items() if n in names and r.status == "proved"}, len(theorems))


def pct(k: int, n: int) -> str:
    return f"{100.0 * k / n:.1f}% ({k}/{n})" if n else "–"


def over_all(a: ArmResult, r: SetResult) -> str:
    """Pass@1 over the whole set; a sample's rate is scaled to all opened statements (≈)."""
    if a.attempted == r.opened:
        return pct(len(a.proved), r.total)
    return f"≈{100.0 * len(a.proved) / a.attempted * r.opened / r.total:.1f}%" if a.attempted else "–"


def print_set(r: SetResult) -> None:
    print(f"\n## {r.name}: {r.opened} of {r.total} open; {len(r.searched)} searched")
    print("| arm | pass@1 over searched | over all statements | " + " | ".join(f"proof {b}" for b in BUCKETS) + " |")
    print("|---|---|---|" + "---|" * len(BUCKETS))
    buckets = {t.full_name: bucket(t) for t in r.searched}
    for a in r.arms:
        cells = []
        for b in BUCKETS:
            names = [n for n, x in buckets.items() if x == b]
            cells.append(pct(sum(n in a.proved for n in names), len(names)) if names else "–")
        print(f"| {a.arm} | {pct(len(a.proved), a.attempted)} | {over_all(a, r)} | "
              + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--arms", nargs="+", default=list(DEFAULT_ARMS), choices=ARMS)
    parser.add_argument("--limit", type=int, help="at most N opened statements per set")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per theorem")
    parser.add_argument("--workers", type=int, default=2, help="worker processes, one core each")
    parser.add_argument("--untargeted", action="store_true",
                        help="rir: also ask the actor for tactics without a target")
    parser.add_argument("--rir-model", help="co-trained checkpoint (default: the shipped one)")
    parser.add_argument("--flat-model", help="flat checkpoint (default: the shipped one)")
    parser.add_argument("--force", action="store_true", help="add to results files of other settings")
    parser.add_argument("--out", default="runs/shipped")
    args = parser.parse_args(argv)
    from lean_env.errors import RirError

    try:
        for name in args.sets:
            total, opened = opened_theorems(name, args.limit)
            result = SetResult(name, total, len(opened), opened[:args.limit])
            searched = result.searched
            out = Path(args.out) / name
            out.mkdir(parents=True, exist_ok=True)
            for arm in args.arms:
                result.arms.append(run_baseline(searched) if arm == "baseline"
                                   else run_model(arm, searched, args, out))
            print_set(result)
            sys.stdout.flush()
    except RirError as e:
        print(f"shipped_models: {e}", file=sys.stderr)
        return 2
    print(f"\n(timeout {args.timeout:g} s per theorem, {args.workers} worker(s); "
          f"rir {'with' if args.untargeted else 'without'} untargeted tactics)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
