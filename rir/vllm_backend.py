"""An optional vLLM generator for decoder-only models (the creator's LLM, or a
decoder-only actor), behind PolicyModel's `generate` interface, so a
ModelPolicy can use it as planner or actor unchanged.

vLLM is imported lazily; without vLLM or without a CUDA GPU the constructor
raises MissingDependency with one line saying which. Prompts longer than the
input limit keep their end (a causal model conditions on the role marks that
close a prompt); outputs stop at the output limit.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Sequence

from lean_env.errors import BadInput, MissingDependency
from rir.checkpoint import looks_like_hub_id
from rir.generation import DECODINGS, Limits, best_first
from rir.prompts import MAX_INPUT_LEN, MAX_OUTPUT_LEN
from search.policy import Suggestion


def import_vllm():
    """The vllm module, or MissingDependency saying what to install or where to run."""
    try:
        import vllm
    except ImportError:
        raise MissingDependency("vLLM is not installed: `pip install 'rir[gpu]'` on a machine with a CUDA GPU, "
                                "or use the Hugging Face generator (PolicyModel)") from None
    import torch

    if not torch.cuda.is_available():
        raise MissingDependency("vLLM needs a CUDA GPU and none is visible: use the Hugging Face "
                                "generator (PolicyModel) on the CPU")
    return vllm


class VllmGenerator:
    """A decoder-only model served by vLLM: batched beam search and sampling,
    results as (text, log-probability) pairs, best first, duplicates merged."""

    def __init__(self, model: str | Path, *, max_input_len: int = MAX_INPUT_LEN,
                 max_output_len: int = MAX_OUTPUT_LEN, dtype: str = "bfloat16",
                 gpu_memory_utilization: float = 0.5, **engine_args: Any):
        model = str(model)
        if not Path(model).exists() and not looks_like_hub_id(model):
            raise MissingDependency(f"missing checkpoint {model}: pass a Hugging Face directory or hub id")
        self.vllm = import_vllm()
        self.llm = self.vllm.LLM(model=model, dtype=dtype, gpu_memory_utilization=gpu_memory_utilization,
                                 **engine_args)
        self.tokenizer = self.llm.get_tokenizer()
        self.limits = Limits(max_input_len, max_output_len)
        self.device = "cuda"

    @classmethod
    def load(cls, path: str | Path, device: str | None = None, **engine_args: Any) -> "VllmGenerator":
        if device not in (None, "cuda") and not str(device).startswith("cuda"):
            raise BadInput(f"vLLM runs on a CUDA GPU, not on '{device}'")
        return cls(path, **engine_args)

    def generate(self, inputs: Sequence[str], n: int, decoding: str = "beam", temperature: float = 1.0,
                 seed: int | None = None, deadline: float | None = None) -> list[list[Suggestion]]:
        """As PolicyModel.generate; a vLLM call cannot be cut short, so `deadline`
        (absolute time.monotonic()) is checked only before it starts."""
        if deadline is not None and time.monotonic() >= deadline:
            return [[] for _ in inputs]
        if decoding not in DECODINGS:
            raise BadInput(f"unknown decoding '{decoding}': choose one of {', '.join(DECODINGS)}")
        if not inputs or n <= 0:
            return [[] for _ in inputs]
        prompts = [self._prompt(text) for text in inputs]
        if decoding == "beam":
            return self._beam_search(prompts, n)
        return self._sample(prompts, n, temperature, seed)

    def _prompt(self, text: str) -> dict:
        ids = self.tokenizer(text).input_ids[-self.limits.max_input_len:]
        return {"prompt_token_ids": ids}

    def _beam_search(self, prompts: list[dict], n: int) -> list[list[Suggestion]]:
        # length_penalty 0: a beam's score is its summed token log-probabilities
        params = self.vllm.sampling_params.BeamSearchParams(
            beam_width=n, max_tokens=self.limits.max_output_len, length_penalty=0.0)
        outputs = self.llm.beam_search(prompts, params)
        results = []
        for prompt, output in zip(prompts, outputs):
            start = len(prompt["prompt_token_ids"])  # beam tokens include the prompt
            texts = [self.tokenizer.decode(seq.tokens[start:], skip_special_tokens=True) for seq in output.sequences]
            results.append(best_first(texts, [seq.cum_logprob for seq in output.sequences]))
        return results

    def _sample(self, prompts: list[dict], n: int, temperature: float, seed: int | None) -> list[list[Suggestion]]:
        if temperature <= 0:
            raise BadInput(f"temperature must be positive for sampling, got {temperature}")
        # logprobs=0 makes vLLM report each sampled token's log-probability (from the raw
        # logits, as PolicyModel reports them), and so cumulative_logprob
        params = self.vllm.SamplingParams(n=n, temperature=temperature, seed=seed,
                                          max_tokens=self.limits.max_output_len, logprobs=0)
        outputs = self.llm.generate(prompts, params, use_tqdm=False)
        return [best_first([c.text for c in out.outputs], [_cumulative_logprob(c) for c in out.outputs])
                for out in outputs]


def _cumulative_logprob(completion) -> float:
    """vLLM's cumulative log-probability, or the sum of the per-token ones."""
    if completion.cumulative_logprob is not None:
        return completion.cumulative_logprob
    return sum(step[token].logprob for step, token in zip(completion.logprobs, completion.token_ids))
