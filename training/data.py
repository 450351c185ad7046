"""Training data: traced proofs read into (state, tactic, next state) triples.

Also: the triples of a proof replayed on the engine (`traced_triples`, `transfer_proof`),
as self-play trains on them.

Both sources share the LeanDojo Benchmark 4 layout: a JSON list of traced
theorems, each with `traced_tactics` entries holding `tactic`, `state_before`
and `state_after`. LeanDojo ships them as `random/{train,val,test}.json` and
`novel_premises/...`; `rir trace` writes `{train,val,test}.json` into one dir.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lean_env import jsonl
from lean_env.errors import BadInput
from lean_env.protocol import NO_GOALS
from rir.prompts import strip_premise_marks

if TYPE_CHECKING:
    from lean_env.protocol import Environment
    from lean_env.theorems import Theorem
    from training.creator import Conjecture

log = logging.getLogger("rir")

SPLITS = ("train", "val", "test")
LEANDOJO_LAYOUTS = ("random", "novel_premises")


@dataclass(frozen=True)
class Triple:
    """One tactic step of a traced proof; `next_state` may be `no goals`."""

    state: str
    tactic: str
    next_state: str
    source: str = ""  # file[theorem index].traced_tactics[tactic index], for messages


@dataclass
class TraceData:
    """Triples read from one or more files, with what was skipped and why."""

    triples: list[Triple] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    theorems: int = 0
    malformed: int = 0  # entries that were not well-formed records
    finished: int = 0  # steps whose state before is already `no goals`

    def extend(self, other: "TraceData") -> None:
        self.triples += other.triples
        self.files += other.files
        self.theorems += other.theorems
        self.malformed += other.malformed
        self.finished += other.finished


TRACE_HINT = "write traces with `rir trace micro --out DIR`, then train_data=DIR"


def trace_files(path: str | Path, split: str = "train", layout: str = "random") -> list[Path]:
    """The trace files `path` names for `split`: the file itself, `dir/split.json`
    (a `rir trace` dir or one LeanDojo layout) or `dir/layout/split.json`."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.exists():
        raise BadInput(f"training data not found: {path} ({TRACE_HINT})")
    for candidate in (path / f"{split}.json", path / f"{split}.jsonl", path / layout / f"{split}.json"):
        if candidate.is_file():
            return [candidate]
    raise BadInput(f"no '{split}' split in {path}: expected {split}.json or {layout}/{split}.json "
                   f"({TRACE_HINT})")


def read_traces(path: str | Path, split: str = "train", layout: str = "random") -> TraceData:
    data = TraceData()
    for file in trace_files(path, split, layout):
        data.extend(_read_file(file))
    return data


def read_triples(path: str | Path, split: str = "train", layout: str = "random") -> list[Triple]:
    """Triples of a trace file or dataset dir; malformed entries are logged and skipped."""
    return read_traces(path, split, layout).triples


def _read_file(file: Path) -> TraceData:
    data = TraceData(files=[file])
    for index, entry in _entries(file):
        data.theorems += 1
        try:
            steps = _traced_tactics(entry)
        except ValueError as e:
            data.malformed += 1
            log.warning("%s[%d]: skipped malformed theorem entry: %s", file, index, e)
            continue
        for j, step in enumerate(steps):
            where = f"{file}[{index}].traced_tactics[{j}]"
            try:
                triple = _triple(step, where)
            except ValueError as e:
                data.malformed += 1
                log.warning("%s: skipped malformed tactic entry: %s", where, e)
                continue
            if triple.state.strip() == NO_GOALS:
                data.finished += 1
                continue
            data.triples.append(triple)
    return data


def _entries(file: Path) -> list[tuple[int, Any]]:
    """(index, theorem entry) pairs of a JSON list, or of a JSONL file (index = line number)."""
    if file.suffix == ".jsonl":
        return jsonl.read_entries(file)  # a line that is not JSON (or UTF-8) comes as its error
    text = file.read_text(encoding="utf-8")
    try:
        items = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInput(f"{file}: not a JSON file of traced theorems: {e}") from None
    if not isinstance(items, list):
        raise BadInput(f"{file}: expected a JSON list of traced theorems, got {type(items).__name__}")
    return list(enumerate(items))


def _traced_tactics(entry: Any) -> list:
    if isinstance(entry, ValueError):
        raise ValueError(f"bad JSON: {entry}")
    if not isinstance(entry, dict):
        raise ValueError(f"expected an object, got {type(entry).__name__}")
    steps = entry.get("traced_tactics")
    if not isinstance(steps, list):
        raise ValueError("missing 'traced_tactics' list")
    return steps


def _triple(step: Any, where: str) -> Triple:
    if not isinstance(step, dict):
        raise ValueError(f"expected an object, got {type(step).__name__}")
    tactic = step.get("tactic")
    if tactic is None and isinstance(step.get("annotated_tactic"), list) and step["annotated_tactic"]:
        tactic = step["annotated_tactic"][0]
    fields = {"tactic": tactic, "state_before": step.get("state_before"), "state_after": step.get("state_after")}
    for name, value in fields.items():
        if not isinstance(value, str):
            raise ValueError(f"missing or non-string '{name}'")
    tactic = strip_premise_marks(tactic).strip()
    if not tactic or not fields["state_before"].strip() or not fields["state_after"].strip():
        raise ValueError("empty tactic or state")
    return Triple(fields["state_before"], tactic, fields["state_after"], where)


def unique_triples(triples: list[Triple]) -> list[Triple]:
    """One triple per (state, tactic), the first kept."""
    seen: dict[tuple[str, str], Triple] = {}
    for t in triples:
        seen.setdefault((t.state, t.tactic), t)
    return list(seen.values())


def traced_triples(env: "Environment", theorem: "Theorem", source: str) -> list[Triple] | None:
    """The (state, tactic, next state) steps of the theorem's proof replayed, if it checks."""
    from lean_env.replay import trace_proof

    traced = trace_proof(env, theorem)
    if not traced.ok:
        return None
    return [Triple(step.state_before, strip_premise_marks(step.tactic), step.state_after, source=source)
            for step in traced.traced_tactics]


def transfer_proof(conj: "Conjecture", env: "Environment") -> tuple[list[str], list[Triple]] | None:
    """The parent's proof replayed on the conjecture: its tactics and triples, if it checks."""
    if not conj.parent_proof:
        return None
    triples = traced_triples(env, replace(conj.theorem(), proof=conj.parent_proof), f"selfplay:{conj.name}")
    return ([t.tactic for t in triples], triples) if triples is not None else None
