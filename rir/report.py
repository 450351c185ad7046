"""Summaries, tables and plots of evaluation runs (results JSONL files).

pass@1 = proved / attempted, where every attempted theorem counts, errors included:
as ReProver counts, a theorem that ended in error (a backend that could not open
it, a crash) is a failure of that theorem. Errors are shown as their own column and
listed with their reasons. Times are the search's own statistics, in seconds.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from lean_env.errors import BadInput
from rir.evaluation.results import parse_lines, to_result
from search.result import SearchResult

PLOTS = ("time_cdf", "planner_vs_actor", "pass_vs_budget")
REPORT_FILES = ("summary.md", *(f"{name}.png" for name in PLOTS))  # what write_report writes


@dataclass
class RunSummary:
    name: str
    proved: int
    failed: int
    errors: list[tuple[str, str]] = field(default_factory=list)  # (theorem, reason)
    proof_times: list[float] = field(default_factory=list)  # total_time of each proved theorem
    mean_planner_time: float = math.nan  # over proved and failed theorems
    mean_actor_time: float = math.nan
    mean_env_time: float = math.nan
    settings: dict = field(default_factory=dict)

    @property
    def attempted(self) -> int:
        """Every theorem the run took: an error is a failure of its theorem, not a skip."""
        return self.proved + self.failed + len(self.errors)

    @property
    def pass_at_1(self) -> float:
        return self.proved / self.attempted if self.attempted else math.nan

    @property
    def mean_time_to_proof(self) -> float:
        return statistics.fmean(self.proof_times) if self.proof_times else math.nan

    @property
    def median_time_to_proof(self) -> float:
        return statistics.median(self.proof_times) if self.proof_times else math.nan


def load_run(path: str | Path) -> list[SearchResult]:
    """The results in a results file (a torn last line is ignored, the file left as is)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise BadInput(f"cannot read results file {path}: {e.strerror}") from None
    results = []
    for lineno, record in parse_lines(data, path)[0]:
        problem = _stats_problem(record)
        if problem:
            raise BadInput(f"{path}:{lineno}: not a results line ({problem})")
        results.append(to_result(record, path, lineno))
    return results


def _stats_problem(record: dict) -> str | None:
    """Wrong-typed fields that would otherwise surface as a traceback in the summary."""
    stats = record.get("stats")
    if stats is None:
        return None
    if not isinstance(stats, dict):
        return "'stats' is not an object"
    for key, value in stats.items():
        if key.endswith("time") or key in ("seconds", "total_nodes", "expanded_nodes", "env_calls"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
                return f"'stats.{key}' is {value!r}, not a number"
    if "seconds" in record and (isinstance(record["seconds"], bool)
                                or not isinstance(record["seconds"], (int, float))):
        return f"'seconds' is {record['seconds']!r}, not a number"
    return None


def summarize(results: list[SearchResult], name: str = "run") -> RunSummary:
    latest = {r.theorem: r for r in results}  # a name twice (--force): its last result counts
    done = [r for r in latest.values() if r.status != "error"]
    summary = RunSummary(
        name=name,
        proved=sum(r.status == "proved" for r in done),
        failed=sum(r.status in ("failed", "check_failed") for r in done),
        errors=[(r.theorem, r.reason or "") for r in latest.values() if r.status == "error"],
        proof_times=[_stat(r, "total_time") for r in done if r.status == "proved"],
        settings=next((r.settings for r in results if r.settings), {}),
    )
    if done:
        summary.mean_planner_time = statistics.fmean(_stat(r, "planner_time") for r in done)
        summary.mean_actor_time = statistics.fmean(_stat(r, "actor_time") for r in done)
        summary.mean_env_time = statistics.fmean(_stat(r, "env_time") for r in done)
    return summary


def _stat(result: SearchResult, key: str) -> float:
    return float(getattr(result.stats, key))


def run_names(paths: list[Path]) -> list[str]:
    """Short names for runs: file stems, with the folder when stems repeat."""
    stems = [p.stem for p in paths]
    return [f"{p.parent.name}/{p.stem}" if stems.count(p.stem) > 1 else p.stem for p in paths]


# ---------------------------------------------------------------- tables

METRICS = ("Settings", "Proved", "Failed", "Errors", "pass@1", "Mean time to proof (s)",
           "Median time to proof (s)", "Mean planner time (s)", "Mean actor time (s)",
           "Mean env time (s)")


def _column(s: RunSummary) -> list[str]:
    return [_settings_text(s.settings), str(s.proved), str(s.failed), str(len(s.errors)),
            _pct(s.pass_at_1), _num(s.mean_time_to_proof), _num(s.median_time_to_proof),
            _num(s.mean_planner_time), _num(s.mean_actor_time), _num(s.mean_env_time)]


def _settings_text(settings: dict) -> str:
    if not settings:
        return "-"
    model = Path(str(settings.get("model", ""))).name
    return f"{settings.get('mode')}/{settings.get('search')} {settings.get('backend')} {model} {settings.get('timeout')}s"


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else f"{100 * x:.1f}%"


def _num(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:.2f}"


def _rows(summaries: list[RunSummary]) -> list[list[str]]:
    """One row per metric, one column per run: runs side by side."""
    columns = [_column(s) for s in summaries]
    return [[metric, *(c[i] for c in columns)] for i, metric in enumerate(METRICS)]


def _errors(summaries: list[RunSummary]) -> list[tuple[str, str, str]]:
    return [(s.name, thm, reason) for s in summaries for thm, reason in s.errors]


def markdown_table(summaries: list[RunSummary]) -> str:
    def line(cells) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    lines = [line(["Metric", *(s.name for s in summaries)]), "|---" * (len(summaries) + 1) + "|"]
    lines += [line(row) for row in _rows(summaries)]
    if _errors(summaries):
        lines += ["", "Errors (failures in pass@1):", "", line(["Run", "Theorem", "Reason"]), "|---|---|---|"]
        lines += [line(row) for row in _errors(summaries)]
    return "\n".join(lines) + "\n"


def rich_tables(summaries: list[RunSummary], max_errors: int = 20) -> list:
    """The summary table, and the errors apart (at most `max_errors` rows)."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Evaluation")
    table.add_column("Metric")
    for s in summaries:
        table.add_column(escape(s.name), justify="right", overflow="fold")
    for row in _rows(summaries):
        table.add_row(*map(escape, row))
    tables = [table]
    errors = _errors(summaries)
    if errors:
        shown = errors[:max_errors]
        more = f" ({len(errors) - len(shown)} more not shown)" if len(errors) > len(shown) else ""
        error_table = Table(title=f"Errors (failures in pass@1){more}")
        for column in ("Run", "Theorem", "Reason"):
            error_table.add_column(column, overflow="fold")
        for row in shown:
            error_table.add_row(*map(escape, row))  # names such as `t[/x]` print literally
        tables.append(error_table)
    return tables


# ---------------------------------------------------------------- plots


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.2), dpi=120)
    ax.grid(True, alpha=0.3)
    return plt, fig, ax


def _save(plt, fig, ax, path: Path) -> None:
    if ax.get_legend_handles_labels()[0]:
        ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_time_cdf(runs: dict[str, list[SearchResult]], path: Path) -> None:
    """Share of proved theorems found within t seconds, one line per run (RiR Fig. 3)."""
    plt, fig, ax = _figure()
    for name, records in runs.items():
        times = sorted(summarize(records, name).proof_times)
        if times:
            shares = [(i + 1) / len(times) for i in range(len(times))]
            ax.step([0.0] + times, [0.0] + shares, where="post", label=f"{name} ({len(times)} proved)")
    ax.set_xlabel("search time (s)")
    ax.set_ylabel("share of proved theorems")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_title("Search time of proved theorems (CDF)")
    _save(plt, fig, ax, path)


def plot_planner_vs_actor(runs: dict[str, list[SearchResult]], path: Path) -> None:
    """Planner time against actor time per proved theorem (RiR Fig. 2)."""
    plt, fig, ax = _figure()
    top = 0.0
    for name, records in runs.items():
        proved = [r for r in records if r.status == "proved"]
        xs = [_stat(r, "actor_time") for r in proved]
        ys = [_stat(r, "planner_time") for r in proved]
        if proved:
            ax.scatter(xs, ys, s=14, alpha=0.7, label=name)
            top = max(top, *xs, *ys)
    if top > 0:
        ax.plot([0, top], [0, top], color="grey", linewidth=0.8, linestyle="--", label="planner = actor")
    ax.set_xlabel("actor time (s)")
    ax.set_ylabel("planner time (s)")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_title("Planner vs actor time per proved theorem")
    _save(plt, fig, ax, path)


def plot_pass_vs_budget(runs: dict[str, list[SearchResult]], path: Path) -> None:
    """pass@1 had each search stopped at a budget of t seconds (a step per proof found)."""
    plt, fig, ax = _figure()
    summaries = {name: summarize(records, name) for name, records in runs.items()}
    limit = max([max(s.proof_times, default=0.0) for s in summaries.values()]
                + [float(s.settings.get("timeout") or 0.0) for s in summaries.values()] + [1e-9])
    for name, s in summaries.items():
        if s.attempted:
            times = sorted(s.proof_times)
            rates = [100 * (i + 1) / s.attempted for i in range(len(times))]
            ax.step([0.0, *times, limit], [0.0, *rates, rates[-1] if rates else 0.0], where="post",
                    label=f"{name} ({_pct(s.pass_at_1)})")
    ax.set_xlabel("time budget per theorem (s)")
    ax.set_ylabel("pass@1 (%)")
    ax.set_xlim(0, limit)
    ax.set_ylim(bottom=0)
    ax.set_title("Pass rate against time budget")
    _save(plt, fig, ax, path)


def write_report(paths: list[str | Path], out_dir: str | Path,
                 force: bool = False) -> tuple[list[RunSummary], list[Path]]:
    """DIR/summary.md and the three PNG plots comparing the runs; returns summaries and files.
    Every run is read, and DIR checked (a report already there is kept unless `force`),
    before anything is written."""
    from rir.output_paths import new_files, writing

    paths = [Path(p) for p in paths]
    runs = dict(zip(run_names(paths), (load_run(p) for p in paths)))
    out_dir = new_files(out_dir, list(REPORT_FILES), force)
    summaries = [summarize(records, name) for name, records in runs.items()]
    files = [out_dir / "summary.md"]
    with writing(files[0]):
        files[0].write_text("# Evaluation runs\n\n" + markdown_table(summaries), encoding="utf-8")
    for plot, name in zip((plot_time_cdf, plot_planner_vs_actor, plot_pass_vs_budget), PLOTS):
        files.append(out_dir / f"{name}.png")
        with writing(files[-1]):
            plot(runs, files[-1])
    return summaries, files
