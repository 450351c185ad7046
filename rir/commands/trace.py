"""Trace reference proofs into LeanDojo Benchmark 4 JSON: rir trace micro --out DIR.

Replays each reference proof on a backend and records the state before and
after every tactic. Layout of DIR:
  rir trace micro --out DIR      the whole corpus, split as micro-train/valid/test:
                                 DIR/train.json, DIR/val.json, DIR/test.json
  rir trace f1 --out DIR         likewise, and DIR/test_novel.json (f1-test-novel)
  rir trace SET_OR_FILE --out DIR  any other set or JSONL file: DIR/<stem>.json
                                 (a set's name, e.g. micro-test.json, or the file's stem)
Each file is a JSON list of traced theorems {full_name, statement, traced_tactics:
[{tactic, annotated_tactic, state_before, state_after}]}; each state_after is the
next tactic's state_before, and the last is "no goals". Proofs that fail are
reported and not written: exit 1 if any failed, 0 if all were written.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from lean_env.theorem_sets import NAMED_SETS, load_theorem_set
from rir.output_paths import new_files, writing
from rir.commands.check import add_backend_argument, backend_options, console, progress, theorems_to_replay

# LeanDojo names the validation split `val`. A whole corpus is traced into one file per split.
MICRO_SPLITS = {"train": "micro-train", "val": "micro-valid", "test": "micro-test"}
CORPUS_SPLITS = {"micro": MICRO_SPLITS,
                 "f1": {"train": "f1-train", "val": "f1-valid", "test": "f1-test", "test_novel": "f1-test-novel"}}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("theorems", metavar="FILE_OR_SET",
                        help="theorem set name (micro, micro-test, ...) or a JSONL file")
    parser.add_argument("--out", required=True, type=Path, help="output directory")
    parser.add_argument("--force", action="store_true", help="overwrite trace files already in --out")
    add_backend_argument(parser)


def output_file(source: str, theorem, micro_split: dict[str, str]) -> str:
    """The file (relative to --out) a traced theorem goes to."""
    if source in CORPUS_SPLITS:
        return f"{micro_split.get(theorem.full_name, 'train')}.json"
    return f"{source if source in NAMED_SETS else Path(source).stem}.json"


def micro_split_of_names(source: str = "micro") -> dict[str, str]:
    return {t.full_name: split for split, name in CORPUS_SPLITS[source].items()
            for t in load_theorem_set(name)}


def run(args: argparse.Namespace) -> int:
    from rich.markup import escape

    from lean_env import make_env
    from lean_env.replay import trace_proof

    names = ([f"{s}.json" for s in CORPUS_SPLITS[args.theorems]] if args.theorems in CORPUS_SPLITS
             else [output_file(args.theorems, None, {})])
    new_files(args.out, names, args.force)  # before the replay, not after
    loaded = theorems_to_replay(args.theorems)
    micro_split = micro_split_of_names(args.theorems) if args.theorems in CORPUS_SPLITS else {}
    files: dict[str, list[dict]] = {name: [] for name in names} if micro_split else {}
    failures = []
    with make_env(args.backend, **backend_options(args)) as env:
        for theorem in progress(loaded.with_proof, "tracing"):
            traced = trace_proof(env, theorem)
            if traced.ok:
                files.setdefault(output_file(args.theorems, theorem, micro_split), []).append(
                    traced.to_dict())
            else:
                failures.append(traced.check)

    args.out.mkdir(parents=True, exist_ok=True)
    out = console()
    for name, records in files.items():
        path = args.out / name
        with writing(path):
            path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        out.print(f"wrote {len(records)} traced theorems to {escape(str(path))}")
    for check in failures:
        out.print(f"[red]not traced[/] {escape(check.name)}: {escape(check.error or '')}")
    for problem in loaded.malformed:
        out.print(f"[red]malformed[/] {escape(problem)}")
    if loaded.without_proof:
        out.print(f"skipped {len(loaded.without_proof)} theorems without a reference proof")
    traced = sum(len(r) for r in files.values())
    out.print(f"traced {traced} of {len(loaded.with_proof)}: {len(failures)} failed",
              style="bold red" if failures or loaded.malformed else "bold green")
    return 1 if failures or loaded.malformed else 0
