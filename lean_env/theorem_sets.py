"""Named theorem sets and lookup of a theorem by name.

A set is given either by name (`micro-test`, `minif2f-valid`, ...) or as a path:
`.jsonl` (one Theorem per line) or `.json` (a LeanDojo Benchmark 4 file).
"""
from __future__ import annotations

from pathlib import Path

from lean_env.errors import BadInput
from lean_env.theorems import Theorem, load_theorems

# Package data, found the same way installed or not (data/micro/ links to benchmarks/micro/,
# where the corpus is built).
DATA_DIR = Path(__file__).resolve().parent / "data"
MICRO_DIR = DATA_DIR / "micro"

NAMED_SETS: dict[str, Path] = {
    "micro-train": MICRO_DIR / "train.jsonl",
    "micro-valid": MICRO_DIR / "valid.jsonl",
    "micro-test": MICRO_DIR / "test.jsonl",
    "micro": MICRO_DIR / "all.jsonl",
    "minif2f-valid": DATA_DIR / "minif2f" / "valid.jsonl",
    "minif2f-test": DATA_DIR / "minif2f" / "test.jsonl",
}


def load_theorem_set(name_or_path: str) -> list[Theorem]:
    """Theorems of a named set or a file; raises BadInput naming the input if unknown."""
    if name_or_path in NAMED_SETS:
        return load_theorems(NAMED_SETS[name_or_path])
    path = Path(name_or_path)
    if path.suffix == ".jsonl" and path.is_file():
        return load_theorems(path)
    if path.suffix == ".json" and path.is_file():
        from lean_env.leandojo_benchmark import load_benchmark_theorems

        return load_benchmark_theorems(path)
    names = ", ".join(NAMED_SETS)
    raise BadInput(f"unknown theorem set '{name_or_path}': not a file, and not one of {names}")


def find_theorem(name: str, theorem_set: str | None = None) -> Theorem:
    """The theorem called `name` in `theorem_set`, or in any named set that exists."""
    sources = [theorem_set] if theorem_set else [n for n, p in NAMED_SETS.items() if p.is_file()]
    for source in sources:
        for thm in load_theorem_set(source):
            if thm.full_name == name:
                return thm
    where = theorem_set or "the named sets (" + ", ".join(sources) + ")"
    raise BadInput(f"unknown theorem '{name}' in {where}")
