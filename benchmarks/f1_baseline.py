"""The no-model baseline on miniF2F (issue 22): fixed closing tactics at the root.

For each statement of the set that opens on the embedded engine, try each tactic of a
fixed list on the initial state: `norm_num`, `linarith`, `nlinarith [sq_nonneg (a - b),
…]` (the squares of the differences of same-typed ℤ ℚ ℝ variables), `omega`,
`positivity`, `ring`, `decide`. A statement is proved when one of them closes it;
pass@1 is reported over the statements that open and over the whole set (244 each).
Every learned prover is compared with this figure.

    python benchmarks/f1_baseline.py [--sets minif2f-test minif2f-valid] [--tactic-timeout 10]

Exit 0 when it ran, 2 when the engine or a set is missing (one line on stderr).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SETS = ("minif2f-test", "minif2f-valid")


@dataclass
class Result:
    name: str
    total: int = 0
    opened: int = 0
    proved: list[tuple[str, str]] = field(default_factory=list)  # (theorem, tactic)
    refused: Counter = field(default_factory=Counter)  # why statements did not open

    def pass_at_1(self, over: int) -> float:
        return 100.0 * len(self.proved) / over if over else 0.0


def root_tactics(state: str) -> list[str]:
    """The closing tactics of `rir --closers` (rir/closers.py) for the printed root state."""
    from rir.closers import closing_tactics

    return closing_tactics(state)


def run_set(name: str, tactic_timeout: float) -> Result:
    from lean_env.errors import OpenError
    from lean_env.micro import MicroEnv
    from lean_env.protocol import ProofFinished
    from lean_env.theorem_sets import load_theorem_set

    result = Result(name)
    env = MicroEnv(tactic_timeout=tactic_timeout)
    for theorem in load_theorem_set(name):
        result.total += 1
        try:
            state = env.open(theorem)
        except OpenError as e:
            result.refused[refusal(str(e))] += 1
            continue
        result.opened += 1
        for tactic in root_tactics(state.pp):
            if isinstance(env.run_tac(state, tactic), ProofFinished):
                result.proved.append((theorem.full_name, tactic.split()[0]))
                break
    env.close()
    return result


def refusal(message: str) -> str:
    """`cannot open theorem 'x': 2:9: outside … uses Real.sqrt` as `Real.sqrt`."""
    reason = message.split(": ", 1)[-1]
    return re.sub(r"^(\d+:\d+: )?outside the embedded fragment: uses ", "", reason)


def report(r: Result) -> None:
    n = len(r.proved)
    print(f"{r.name}: {r.opened}/{r.total} open; proved {n}: pass@1 {r.pass_at_1(r.opened):.1f}% "
          f"over opened, {r.pass_at_1(r.total):.1f}% over all {r.total}")
    by = Counter(tactic for _, tactic in r.proved)
    print("  first closing tactic: " + ", ".join(f"{t} {c}" for t, c in by.most_common()))
    print("  proved: " + " ".join(name for name, _ in r.proved))
    reasons = ", ".join(f"{why} {n}" for why, n in r.refused.most_common(10))
    print(f"  not opened, top reasons: {reasons}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=list(SETS), help="theorem sets (names or paths)")
    ap.add_argument("--tactic-timeout", type=float, default=10.0, help="seconds per tactic")
    args = ap.parse_args(argv)
    try:
        import lean_env.micro  # noqa: F401
        from lean_env.errors import RirError
    except ImportError as e:
        print(f"error: the embedded engine is not available ({e})", file=sys.stderr)
        return 2
    for name in args.sets:
        try:
            report(run_set(name, args.tactic_timeout))
        except RirError as e:
            print(f"error: {name}: {e}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
