"""Finding a Mathlib theorem by name: in a LeanDojo Benchmark 4 folder, then in a traced Mathlib.

`rir prove --theorem Nat.succ_le_of_lt --backend dojo` needs the theorem's
repository, commit, file and position. They are looked up

1. in a LeanDojo Benchmark 4 folder (`benchmark_dir`, or $RIR_LEANDOJO_BENCHMARK):
   every `{train,val,test}.json` under it (both the `random` and `novel_premises`
   splits), which name each theorem with its url, commit, file_path and start;
2. in the traced repository of the configured Mathlib commit (`mathlib_commit`,
   or $RIR_MATHLIB_COMMIT; the benchmark's own commit only once indexed): LeanDojo's
   `TracedRepo.get_traced_theorems()` lists every theorem with its file and position
   (tracing Mathlib once takes hours; LeanDojo's cache holds it afterwards).

Either index is written to a cache file on first use (a few MB of names and
coordinates), so later lookups read no benchmark JSON and load no traced repo.
LeanDojo opens the theorem where it stands in its file, so neither the theorem
itself nor anything after it is in scope of its proof.

Names match as Lean users type them (`TheoremIndex.find`): the full name, or a
unique suffix at a `.` boundary (`succ_le_of_lt`); an ambiguous suffix lists the
candidates, a miss names the nearest names.
"""
from __future__ import annotations

import difflib
import json
import logging
import os
from pathlib import Path
from typing import Callable, Iterable

from lean_env.errors import BadInput
from lean_env.leandojo_benchmark import SPLITS, theorem_from_entry
from lean_env.theorems import Theorem

log = logging.getLogger("rir")

BENCHMARK_ENV = "RIR_LEANDOJO_BENCHMARK"
MATHLIB_COMMIT_ENV = "RIR_MATHLIB_COMMIT"
MATHLIB_URL = "https://github.com/leanprover-community/mathlib4"
INDEX_VERSION = 2
MAX_LISTED = 8  # candidates or nearest names in a one-line error
# Namespaces that mark a name as Mathlib's (or Lean core's) rather than a typo of a shipped set's.
KNOWN_NAMESPACES = frozenset(
    "Nat Int Rat Real Complex Finset Set List Multiset Function Polynomial Matrix MeasureTheory "
    "Filter Topology Metric Order Group Subgroup Ideal Module Submodule LinearMap Fin ZMod Prime "
    "Equiv Mathlib Classical Or And Iff Eq Ne Not Exists Bool Option Prod Sum Finsupp Real.sqrt "
    "Monoid CommRing Field Dvd abs max min".split())


def looks_like_mathlib(name: str) -> bool:
    """A dotted name whose namespace is capitalised or known (`Nat.succ_le_of_lt`)."""
    head = name.split(".", 1)[0]
    return head in KNOWN_NAMESPACES or ("." in name and head[:1].isupper())


class TheoremIndex:
    """Theorems by full name, found by full name or unique suffix."""

    def __init__(self, theorems: Iterable[Theorem], where: str, records: dict[str, dict] | None = None):
        self.where = where
        # A cached index keeps its records as read and makes a Theorem only of the one found.
        self.by_name: dict[str, Theorem | dict] = dict(records or {})
        for theorem in theorems:
            self.by_name.setdefault(theorem.full_name, theorem)

    def __len__(self) -> int:
        return len(self.by_name)

    def candidates(self, name: str) -> list[str]:
        """The full names `name` means: itself, else every name it ends at a `.` boundary."""
        if name in self.by_name:
            return [name]
        suffix = "." + name.lstrip(".")
        return sorted(n for n in self.by_name if n.endswith(suffix))

    def nearest(self, name: str) -> list[str]:
        last = name.rsplit(".", 1)[-1]
        short = {n.rsplit(".", 1)[-1]: n for n in self.by_name}
        near = difflib.get_close_matches(name, self.by_name, n=MAX_LISTED, cutoff=0.6)
        near += [short[s] for s in difflib.get_close_matches(last, short, n=MAX_LISTED, cutoff=0.7)]
        return list(dict.fromkeys(near))[:MAX_LISTED]

    def find(self, name: str) -> Theorem | None:
        """The theorem `name` means; None on a miss; BadInput listing them on ambiguity."""
        found = self.candidates(name)
        if len(found) > 1:
            shown = ", ".join(found[:MAX_LISTED]) + (f", ... ({len(found)} in all)" if len(found) > MAX_LISTED else "")
            raise BadInput(f"theorem name '{name}' is ambiguous in {self.where}: {shown}; give the full name")
        if not found:
            return None
        theorem = self.by_name[found[0]]
        return theorem if isinstance(theorem, Theorem) else Theorem.from_dict({**theorem, "full_name": found[0]})


def miss_message(name: str, indexes: list[TheoremIndex]) -> str:
    where = " or ".join(index.where for index in indexes) or "no theorem source"
    near = list(dict.fromkeys(n for index in indexes for n in index.nearest(name)))[:MAX_LISTED]
    return f"unknown theorem '{name}' in {where}" + (f"; nearest: {', '.join(near)}" if near else "")


# ---------------------------------------------------------------- sources


def benchmark_files(directory: Path) -> list[Path]:
    """Every split file of a LeanDojo Benchmark 4 folder (or of one of its split folders)."""
    files = sorted(p for split in SPLITS for p in directory.glob(f"**/{split}.json"))
    if not files:
        raise BadInput(f"LeanDojo benchmark folder {directory} holds no train/val/test.json "
                       f"(set {BENCHMARK_ENV} or benchmark_dir to the unpacked leandojo_benchmark_4)")
    return files


def benchmark_theorems(directory: Path) -> list[Theorem]:
    theorems = []
    for path in benchmark_files(directory):
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise BadInput(f"{path}: not a LeanDojo benchmark JSON file: {e}") from None
        for entry in entries if isinstance(entries, list) else []:
            try:
                theorems.append(theorem_from_entry(entry, path.stem))
            except BadInput as e:
                log.debug("%s: skipped entry: %s", path, e)
    return theorems


def benchmark_commit(directory: Path) -> str | None:
    """The Mathlib commit a benchmark was extracted from (its metadata.json)."""
    for path in (directory / "metadata.json", directory.parent / "metadata.json"):
        if path.is_file():
            try:
                return json.loads(path.read_text(encoding="utf-8"))["from_repo"]["commit"]
            except (ValueError, KeyError, TypeError):
                return None
    return None


def traced_theorems(traced_repo_path: Path) -> list[Theorem]:
    """Every theorem of a traced repository, with its file and start, via LeanDojo."""
    from lean_dojo import TracedRepo

    traced = TracedRepo.load_from_disk(traced_repo_path, build_deps=False)
    theorems = []
    for t in traced.get_traced_theorems():
        start = (t.start.line_nb, t.start.column_nb) if t.start is not None else None
        theorems.append(Theorem(full_name=t.theorem.full_name, url=t.repo.url, commit=t.repo.commit,
                                file_path=str(t.file_path), start=start))
    return theorems


# ---------------------------------------------------------------- the on-disk cache


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rir" / "mathlib_index"


def cached_index(key: str, where: str, build: Callable[[], list[Theorem]], directory: Path | None = None) -> TheoremIndex:
    """The index cached under `key`, else built and written (atomically) for next time."""
    path = (directory or cache_dir()) / f"{key}.json"
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == INDEX_VERSION and isinstance(data["theorems"], dict):
                return TheoremIndex((), where, records=data["theorems"])
        except (OSError, ValueError, KeyError, TypeError, BadInput) as e:
            log.warning("ignoring a broken theorem index %s: %s", path, e)
    index = TheoremIndex(build(), where)  # one record per name (a benchmark holds each twice)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        records = {name: {k: v for k, v in t.to_dict().items() if k not in ("proof", "full_name")}
                   for name, t in index.by_name.items()}
        tmp.write_text(json.dumps({"version": INDEX_VERSION, "theorems": records}, ensure_ascii=False),
                       encoding="utf-8")
        tmp.replace(path)
    except OSError as e:  # no cache: slower next time, never wrong
        log.warning("could not cache the theorem index at %s: %s", path, e)
    return index


def _benchmark_key(directory: Path) -> str:
    import hashlib

    stamp = "|".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in benchmark_files(directory))
    return "benchmark-" + hashlib.sha256(f"{directory.resolve()}|{stamp}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------- lookup


class MathlibTheorems:
    """The configured sources of Mathlib theorems, searched in order."""

    def __init__(self, benchmark_dir: str | Path | None = None, mathlib_commit: str | None = None,
                 trace: Callable[[str, str], Path] | None = None, index_dir: Path | None = None):
        source = "benchmark_dir" if benchmark_dir else BENCHMARK_ENV
        benchmark_dir = benchmark_dir or os.environ.get(BENCHMARK_ENV) or None
        self.benchmark_dir = Path(benchmark_dir).expanduser() if benchmark_dir else None
        if self.benchmark_dir is not None and not self.benchmark_dir.is_dir():
            raise BadInput(f"LeanDojo benchmark folder not found: {self.benchmark_dir} (from {source})")
        explicit = mathlib_commit or os.environ.get(MATHLIB_COMMIT_ENV)
        self.mathlib_commit = explicit or (benchmark_commit(self.benchmark_dir) if self.benchmark_dir else None)
        # Tracing Mathlib takes hours: only for a commit the user named, or one already indexed.
        self.may_trace = bool(explicit)
        self.trace = trace  # (url, commit) -> the traced repository's path; None: no tracing
        self.index_dir = index_dir

    def indexes(self) -> Iterable[TheoremIndex]:
        if self.benchmark_dir is not None:
            d = self.benchmark_dir
            yield cached_index(_benchmark_key(d), f"the LeanDojo benchmark {d}",
                               lambda: benchmark_theorems(d), self.index_dir)
        commit = self.mathlib_commit
        indexed = commit and ((self.index_dir or cache_dir()) / f"mathlib-{commit}.json").is_file()
        if commit and self.trace is not None and (self.may_trace or indexed):
            yield cached_index(f"mathlib-{commit}", f"Mathlib@{commit[:12]} (traced)",
                               lambda: traced_theorems(self.trace(MATHLIB_URL, commit)), self.index_dir)

    def find(self, name: str) -> Theorem:
        if self.benchmark_dir is None and not self.mathlib_commit:
            raise BadInput(f"unknown theorem '{name}': to find Mathlib theorems by name, point the dojo backend "
                           f"at a LeanDojo Benchmark 4 folder ({BENCHMARK_ENV}=DIR or --env-option "
                           f"benchmark_dir=DIR) or a Mathlib commit to trace (--env-option mathlib_commit=SHA)")
        searched = []
        for index in self.indexes():
            found = index.find(name)
            if found is not None:
                return found
            searched.append(index)
        hint = "" if self.may_trace or not self.mathlib_commit else \
            f"; to search every theorem of Mathlib@{self.mathlib_commit[:12]} too, add --env-option mathlib_commit=SHA (traces it once)"
        raise BadInput(miss_message(name, searched) + hint)
