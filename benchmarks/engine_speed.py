"""Tactic applications per second of the embedded engine over the micro corpus.

For every theorem of the corpus (default benchmarks/micro/all.jsonl), open it
with MicroEnv and replay its reference proof tactic by tactic, timing each
`run_tac`. Prints tactics/s overall and per tactic name, pinned to one core.
The solver caches are cleared before each pass, so repeated passes measure the
procedures rather than the memo. Exit 0 when the overall rate meets --target,
1 when it does not, 2 when the engine or the corpus is missing.

    python benchmarks/engine_speed.py [--corpus PATH] [--passes N] [--target 1000]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_CORPUS = REPO / "benchmarks" / "micro" / "all.jsonl"


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # theorem, tactic, message
    theorems: int = 0
    open_seconds: float = 0.0

    def add(self, tactic: str, seconds: float) -> None:
        name = tactic.split()[0] if tactic.split() else tactic
        self.seconds[name] += seconds
        self.counts[name] += 1

    @property
    def total(self) -> tuple[int, float]:
        return sum(self.counts.values()), sum(self.seconds.values())


def replay(env, theorem, timings: Timings) -> None:
    """Open `theorem` and run its proof; a failing tactic ends the replay, recorded."""
    from lean_env.protocol import LeanError, ProofFinished, TacticState

    start = time.perf_counter()
    state = env.open(theorem)
    timings.open_seconds += time.perf_counter() - start
    timings.theorems += 1
    for tactic in theorem.tactics():
        start = time.perf_counter()
        outcome = env.run_tac(state, tactic)
        timings.add(tactic, time.perf_counter() - start)
        if isinstance(outcome, TacticState):
            state = outcome
            continue
        if not isinstance(outcome, ProofFinished):
            message = outcome.message if isinstance(outcome, LeanError) else type(outcome).__name__
            timings.failed.append((theorem.full_name, tactic, message.splitlines()[0]))
        return


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def report(t: Timings, target: float) -> float:
    n, seconds = t.total
    rate = n / seconds if seconds else 0.0
    print(f"{t.theorems} theorem replays, {n} tactics in {seconds:.2f} s of run_tac "
          f"(+{t.open_seconds:.2f} s opening): {rate:,.0f} tactics/s (target {target:,.0f})")
    print(f"{'tactic':<16}{'count':>8}{'tactics/s':>12}{'ms each':>10}")
    for name in sorted(t.counts, key=lambda k: -t.seconds[k]):
        c, s = t.counts[name], t.seconds[name]
        print(f"{name:<16}{c:>8}{c / s if s else 0:>12,.0f}{1e3 * s / c:>10.3f}")
    if t.failed:
        print(f"{len(t.failed)} reference proofs did not replay; first ones:")
        for name, tactic, message in t.failed[:5]:
            print(f"  {name}: {tactic!r}: {message}")
    return rate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--passes", type=int, default=1, help="replays of the whole corpus")
    ap.add_argument("--target", type=float, default=1000.0, help="tactics/s to meet")
    args = ap.parse_args(argv)
    try:
        from lean_env.micro import MicroEnv
        from lean_env.micro.arith import clear_caches
    except ImportError as e:
        print(f"error: the embedded engine is not available ({e})", file=sys.stderr)
        return 2
    if not args.corpus.is_file():
        print(f"error: corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    from lean_env.errors import RirError
    from lean_env.theorems import load_theorems

    try:
        theorems = load_theorems(args.corpus)
    except RirError as e:
        print(f"error: {args.corpus}: {e}", file=sys.stderr)
        return 2
    pin_to_one_core()
    env, timings = MicroEnv(), Timings()
    for _ in range(args.passes):
        clear_caches()
        for theorem in theorems:
            replay(env, theorem, timings)
    env.close()
    return 0 if report(timings, args.target) >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
