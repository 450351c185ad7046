"""Compare evaluation runs: a Markdown table and PNG plots (time CDF, planner vs actor, pass vs budget).

Writes DIR/summary.md, DIR/time_cdf.png, DIR/planner_vs_actor.png and
DIR/pass_vs_budget.png from one or more results files of `rir eval`.
"""
from __future__ import annotations


def add_arguments(parser) -> None:
    parser.add_argument("runs", nargs="+", metavar="RUN.jsonl", help="results files of `rir eval`")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for summary.md and the plots")
    parser.add_argument("--force", action="store_true", help="overwrite a report already in --out")


def run(args) -> int:
    from rich.console import Console

    from rir.report import rich_tables, write_report

    summaries, files = write_report(args.runs, args.out, force=args.force)
    console = Console()
    for table in rich_tables(summaries):
        console.print(table)
    console.print("wrote " + ", ".join(str(f) for f in files))
    return 0
