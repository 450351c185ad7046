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
F1_DIR = DATA_DIR / "f1"  # links to benchmarks/f1/ (built by its build_corpus.py)

NAMED_SETS: dict[str, Path] = {
    "micro-train": MICRO_DIR / "train.jsonl",
    "micro-valid": MICRO_DIR / "valid.jsonl",
    "micro-test": MICRO_DIR / "test.jsonl",
    "micro": MICRO_DIR / "all.jsonl",
    "f1-train": F1_DIR / "train.jsonl",
    "f1-valid": F1_DIR / "valid.jsonl",
    "f1-test": F1_DIR / "test.jsonl",
    "f1-test-novel": F1_DIR / "test_novel.jsonl",
    "f1": F1_DIR / "all.jsonl",
    "minif2f-valid": DATA_DIR / "minif2f" / "valid.jsonl",
    "minif2f-test": DATA_DIR / "minif2f" / "test.jsonl",
}


def load_theorem_set(name_or_path: str, backend: str = "embedded", env_options: dict | None = None) -> list[Theorem]:
    """Theorems of a named set or a file; raises BadInput naming the input if unknown.

    A file that is neither `.jsonl` nor `.json` is a list of theorem names, one per
    line (`#` comments and blank lines skipped), each resolved as `find_theorem` does.
    """
    if name_or_path in NAMED_SETS:
        return load_theorems(NAMED_SETS[name_or_path])
    path = Path(name_or_path)
    if path.suffix == ".jsonl" and path.is_file():
        return load_theorems(path)
    if path.suffix == ".json" and path.is_file():
        from lean_env.leandojo_benchmark import load_benchmark_theorems

        return load_benchmark_theorems(path)
    if path.is_file():
        return resolve_names_file(path, backend, env_options)
    names = ", ".join(NAMED_SETS)
    raise BadInput(f"unknown theorem set '{name_or_path}': not a file, and not one of {names}")


def resolve_names_file(path: Path, backend: str = "embedded", env_options: dict | None = None) -> list[Theorem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"cannot read theorem names from {path}: {e}") from None
    finder = TheoremFinder(None, backend, env_options)
    theorems = []
    for lineno, line in enumerate(lines, 1):
        name = line.split("#", 1)[0].strip()
        if not name:
            continue
        try:
            theorems.append(finder.find(name))
        except BadInput as e:
            raise BadInput(f"{path}:{lineno}: {e}") from None
    return theorems


class TheoremFinder:
    """Finds theorems by name: in a set (default: every named set that exists), then,
    with the dojo backend, among Mathlib's (lean_env.mathlib_index)."""

    def __init__(self, theorem_set: str | None = None, backend: str = "embedded", env_options: dict | None = None):
        from lean_env.mathlib_index import TheoremIndex

        sources = [theorem_set] if theorem_set else [n for n, p in NAMED_SETS.items() if p.is_file()]
        where = theorem_set or "the named sets (" + ", ".join(sources) + ")"
        self.sets = TheoremIndex((t for source in sources for t in load_theorem_set(source)), where)
        self.theorem_set, self.backend, self.env_options = theorem_set, backend, dict(env_options or {})
        self._mathlib = None

    def find(self, name: str) -> Theorem:
        from lean_env.mathlib_index import looks_like_mathlib, miss_message

        name = name.strip()
        found = self.sets.find(name)
        if found is not None:
            return found
        if self.backend == "dojo" and not self.theorem_set:
            return self.mathlib().find_theorem(name)
        message = miss_message(name, [self.sets])
        if looks_like_mathlib(name):
            message += ("; for a Mathlib theorem use --backend dojo with a LeanDojo Benchmark 4 folder "
                        "(RIR_LEANDOJO_BENCHMARK=DIR or --env-option benchmark_dir=DIR) or a traced Mathlib "
                        "(--env-option mathlib_commit=SHA)")
        raise BadInput(message)

    def mathlib(self):
        if self._mathlib is None:
            from lean_env import make_env

            self._mathlib = make_env("dojo", **self.env_options)
        return self._mathlib


def find_theorem(name: str, theorem_set: str | None = None, backend: str = "embedded",
                 env_options: dict | None = None) -> Theorem:
    """The theorem called `name` (full name or unique suffix) in `theorem_set`, in any
    named set that exists, or (backend dojo) among Mathlib's."""
    return TheoremFinder(theorem_set, backend, env_options).find(name)
