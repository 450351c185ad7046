"""Compare evaluation runs: a Markdown table and PNG plots (time CDF, planner vs actor, pass vs budget).

Writes DIR/summary.md, DIR/time_cdf.png, DIR/planner_vs_actor.png and
DIR/pass_vs_budget.png from one or more results files of `rir eval`. Given `rir selfplay`
output folders instead, reports what the creator made (training.creator_report):
DIR/creator.md (per iteration: pool, proved, informative, difficulty bands, refuted and
other rejected variants, a sample of evolved conjectures) and DIR/difficulty.png.
"""
from __future__ import annotations

from pathlib import Path


def add_arguments(parser) -> None:
    parser.add_argument("runs", nargs="+", metavar="RUN",
                        help="results files of `rir eval`, or output folders of `rir selfplay`")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the report and its plots")
    parser.add_argument("--force", action="store_true", help="overwrite a report already in --out")


def run(args) -> int:
    from rich.console import Console

    from lean_env.errors import BadInput

    folders = [Path(r).is_dir() for r in args.runs]
    if any(folders) and not all(folders):
        raise BadInput("rir report: give either results files of `rir eval` or `rir selfplay` folders, not both")
    console = Console()
    if all(folders):
        from training.creator_report import markdown, write_creator_report

        runs, files = write_creator_report(args.runs, args.out, force=args.force)
        for name, reports in runs.items():
            console.print(markdown(reports, name), markup=False, highlight=False, soft_wrap=True)
    else:
        from rir.report import rich_tables, write_report

        summaries, files = write_report(args.runs, args.out, force=args.force)
        for table in rich_tables(summaries):
            console.print(table)
    console.print("wrote " + ", ".join(str(f) for f in files))
    return 0
