"""`rir prove`: the proof and statistics on stdout, exit 0 / 1 / 2.

Most tests swap the model and backend for the scripted doubles (monkeypatching
rir.prover.build_policy / build_env), so they check the command, not a model.
"""
import json

import pytest

from lean_env.protocol import Crash, ProofFinished
from lean_env.theorems import Theorem, write_theorems
from rir import cli, prover
from scripted_policy import ScriptedEnv, ScriptedPolicy, state

STATEMENT = "theorem and_intro (p q : Prop) (hp : p) (hq : q) : p ∧ q"


@pytest.fixture
def theorems(tmp_path):
    path = tmp_path / "set.jsonl"
    write_theorems(path, [Theorem("and_intro", STATEMENT + " := by\n  sorry"),
                          Theorem("broken", "theorem broken : (")])
    return str(path)


@pytest.fixture
def scripted(monkeypatch, tmp_path):
    """Run `rir prove` on a scripted backend: ⊢ A --a--> ⊢ B --b--> proved."""
    monkeypatch.setitem(prover.DEFAULT_MODELS, "rir", tmp_path)  # a checkpoint dir that exists
    transitions = {("⊢ A", "a"): state("⊢ B"), ("⊢ B", "b"): ProofFinished()}
    env = ScriptedEnv("⊢ A", transitions, bad_statements=("theorem broken : (",))
    policy = ScriptedPolicy(tactics={"⊢ A": [("x", -0.1), ("a", -0.5)], "⊢ B": [("b", -0.1)]})
    monkeypatch.setattr(prover, "build_policy", lambda settings: policy)
    monkeypatch.setattr(prover, "build_env", lambda settings: env)
    return env


def prove(*argv):
    return cli.main(["prove", *argv])


def test_a_proof_is_printed_as_a_lean_by_block_with_statistics(theorems, scripted, capsys, tmp_path):
    tree = tmp_path / "out" / "tree.json"  # its folder is made
    assert prove("--theorem", "and_intro", "--theorems", theorems, "--tree", str(tree)) == 0
    out = capsys.readouterr().out
    assert f"{STATEMENT} := by\n  a\n  b\n" in out
    for label in ("planner time", "actor time", "environment time", "total time",
                  "total nodes", "expanded nodes", "environment calls"):
        assert label in out
    assert json.loads(tree.read_text())["status"] == "proved"


def test_not_proved_exits_1_with_the_reason(theorems, scripted, capsys):
    assert prove("--theorem", "and_intro", "--theorems", theorems, "--max-expansions", "1") == 1
    captured = capsys.readouterr()
    assert "budget: 1 expansions" in captured.err and "expanded nodes" in captured.out


def test_a_backend_crash_is_a_negative_answer_not_bad_input(theorems, scripted, capsys):
    scripted.transitions[("⊢ A", "x")] = Crash("REPL died")
    assert prove("--theorem", "and_intro", "--theorems", theorems) == 1
    assert "REPL died" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--theorem", "nope", "--theorems", "SET"], "unknown theorem 'nope'"),
    (["--theorem", "broken", "--theorems", "SET"], "cannot open theorem 'broken'"),
    (["--theorem", "x", "--theorems", "no-such-set"], "unknown theorem set 'no-such-set'"),
    (["--theorem", "and_intro", "--repo", "https://x/y"], "--repo, --commit and --file go together"),
    (["--theorem", "and_intro", "--search", "dfs"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_line(theorems, scripted, capsys, argv, message):
    argv = [theorems if a == "SET" else a for a in argv]
    try:
        code = prove(*argv)
    except SystemExit as e:  # argparse rejects bad choices itself
        code = e.code
    err = capsys.readouterr().err.strip()
    assert code == 2 and message in err and len(err.splitlines()) == 1


def test_a_missing_checkpoint_exits_2(theorems, capsys, tmp_path):
    code = prove("--theorem", "and_intro", "--theorems", theorems, "--model", str(tmp_path / "none"))
    err = capsys.readouterr().err.strip()
    assert code == 2 and "none" in err and len(err.splitlines()) == 1


def test_a_tiny_model_runs_end_to_end_on_the_embedded_engine(theorems, tmp_path, capsys):
    from rir.generation import PolicyModel

    model = tmp_path / "tiny"
    PolicyModel.tiny(seed=0).save(model)
    code = prove("--theorem", "and_intro", "--theorems", theorems, "--model", str(model),
                 "--max-expansions", "2", "--num-targets", "2", "--num-tactics", "2")
    captured = capsys.readouterr()
    assert code in (0, 1) and "expanded nodes" in captured.out  # an untrained model may fail


def test_a_leandojo_benchmark_theorem_is_found_by_name(scripted, capsys, tmp_path):
    entry = {"url": "https://github.com/u/r", "commit": "abc", "file_path": "R/A.lean",
             "full_name": "Nat.and_intro", "start": [3, 1], "end": [5, 9], "traced_tactics": []}
    bench = tmp_path / "test.json"
    bench.write_text(json.dumps([entry]))
    assert prove("--theorem", "Nat.and_intro", "--benchmark", str(bench)) == 0
    assert "theorem Nat.and_intro := by\n  a\n  b" in capsys.readouterr().out
    assert prove("--theorem", "other", "--benchmark", str(bench)) == 2
    assert "unknown theorem 'other'" in capsys.readouterr().err


def test_backend_options_pass_through_and_a_misspelt_one_is_named(capsys):
    from rir.prover import ProverSettings, build_env, parse_env_options

    settings = ProverSettings(env_options=parse_env_options(["solver_timeout_ms=500"]))
    assert build_env(settings).solver_timeout_ms == 500
    code = cli.main(["prove", "--theorem", "micro.arith.lt_add_1", "--env-option", "solver_timeout=5"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "solver_timeout" in err[0] and "embedded" in err[0]
    code = cli.main(["prove", "--theorem", "micro.arith.lt_add_1", "--env-option", "no-equals-sign"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "KEY=VALUE" in err[0]


def test_an_unwritable_tree_path_exits_2_before_any_search(theorems, monkeypatch, capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    def no_search(settings):
        raise AssertionError("the search started before the --tree path was checked")

    monkeypatch.setattr(prover, "build_policy", no_search)
    monkeypatch.setattr(prover, "build_env", no_search)
    code = prove("--theorem", "and_intro", "--theorems", theorems, "--tree", str(blocker / "tree.json"))
    err = capsys.readouterr().err.strip()
    assert code == 2 and "cannot write" in err and "tree.json" in err and len(err.splitlines()) == 1
    assert blocker.read_text() == "not a folder"


def test_a_tree_path_that_is_a_folder_exits_2(theorems, scripted, capsys, tmp_path):
    code = prove("--theorem", "and_intro", "--theorems", theorems, "--tree", str(tmp_path))
    err = capsys.readouterr().err.strip()
    assert code == 2 and "is a folder" in err and len(err.splitlines()) == 1


def test_a_let_statement_keeps_its_inner_assignment(theorems, scripted, capsys, tmp_path):
    from rir.commands.prove import lean_proof

    thm = Theorem("t", "theorem t : let x := 1; x = 1 := by\n  sorry")
    assert lean_proof(thm, ["intro x", "rfl"]) == "theorem t : let x := 1; x = 1 := by\n  intro x\n  rfl"
    assert lean_proof(Theorem("u", "theorem u : let y := 2; y = 2"), ["rfl"]).startswith(
        "theorem u : let y := 2; y = 2 := by")


def test_markup_characters_in_a_name_print_literally_and_an_open_error_is_said_once(
        tmp_path, scripted, capsys):
    path = tmp_path / "m.jsonl"
    write_theorems(path, [Theorem("t[/x]", STATEMENT), Theorem("broken", "theorem broken : (")])
    assert prove("--theorem", "t[/x]", "--theorems", str(path)) == 0
    assert "t[/x]: proved" in capsys.readouterr().out
    assert prove("--theorem", "broken", "--theorems", str(path)) == 2
    err = capsys.readouterr().err
    assert err.count("cannot open theorem") == 1


def test_an_existing_tree_file_is_refused_before_the_search_unless_forced(theorems, scripted, capsys,
                                                                           tmp_path, monkeypatch):
    tree = tmp_path / "tree.json"
    tree.write_text("my notes")
    policy_builder = prover.build_policy

    def no_search(settings):
        raise AssertionError("the search started before the --tree path was checked")

    monkeypatch.setattr(prover, "build_policy", no_search)
    assert prove("--theorem", "and_intro", "--theorems", theorems, "--tree", str(tree)) == 2
    err = capsys.readouterr().err.strip()
    assert "tree.json exists" in err and "--force" in err and len(err.splitlines()) == 1
    assert tree.read_text() == "my notes"
    monkeypatch.setattr(prover, "build_policy", policy_builder)
    assert prove("--theorem", "and_intro", "--theorems", theorems, "--tree", str(tree), "--force") == 0
    assert json.loads(tree.read_text())["status"] == "proved"


def test_a_graphml_tree_opens_in_networkx_with_the_proof_path_marked(theorems, scripted, tmp_path):
    import networkx as nx

    path = tmp_path / "tree.graphml"
    assert prove("--theorem", "and_intro", "--theorems", theorems, "--tree", str(path)) == 0
    graph = nx.read_graphml(path)
    states = {data["state"] for _, data in graph.nodes(data=True)}
    assert {"⊢ A", "⊢ B", "no goals"} <= states
    on_path = [d["tactic"] for *_, d in graph.edges(data=True) if d["on_proof_path"]]
    assert sorted(on_path) == ["a", "b"]
    assert any(d.get("kind") == "state" and d["status"] == "proved" for _, d in graph.nodes(data=True))


def test_a_full_disk_while_writing_the_tree_keeps_the_printed_proof(theorems, scripted, capsys,
                                                                      tmp_path, monkeypatch):
    import errno

    from rir.commands import prove as prove_command

    def disk_full(tree, path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(prove_command, "write_tree", disk_full)
    code = prove("--theorem", "and_intro", "--theorems", theorems, "--tree", str(tmp_path / "t.json"))
    captured = capsys.readouterr()
    assert code == 2 and f"{STATEMENT} := by\n  a\n  b\n" in captured.out
    err = captured.err.strip()
    assert "cannot write" in err and "No space left" in err and len(err.splitlines()) == 1
