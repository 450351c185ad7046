"""What the creator made in a `rir selfplay` run, iteration by iteration.

Read from the run's own files (OUT/iter_NNN/conjectures.jsonl: every pool conjecture
with its searches' rewards; done.json: the variants the filter rejected, by reason), so
it works on a finished or an interrupted run alike. Per iteration: the pool (seeds and
evolved conjectures), how many were proved by at least one of the N searches and how
many were informative (their searches disagreed), the difficulty spread (the share of
searches that proved each conjecture, in bands), and the filter's rejections of the
variants made from that pool (refuted by z3, duplicates, ...), with a sample of the
evolved conjectures. `plot_difficulty` draws the spread per iteration.
"""
from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lean_env import jsonl
from lean_env.errors import BadInput

# Difficulty bands by the share of a conjecture's searches that proved it.
BANDS = ("never proved", "proved by some", "proved by most", "proved by all")
SAMPLE_SIZE = 5


@dataclass(frozen=True)
class Sampled:
    """One evolved conjecture as the report shows it."""

    origin: str
    statement: str
    proved: int
    searches: int


@dataclass
class IterationReport:
    iteration: int
    pool: int = 0
    evolved: int = 0  # pool conjectures the creator made (not seeds)
    proved: int = 0  # by at least one search
    informative: int = 0  # informativeness > 0: the searches disagreed
    bands: Counter = field(default_factory=Counter)  # BANDS → conjectures
    evolved_proved: int = 0
    made: int | None = None  # variants the evolver made from this pool (None: not recorded)
    rejected: dict[str, int] = field(default_factory=dict)  # of those, by the filter's reason
    kept: int | None = None  # of those, how many entered the next pool
    sample: list[Sampled] = field(default_factory=list)


def band(proved: int, searches: int) -> str:
    if proved == 0:
        return BANDS[0]
    if proved == searches:
        return BANDS[3]
    return BANDS[2] if 2 * proved >= searches else BANDS[1]


def iteration_dirs(run_dir: Path) -> list[Path]:
    dirs = sorted(d for d in run_dir.glob("iter_[0-9][0-9][0-9]") if (d / "conjectures.jsonl").is_file())
    if not dirs:
        raise BadInput(f"{run_dir}: not a `rir selfplay` output folder (no iter_NNN/conjectures.jsonl)")
    return dirs


def _rows(path: Path) -> list[dict]:
    return [row for _, row in jsonl.read_lines(path)] if path.is_file() else []


def read_iteration(d: Path, seed: int = 0) -> IterationReport:
    rows = _rows(d / "conjectures.jsonl")
    report = IterationReport(int(d.name.split("_")[1]), pool=len(rows))
    for row in rows:
        proved = int(row["proved"])
        report.proved += proved > 0
        report.informative += row["informativeness"] > 0
        report.bands[band(proved, len(row["rewards"]))] += 1
    evolved = [r for r in rows if r["origin"] != "seed"]
    report.evolved, report.evolved_proved = len(evolved), sum(int(r["proved"]) > 0 for r in evolved)
    picked = random.Random(seed + report.iteration).sample(evolved, min(SAMPLE_SIZE, len(evolved)))
    report.sample = [Sampled(r["origin"], r["statement"], int(r["proved"]), len(r["rewards"])) for r in picked]
    if (d / "done.json").is_file():  # an iteration that has not finished has made no variants yet
        done = json.loads((d / "done.json").read_text())
        report.rejected, report.made = dict(done["rejected"]), done.get("variants_made")
        report.kept = sum(row.get("iteration", 0) == report.iteration + 1 for row in _rows(d / "next_pool.jsonl"))
    return report


def creator_report(run_dir: str | Path, seed: int = 0) -> list[IterationReport]:
    """One IterationReport per iteration of the run in `run_dir` (samples drawn with `seed`)."""
    return [read_iteration(d, seed) for d in iteration_dirs(Path(run_dir))]


def markdown(reports: list[IterationReport], name: str = "run") -> str:
    """A table per iteration and the sampled conjectures, as Markdown."""
    lines = [f"## Creator: {name}", "",
             "| iteration | pool (evolved) | proved (evolved) | informative | " + " | ".join(BANDS)
             + " | variants made | refuted | other rejections | entered the next pool |",
             "|---" * (8 + len(BANDS)) + "|"]
    for r in reports:
        other = {k: v for k, v in r.rejected.items() if k != "refuted"}
        lines.append(
            f"| {r.iteration} | {r.pool} ({r.evolved}) | {r.proved} ({r.evolved_proved}) | {r.informative} | "
            + " | ".join(str(r.bands[b]) for b in BANDS)
            + f" | {'–' if r.made is None else r.made} | {r.rejected.get('refuted', 0)} | "
            + (", ".join(f"{k} {v}" for k, v in sorted(other.items())) or "–")
            + f" | {'–' if r.kept is None else r.kept} |")
    for r in reports:
        if r.sample:
            lines += ["", f"Iteration {r.iteration}, evolved conjectures (proved by k of N searches):", ""]
            lines += [f"- `{s.origin}` {s.proved}/{s.searches}: `{s.statement}`" for s in r.sample]
    return "\n".join(lines) + "\n"


def plot_difficulty(runs: dict[str, list[IterationReport]], path: Path) -> None:
    """Stacked bars: the pool's difficulty bands per iteration, one group per run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4.2), dpi=120)
    colours = ("tab:red", "tab:orange", "tab:olive", "tab:green")
    width = 0.8 / max(1, len(runs))
    for k, (name, reports) in enumerate(runs.items()):
        xs = [r.iteration + k * width for r in reports]
        bottom = [0.0] * len(reports)
        for b, colour in zip(BANDS, colours):
            shares = [100 * r.bands[b] / max(1, r.pool) for r in reports]
            ax.bar(xs, shares, width * 0.95, bottom=bottom, color=colour,
                   label=b if k == 0 else None, edgecolor="white")
            bottom = [x + y for x, y in zip(bottom, shares)]
        if len(runs) > 1:
            for x in xs:
                ax.text(x, 101, name, ha="center", fontsize=6, rotation=90, va="bottom")
    ax.set_xlabel("iteration")
    ax.set_ylabel("share of the pool (%)")
    ax.set_ylim(0, 100 if len(runs) == 1 else 125)
    ax.set_title("Difficulty of the pool: share of searches that proved each conjecture")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


CREATOR_FILES = ("creator.md", "difficulty.png")


def run_name(run_dir: Path) -> str:
    """A self-play folder's name in the report: its last two path parts (seed_0/selfplay)."""
    return "/".join(run_dir.resolve().parts[-2:])


def write_creator_report(run_dirs: list[str | Path], out_dir: str | Path,
                         force: bool = False) -> tuple[dict[str, list[IterationReport]], list[Path]]:
    """DIR/creator.md and DIR/difficulty.png for the self-play runs; every run is read, and
    DIR checked (a report already there is kept unless `force`), before anything is written."""
    from rir.output_paths import new_files, writing

    runs = {run_name(Path(d)): creator_report(d) for d in run_dirs}
    out = new_files(out_dir, list(CREATOR_FILES), force)
    files = [out / name for name in CREATOR_FILES]
    with writing(files[0]):
        files[0].write_text("# What the creator made\n\n" + "\n".join(markdown(r, n) for n, r in runs.items()),
                            encoding="utf-8")
    with writing(files[1]):
        plot_difficulty(runs, files[1])
    return runs, files
