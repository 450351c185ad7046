"""Build the F1 corpus (ℕ ℤ ℚ ℝ, competition style): `python benchmarks/f1/build_corpus.py`.

Writes all.jsonl, train.jsonl, valid.jsonl, test.jsonl and test_novel.jsonl next
to this file (or under --out). Each line is a Theorem record {"full_name",
"statement", "proof", "family"}: a Lean 4 statement without `:= by`, its reference
tactic proof (one tactic per line, no bullets) and the family (template) it was
drawn from (families.py).

Deterministic for a seed: instance i of family F is drawn from
random.Random(f"{seed}:{F}:{i}"). Every reference proof is replayed on the
embedded engine; a theorem whose proof fails, or whose statement (name removed,
whitespace normalised) is a miniF2F statement, is dropped and counted.

Splits: the families of families.NOVEL_FAMILIES go whole to test_novel (unseen in
train and valid); the theorems of the other families are split at random by a
hash of the name, 10% test, 10% valid, 80% train.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from families import FAMILIES, NOVEL_FAMILIES  # noqa: E402

SPLITS = ("train", "valid", "test", "test_novel")
DEFAULT_SEED = 23
DEFAULT_PER_FAMILY = 130
TRIES_PER_INSTANCE = 40  # draws of one instance number before a family counts as exhausted


@dataclass(frozen=True)
class Entry:
    full_name: str
    statement: str
    proof: str
    family: str


@dataclass
class Build:
    entries: list[Entry]
    failed: Counter  # family -> proofs the engine rejected
    minif2f: Counter  # family -> statements that are miniF2F statements
    errors: list[str]


def normalise(statement: str, name: str) -> str:
    """A statement with its name removed and whitespace collapsed, to compare texts."""
    body = statement.split(":= by", 1)[0].replace(name, "", 1)
    return re.sub(r"\s+", " ", body).strip()


def minif2f_statements() -> set[str]:
    from lean_env.theorem_sets import NAMED_SETS
    from lean_env.theorems import load_theorems

    return {normalise(t.statement, t.full_name)
            for s in ("minif2f-valid", "minif2f-test") for t in load_theorems(NAMED_SETS[s])}


def split_of(entry: Entry) -> str:
    if entry.family in NOVEL_FAMILIES:
        return "test_novel"
    digit = int(hashlib.sha256(entry.full_name.encode("utf-8")).hexdigest(), 16) % 10
    return "test" if digit == 0 else "valid" if digit == 1 else "train"


def draw(family: str, per_family: int, seed: int, seen: set) -> list[Entry]:
    """Up to `per_family` instances of `family` whose statements are not in `seen` (updated)."""
    make, out = FAMILIES[family], []
    for i in range(per_family):
        for attempt in range(TRIES_PER_INSTANCE):
            instance = make(random.Random(f"{seed}:{family}:{i}:{attempt}"))
            if instance is None:
                continue
            binders, concl, tactics = instance
            key = (binders, concl)
            if key in seen:
                continue
            seen.add(key)
            name = f"f1.{family}_{i + 1}"
            head = f"theorem {name} {binders} : {concl}" if binders else f"theorem {name} : {concl}"
            out.append(Entry(name, head, "\n".join(tactics), family))
            break
    return out


def generate(per_family: int = DEFAULT_PER_FAMILY, seed: int = DEFAULT_SEED,
             families: list[str] | None = None) -> list[Entry]:
    """The unchecked draw of every family, in family order; no statement twice."""
    seen: set = set()
    return [e for f in (families or list(FAMILIES)) for e in draw(f, per_family, seed, seen)]


def build(per_family: int = DEFAULT_PER_FAMILY, seed: int = DEFAULT_SEED,
          families: list[str] | None = None, check: bool = True) -> Build:
    """The corpus: drawn, miniF2F statements dropped, then proofs checked on the engine."""
    from lean_env.micro import MicroEnv
    from lean_env.replay import check_proof
    from lean_env.theorems import Theorem

    banned = minif2f_statements()
    kept, failed, overlap, errors = [], Counter(), Counter(), []
    with MicroEnv() as env:
        for e in generate(per_family, seed, families):
            if normalise(e.statement, e.full_name) in banned:
                overlap[e.family] += 1
                continue
            if check:
                result = check_proof(env, Theorem(e.full_name, e.statement, e.proof))
                if not result.ok:
                    failed[e.family] += 1
                    errors.append(f"{e.full_name}: {result.error}")
                    continue
            kept.append(e)
    return Build(kept, failed, overlap, errors)


def write(entries: list[Entry], out_dir: Path, force: bool = False) -> dict[str, int]:
    from lean_env import jsonl

    files: dict[str, list[dict]] = {name: [] for name in ("all", *SPLITS)}
    for e in entries:
        for name in ("all", split_of(e)):
            files[name].append(asdict(e))
    paths = {name: out_dir / f"{name}.jsonl" for name in files}
    existing = [str(p) for p in paths.values() if p.exists()]
    if existing and not force:
        raise FileExistsError(f"{existing[0]} exists (use --force to replace the corpus)")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():  # each file replaced whole: a kill leaves the old or the new
        jsonl.write_atomic(paths[name], rows)
    return {name: len(rows) for name, rows in files.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the JSONL files")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--per-family", type=int, default=DEFAULT_PER_FAMILY)
    parser.add_argument("--force", action="store_true", help="replace existing corpus files")
    args = parser.parse_args(argv)
    if args.per_family < 1:
        print(f"error: --per-family must be ≥ 1, got {args.per_family}", file=sys.stderr)
        return 2
    if args.out.exists() and not args.out.is_dir():
        print(f"error: --out {args.out} is not a folder", file=sys.stderr)
        return 2
    start = time.monotonic()
    result = build(args.per_family, args.seed)
    try:
        counts = write(result.entries, args.out, args.force)
    except (FileExistsError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for line in result.errors[:20]:
        print(f"dropped (proof fails): {line}", file=sys.stderr)
    per_family = Counter(e.family for e in result.entries)
    for family in FAMILIES:
        split = "test_novel" if family in NOVEL_FAMILIES else "random"
        print(f"{family:24s} {per_family[family]:5d}  failed={result.failed[family]} "
              f"minif2f={result.minif2f[family]}  {split}")
    print(" ".join(f"{name}={n}" for name, n in counts.items()),
          f"failed={sum(result.failed.values())} minif2f={sum(result.minif2f.values())}",
          f"seconds={time.monotonic() - start:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
