"""The `rir` entry point: exit codes and one-line errors."""
import pytest

from lean_env.errors import BadInput
from rir import cli
from rir.prover import ProverSettings


def test_argument_errors_are_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["no-such-command"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "error" in err


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for name in ("prove", "eval", "check", "trace", "train"):
        assert name in out


def test_bad_settings_are_bad_input():
    with pytest.raises(BadInput, match="unknown search 'dfs'"):
        ProverSettings(search="dfs")
    with pytest.raises(BadInput, match="timeout"):
        ProverSettings(timeout=0)


def test_settings_name_the_shipped_model_by_default():
    assert ProverSettings(mode="flat").model_path.endswith("models/flat-micro")
    assert ProverSettings(model="m").model_path == "m"
