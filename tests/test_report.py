"""rir.report and `rir report`: summaries of results files, a Markdown table and three plots."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from lean_env.errors import BadInput
from rir import cli
from rir.report import PLOTS, load_run, markdown_table, write_report
from rir.report import summarize as summarize_results
from search.result import SearchResult


def record(name: str, status: str, total: float, planner: float = 0.0, actor: float = 0.0,
           timeout: float = 10.0) -> dict:
    return {"name": name, "status": status, "proof": ["simp"] if status == "proved" else None,
            "reason": "could not open" if status == "error" else None,
            "stats": {"planner_time": planner, "actor_time": actor, "env_time": 0.5, "total_time": total},
            "settings": {"mode": "rir", "search": "bfs", "backend": "embedded",
                         "model": "models/rir-micro", "timeout": timeout}}


RIR_RUN = [record("a", "proved", 1.0, 0.3, 0.5), record("b", "proved", 3.0, 1.0, 1.5),
           record("c", "failed", 10.0, 4.0, 5.0), record("d", "error", 0.0)]
FLAT_RUN = [record("a", "proved", 2.0, 0.0, 1.8), record("b", "failed", 10.0, 0.0, 9.0),
            record("c", "failed", 10.0, 0.0, 9.0), record("d", "error", 0.0)]


def summarize(records: list[dict], name: str = "run"):
    """rir.report.summarize of these records as a results file holds them."""
    return summarize_results([SearchResult.from_dict(r) for r in records], name)


def write_run(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_pass_at_1_counts_errors_as_failures_and_times_are_means_and_medians():
    s = summarize(RIR_RUN, "rir")
    assert (s.proved, s.failed, s.errors) == (2, 1, [("d", "could not open")])
    assert s.attempted == 4 and s.pass_at_1 == pytest.approx(2 / 4)  # as ReProver counts
    assert s.mean_time_to_proof == pytest.approx(2.0) and s.median_time_to_proof == pytest.approx(2.0)
    assert s.mean_planner_time == pytest.approx((0.3 + 1.0 + 4.0) / 3)
    assert s.mean_actor_time == pytest.approx((0.5 + 1.5 + 5.0) / 3)


def test_a_run_of_only_errors_has_pass_rate_zero():
    s = summarize([record("d", "error", 0.0)])
    assert s.pass_at_1 == 0.0 and math.isnan(s.mean_time_to_proof)
    assert "| pass@1 | 0.0% |" in markdown_table([s]) and "| Errors | 1 |" in markdown_table([s])


def test_a_run_with_nothing_attempted_has_no_pass_rate():
    s = summarize([])
    assert math.isnan(s.pass_at_1)
    assert "| pass@1 | - |" in markdown_table([s])


def test_markdown_puts_runs_side_by_side_and_lists_errors_apart():
    table = markdown_table([summarize(RIR_RUN, "rir"), summarize(FLAT_RUN, "flat")])
    assert table.splitlines()[0] == "| Metric | rir | flat |"
    assert "| pass@1 | 50.0% | 25.0% |" in table  # errors are failures of their theorem
    assert "| rir | d | could not open |" in table


def test_report_of_two_runs_writes_the_table_and_the_plots(tmp_path):
    runs = [write_run(tmp_path / "rir.jsonl", RIR_RUN), write_run(tmp_path / "flat.jsonl", FLAT_RUN)]
    summaries, files = write_report(runs, tmp_path / "report")
    assert [s.name for s in summaries] == ["rir", "flat"]
    assert sorted(f.name for f in files) == sorted(["summary.md"] + [f"{p}.png" for p in PLOTS])
    for png in files[1:]:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    assert "| Metric | rir | flat |" in (tmp_path / "report" / "summary.md").read_text()


def test_a_torn_last_line_is_ignored_without_touching_the_file(tmp_path):
    path = write_run(tmp_path / "run.jsonl", RIR_RUN)
    with path.open("a") as f:
        f.write('{"name": "e", "sta')
    before = path.read_bytes()
    assert [r.theorem for r in load_run(path)] == ["a", "b", "c", "d"]
    assert path.read_bytes() == before


def test_cli_report_exits_0_and_a_missing_run_exits_2(tmp_path, capsys):
    run = write_run(tmp_path / "rir.jsonl", RIR_RUN)
    assert cli.main(["report", str(run), "--out", str(tmp_path / "out")]) == 0
    assert "pass@1" in capsys.readouterr().out
    assert cli.main(["report", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert "missing.jsonl" in err and len(err.splitlines()) == 1


def test_a_malformed_line_is_bad_input_naming_it(tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_text('{"name": "a", "status": "proved"}\n{"oops": 1}\n')
    with pytest.raises(BadInput, match=r"run.jsonl:2"):
        load_run(path)


def test_report_into_an_unwritable_folder_exits_2_naming_it(tmp_path, capsys):
    run = write_run(tmp_path / "a.jsonl", [record("t1", "proved", 1.0)])
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert cli.main(["report", str(run), "--out", str(blocker / "report")]) == 2
    err = capsys.readouterr().err.strip()
    assert "cannot write" in err and "report" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("field, value", [("total_time", "abc"), ("planner_time", None),
                                          ("env_time", [1]), ("seconds", "abc")])
def test_a_wrong_typed_field_is_bad_input_naming_file_and_line(tmp_path, capsys, field, value):
    bad = record("b", "failed", 1.0)
    if field == "seconds":
        bad["seconds"] = value
    else:
        bad["stats"][field] = value
    run = write_run(tmp_path / "run.jsonl", [record("a", "proved", 1.0), bad])
    assert cli.main(["report", str(run), "--out", str(tmp_path / "rep")]) == 2
    err = capsys.readouterr().err.strip()
    assert f"{run}:2:" in err and field in err and len(err.splitlines()) == 1


def test_rich_markup_in_theorem_names_prints_literally(tmp_path, capsys):
    error = record("t[/x]", "error", 0.0)
    error["reason"] = "bad [/red] thing"
    run = write_run(tmp_path / "run.jsonl", [error, record("[bold]b", "proved", 1.0)])
    assert cli.main(["report", str(run), "--out", str(tmp_path / "rep")]) == 0
    out = capsys.readouterr().out
    assert "t[/x]" in out and "bad [/red] thing" in out


def test_a_report_already_in_out_is_kept_unless_forced(tmp_path, capsys):
    run = write_run(tmp_path / "a.jsonl", [record("t1", "proved", 1.0)])
    out = tmp_path / "rep"
    out.mkdir()
    (out / "summary.md").write_text("my summary")
    assert cli.main(["report", str(run), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "summary.md" in err and "--force" in err and len(err.splitlines()) == 1
    assert (out / "summary.md").read_text() == "my summary" and not (out / "time_cdf.png").exists()
    assert cli.main(["report", str(run), "--out", str(out), "--force"]) == 0
    assert "| Metric |" in (out / "summary.md").read_text()


def test_a_full_disk_while_writing_a_plot_is_a_clean_error(tmp_path, capsys, monkeypatch):
    import errno

    from rir import report

    def disk_full(runs, path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report, "plot_time_cdf", disk_full)
    run = write_run(tmp_path / "a.jsonl", [record("t1", "proved", 1.0)])
    assert cli.main(["report", str(run), "--out", str(tmp_path / "rep")]) == 2
    err = capsys.readouterr().err.strip()
    assert "time_cdf.png" in err and "No space left" in err and len(err.splitlines()) == 1
