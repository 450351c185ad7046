"""Co-training: the examples each role learns, the schedule, and short real runs of a
tiny ByT5 (loss falls, exact resume, flat and separate modes, loadable exports)."""
import csv
import logging
from pathlib import Path

import pytest
import torch

from rir.policy import PolicyModel, load_policy
from training.config import TrainConfig
from training.cotrain import StepBatchSampler, lr_factor, role_example, roles
from training.data import Triple
from training.run import TRAINING_JSON, train

STEP = Triple("x : ℕ\nh : 2 < x\n⊢ 2 ≤ x", "exact Nat.le_of_lt h", "no goals")


def tiny_triples(n: int = 8) -> list[Triple]:
    """n distinct one-step proofs: `intro h` then `omega`, for different bounds."""
    out = []
    for a in range(2, 2 + n // 2):
        goal = f"x : ℕ\nh : {a} < x\n⊢ {a} ≤ x"
        out.append(Triple(f"x : ℕ\n⊢ {a} < x → {a} ≤ x", "intro h", goal))
        out.append(Triple(goal, "omega", "no goals"))
    return out


@pytest.fixture(autouse=True)
def one_thread():
    # Two shared cores: one thread per test process is faster than contending for two.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    logging.getLogger("pytorch_lightning").setLevel(logging.ERROR)
    yield
    torch.set_num_threads(threads)


def config(tmp_path: Path, **changes) -> TrainConfig:
    base = dict(model="tiny", lr=3e-3, warmup_steps=2, max_steps=8, batch_size=4, seed=0,
                out_dir=str(tmp_path / "run"), log_every=1, val_every=1000)
    return TrainConfig(**{**base, **changes})


def logged_losses(out_dir: str) -> dict[int, float]:
    """step -> training loss, from every CSV log under out_dir (a resumed run adds a version)."""
    losses = {}
    for path in sorted(Path(out_dir, "logs").glob("version_*/metrics.csv")):
        with path.open() as f:
            for row in csv.DictReader(f):
                if row.get("loss"):
                    losses[int(row["step"])] = float(row["loss"])
    return losses


def test_each_role_learns_its_format():
    planner_in, target = role_example(Triple("x : ℕ\n⊢ x = x", "rfl", "2 goals\n⊢ a\n\n⊢ b"), "planner")
    assert planner_in == "[CURRENT GOAL]\nx : ℕ\n⊢ x = x\n[TARGET GOAL]\n"
    assert target == "⊢ a\n\n⊢ b"  # the `N goals` line is not the planner's to write
    actor_in, tactic = role_example(STEP, "actor")
    assert actor_in == f"[CURRENT GOAL]\n{STEP.state}\n[TARGET GOAL]\nno goals\n[PROOFSTEP]\n"
    assert tactic == "exact Nat.le_of_lt h"
    assert role_example(STEP, "flat") == (STEP.state, STEP.tactic)


def test_modes_choose_their_roles():
    assert roles(TrainConfig(mode="rir")) == ("planner", "actor")
    assert roles(TrainConfig(mode="rir", flat_weight=0.5)) == ("planner", "actor", "flat")
    assert roles(TrainConfig(mode="flat")) == ("flat",)
    assert roles(TrainConfig(mode="separate")) == ("planner", "actor")


def test_batches_depend_only_on_their_index():
    endless = iter(StepBatchSampler(10, 4, seed=3))
    first = [next(endless) for _ in range(6)]
    later = iter(StepBatchSampler(10, 4, seed=3, start=4))
    assert [next(later) for _ in range(2)] == first[4:]
    assert len(set(sum(first[:2], []))) == 8  # an epoch draws without replacement
    assert first != [next(iter(StepBatchSampler(10, 4, seed=4))) for _ in range(6)]


def test_learning_rate_warms_up_then_decays_to_the_floor():
    factor = lr_factor(TrainConfig(warmup_steps=4, max_steps=20, min_lr_ratio=0.1))
    warmup = [factor(s) for s in range(5)]
    assert warmup == sorted(warmup) and warmup[0] < 0.5 and factor(4) == pytest.approx(1.0)
    assert factor(12) < factor(8) and factor(20) == pytest.approx(0.1) and factor(30) == pytest.approx(0.1)


def test_loss_falls_on_a_tiny_dataset(tmp_path):
    summary = train(config(tmp_path, max_steps=40, warmup_steps=4), triples=tiny_triples(8), progress=False)
    losses = logged_losses(summary.checkpoint.rsplit("/", 1)[0])
    assert summary.steps == 40 and len(losses) == 40
    first, last = sum(list(losses.values())[:5]) / 5, sum(list(losses.values())[-5:]) / 5
    assert last < 0.5 * first
    assert summary.examples_per_second > 0


def test_resume_continues_the_step_count_and_matches_an_uninterrupted_run(tmp_path):
    common = dict(model_config={"dropout_rate": 0.1})  # dropout: the RNG state must resume too
    straight = train(config(tmp_path / "a", max_steps=7, **common), triples=tiny_triples(), progress=False)
    # Interrupted after 4 of 7 steps (decay_steps keeps the 7-step schedule).
    train(config(tmp_path / "b", max_steps=4, decay_steps=7, **common), triples=tiny_triples(), progress=False)
    resumed = train(config(tmp_path / "b", max_steps=7, **common), triples=tiny_triples(),
                    resume=True, progress=False)

    assert resumed.steps == straight.steps == 7
    a, b = logged_losses(str(tmp_path / "a" / "run")), logged_losses(str(tmp_path / "b" / "run"))
    assert sorted(b) == sorted(a)
    for step in sorted(a):
        assert b[step] == pytest.approx(a[step], rel=1e-4), step
    assert torch.load(resumed.checkpoint, weights_only=False)["global_step"] == 7


def test_resume_without_a_checkpoint_is_bad_input(tmp_path):
    from lean_env.errors import BadInput

    with pytest.raises(BadInput, match="last.ckpt"):
        train(config(tmp_path), triples=tiny_triples(), resume=True, progress=False)


def test_validation_reports_token_accuracy_per_role_and_the_export_loads(tmp_path):
    summary = train(config(tmp_path, max_steps=4, val_every=2), triples=tiny_triples(),
                    val_triples=tiny_triples(4), progress=False)
    for role in ("planner", "actor"):
        assert 0.0 <= summary.val_metrics[f"val/token_acc_{role}"] <= 1.0
        assert summary.val_metrics[f"val/loss_{role}"] > 0
    model_dir = Path(summary.model_dir)
    assert (model_dir / TRAINING_JSON).is_file()
    policy = load_policy(model_dir, mode="rir", device="cpu")
    [logprob] = policy.actor.sequence_logprobs(*map(list, zip(role_example(STEP, "actor"))))
    assert -1e4 < logprob < 0
    with pytest.raises(Exception, match="trained for mode rir"):
        load_policy(model_dir, mode="flat", device="cpu")


def test_flat_mode_trains_the_tactic_generator_only(tmp_path):
    summary = train(config(tmp_path, mode="flat", max_steps=3, val_every=3), triples=tiny_triples(),
                    val_triples=tiny_triples(4), progress=False)
    assert set(summary.val_metrics) == {"val/loss_flat", "val/token_acc_flat"}
    policy = load_policy(summary.model_dir, mode="flat", device="cpu")
    assert policy.plan(STEP.state) == []


def test_separate_mode_trains_and_saves_two_models(tmp_path):
    summary = train(config(tmp_path, mode="separate", max_steps=2), triples=tiny_triples(), progress=False)
    model_dir = Path(summary.model_dir)
    planner, actor = PolicyModel.load(model_dir / "planner"), PolicyModel.load(model_dir / "actor")
    assert not torch.equal(planner.model.shared.weight, actor.model.shared.weight)
    policy = load_policy(model_dir, mode="rir", device="cpu")
    assert policy.planner is not policy.actor


def test_training_without_a_progress_bar_prints_no_banners(tmp_path, capfd):
    # Self-play trains with progress=False; Lightning's banners would flood its log.
    train(config(tmp_path, max_steps=2), triples=tiny_triples(), progress=False)
    out, err = capfd.readouterr()
    assert "GPU available" not in out + err and "Writing model shards" not in out + err
