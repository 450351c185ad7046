import random

import pytest

from lean_env.errors import BadInput
from lean_env.micro.parser import parse_statement
from training.creator import Conjecture
from training.llm_evolver import TEMPLATES, CausalSampler, LLMEvolver, extract_statement

pytestmark = pytest.mark.usefixtures("one_torch_thread")


PARENT = Conjecture("add_le", "theorem add_le (a b : ℕ) (h : a ≤ b) : a + 1 ≤ b + 1")


def test_every_template_renders_the_parent_and_the_fragment_rules():
    kinds = {t.kind for t in TEMPLATES.values()}
    assert kinds == {"depth", "breadth"} and len(TEMPLATES) >= 6
    for template in TEMPLATES.values():
        prompt = template.render(PARENT.statement)
        assert PARENT.statement in prompt
        assert "ℕ" in prompt and "Prop" in prompt and template.instruction in prompt
        assert prompt.endswith("```lean\n")  # the model continues with the statement


def test_extract_strips_fences_and_proof_tails():
    fenced = "```lean\ntheorem t (x : ℕ) (h : x < 3) :\n    x ≤ 2 := by\n  omega\n```\nDone."
    assert extract_statement(fenced) == "theorem t (x : ℕ) (h : x < 3) : x ≤ 2"
    assert extract_statement("```lean theorem s (x : ℕ) : x ∣ x```") == "theorem s (x : ℕ) : x ∣ x"
    assert extract_statement("Here: theorem s (p q : Prop) : p ∧ q → q := sorry") == \
        "theorem s (p q : Prop) : p ∧ q → q"


def test_extract_normalises_through_the_printer():
    assert extract_statement("theorem t (x : Nat) (y : Nat) : ((x + y)) = y + x") == \
        "theorem t (x y : ℕ) : x + y = y + x"


def test_extract_skips_trailing_prose_and_takes_the_first_statement_that_parses():
    text = "theorem bad (x : ℕ) : x ≤\n\ntheorem good (x : ℕ) : x ≤ x * 1\nwhich holds since"
    assert extract_statement(text) == "theorem good (x : ℕ) : x ≤ x * 1"


@pytest.mark.parametrize("text", [
    "",
    "I cannot help with that.",
    "\x00\x13 theorem ((( :",
    "theorem t (x : ℂ) : x = x",  # not in the fragment (ℝ is, since issue 22)
    "theorem t (x : ℕ) : x ≤ x + y",  # y is unbound
    "theorem t (h : x < 2) (x : ℕ) : x ≤ 1",  # x used before it is bound
])
def test_extract_returns_none_without_a_parsing_statement(text):
    assert extract_statement(text) is None


def fake_backend(outputs, calls):
    """Hands out `outputs` in order, n per prompt, and records each call."""
    queue = list(outputs)

    def generate(prompts, n, seed):
        calls.append((list(prompts), n, seed))
        return [[queue.pop(0) for _ in range(min(n, len(queue)))] for _ in prompts]
    return generate


def test_evolve_keeps_parsing_variants_with_origin_parent_and_fresh_names():
    outputs = [
        "```lean\ntheorem v (a b : ℕ) (h : a ≤ b) (h2 : b ≤ 5) : a + 1 ≤ b + 1\n```",
        "nonsense",
        "theorem again (x y : ℕ) (hx : x ≤ y) : x + 1 ≤ y + 1",  # the parent, renamed
        "theorem v2 (a b : ℕ) (h : a ≤ b) : a + 2 ≤ b + 2 := by omega",
        "theorem v_again (a b : ℕ) (h : a ≤ b) (h2 : b ≤ 5) : a + 1 ≤ b + 1",  # a duplicate
    ]
    calls = []
    evolver = LLMEvolver(fake_backend(outputs, calls))
    variants = evolver.evolve(PARENT, 4, random.Random(0), iteration=3)
    assert len(calls) == 1  # every template's prompt in one batch
    prompts, per_prompt, _ = calls[0]
    assert len(prompts) == 4 and per_prompt >= 2
    statements = [v.statement for v in variants]
    assert len(statements) == len(set(statements)) == 2  # duplicates and the parent dropped
    for k, v in enumerate(variants):
        assert v.name == f"add_le_llm3_{k}" and v.parent == "add_le" and v.iteration == 3 and v.lineage == "add_le"
        assert v.origin.startswith("llm:") and v.origin[4:] in TEMPLATES
        assert parse_statement(v.statement).name == v.name
    assert "(h2 : b ≤ 5)" in statements[0]


def test_weights_choose_the_templates_prompted():
    calls = []
    weights = {name: (1.0 if name in ("add_step", "new_domain") else 1e-9) for name in TEMPLATES}
    LLMEvolver(fake_backend([], calls)).evolve(PARENT, 2, random.Random(0), 1, weights=weights)
    prompts = calls[0][0]
    assert sorted(prompts) == sorted(TEMPLATES[t].render(PARENT.statement) for t in ("add_step", "new_domain"))


def test_evolve_returns_at_most_n_and_nothing_for_garbage():
    good = [f"theorem g (x : ℕ) : x + {k} ≥ {k}" for k in range(10)]
    evolver = LLMEvolver(fake_backend(good, []))
    assert len(evolver.evolve(PARENT, 3, random.Random(1), 0)) == 3
    assert LLMEvolver(fake_backend(["no", "statement"] * 4, [])).evolve(PARENT, 4, random.Random(1), 0) == []


def test_missing_model_path_is_bad_input(tmp_path):
    with pytest.raises(BadInput, match="nowhere"):
        LLMEvolver.from_pretrained(tmp_path / "nowhere")
    with pytest.raises(BadInput, match="backend"):
        LLMEvolver.from_pretrained(tmp_path, backend="onnx")


@pytest.fixture(scope="module")
def tiny_causal_lm(tmp_path_factory):
    import torch
    from transformers import ByT5Tokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = ByT5Tokenizer()  # bytes are its vocabulary: no files needed
    config = LlamaConfig(vocab_size=384, hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=2048,
                         pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
                         bos_token_id=None)
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("tiny_lm")
    LlamaForCausalLM(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def test_a_tiny_random_causal_lm_evolves_end_to_end_in_one_batched_generate(tiny_causal_lm):
    evolver = LLMEvolver.from_pretrained(tiny_causal_lm, device="cpu", max_new_tokens=16)
    backend = evolver.generate_fn
    assert isinstance(backend, CausalSampler) and backend.lm.tokenizer.padding_side == "left"
    batch_sizes = []
    real_generate = backend.lm.model.generate

    def spy(**kwargs):
        batch_sizes.append(kwargs["input_ids"].shape[0])
        return real_generate(**kwargs)

    backend.lm.model.generate = spy
    variants = evolver.evolve(PARENT, 3, random.Random(0), iteration=1)
    assert batch_sizes == [3]  # three templates' prompts, one generate call
    assert isinstance(variants, list) and len(variants) <= 3
    for v in variants:  # random weights rarely write a statement; any that they do must parse
        assert isinstance(v, Conjecture) and v.origin.startswith("llm:")
        parse_statement(v.statement)


def test_the_transformers_backend_samples_n_completions_per_prompt_reproducibly(tiny_causal_lm):
    backend = LLMEvolver.from_pretrained(tiny_causal_lm, device="cpu", max_new_tokens=8).generate_fn
    first = backend(["theorem a", "a much longer prompt than the first"], 2, 7)
    assert [len(texts) for texts in first] == [2, 2]
    assert backend(["theorem a", "a much longer prompt than the first"], 2, 7) == first


def test_the_vllm_backend_without_vllm_or_a_gpu_is_a_missing_dependency(tiny_causal_lm):
    import importlib.util

    import torch

    from lean_env.errors import MissingDependency

    if importlib.util.find_spec("vllm") and torch.cuda.is_available():
        pytest.skip("vLLM and a GPU are here")
    with pytest.raises(MissingDependency, match="vLLM"):
        LLMEvolver.from_pretrained(tiny_causal_lm, backend="vllm")
