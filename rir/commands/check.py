"""Check reference proofs by replaying them on a backend: rir check micro.

Runs the reference proof of every theorem in a set (a name such as micro or
micro-test, or a JSONL path), prints a table of the failures (all theorems with
--verbose) and a summary line "checked N: P passed, F failed". Theorems without
a proof are listed as skipped; a malformed JSONL line is reported with its line
number and the other lines still run. Exit 0 if every proof checks, 1 if any
fails (or a line is malformed), 2 on bad input.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lean_env.errors import BadInput
from lean_env.theorem_sets import NAMED_SETS, load_theorem_set
from lean_env.theorems import Theorem, read_theorems
from rir.prover import add_settings_arguments, settings_from_args


@dataclass
class LoadedSet:
    """The theorems of a set, and the lines of its file that could not be read."""

    theorems: list[Theorem]
    malformed: list[str] = field(default_factory=list)

    @property
    def with_proof(self) -> list[Theorem]:
        return [t for t in self.theorems if t.tactics()]

    @property
    def without_proof(self) -> list[Theorem]:
        return [t for t in self.theorems if not t.tactics()]


def load_set(source: str) -> LoadedSet:
    """A named set or a file; JSONL lines that do not parse are kept as `path:line: why`."""
    path = NAMED_SETS.get(source, Path(source))
    if path.is_dir():
        raise BadInput(f"{path} is a folder: give a theorem set name or a JSONL/JSON file")
    if path.suffix != ".jsonl":
        return LoadedSet(load_theorem_set(source))
    if not path.is_file():
        if source in NAMED_SETS:
            raise BadInput(f"theorem set '{source}' not found: {path} is missing")
        raise BadInput(f"theorem file not found: {path}")
    loaded = LoadedSet(*read_theorems(path))
    if not loaded.theorems:
        raise BadInput(f"{path}: no readable theorem lines (" + (loaded.malformed or ["empty"])[0] + ")")
    return loaded


def theorems_to_replay(sources: str | list[str]) -> LoadedSet:
    """Every theorem of one or several sets/files, in order; all are read before any replay."""
    sources = [sources] if isinstance(sources, str) else sources
    loaded = LoadedSet([])
    for source in sources:
        one = load_set(source)
        loaded.theorems += one.theorems
        loaded.malformed += one.malformed
    if not loaded.with_proof:
        n = len(loaded.theorems)
        raise BadInput(f"{' '.join(sources)}: none of its {n} theorems has a reference proof")
    return loaded


BACKEND_SETTINGS = ("backend", "env_options")  # the prover settings that replaying shares


def backend_options(args: argparse.Namespace) -> dict:
    """The backend options, checked (typed and in range) as for prove/eval."""
    return settings_from_args(args).env_options


def add_backend_argument(parser: argparse.ArgumentParser) -> None:
    add_settings_arguments(parser, only=BACKEND_SETTINGS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("theorems", metavar="FILE_OR_SET", nargs="+",
                        help="theorem set names (micro, micro-test, ...) or JSONL files")
    add_backend_argument(parser)
    # dest differs from the global -v/--verbose, which turns on debug logging.
    parser.add_argument("--verbose", dest="show_all", action="store_true",
                        help="list every theorem, not only the failures")


def console():
    from rich.console import Console

    # A pipe gets a wide console so that names and errors are not cut.
    wide = max(120, shutil.get_terminal_size().columns)
    return Console(width=None if sys.stdout.isatty() else wide)


def progress(items, desc: str):
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="thm", file=sys.stderr, disable=None, leave=False)


def results_table(title: str, results, loaded: LoadedSet, show_all: bool):
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in ("theorem", "result", "steps", "time", "error"):
        table.add_column(column, overflow="fold", style="bold" if column == "theorem" else None,
                         justify="right" if column in ("steps", "time") else "left")
    for r in results:
        if show_all or not r.ok:
            table.add_row(escape(r.name), "[green]ok[/]" if r.ok else "[red]FAILED[/]",
                          str(r.steps), f"{r.time * 1000:.0f} ms", escape(r.error or ""))
    for t in loaded.without_proof:
        table.add_row(escape(t.full_name), "[yellow]skipped[/]", "", "", "no reference proof")
    for problem in loaded.malformed:
        table.add_row("", "[red]malformed[/]", "", "", escape(problem))
    return table


def area_table(results):
    """Pass counts per name prefix (micro.logic, micro.quant, ...), or None if not useful."""
    from rich.table import Table

    areas: dict[str, list] = {}
    for r in results:
        areas.setdefault(r.name.rsplit(".", 1)[0] if "." in r.name else "(none)", []).append(r)
    if not 2 <= len(areas) <= 30:
        return None
    table = Table("area")
    for column in ("theorems", "passed", "mean steps"):
        table.add_column(column, justify="right")
    for area, rs in areas.items():
        passed = sum(r.ok for r in rs)
        style = "green" if passed == len(rs) else "red"
        table.add_row(area, str(len(rs)), f"[{style}]{passed}[/]",
                      f"{sum(r.steps for r in rs) / len(rs):.1f}")
    return table


def run(args: argparse.Namespace) -> int:
    from lean_env import make_env
    from lean_env.replay import check_proof

    loaded = theorems_to_replay(args.theorems)
    with make_env(args.backend, **backend_options(args)) as env:
        results = [check_proof(env, t) for t in progress(loaded.with_proof, "checking")]
    failed = [r for r in results if not r.ok]

    out = console()
    table = results_table(f"rir check {' '.join(args.theorems)} ({args.backend})", results, loaded,
                          args.show_all)
    if table.row_count:
        out.print(table)
    areas = area_table(results)
    if areas is not None:
        out.print(areas)
    summary = f"checked {len(results)}: {len(results) - len(failed)} passed, {len(failed)} failed"
    extras = [f"{len(loaded.without_proof)} skipped (no proof)"] if loaded.without_proof else []
    extras += [f"{len(loaded.malformed)} malformed lines"] if loaded.malformed else []
    seconds = sum(r.time for r in results)
    bad = failed or loaded.malformed
    out.print(", ".join([summary, *extras]) + f" ({seconds:.1f} s)",
              style="bold red" if bad else "bold green")
    return 1 if bad else 0
