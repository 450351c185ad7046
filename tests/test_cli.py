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


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exc:
        cli.main([*argv, "--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


def test_help_speaks_to_users_not_developers(capsys):
    top = _help(capsys)
    description = top.split("\n\n")[1]
    assert "theorem proving for Lean 4" in description and "parse arguments" not in top
    assert "exit status" in top and "130" in top
    eval_help = _help(capsys, "eval")
    assert "RIR_EVAL_PROVER" not in eval_help and "seam" not in eval_help.lower()


@pytest.mark.parametrize("command", ["eval", "prove"])
def test_every_setting_option_has_help_text(command):
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    undocumented = [a.option_strings[0] for a in sub._actions if a.option_strings and not a.help]
    assert undocumented == []


def test_a_trailing_slash_on_model_is_the_same_setting():
    assert ProverSettings(model="models/x/").to_dict() == ProverSettings(model="models/x").to_dict()
