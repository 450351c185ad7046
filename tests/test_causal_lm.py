"""Decoder-only step provers as actors (issue 28): tiny random GPT-2 and Qwen2
models with tokenizers made here, in every prompt format, through search,
`rir eval`, training and (where a GPU and vLLM are present) vLLM."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from lean_env import make_env
from lean_env.errors import BadInput, MissingDependency
from lean_env.theorem_sets import find_theorem
from rir.causal_lm import CausalLM, byte_level_tokenizer, model_kind, tiny_causal_lm
from rir.generation import PolicyModel
from rir.policy import ModelPolicy, load_policy
from rir.prompt_formats import (
    FORMAT_FILE,
    NAMED_FORMATS,
    PromptFormat,
    read_format,
    resolve_format,
)
from rir.prover import ProverSettings, prove_theorem
from search.policy import Suggestion
from training.config import TrainConfig
from training.data import Triple
from training.run import train

REPO = Path(__file__).resolve().parents[1]
STATE = "a b : ℕ\n⊢ a + b = b + a"
THEOREMS = ("micro.arith.decide_1", "micro.arith.lt_add_3")  # one-tactic proofs: decide, omega


def trained_tokenizer():
    """A small byte-level BPE tokenizer trained here on Lean-like text (merges, so
    a tactic is several multi-byte tokens), with EOS and pad."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<|endoftext|>", "<pad>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    corpus = ["a b : ℕ\n⊢ a + b = b + a", "omega", "decide", "simp", "linarith", "⊢ 12 * 5 + 7 = 67",
              "[CURRENT GOAL]\n", "[TARGET GOAL]\n", "[PROOFSTEP]\n", "intro h", "exact h"] * 5
    tok.train_from_iterator(corpus, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", pad_token="<pad>")


@pytest.fixture(scope="module", params=["gpt2", "qwen2"])
def lm(request) -> CausalLM:
    tokenizer = byte_level_tokenizer() if request.param == "gpt2" else trained_tokenizer()
    return tiny_causal_lm(request.param, tokenizer=tokenizer, device="cpu", max_output_len=10)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return tiny_causal_lm("gpt2", tokenizer=trained_tokenizer(), max_output_len=10).save(
        tmp_path_factory.mktemp("causal") / "gpt2")


@pytest.fixture(scope="module")
def prover_dir(tmp_path_factory, model_dir) -> Path:
    """The tiny GPT-2 fine-tuned (flat) on the two theorems' root states."""
    out = tmp_path_factory.mktemp("trained")
    with make_env("embedded") as env:
        triples = [Triple(env.open(find_theorem(name, "micro-test")).pp, tactic, "no goals")
                   for name, tactic in zip(THEOREMS, ("decide", "omega"))]
    config = TrainConfig(mode="flat", model=str(model_dir), max_steps=40, batch_size=2, warmup_steps=0, lr=3e-3,
                         val_every=1000, out_dir=str(out), log_every=1)
    return Path(train(config, triples=triples, progress=False).model_dir)


# ---- generation

def test_scores_are_the_summed_log_probabilities_of_the_tactic_and_its_end(lm):
    prompts = [lm.prompt("flat", STATE), lm.prompt("actor", STATE, "⊢ True")]
    for decoding in ("beam", "sample"):
        results = lm.generate(prompts, 3, decoding=decoding, seed=1)
        assert len(results) == 2 and all(results)
        for prompt, suggestions in zip(prompts, results):
            teacher = lm.sequence_logprobs([prompt] * len(suggestions), [s.text for s in suggestions])
            assert [s.logprob for s in suggestions] == pytest.approx(teacher, abs=1e-3)
            assert [s.logprob for s in suggestions] == sorted((s.logprob for s in suggestions), reverse=True)


def test_sampling_is_reproducible_by_seed_and_one_generate_call_serves_every_input(lm, monkeypatch):
    calls = []
    real = lm.model.generate
    monkeypatch.setattr(lm.model, "generate", lambda **kw: calls.append(kw["input_ids"].shape[0]) or real(**kw))
    prompts = [lm.prompt("flat", STATE), lm.prompt("flat", "⊢ True")]
    first = lm.generate(prompts, 4, decoding="sample", seed=7)
    assert lm.generate(prompts, 4, decoding="sample", seed=7) == first
    assert calls == [2, 2]


def test_a_passed_deadline_generates_nothing_and_a_passing_one_keeps_only_finished_outputs(lm, monkeypatch):
    import time

    import rir.generation

    assert lm.generate([lm.prompt("flat", STATE)], 2, deadline=time.monotonic() - 1) == [[]]
    clock = iter(range(1, 10**6))
    monkeypatch.setattr(rir.generation, "time", type("Clock", (), {"monotonic": staticmethod(lambda: next(clock))}))
    # the tiny random model never ends within 3 steps: all its outputs are unfinished
    assert lm.generate([lm.prompt("flat", STATE)], 2, deadline=3) == [[]]


def test_a_stop_string_ends_the_output_and_a_trailing_special_token_is_dropped(lm):
    minictx = tiny_causal_lm("gpt2", prompt_format="minictx", device="cpu")
    ids = minictx.tokenizer("simp [h]\n[/TAC] junk", add_special_tokens=False).input_ids
    text, _, finished, by_eos = minictx._read(ids + [minictx.tokenizer.pad_token_id] * 2)
    assert (text, finished, by_eos) == ("simp [h]\n", True, False)
    text, _, finished, by_eos = minictx._read(minictx.tokenizer("omega").input_ids)
    assert (text, finished) == ("omega", False)  # neither EOS nor [/TAC]: unfinished


def test_an_end_token_of_the_generation_config_ends_an_output_too():
    base = tiny_causal_lm("gpt2", device="cpu")
    im_end = base.tokenizer.convert_tokens_to_ids("~")  # a stand-in for a chat model's <|im_end|>
    base.model.generation_config.eos_token_id = [base.tokenizer.eos_token_id, im_end]
    chat = CausalLM(base.model, base.tokenizer, "cpu", prompt_format=NAMED_FORMATS["bfs-prover"])
    ids = chat.tokenizer("rfl", add_special_tokens=False).input_ids
    text, _, finished, by_eos = chat._read(ids + [im_end, 5, 6])
    assert (text, finished, by_eos) == ("rfl", True, False)  # ended, but rescored with the format's end


def test_prompts_keep_their_closing_marks_when_the_state_is_cut(lm):
    short = CausalLM(lm.model, lm.tokenizer, "cpu", prompt_format=NAMED_FORMATS["rir"], max_input_len=90)
    prompt = short.prompt("actor", "⊢ " + "x + " * 200 + "x = x", "⊢ " + "y" * 300)
    assert prompt.startswith("[CURRENT GOAL]\n⊢ x + ") and prompt.endswith("\n[PROOFSTEP]\n")
    assert len(short._prompt_ids(prompt)) <= 90
    assert "[TARGET GOAL]\n⊢ y" in prompt  # the target kept its share


# ---- prompt formats

@pytest.mark.parametrize("name", sorted(NAMED_FORMATS))
def test_each_named_format_renders_the_state_and_round_trips_through_a_model_directory(name, tmp_path):
    fmt = NAMED_FORMATS[name]
    state = "f : ℕ → ℕ\nh : ∀ {n : ℕ}, f n = n\n⊢ f {target} = 0"  # braces, even a placeholder's name
    prompt = fmt.render("flat", state)
    assert state in prompt and "{name}" not in prompt and "{proof_before}" not in prompt
    model = tiny_causal_lm("gpt2", prompt_format=name, device="cpu", max_output_len=4)
    model.save(tmp_path / name)
    loaded = CausalLM.load(tmp_path / name, "cpu")
    assert loaded.format == fmt and loaded.prompt("flat", state) == prompt
    assert [len(s) for s in loaded.generate([prompt], 2)] == [2]
    if fmt.stop:
        assert fmt.cut_output(f"rfl{fmt.stop[0]}more") == ("rfl", True)


def test_named_formats_follow_their_model_cards():
    assert NAMED_FORMATS["bfs-prover"].render("flat", "⊢ True") == "⊢ True:::"
    assert NAMED_FORMATS["internlm2.5-stepprover"].render("flat", "⊢ True") == \
        "---\nNAME: \n\n---\nPROOF_BEFORE: \n\n---\nSTATE_BEFORE: ⊢ True\n\n---\nTACTIC: "
    assert NAMED_FORMATS["internlm2-stepprover"].render("flat", "⊢ p").endswith(
        "GOAL ⊢ p\n<|im_end|>\n<|im_start|>assistant\nPROOFSTEP ")
    assert NAMED_FORMATS["minictx"].render("flat", "⊢ p").endswith("[STATE]\n⊢ p\n[/STATE]\n[TAC]\n")
    rir = NAMED_FORMATS["rir"]
    assert rir.render("actor", "⊢ p", "⊢ q") == "[CURRENT GOAL]\n⊢ p\n[TARGET GOAL]\n⊢ q\n[PROOFSTEP]\n"
    assert rir.render("planner", "⊢ p") == "[CURRENT GOAL]\n⊢ p\n[TARGET GOAL]\n"


def test_a_user_format_in_the_model_directory_is_used(model_dir, tmp_path):
    user = tmp_path / "user"
    CausalLM.load(model_dir, "cpu").save(user)
    (user / FORMAT_FILE).write_text(json.dumps({"flat": "GOAL {state} STEP", "stop": ["\n\n"]}))
    policy = load_policy(user, mode="flat", num_tactics=2)
    assert policy.actor.format.flat == "GOAL {state} STEP" and policy.actor.format.stop == ("\n\n",)
    assert policy.actor.prompt("flat", "⊢ p") == "GOAL ⊢ p STEP"
    named = load_policy(user, mode="flat", prompt_format="bfs-prover")  # the option wins
    assert named.actor.format is NAMED_FORMATS["bfs-prover"]


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a readable JSON"),
    ('["flat"]', "expected a JSON object"),
    ('{"planner": "{state}"}', "needs a 'flat' template"),
    ('{"flat": "{goal}"}', "unknown placeholder {goal}"),
    ('{"flat": "{state}", "actor": "{state}"}', "needs {target}"),
    ('{"flat": "{state}", "colour": 1}', "unknown key 'colour'"),
    ('{"flat": "{state}", "stop": [""]}', "non-empty strings"),
])
def test_a_bad_user_format_is_bad_input_naming_the_file(tmp_path, content, message):
    path = tmp_path / "fmt.json"
    path.write_text(content)
    with pytest.raises(BadInput, match=message):
        read_format(path)


def test_unknown_formats_and_missing_roles_are_bad_input(model_dir):
    with pytest.raises(BadInput, match="unknown prompt format 'nope'"):
        resolve_format("nope")
    with pytest.raises(BadInput, match="prompt format file missing.json not found"):
        resolve_format("missing.json")
    with pytest.raises(BadInput, match="bfs-prover has no planner template"):
        load_policy(model_dir, mode="rir", prompt_format="bfs-prover")
    with pytest.raises(BadInput, match="no planner template"):
        ProverSettings(mode="rir", prompt_format="internlm2.5-stepprover")


# ---- loading

def test_model_directories_are_recognised_by_their_config(model_dir, tmp_path):
    assert model_kind(model_dir) == "causal"
    PolicyModel.tiny().save(tmp_path / "t5")
    assert model_kind(tmp_path / "t5") == "seq2seq"
    assert model_kind(tmp_path) is None  # no config.json
    assert isinstance(load_policy(model_dir, mode="flat").actor, CausalLM)
    assert isinstance(load_policy(tmp_path / "t5").actor, PolicyModel)
    with pytest.raises(BadInput, match="not a causal LM"):
        load_policy(tmp_path / "t5", prompt_format="bfs-prover")


def test_vllm_without_vllm_or_a_gpu_is_a_missing_dependency_before_any_work(model_dir):
    if importlib.util.find_spec("vllm") and torch.cuda.is_available():
        pytest.skip("vLLM and a CUDA GPU are here: the vLLM path runs in test_vllm_serves_the_same_policy")
    with pytest.raises(MissingDependency, match="vLLM"):
        ProverSettings(model=str(model_dir), mode="flat", generator="vllm")


# ---- search and eval

def test_a_fine_tuned_causal_lm_proves_theorems_on_the_embedded_engine(prover_dir):
    settings = ProverSettings(model=str(prover_dir), mode="flat", num_tactics=4, timeout=30)
    policy = load_policy(prover_dir, mode="flat", num_tactics=4)
    assert isinstance(policy, ModelPolicy) and isinstance(policy.actor, CausalLM)
    with make_env("embedded") as env:
        results = [prove_theorem(env, policy, find_theorem(name, "micro-test"), settings) for name in THEOREMS]
    assert [r.status for r in results] == ["proved", "proved"]
    assert [r.proof for r in results] == [["decide"], ["omega"]]


def test_rir_eval_runs_a_causal_lm_with_a_prompt_format(prover_dir, tmp_path):
    out = tmp_path / "results.jsonl"
    theorems = tmp_path / "two.jsonl"
    theorems.write_text("".join(json.dumps({"full_name": name, "statement": find_theorem(name, "micro-test").statement})
                                + "\n" for name in THEOREMS))
    run = subprocess.run([sys.executable, "-m", "rir.cli", "eval", "--theorems", str(theorems), "--out", str(out),
                          "--model", str(prover_dir), "--mode", "flat", "--prompt-format", "rir",
                          "--generator", "hf", "--device", "cpu", "--workers", "0", "--timeout", "30", "--quiet"],
                         cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["status"] for r in records) == ["proved", "proved"]
    assert {(r["settings"]["prompt_format"], r["settings"]["generator"]) for r in records} == {("rir", "hf")}


@pytest.mark.parametrize("flags, message", [
    (["--prompt-format", "nope"], "unknown prompt format 'nope'"),
    (["--mode", "rir", "--prompt-format", "bfs-prover"], "no planner template"),
    (["--generator", "tgi"], "invalid choice"),
])
def test_bad_causal_options_exit_2_with_one_line(model_dir, tmp_path, flags, message):
    run = subprocess.run([sys.executable, "-m", "rir.cli", "eval", "--theorems", "micro-test", "--out",
                          str(tmp_path / "r.jsonl"), "--model", str(model_dir), *flags],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "r.jsonl").exists()


# ---- training

def test_the_causal_loss_masks_the_prompt_and_one_step_lowers_it(lm):
    prompts = [lm.prompt("actor", STATE, "no goals"), lm.prompt("flat", "⊢ 12 * 5 + 7 = 67")]
    batch = lm.encode_pairs(prompts, ["omega", "decide"])
    labels = batch["labels"]
    for row, prompt in zip(labels.tolist(), prompts):
        learnt = [t for t in row if t != -100]
        assert learnt == lm.tokenizer(["omega", "decide"][prompts.index(prompt)],
                                      add_special_tokens=False).input_ids + [lm.tokenizer.eos_token_id]
    model = lm.model.float().train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    before = model(**batch).loss
    before.backward()
    optimizer.step()
    with torch.no_grad():
        after = model(**batch).loss
    model.eval()
    assert float(after) < float(before.detach())


def test_rir_train_co_trains_a_causal_lm_and_exports_it_with_its_format(model_dir, tmp_path):
    triples = [Triple(STATE, "omega", "no goals"), Triple("⊢ 12 * 5 + 7 = 67", "decide", "no goals")]
    config = TrainConfig(mode="rir", model=str(model_dir), max_steps=2, batch_size=2, warmup_steps=0,
                         val_every=1, out_dir=str(tmp_path / "run"), log_every=1)
    summary = train(config, triples=triples, val_triples=triples[:1], progress=False)
    assert summary.steps == 2 and summary.final_loss is not None
    assert set(summary.val_metrics) == {"val/loss_planner", "val/loss_actor", "val/token_acc_planner",
                                        "val/token_acc_actor"}
    policy = load_policy(summary.model_dir, mode="rir", num_targets=2, num_tactics=2)
    assert isinstance(policy.planner, CausalLM) and policy.planner.format == NAMED_FORMATS["rir"]
    with pytest.raises(BadInput, match="trained for mode rir"):
        load_policy(summary.model_dir, mode="flat")
    with pytest.raises(BadInput, match="no planner template"):
        train(config.with_(prompt_format="bfs-prover", out_dir=str(tmp_path / "bfs")), triples=triples,
              progress=False)


# ---- vLLM (a CUDA GPU with vLLM installed)

@pytest.mark.skipif(not (importlib.util.find_spec("vllm") and torch.cuda.is_available()),
                    reason="vLLM path needs vLLM installed and a CUDA GPU; neither is required elsewhere")
def test_vllm_serves_the_same_policy(prover_dir):
    policy = load_policy(prover_dir, mode="flat", num_tactics=4, generator="vllm", device="cuda")
    from rir.vllm_backend import VllmGenerator

    assert isinstance(policy.actor, VllmGenerator)
    with make_env("embedded") as env:
        state = env.open(find_theorem(THEOREMS[0], "micro-test")).pp
    [beam] = policy.act(state, [None])
    assert beam and beam[0].text == "decide"
    sampled = ModelPolicy(policy.actor, mode="flat", num_tactics=4, decoding="sample", seed=1)  # one engine
    [tactics] = sampled.act(state, [None])
    assert tactics and all(t.logprob <= 0 for t in tactics)


def test_prompt_format_objects_validate_their_templates():
    with pytest.raises(BadInput, match="needs {state}"):
        PromptFormat("x", flat="no state here")


def test_rir_train_cli_fine_tunes_a_causal_lm_from_traces_and_resumes(model_dir, tmp_path):
    from rir import cli

    goal = "x : ℕ\nh : 2 < x\n⊢ 2 ≤ x"
    traces = tmp_path / "traces"
    traces.mkdir()
    (traces / "train.json").write_text(json.dumps([{"full_name": "t", "traced_tactics": [
        {"tactic": "intro h", "state_before": "x : ℕ\n⊢ 2 < x → 2 ≤ x", "state_after": goal},
        {"tactic": "omega", "state_before": goal, "state_after": "no goals"}]}]), encoding="utf-8")
    out = tmp_path / "run"
    args = ["train", f"train_data={traces}", f"model={model_dir}", "mode=flat", "prompt_format=bfs-prover",
            "precision=32-true", "batch_size=2", "warmup_steps=0", "val_every=1"]
    flags = ["--out", str(out), "--no-progress"]
    assert cli.main([*args, "max_steps=2", *flags]) == 0
    assert json.loads((out / "model" / FORMAT_FILE).read_text())["name"] == "bfs-prover"
    assert cli.main([*args, "max_steps=3", *flags, "--resume"]) == 0
    assert json.loads((out / "model" / "rir_training.json").read_text())["step"] == 3
    assert cli.main(["train", f"train_data={traces}", f"model={model_dir}", "prompt_format=nope",
                     "--out", str(tmp_path / "bad")]) == 2


def test_rir_prove_cli_prints_the_causal_lm_proof(prover_dir):
    run = subprocess.run([sys.executable, "-m", "rir.cli", "prove", "--theorem", THEOREMS[0], "--theorems",
                          "micro-test", "--model", str(prover_dir), "--mode", "flat", "--prompt-format", "rir",
                          "--num-tactics", "4", "--device", "cpu"],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "decide" in run.stdout and THEOREMS[0] in run.stdout


def test_the_vllm_generator_renders_prompts_and_reads_outputs_as_the_transformers_one(model_dir, monkeypatch):
    """vLLM's engine replaced by a stand-in with its interface (LLM.beam_search /
    generate): prompts, stop strings and scores pass as with a real engine."""
    from types import SimpleNamespace

    import rir.vllm_backend

    tokenizer = CausalLM.load(model_dir, "cpu").tokenizer
    seen = {}

    class FakeLLM:
        def __init__(self, model, **engine_args):
            seen["engine"] = engine_args

        def get_tokenizer(self):
            return tokenizer

        def beam_search(self, prompts, params):
            seen["prompts"], seen["beam"] = prompts, params
            ids = tokenizer("rfl[/TAC] junk", add_special_tokens=False).input_ids
            return [SimpleNamespace(sequences=[SimpleNamespace(tokens=p["prompt_token_ids"] + ids, cum_logprob=-1.5)])
                    for p in prompts]

        def generate(self, prompts, params, use_tqdm=False):
            seen["sample"] = params
            return [SimpleNamespace(outputs=[SimpleNamespace(text="simp", cumulative_logprob=-0.5)]) for _ in prompts]

    fake = SimpleNamespace(LLM=FakeLLM, SamplingParams=lambda **kw: kw,
                           sampling_params=SimpleNamespace(BeamSearchParams=lambda **kw: kw))
    monkeypatch.setattr(rir.vllm_backend, "import_vllm", lambda: fake)
    policy = load_policy(model_dir, mode="flat", generator="vllm", prompt_format="minictx", num_tactics=3)
    assert policy.actor.format is NAMED_FORMATS["minictx"]
    assert policy.act("⊢ p", [None]) == [[Suggestion("rfl", -1.5)]]  # cut at [/TAC]
    [prompt] = seen["prompts"]
    assert tokenizer.decode(prompt["prompt_token_ids"]) == NAMED_FORMATS["minictx"].render("flat", "⊢ p")
    assert seen["beam"] == {"beam_width": 3, "max_tokens": 10, "length_penalty": 0.0}
    sampled = ModelPolicy(policy.actor, mode="flat", decoding="sample", seed=4, num_tactics=2)
    assert sampled.act("⊢ p", [None]) == [[Suggestion("simp", -0.5)]]
    assert seen["sample"]["stop"] == ["[/TAC]"] and seen["sample"]["n"] == 2
    assert seen["engine"]["max_model_len"] == policy.actor.limits.max_input_len + 10


def test_dpo_raises_the_preferred_tactic_of_a_causal_lm_in_its_own_format(model_dir):
    from rir.policy import load_model
    from training.dpo import PreferencePair, preference_margins, train_dpo

    model = load_model(model_dir, "cpu")
    assert isinstance(model, CausalLM)
    reference = load_model(model_dir, "cpu")
    pairs = [PreferencePair(STATE, None, "omega", "rfl"), PreferencePair(STATE, "no goals", "omega", "simp")]
    before = preference_margins(model, reference, pairs)
    summary = train_dpo(model, reference, pairs, steps=5, lr=1e-2, batch_size=2)
    assert summary.steps == 5 and all(m > b for m, b in zip(preference_margins(model, reference, pairs), before))


def test_a_causal_directory_with_broken_files_is_bad_input(model_dir, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text((model_dir / "config.json").read_text())
    assert model_kind(broken) == "causal"
    with pytest.raises(BadInput, match="causal LM .*broken"):
        load_policy(broken, mode="flat")
