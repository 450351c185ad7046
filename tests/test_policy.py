"""The policy models: role formats, batched generation, scores, loading and saving."""
import json

import pytest

import torch
import transformers  # noqa: F401

from lean_env.errors import BadInput, MissingDependency  # noqa: E402
from rir.policy import (  # noqa: E402
    ModelPolicy, PolicyModel, actor_input, flat_input, load_policy, planner_input, planner_output, strip_premise_marks,
)
from search.policy import Suggestion  # noqa: E402

STATE = "n : ℕ\n⊢ n + 0 = n"
EXAMPLES = [  # (state, tactic) pairs a tiny model learns in a few dozen steps
    ("n : ℕ\n⊢ n + 0 = n", "simp"),
    ("a b : ℕ\n⊢ a + b = b + a", "omega"),
    ("⊢ 2 + 2 = 4", "rfl"),
]


# ---------------------------------------------------------------- formats

def test_role_formats_are_those_of_the_published_checkpoints():
    assert planner_input(STATE) == "[CURRENT GOAL]\nn : ℕ\n⊢ n + 0 = n\n[TARGET GOAL]\n"
    assert actor_input(STATE, "⊢ n = n") == (
        "[CURRENT GOAL]\nn : ℕ\n⊢ n + 0 = n\n[TARGET GOAL]\n⊢ n = n\n[PROOFSTEP]\n")
    assert flat_input(STATE) == STATE


def test_planner_output_strips_the_goal_count_line():
    assert planner_output("2 goals\ncase a\n⊢ p\ncase b\n⊢ q") == "case a\n⊢ p\ncase b\n⊢ q"
    assert planner_output("1 goal\n⊢ p") == "⊢ p"
    assert planner_output("⊢ p") == "⊢ p"


def test_premise_marks_are_removed():
    assert strip_premise_marks("rw [<a>Nat.add_comm</a>, <a>mul_one</a>]") == "rw [Nat.add_comm, mul_one]"


def test_long_actor_input_keeps_its_marks_and_shares_room_fairly():
    state, target = "⊢ " + "x" * 5000, "⊢ y"
    text = actor_input(state, target, max_len=256)
    assert len(text.encode()) == 255  # room left for </s>
    assert text.endswith("\n[TARGET GOAL]\n⊢ y\n[PROOFSTEP]\n")  # the short target is whole
    both_long = actor_input("⊢ " + "a" * 900, "⊢ " + "b" * 900, max_len=256)
    assert both_long.count("a") == both_long.count("b")  # equal shares, beginnings kept
    assert planner_input(state, max_len=128).endswith("xx\n[TARGET GOAL]\n")
    assert len(planner_input(state, max_len=128).encode()) == 127


def test_truncation_never_splits_a_character():
    text = planner_input("⊢ " + "ℕ" * 100, max_len=64)
    assert len(text.encode()) <= 63 and "\ufffd" not in text


# ---------------------------------------------------------------- the tiny model

@pytest.fixture(scope="module")
def tiny():
    return PolicyModel.tiny(seed=0, max_output_len=24)


@pytest.fixture(scope="module")
def trained():
    """A tiny model taught EXAMPLES, so its outputs are real text."""
    model = PolicyModel.tiny(seed=1, max_output_len=24)
    batch = model.encode_pairs([flat_input(s) for s, _ in EXAMPLES], [t for _, t in EXAMPLES])
    optimizer = torch.optim.AdamW(model.model.parameters(), lr=3e-3)
    model.model.train()
    for _ in range(120):
        loss = model.model(**batch).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.model.eval()
    return model


def test_tiny_models_are_deterministic_given_a_seed():
    a, b, c = PolicyModel.tiny(seed=3), PolicyModel.tiny(seed=3), PolicyModel.tiny(seed=4)
    wa, wb, wc = (m.model.shared.weight for m in (a, b, c))
    assert torch.equal(wa, wb) and not torch.equal(wa, wc)
    assert a.model.config.d_model <= 128 and a.model.config.num_layers == 2 and len(a.tokenizer) == 384


def test_inputs_are_truncated_like_reprover(tiny):
    enc = tiny.encode_inputs(["x" * 5000, "y"])
    assert enc.input_ids.shape == (2, 2048)
    assert enc.input_ids[0, -1].item() == tiny.tokenizer.eos_token_id  # cut on the right, </s> kept
    labels = tiny.encode_pairs(["a", "b"], ["t" * 1000, "u"])["labels"]
    assert labels.shape == (2, 24) and (labels[1, 2:] == -100).all()


def test_beam_search_returns_n_distinct_outputs_best_first(trained):
    [out] = trained.generate([flat_input(EXAMPLES[0][0])], n=4)
    assert len(out) == 4 and len({s.text for s in out}) == 4
    assert [s.logprob for s in out] == sorted((s.logprob for s in out), reverse=True)
    assert out[0].text == "simp"


def test_beam_scores_are_sums_of_token_logprobs(trained):
    inputs = [flat_input(s) for s, _ in EXAMPLES]
    outputs = trained.generate(inputs, n=3)
    pairs = [(x, s) for x, out in zip(inputs, outputs) for s in out]
    forced = trained.sequence_logprobs([x for x, _ in pairs], [s.text for _, s in pairs])
    assert [s.logprob for _, s in pairs] == pytest.approx(forced, abs=1e-4)


def test_raw_search_scores_match_a_teacher_forced_pass(tiny):
    """On token ids, before decoding: beam `sequences_scores` and sampled sums."""
    enc = tiny.encode_inputs([planner_input(STATE), planner_input("⊢ True")])
    for decoding, n in (("beam", 3), ("sample", 3), ("beam", 1)):
        torch.manual_seed(0)
        sequences, scores = tiny._search(enc, n, decoding, temperature=1.5)
        labels = sequences[:, 1:].clone()
        ended = (labels == 1).long()
        labels[(ended.cumsum(1) - ended) > 0] = -100  # nothing counts after </s>
        batch = {"input_ids": enc.input_ids.repeat_interleave(n, 0),
                 "attention_mask": enc.attention_mask.repeat_interleave(n, 0), "labels": labels}
        with torch.inference_mode():
            forced = tiny.token_logprob_sums(batch).tolist()
        assert scores == pytest.approx(forced, abs=1e-4), decoding


def test_every_suggestion_score_is_the_logprob_of_its_text(tiny):
    """Even when a random model writes invalid UTF-8 that decoding drops."""
    inputs = [planner_input(STATE)]
    for decoding in ("beam", "sample"):
        [out] = tiny.generate(inputs, n=4, decoding=decoding, seed=0)
        forced = tiny.sequence_logprobs(inputs * len(out), [s.text for s in out])
        assert [s.logprob for s in out] == pytest.approx(forced, abs=1e-4)


def test_sampling_is_reproducible_with_a_seed(trained):
    inputs = [flat_input(s) for s, _ in EXAMPLES]
    a = trained.generate(inputs, n=6, decoding="sample", temperature=2.0, seed=7)
    b = trained.generate(inputs, n=6, decoding="sample", temperature=2.0, seed=7)
    assert a == b
    for out in a:
        assert len({s.text for s in out}) == len(out) <= 6  # duplicates merged
        assert [s.logprob for s in out] == sorted((s.logprob for s in out), reverse=True)


def test_batched_generation_equals_one_input_at_a_time(trained):
    inputs = [flat_input(s) for s, _ in EXAMPLES]
    batched = trained.generate(inputs, n=3)
    for x, out in zip(inputs, batched):
        [alone] = trained.generate([x], n=3)
        assert [s.text for s in alone] == [s.text for s in out]
        assert [s.logprob for s in alone] == pytest.approx([s.logprob for s in out], abs=1e-4)


def test_empty_inputs_give_empty_results(tiny):
    assert tiny.generate([], n=4) == []
    assert tiny.sequence_logprobs([], []) == []
    with pytest.raises(BadInput, match="decoding 'greedy'"):
        tiny.generate(["x"], n=2, decoding="greedy")


# ---------------------------------------------------------------- saving and loading

def test_save_then_load_reproduces_outputs(trained, tmp_path):
    trained.save(tmp_path / "m", modes=["flat"])
    meta = json.loads((tmp_path / "m" / "rir_policy.json").read_text())
    assert meta["formats"]["actor"]["input"] == "[CURRENT GOAL]\n{state}\n[TARGET GOAL]\n{target}\n[PROOFSTEP]\n"
    assert meta["modes"] == ["flat"] and meta["max_output_len"] == 24
    loaded = PolicyModel.load(tmp_path / "m")
    inputs = [flat_input(s) for s, _ in EXAMPLES]
    assert loaded.generate(inputs, n=3) == trained.generate(inputs, n=3)
    assert loaded.modes == ("flat",) and loaded.limits == trained.limits


def _lightning_checkpoint(model, path, key="state_dict", prefix="generator."):
    weights = {prefix + k: v for k, v in model.model.state_dict().items()}
    torch.save({key: weights, "hyper_parameters": {"max_inp_seq_len": 1024, "max_oup_seq_len": 24},
                "epoch": 3}, path)


@pytest.mark.parametrize("key,prefix", [("state_dict", "generator."), ("module", "_forward_module.generator.")])
def test_lightning_and_deepspeed_checkpoints_load(trained, tmp_path, key, prefix):
    _lightning_checkpoint(trained, tmp_path / "last.ckpt", key, prefix)
    loaded = PolicyModel.load(tmp_path / "last.ckpt")
    assert loaded.limits.max_input_len == 1024
    inputs = [flat_input(s) for s, _ in EXAMPLES]
    assert loaded.generate(inputs, n=2) == trained.generate(inputs, n=2)


UNPICKLED = []  # what Payload's unpickling ran


def _run_on_load(note):
    UNPICKLED.append(note)
    return note


class Payload:
    """An arbitrary pickled object: unpickling it calls a function (could be any code)."""

    def __reduce__(self):
        return (_run_on_load, ("code from the file ran",))


def test_lightning_hyper_parameter_containers_load_with_the_safe_loader(trained, tmp_path):
    from pytorch_lightning.utilities.parsing import AttributeDict

    weights = {"generator." + k: v for k, v in trained.model.state_dict().items()}
    torch.save({"state_dict": weights, "epoch": 3,
                "hyper_parameters": AttributeDict(max_inp_seq_len=1024, max_oup_seq_len=24)},
               tmp_path / "reprover.ckpt")
    loaded = PolicyModel.load(tmp_path / "reprover.ckpt")  # no trust needed
    assert loaded.limits.max_input_len == 1024 and loaded.limits.max_output_len == 24


def test_a_checkpoint_pickling_other_objects_needs_trust(trained, tmp_path, capsys):
    weights = {"generator." + k: v for k, v in trained.model.state_dict().items()}
    path = tmp_path / "downloaded.ckpt"
    torch.save({"state_dict": weights, "extra": Payload()}, path)
    UNPICKLED.clear()
    with pytest.raises(BadInput, match=r"downloaded.ckpt: pickles objects .*_run_on_load.*--trust-checkpoint"):
        PolicyModel.load(path)
    with pytest.raises(BadInput, match="--trust-checkpoint"):
        load_policy(str(path), mode="flat")
    assert UNPICKLED == []  # refused without running anything from the file
    policy = load_policy(str(path), mode="flat", trust_checkpoint=True)
    assert UNPICKLED and policy.actor.generate([flat_input(STATE)], n=1)
    warning = capsys.readouterr().err
    assert f"warning: loading checkpoint {path} with full unpickling" in warning


def test_an_unusable_device_is_refused_before_loading(tmp_path):
    from rir.prover import ProverSettings

    with pytest.raises(BadInput, match="unknown --device 'banana'"):
        ProverSettings(device="banana")
    with pytest.raises(BadInput, match="unknown --device 'tpu0'"):
        load_policy(str(tmp_path / "not-even-read"), device="tpu0")
    if not torch.cuda.is_available():
        with pytest.raises(MissingDependency, match="--device cuda: this torch has no usable CUDA GPU"):
            ProverSettings(device="cuda")


def test_rir_eval_with_a_bad_device_exits_2_with_one_line_before_any_work(tmp_path):
    import subprocess
    import sys

    for device, message in (("banana", "unknown --device 'banana'"),) + (
            () if torch.cuda.is_available() else (("cuda", "--device cuda: this torch has no usable CUDA GPU"),)):
        out = tmp_path / f"{device}.jsonl"
        run = subprocess.run([sys.executable, "-m", "rir.cli", "eval", "--theorems", "micro-test",
                              "--device", device, "--out", str(out)], capture_output=True, text=True, timeout=120)
        assert run.returncode == 2, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and message in run.stderr
        assert not out.exists()


def test_an_untied_output_head_stays_untied(tiny, tmp_path):
    """ByT5 (and so ReProver) has its own lm_head; transformers 5 builds T5 tied."""
    weights = {f"generator.{k}": v.clone() for k, v in tiny.model.state_dict().items()}
    weights["generator.lm_head.weight"] = torch.randn_like(weights["generator.lm_head.weight"])
    torch.save({"state_dict": weights}, tmp_path / "byt5.ckpt")
    loaded = PolicyModel.load(tmp_path / "byt5.ckpt").model
    assert torch.equal(loaded.lm_head.weight, weights["generator.lm_head.weight"])
    assert torch.equal(loaded.shared.weight, weights["generator.shared.weight"])
    assert not loaded.config.scale_decoder_outputs  # ByT5 / T5 v1.1 do not rescale


def test_missing_checkpoint_is_a_missing_dependency(tmp_path):
    with pytest.raises(MissingDependency, match=f"missing checkpoint {tmp_path}/none.*rir train"):
        PolicyModel.load(tmp_path / "none")
    with pytest.raises(MissingDependency, match="missing checkpoint .*nope"):
        load_policy(str(tmp_path / "nope"))


def test_corrupt_and_mismatched_checkpoints_are_bad_input(tiny, tmp_path):
    (tmp_path / "corrupt.ckpt").write_bytes(b"not a checkpoint")
    with pytest.raises(BadInput, match="corrupt.ckpt: not a readable PyTorch checkpoint"):
        PolicyModel.load(tmp_path / "corrupt.ckpt")
    torch.save({"state_dict": {"encoder.weight": torch.zeros(2)}}, tmp_path / "other.ckpt")
    with pytest.raises(BadInput, match="other.ckpt: expected the weights of one T5"):
        PolicyModel.load(tmp_path / "other.ckpt")
    weights = dict(tiny.model.state_dict())
    del weights["decoder.block.1.layer.2.DenseReluDense.wo.weight"]
    torch.save({"state_dict": weights}, tmp_path / "partial.ckpt")
    with pytest.raises(BadInput, match="partial.ckpt: keys do not match"):
        PolicyModel.load(tmp_path / "partial.ckpt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BadInput, match="without config.json"):
        PolicyModel.load(tmp_path / "empty")


def test_a_hf_directory_with_missing_weights_is_bad_input(tiny, tmp_path):
    tiny.save(tmp_path / "m")
    for weights in (tmp_path / "m").glob("*.safetensors"):
        weights.write_bytes(b"garbage")
    with pytest.raises(BadInput, match="checkpoint .*m"):
        PolicyModel.load(tmp_path / "m")


# ---------------------------------------------------------------- the search policy

class CountingModel:
    """Wraps a PolicyModel and records its generate calls."""

    def __init__(self, model):
        self.model, self.calls = model, []
        self.limits, self.prompt = model.limits, model.prompt

    def generate(self, inputs, n, **kw):
        self.calls.append((list(inputs), n))
        return self.model.generate(inputs, n, **kw)


def test_rir_act_batches_every_target_into_one_generate_call(tiny):
    actor = CountingModel(tiny)
    policy = ModelPolicy(tiny, actor, num_targets=2, num_tactics=3)
    targets = ["⊢ n = n", "⊢ True", "⊢ 0 = 0"]
    tactics = policy.act(STATE, targets)
    assert actor.calls == [([actor_input(STATE, t) for t in targets], 3)]
    assert len(tactics) == 3 and all(len(ts) <= 3 for ts in tactics)
    assert policy.act(STATE, []) == []


def test_flat_policy_plans_nothing_and_acts_without_targets(trained):
    policy = ModelPolicy(trained, mode="flat", num_tactics=3)
    assert policy.plan(EXAMPLES[0][0]) == []
    [tactics] = policy.act(EXAMPLES[0][0], [None])
    assert tactics[0].text == "simp" and len(tactics) == 3


class ScriptedModel:
    """A PolicyModel stand-in that answers with fixed suggestions."""

    def __init__(self, answer):
        self.answer, self.calls = answer, []
        model = PolicyModel.tiny()
        self.limits, self.prompt = model.limits, model.prompt

    def generate(self, inputs, n, **kw):
        self.calls.append(list(inputs))
        return [list(self.answer) for _ in inputs]


def test_planner_targets_equal_to_the_state_are_dropped():
    planner = ScriptedModel([Suggestion("n : ℕ\n⊢ n + 0 = n", -0.1), Suggestion("n : ℕ\n⊢ n = n", -0.5)])
    policy = ModelPolicy(planner, ScriptedModel([]))
    assert policy.plan("1 goal\n" + STATE) == [Suggestion("n : ℕ\n⊢ n = n", -0.5)]
    assert planner.calls == [[planner_input("1 goal\n" + STATE)]]


def test_tactics_lose_premise_marks_and_duplicates():
    actor = ScriptedModel([Suggestion("rw [<a>foo</a>]", -1.0), Suggestion("rw [foo]", -0.5),
                           Suggestion("simp", -2.0)])
    [tactics] = ModelPolicy(actor, mode="flat").act(STATE, [None])
    assert tactics == [Suggestion("rw [foo]", -0.5), Suggestion("simp", -2.0)]


def test_the_removed_joint_mode_is_refused_as_bad_input():
    with pytest.raises(BadInput, match="unknown mode 'joint'"):
        ModelPolicy(ScriptedModel([]), mode="joint")


class SteppingClock:
    """time.monotonic() advancing one second per reading: deadlines without wall-clock timing."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        self.now += 1.0
        return self.now


def test_a_passed_deadline_generates_nothing(trained):
    import time

    policy = ModelPolicy(trained, trained, num_targets=2, num_tactics=2)
    past = time.monotonic() - 1
    assert policy.plan(EXAMPLES[0][0], deadline=past) == []
    assert policy.act(EXAMPLES[0][0], [None, "⊢ True"], deadline=past) == [[], []]


def test_generation_stops_when_the_deadline_passes_and_keeps_only_finished_outputs(trained, monkeypatch):
    import rir.generation

    policy = ModelPolicy(trained, mode="flat", num_tactics=2)
    assert policy.act(EXAMPLES[0][0], [None], deadline=1e12) == policy.act(EXAMPLES[0][0], [None])
    clock = SteppingClock()
    monkeypatch.setattr(rir.generation, "time", clock)
    # readings: the check before generating, then one per decoding step; "simp</s>" needs 5 steps
    assert policy.act(EXAMPLES[0][0], [None], deadline=3.0) == [[]]
    assert clock.now < 6  # the stopping criterion ended generation after two steps
    clock.now = 0.0
    [tactics] = policy.act(EXAMPLES[0][0], [None], deadline=50.0)  # enough steps: all finished
    assert tactics and tactics == policy.act(EXAMPLES[0][0], [None])[0]


def test_sampling_policy_seeds_by_inputs_not_call_order(trained):
    a = ModelPolicy(trained, mode="flat", decoding="sample", seed=5, num_tactics=4)
    b = ModelPolicy(trained, mode="flat", decoding="sample", seed=5, num_tactics=4)
    first = a.act(EXAMPLES[0][0], [None])
    b.act(EXAMPLES[1][0], [None])
    assert b.act(EXAMPLES[0][0], [None]) == first


def test_load_policy_respects_the_recorded_mode(trained, tmp_path):
    trained.save(tmp_path / "flat", modes=["flat"])
    policy = load_policy(str(tmp_path / "flat"), mode="flat", num_tactics=2)
    assert policy.mode == "flat" and policy.num_tactics == 2
    with pytest.raises(BadInput, match="trained for mode flat, not 'rir'"):
        load_policy(str(tmp_path / "flat"), mode="rir")


def test_load_policy_reads_planner_and_actor_pairs(tiny, trained, tmp_path):
    ModelPolicy(tiny, trained).save(tmp_path / "pair")
    policy = load_policy(str(tmp_path / "pair"))
    assert policy.planner is not policy.actor
    assert torch.equal(policy.actor.model.shared.weight, trained.model.shared.weight)
    weights = {f"networks.{name}.{k}": v for name, m in (("planner", tiny), ("actor", trained))
               for k, v in m.model.state_dict().items()}
    torch.save({"state_dict": weights}, tmp_path / "pair.ckpt")
    policy = load_policy(str(tmp_path / "pair.ckpt"))
    assert torch.equal(policy.planner.model.shared.weight, tiny.model.shared.weight)
    assert torch.equal(policy.actor.model.shared.weight, trained.model.shared.weight)


# ---------------------------------------------------------------- vLLM

def test_vllm_without_vllm_or_a_gpu_is_a_missing_dependency(tmp_path):
    from rir.vllm_backend import VllmGenerator, import_vllm

    try:
        import_vllm()
    except MissingDependency as e:
        assert "vLLM" in str(e) and "\n" not in str(e)
        with pytest.raises(MissingDependency, match="vLLM"):
            VllmGenerator.load(str(PolicyModel.tiny().save(tmp_path / "m")))
    else:
        pytest.skip("vLLM and a GPU are here")


def test_vllm_sample_scores_fall_back_to_token_logprobs():
    from types import SimpleNamespace as NS

    from rir.vllm_backend import _cumulative_logprob

    completion = NS(cumulative_logprob=None, token_ids=[5, 7],
                    logprobs=[{5: NS(logprob=-0.5)}, {7: NS(logprob=-1.25), 8: NS(logprob=-0.1)}])
    assert _cumulative_logprob(completion) == -1.75
    assert _cumulative_logprob(NS(cumulative_logprob=-3.0)) == -3.0


# ---------------------------------------------------------------- the target's length

def test_the_planner_decodes_at_most_twice_the_state_plus_64_bytes():
    from rir.policy import target_length

    planner = RecordingModel([Suggestion("⊢ True", -0.1)])
    ModelPolicy(planner, ScriptedModel([])).plan(STATE)
    assert planner.max_new == [target_length(STATE)] == [2 * len(STATE.encode()) + 64]
    actor = RecordingModel([Suggestion("simp", -0.1)])
    ModelPolicy(actor, mode="flat").act(STATE, [None])
    assert actor.max_new == [None]  # tactics keep the model's own length limit


class RecordingModel(ScriptedModel):
    def __init__(self, answer):
        super().__init__(answer)
        self.max_new = []

    def generate(self, inputs, n, **kw):
        self.max_new.append(kw.get("max_new"))
        return super().generate(inputs, n, **kw)


def test_an_output_longer_than_max_new_is_dropped_and_a_shorter_one_kept(trained):
    [full] = trained.generate([flat_input(EXAMPLES[0][0])], 2)
    assert any(s.text == "simp" for s in full)
    # "simp</s>" takes 5 decoder bytes: a cap of 3 cuts every output short, so none is kept
    assert trained.generate([flat_input(EXAMPLES[0][0])], 2, max_new=3) == [[]]
    [capped] = trained.generate([flat_input(EXAMPLES[0][0])], 2, max_new=4)
    assert capped and all(len(s.text.encode()) <= 4 for s in capped)
    assert [s for s in capped if s.text == "simp"] == [s for s in full if s.text == "simp"]  # same score


class DecodingRecorder:
    """A generation model that returns fixed texts and records each call's decoding."""

    def __init__(self):
        self.calls = []

    def prompt(self, role, state, target=None):
        return f"{role}:{state}"

    def generate(self, inputs, n, decoding="beam", temperature=1.0, seed=None, deadline=None, max_new=None):
        self.calls.append((inputs[0].split(":")[0], decoding, seed))
        return [[Suggestion("⊢ B", -1.0), Suggestion("⊢ C", -2.0)][:n] for _ in inputs]


def test_targets_can_be_sampled_beside_the_actors_beam_search():
    model = DecodingRecorder()
    policy = ModelPolicy(model, mode="rir", num_targets=2, target_decoding="sample", seed=3)
    assert [t.text for t in policy.plan("⊢ A")] == ["⊢ B", "⊢ C"]
    policy.act("⊢ A", ["⊢ B"])
    (planner, planner_decoding, planner_seed), (actor, actor_decoding, actor_seed) = model.calls
    assert (planner, planner_decoding) == ("planner", "sample") and planner_seed is not None
    assert (actor, actor_decoding, actor_seed) == ("actor", "beam", None)  # beams need no seed


def test_targets_follow_the_decoding_unless_told_otherwise():
    model = DecodingRecorder()
    ModelPolicy(model, mode="rir", decoding="sample").plan("⊢ A")
    assert model.calls[0][1] == "sample"
    with pytest.raises(BadInput, match="unknown decoding 'greedy'"):
        ModelPolicy(model, mode="rir", target_decoding="greedy")
