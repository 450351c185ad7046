"""`rir train`: YAML config plus key=value overrides, one-line errors, a summary, resume."""
import json
import logging
from pathlib import Path

import pytest
import torch

from lean_env.errors import BadInput
from rir import cli
from training.config import load_config

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
    logging.getLogger("rir").setLevel(logging.NOTSET)


@pytest.fixture
def traces(tmp_path: Path) -> Path:
    """A `rir trace`-style dir: train.json with two short proofs, val.json with one."""
    def theorem(a: int) -> dict:
        goal = f"x : ℕ\nh : {a} < x\n⊢ {a} ≤ x"
        return {"full_name": f"t{a}", "traced_tactics": [
            {"tactic": "intro h", "state_before": f"x : ℕ\n⊢ {a} < x → {a} ≤ x", "state_after": goal},
            {"tactic": "omega", "state_before": goal, "state_after": "no goals"}]}
    out = tmp_path / "traces"
    out.mkdir()
    (out / "train.json").write_text(json.dumps([theorem(2), theorem(3)]), encoding="utf-8")
    (out / "val.json").write_text(json.dumps([theorem(4)]), encoding="utf-8")
    return out


@pytest.fixture
def config_file(tmp_path: Path, traces: Path) -> Path:
    path = tmp_path / "train.yaml"
    path.write_text(f"mode: rir\ntrain_data: {traces}\nmodel: tiny\nmax_steps: 100\nbatch_size: 2\n"
                    "warmup_steps: 1\nval_every: 2\nlog_every: 1\n", encoding="utf-8")
    return path


def test_train_with_overrides_prints_a_summary_and_saves_both_checkpoints(tmp_path, config_file, capsys):
    out = tmp_path / "run"
    code = cli.main(["train", "--config", str(config_file), "max_steps=3", "lr=1e-3",
                     "--out", str(out), "--no-progress"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "for 3 steps on 4 triples" in printed and "examples/s" in printed
    assert "val/token_acc_actor" in printed and "val/token_acc_planner" in printed
    assert (out / "last.ckpt").is_file() and (out / "model" / "config.json").is_file()
    assert load_config(out / "config.yaml").lr == pytest.approx(1e-3)  # the config actually used


def test_resume_continues_from_the_last_checkpoint(tmp_path, config_file, capsys):
    out = tmp_path / "run"
    assert cli.main(["train", "--config", str(config_file), "max_steps=2", "--out", str(out),
                     "--no-progress"]) == 0
    assert cli.main(["train", "--config", str(config_file), "max_steps=4", "--out", str(out),
                     "--resume", "--no-progress", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["steps"] == 4


@pytest.mark.parametrize("args, message", [
    (["no_such_key=1"], "unknown config key 'no_such_key'"),
    (["lr=fast"], "bad value for config 'lr'"),
    (["mode=hierarchical"], "unknown mode 'hierarchical'"),
    (["max_steps"], "bad override 'max_steps'"),
    (["train_data=/no/such/traces"], "/no/such/traces"),
    (["--resume", "--out", "/tmp/rir-no-such-run"], "no checkpoint /tmp/rir-no-such-run/last.ckpt"),
])
def test_bad_input_is_one_line_and_exit_2(config_file, capsys, args, message):
    assert cli.main(["train", "--config", str(config_file), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err


def test_a_missing_config_file_is_named(capsys):
    assert cli.main(["train", "--config", "/no/such.yaml"]) == 2
    assert "config file not found: /no/such.yaml" in capsys.readouterr().err


def test_shipped_configs_are_valid():
    for name in ("micro_rir", "micro_flat", "tiny"):
        config = load_config(REPO / "configs" / f"{name}.yaml")
        assert config.train_data == "data/micro_traces"
    assert load_config(REPO / "configs" / "micro_flat.yaml").mode == "flat"
    for name, mode in (("f1_rir", "rir"), ("f1_flat", "flat")):  # stage 2: micro + F1, from the micro model
        config = load_config(REPO / "configs" / f"{name}.yaml")
        # micro weighted ×3 against F1's 11,786 triples, validated on each once
        assert config.train_sources == ["data/micro_traces"] * 3 + ["data/f1_traces"] and config.mode == mode
        assert config.val_data == "data/micro_traces,data/f1_traces"
        assert config.model == f"runs/micro_{mode}/model"
    stage3 = load_config(REPO / "configs" / "f1_rir_stage3.yaml")  # continues stage 2, the untargeted actor at full weight
    assert stage3.model == "runs/f1_rir/model" and stage3.mode == "rir" and stage3.flat_weight == stage3.actor_weight
    assert stage3.train_sources == ["data/micro_traces"] * 3 + ["data/f1_traces"]
    with pytest.raises(BadInput, match="must be at least 1"):
        load_config(REPO / "configs" / "tiny.yaml", ["batch_size=0"])


def test_a_fresh_run_into_a_trained_out_is_refused_unless_forced(tmp_path, config_file, capsys):
    out = tmp_path / "run"
    train = ["train", "--config", str(config_file), "max_steps=1", "--out", str(out), "--no-progress"]
    assert cli.main(train) == 0
    before = (out / "last.ckpt").read_bytes()
    capsys.readouterr()
    assert cli.main(train) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--resume" in err and "--force" in err and str(out) in err
    assert (out / "last.ckpt").read_bytes() == before  # left untouched
    assert cli.main([*train, "--force"]) == 0


def test_a_model_alone_in_out_is_protected_too(tmp_path, config_file, capsys):
    out = tmp_path / "run"
    (out / "model").mkdir(parents=True)
    (out / "model" / "config.json").write_text("{}", encoding="utf-8")
    assert cli.main(["train", "--config", str(config_file), "max_steps=1", "--out", str(out),
                     "--no-progress"]) == 2
    assert "model" in capsys.readouterr().err
    assert (out / "model" / "config.json").read_text(encoding="utf-8") == "{}"


def test_ctrl_c_saves_a_resumable_checkpoint_and_exits_130(tmp_path, config_file, capsys, monkeypatch):
    import os
    import signal

    from training.cotrain import CoTrainer

    step = CoTrainer.training_step

    def interrupted_at_step_2(self, batch, batch_idx):
        if self.trainer.global_step == 2:
            os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C in the terminal
        return step(self, batch, batch_idx)

    monkeypatch.setattr(CoTrainer, "training_step", interrupted_at_step_2)
    out = tmp_path / "run"
    assert cli.main(["train", "--config", str(config_file), "max_steps=50", "--out", str(out),
                     "--no-progress"]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "rir train: interrupted"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the caller's handler again
    assert torch.load(out / "last.ckpt", weights_only=False)["global_step"] == 3  # the step under way finished
    monkeypatch.setattr(CoTrainer, "training_step", step)
    assert cli.main(["train", "--config", str(config_file), "max_steps=5", "--out", str(out),
                     "--resume", "--no-progress", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["steps"] == 5


def test_missing_training_data_points_to_rir_trace(config_file, capsys):
    assert cli.main(["train", "--config", str(config_file), "train_data=/no/such/traces"]) == 2
    err = capsys.readouterr().err
    assert "training data not found: /no/such/traces" in err and "rir trace" in err


def test_one_gpu_trains_with_lightning_s_default_strategy_and_deepspeed_is_opt_in(monkeypatch):
    import importlib.util

    from lean_env.errors import MissingDependency
    from training import run

    monkeypatch.setattr(run, "_gpu", lambda config: True)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object() if name == "deepspeed"
                        else real_find_spec(name, *a))
    assert run.resolve_strategy(load_config(None)) == "auto"  # DeepSpeed installed, one GPU: not used
    assert run.resolve_strategy(load_config(None, ["strategy=deepspeed_stage_2"])) == "deepspeed_stage_2"
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "deepspeed"
                        else real_find_spec(name, *a))
    with pytest.raises(MissingDependency, match="pip install deepspeed"):
        run.resolve_strategy(load_config(None, ["strategy=deepspeed_stage_2"]))
