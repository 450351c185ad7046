"""Settings written once: the options of `rir prove`/`rir eval` are made from
ProverSettings, their defaults are its defaults, and each one reaches the search."""
import argparse
import dataclasses

import pytest

import rir.policy
from lean_env.errors import BadInput
from lean_env.protocol import ProofFinished
from lean_env.theorems import Theorem, write_theorems
from rir import cli, prover
from rir.closers import WithClosers
from rir.prover import ProverSettings
from rir.settings import add_options, declared, flag_of, from_args, setting
from scripted_policy import ScriptedEnv, ScriptedPolicy
import search.best_first
import search.mcts


def _subparser(command: str) -> argparse.ArgumentParser:
    parser = cli.build_parser()
    return next(a for a in parser._actions if a.dest == "command").choices[command]


REQUIRED = {"prove": ["--theorem", "t"], "eval": ["--theorems", "micro-test", "--out", "r.jsonl"]}


@pytest.mark.parametrize("command", ["prove", "eval"])
def test_the_parser_defaults_are_the_dataclass_defaults(command):
    args = _subparser(command).parse_args(REQUIRED[command])
    assert prover.settings_from_args(args) == ProverSettings()


@pytest.mark.parametrize("command", ["prove", "eval"])
def test_every_setting_is_an_option_with_its_default_in_the_help(command):
    sub = _subparser(command)
    options = {a.dest: a for a in sub._actions}
    for f, decl, _ in declared(ProverSettings):
        assert f.name in options, f"{command} has no option for {f.name}"
        assert flag_of(f, decl) in options[f.name].option_strings
    timeout = options["timeout"]
    assert timeout.default == ProverSettings.timeout and "(default 60.0)" in timeout.help


@pytest.mark.parametrize("command", ["check", "trace"])
def test_replaying_commands_share_the_backend_options(command):
    dests = {a.dest for a in _subparser(command)._actions}
    assert {"backend", "env_options"} <= dests and "timeout" not in dests


# Every setting set to a value other than its default, and where the search sees it.
NON_DEFAULT = {
    "backend": (["--backend", "repl", "--env-option", "memory_limit_mb=4096"], "make_env", "repl"),
    "env_options": ([], "make_env_options", {"memory_limit_mb": 4096}),
    "search": (["--search", "mcts"], "algorithm", "mcts"),
    "mode": (["--mode", "flat"], "policy", ("mode", "flat")),
    "model": (["--model", "{model}"], "policy", ("path", "{model}")),
    "timeout": (["--timeout", "7.5"], "budget", ("timeout", 7.5)),
    "max_expansions": (["--max-expansions", "3"], "budget", ("max_expansions", 3)),
    "max_env_calls": (["--max-env-calls", "4"], "budget", ("max_env_calls", 4)),
    "num_targets": (["--num-targets", "2"], "policy", ("num_targets", 2)),
    "num_tactics": (["--num-tactics", "3"], "policy", ("num_tactics", 3)),
    "untargeted": (["--untargeted"], "untargeted", True),
    "closers": (["--closers"], "closers", True),
    "decoding": (["--decoding", "sample"], "policy", ("decoding", "sample")),
    "target_decoding": (["--target-decoding", "sample"], "policy", ("target_decoding", "sample")),
    "temperature": (["--temperature", "0.7"], "policy", ("temperature", 0.7)),
    "seed": (["--seed", "11"], "policy", ("seed", 11)),
    "c_puct": (["--c-puct", "2.5"], "options", ("c_puct", 2.5)),
    "widening": (["--widening", "none"], "options", ("widening", None)),
    "max_children": (["--max-children", "6"], "options", ("max_children", 6)),
    "device": (["--device", "cpu"], "policy", ("device", "cpu")),
    "trust_checkpoint": (["--trust-checkpoint"], "policy", ("trust_checkpoint", True)),
    "prompt_format": (["--prompt-format", "bfs-prover"], "policy", ("prompt_format", "bfs-prover")),
    "generator": (["--generator", "vllm"], "policy", ("generator", "vllm")),
}
# Options of best-first search only (NON_DEFAULT runs MCTS): tested on their own below.
BFS_ONLY = {"planning", "plan_penalty", "plan_after", "max_tactics"}
# Options of bi-level search only (NON_DEFAULT runs --mode flat): tested on their own below.
RIR_ONLY = {"flat_actor"}


@pytest.fixture
def captured(monkeypatch, tmp_path):
    """Run the real assembly with the model, the backend and the search replaced by
    recorders: what each of them was given is in the returned dict."""
    seen: dict = {}

    def load_policy(path, **kwargs):
        seen.setdefault("policy", {"path": str(path), **kwargs})  # the --model one, loaded first
        seen.setdefault("loads", []).append((str(path), kwargs["mode"]))
        return ScriptedPolicy(tactics={})

    def make_env(backend, **options):
        seen["make_env"], seen["make_env_options"] = backend, options
        return ScriptedEnv("⊢ A", {("⊢ A", "a"): ProofFinished()})

    def fake_search(name):
        def run(search, **options):
            seen.update(algorithm=name, budget=search.budget, untargeted=search.untargeted,
                        options=options, closers=isinstance(search.policy, WithClosers))
            return "budget: stopped by the test"
        return run

    monkeypatch.setattr(rir.policy, "load_policy", load_policy)
    monkeypatch.setattr("rir.vllm_backend.check_vllm", lambda: None)  # --generator vllm, no GPU here
    monkeypatch.setattr(prover, "make_env", make_env)
    monkeypatch.setattr(search.mcts, "mcts", fake_search("mcts"))
    monkeypatch.setattr(search.best_first, "best_first", fake_search("bfs"))
    return seen


def _command(command: str, tmp_path, *argv: str) -> list[str]:
    theorems = tmp_path / "set.jsonl"
    write_theorems(theorems, [Theorem("t", "theorem t : True")])
    if command == "prove":
        return ["prove", "--theorem", "t", "--theorems", str(theorems), *argv]
    return ["eval", "--theorems", str(theorems), "--out", str(tmp_path / "r.jsonl"),
            "--workers", "0", "--quiet", *argv]


@pytest.mark.parametrize("command", ["prove", "eval"])
def test_each_option_reaches_the_search(command, captured, tmp_path):
    assert set(NON_DEFAULT) | BFS_ONLY | RIR_ONLY == {f.name for f, _, _ in declared(ProverSettings)}
    model = str(tmp_path / "model")
    (tmp_path / "model").mkdir()
    argv = [a.format(model=model) for flags, _, _ in NON_DEFAULT.values() for a in flags]
    assert cli.main(_command(command, tmp_path, *argv)) == (1 if command == "prove" else 0)
    for name, (_, where, expected) in NON_DEFAULT.items():
        got = captured[where]
        if isinstance(expected, tuple):
            key, value = expected
            got = got[key] if isinstance(got, dict) else getattr(got, key)
            expected = value.format(model=model) if isinstance(value, str) else value
        assert got == expected, f"{name}: {where} got {got!r}"


@pytest.mark.parametrize("command", ["prove", "eval"])
def test_flat_actor_loads_a_second_model_in_flat_mode(command, captured, tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    assert cli.main(_command(command, tmp_path, "--flat-actor", str(flat))) == (1 if command == "prove" else 0)
    assert captured["loads"][1] == (str(flat), "flat") and captured["loads"][0][1] == "rir"


def test_the_shipped_co_trained_model_gets_the_shipped_flat_actor_by_default(captured, tmp_path):
    assert cli.main(_command("prove", tmp_path)) == 1
    assert captured["loads"] == [(str(prover.DEFAULT_MODELS["rir"]), "rir"),
                                 (str(prover.DEFAULT_MODELS["flat"]), "flat")]


@pytest.mark.parametrize("argv", [["--flat-actor", "none"], ["--model", "{model}"]])
def test_none_or_a_users_own_model_loads_one_model(argv, captured, tmp_path):
    (tmp_path / "model").mkdir()
    assert cli.main(_command("eval", tmp_path, *[a.format(model=tmp_path / "model") for a in argv])) == 0
    assert len(captured["loads"]) == 1 and captured["loads"][0][1] == "rir"


def test_a_missing_flat_actor_is_exit_2_naming_it(capsys, tmp_path):
    assert cli.main(_command("prove", tmp_path, "--flat-actor", str(tmp_path / "nowhere"))) == 2
    err = capsys.readouterr().err
    assert f"missing --flat-actor checkpoint {tmp_path}/nowhere" in err and "Traceback" not in err


def test_best_first_gets_no_mcts_options(captured, tmp_path):
    assert cli.main(_command("prove", tmp_path, "--c-puct", "3")) == 1
    # the co-trained model's defaults: planning when exhausted, beams widened up to 64 tactics
    assert captured["algorithm"] == "bfs"
    assert captured["options"] == {"planning": "exhausted", "widths": (16, 32, 64)}
    assert captured["policy"]["decoding"] == "beam" and captured["budget"].timeout == 60.0


@pytest.mark.parametrize("command", ["prove", "eval"])
def test_fallback_planning_reaches_best_first_search(command, captured, tmp_path):
    assert cli.main(_command(command, tmp_path, "--planning", "fallback", "--plan-penalty", "2.5")) \
        == (1 if command == "prove" else 0)
    assert captured["algorithm"] == "bfs"
    assert captured["options"] == {"planning": "fallback", "plan_penalty": 2.5, "widths": (16, 32, 64)}


def test_planning_when_exhausted_reaches_best_first_search(captured, tmp_path):
    assert cli.main(_command("prove", tmp_path, "--planning", "exhausted")) == 1
    assert captured["options"] == {"planning": "exhausted", "widths": (16, 32, 64)}
    assert cli.main(_command("prove", tmp_path, "--planning", "exhausted", "--plan-after", "3")) == 1
    assert captured["options"] == {"planning": "exhausted", "plan_after": 3, "widths": (16, 32, 64)}
    assert cli.main(_command("prove", tmp_path, "--mode", "flat", "--planning", "exhausted")) == 1
    assert captured["options"] == {"widths": (16, 32, 64)}  # flat search has no planner


@pytest.mark.parametrize("mode", ["rir", "flat"])
def test_wider_beams_reach_best_first_search_as_doubling_widths(mode, captured, tmp_path):
    assert cli.main(_command("prove", tmp_path, "--num-tactics", "6", "--mode", mode, "--planning", "always")) == 1
    assert captured["options"] == {"widths": (12, 24, 48)}  # by default doubling while ≤ 64
    assert cli.main(_command("prove", tmp_path, "--num-tactics", "6", "--max-tactics", "30",
                             "--planning", "always")) == 1
    assert captured["options"] == {"widths": (12, 24)}


def test_max_tactics_0_never_widens(captured, tmp_path):
    assert cli.main(_command("prove", tmp_path, "--max-tactics", "0", "--planning", "always")) == 1
    assert captured["options"] == {}


def test_mcts_ignores_wider_beams(captured, tmp_path):
    assert cli.main(_command("prove", tmp_path, "--search", "mcts")) == 1
    assert "widths" not in captured["options"]


def test_planning_always_asks_the_planner_at_every_expansion(captured, tmp_path):
    assert cli.main(_command("prove", tmp_path, "--planning", "always", "--max-tactics", "0")) == 1
    assert captured["options"] == {}  # best-first search's own defaults


def test_flat_mode_ignores_fallback_planning(captured, tmp_path):
    assert cli.main(_command("prove", tmp_path, "--mode", "flat", "--planning", "fallback")) == 1
    assert captured["options"] == {"widths": (16, 32, 64)}


@pytest.mark.parametrize("argv, message", [
    (["--planning", "sometimes"], "invalid choice: 'sometimes'"),
    (["--plan-penalty", "-1"], "--plan-penalty must be a number at least 0"),
    (["--widening", "2"], "--widening: expected C,ALPHA"),
    (["--widening", "0,0.5"], "--widening must be a number above 0"),
    (["--c-puct", "-1"], "--c-puct must be a number at least 0"),
    (["--max-children", "0"], "--max-children must be an integer at least 1"),
    (["--temperature", "nan"], "--temperature must be a number above 0"),
    (["--decoding", "greedy"], "invalid choice: 'greedy'"),
    (["--target-decoding", "greedy"], "unknown target decoding 'greedy': choose one of beam, sample"),
])
def test_bad_search_options_exit_2_with_one_line(argv, message, captured, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:  # argparse's errors
        code = cli.main(_command("prove", tmp_path, *argv))
        raise SystemExit(code)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert "algorithm" not in captured  # refused before any search


def test_a_settings_record_is_validated_from_its_declaration():
    @dataclasses.dataclass(frozen=True)
    class Example:
        kind: str = setting("a", choices=("a", "b"), help="a kind")
        count: int = setting(1, minimum=1, help="how many")

        def __post_init__(self):
            from rir.settings import check
            check(self)

    parser = argparse.ArgumentParser()
    add_options(parser, Example)
    assert from_args(Example, parser.parse_args([])) == Example()
    assert from_args(Example, parser.parse_args(["--count", "3"])).count == 3
    with pytest.raises(BadInput, match="unknown kind 'c': choose one of a, b"):
        Example(kind="c")
    with pytest.raises(BadInput, match="--count must be an integer at least 1, got 0"):
        Example(count=0)


def test_selfplay_options_are_made_from_its_config_with_the_same_defaults():
    from rir.commands.selfplay import config_from_args
    from training.evolve import MUTATIONS
    from training.selfplay_config import SelfPlayConfig

    sub = _subparser("selfplay")
    assert config_from_args(sub.parse_args(["--out", "o"])) == SelfPlayConfig.of(out_dir="o")
    two = ",".join(list(MUTATIONS)[:2])
    config = config_from_args(sub.parse_args(
        ["--out", "o", "--heldout", "none", "--replay", "none", "--mutations", two, "--workers", "2",
         "--num-searches", "3", "--informativeness", "variance", "--dpo", "--expert-iteration"]))
    assert config.heldout.heldout_set is None and config.update.replay is None
    assert config.heldout.heldout_workers == 2 and config.update.dpo and config.creator is None
    assert config.estimate.num_searches == 3 and config.estimate.informativeness == "variance"
    kept = config_from_args(sub.parse_args(["--out", "o", "--mutations", two]))
    assert kept.creator.mutations == tuple(two.split(","))


def test_every_selfplay_option_has_help_text():
    undocumented = [a.option_strings[0] for a in _subparser("selfplay")._actions
                    if a.option_strings and not a.help]
    assert undocumented == []
