"""Tactic applications per second of the embedded engine over a mix of proofs.

The mix: every theorem of the corpus (default benchmarks/micro/all.jsonl) with its
reference proof replayed tactic by tactic; the F1 proofs below (ℤ ℚ ℝ, casts, with
linarith, nlinarith, norm_num, positivity, push_cast, field_simp, omega, ring); and,
with --minif2f, the no-model baseline's root attempts on every miniF2F statement that
opens (benchmarks/f1_baseline.py: its failures count as applications too). Each
`run_tac` is timed. Prints tactics/s overall and per tactic name, pinned to one core.
The solver caches are cleared before each pass, so repeated passes measure the
procedures rather than the memo. Exit 0 when the overall rate meets --target,
1 when it does not, 2 when the engine or the corpus is missing.

    python benchmarks/engine_speed.py [--corpus PATH] [--passes N] [--target 1000] [--minif2f]
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
# F1 statements with proofs that replay on the engine (tactics separated by "; ").
F1_MIX = (
    ("theorem f1 (x y : ℝ) (h₀ : x + y = 10) (h₁ : x - y = 2) : x = 6", "linarith"),
    ("theorem f2 (a b : ℝ) (h : 0 < a) (hb : 0 < b) : 0 < a * b + a ^ 2", "positivity"),
    ("theorem f3 (x y : ℝ) : 2 * x * y ≤ x ^ 2 + y ^ 2", "nlinarith [sq_nonneg (x - y)]"),
    ("theorem f4 : (2 : ℝ) ^ 10 - 1 / 2 = 2047 / 2", "norm_num"),
    ("theorem f5 (n : ℕ) (h : n % 5 = 3) : 2 * n % 5 = 1", "omega"),
    ("theorem f6 (a b : ℤ) (h : a - b = 3) (h2 : a + b = 7) : a = 5", "omega"),
    ("theorem f7 (x : ℝ) : (x + 1) ^ 2 = x ^ 2 + 2 * x + 1", "ring"),
    ("theorem f8 (n : ℕ) : ((n + 1 : ℕ) : ℝ) = (n : ℝ) + 1", "push_cast"),
    ("theorem f9 (x : ℝ) (h₀ : 3 * x + 2 = 11) : x = 3", "linarith"),
    ("theorem f10 (a : ℤ) (h : 0 ≤ a) (h2 : a < 3) : a * a < 9", "nlinarith"),
    ("theorem f11 : (17 * 18 : ℤ) % 4 = 2", "norm_num"),
    ("theorem f12 (x : ℝ) (h : x ^ 2 = 4) (hx : 0 < x) : x = 2",
     "nlinarith [sq_nonneg (x - 2), sq_nonneg (x + 2)]"),
    ("theorem f13 (x y : ℝ) (h : x < y) : ¬ y < x", "push_neg; linarith"),
    ("theorem f14 (m n : ℕ) (h : m ≤ n) : ((n - m : ℕ) : ℤ) = (n : ℤ) - (m : ℤ)", "omega"),
    ("theorem f15 (x : ℝ) (hx : x ≠ 0) : x / x = 1", "field_simp"),
    ("theorem f16 (a b : ℝ) (h₀ : a = 2) (h₁ : b = 3) : a * b + a = 8",
     "subst h₀; subst h₁; norm_num"),
    ("theorem f17 (a b : ℝ) (h₀ : a = 2) (h₁ : b = 3) : a * b + a = 8", "rw [h₀, h₁]; norm_num"),
    ("theorem f18 (x : ℝ) (h : 2 ≤ x) : 4 ≤ x ^ 2", "nlinarith"),
    ("theorem f19 (x : ℝ) (h : 0 < x) : 0 < x / 2 + x ^ 3", "positivity"),
    ("theorem f21 (n : ℕ) (h₀ : n ≤ 9) (h₁ : 18 ∣ 374 * 10 + n) : n = 4", "omega"),
    ("theorem f22 (x : ℝ) (h₀ : x / 50 = 40) : x = 2000", "linarith"),
    ("theorem f23 (x : ℝ) : 0 ≤ |x| + x ^ 2", "positivity"),
    ("theorem f24 (q : ℚ) (h : 2 * q = 1) : q = 1 / 2", "linarith"),
)


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


def f1_theorems() -> list:
    from lean_env.theorems import Theorem

    return [Theorem(full_name=st.split()[1], statement=st, proof="\n".join(script.split("; ")))
            for st, script in F1_MIX]


def root_attempts(env, theorem, timings: Timings) -> None:
    """The no-model baseline's tactics at the root of `theorem`, if it opens (all timed)."""
    from f1_baseline import root_tactics
    from lean_env.errors import OpenError

    try:
        state = env.open(theorem)
    except OpenError:
        return
    timings.theorems += 1
    for tactic in root_tactics(state.pp):
        start = time.perf_counter()
        env.run_tac(state, tactic)
        timings.add(tactic, time.perf_counter() - start)


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
    ap.add_argument("--minif2f", action="store_true",
                    help="add the baseline's root attempts on the miniF2F statements that open")
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
    theorems += f1_theorems()
    minif2f = []
    if args.minif2f:
        from lean_env.theorem_sets import load_theorem_set

        minif2f = load_theorem_set("minif2f-test") + load_theorem_set("minif2f-valid")
    pin_to_one_core()
    env, timings = MicroEnv(), Timings()
    for _ in range(args.passes):
        clear_caches()
        for theorem in theorems:
            replay(env, theorem, timings)
        for theorem in minif2f:
            root_attempts(env, theorem, timings)
    env.close()
    return 0 if report(timings, args.target) >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
