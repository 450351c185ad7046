"""An optional vLLM generator for decoder-only models (the creator's LLM, or a
decoder-only step prover as planner/actor), behind CausalLM's interface
(`prompt`, `generate`), so a ModelPolicy uses it unchanged (`--generator vllm`).

vLLM is imported lazily; without vLLM or without a CUDA GPU the constructor
raises MissingDependency with one line saying which. Prompts are fitted to the
input limit as CausalLM fits them (rir.prompt_formats.fit_prompt), and any
longer keep their end; outputs end at EOS or the format's stop strings, and at
the output limit. One engine serves every role of one model in a process (an
eval worker); a vLLM call cannot be cut short, so the deadline is checked
before each call only.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Sequence

from lean_env.errors import BadInput, MissingDependency
from rir.causal_lm import leading_specials, read_output
from rir.checkpoint import looks_like_hub_id
from rir.generation import DECODINGS, Limits, best_first
from rir.prompt_formats import PromptFormat, fit_prompt, resolve_format
from rir.prompts import MAX_INPUT_LEN, MAX_OUTPUT_LEN
from search.policy import Suggestion

NO_VLLM = ("vLLM is not installed: `pip install 'rir[gpu]'` on a machine with a CUDA GPU, "
           "or use --generator hf (transformers)")
NO_GPU = "vLLM needs a CUDA GPU and none is visible: use --generator hf (transformers) on the CPU"


def check_vllm() -> None:
    """Before any work, without importing vLLM: MissingDependency (one line) without it or a GPU."""
    import importlib.util

    import torch

    if importlib.util.find_spec("vllm") is None:
        raise MissingDependency(NO_VLLM)
    if not torch.cuda.is_available():
        raise MissingDependency(NO_GPU)


def import_vllm():
    """The vllm module, or MissingDependency saying what to install or where to run."""
    check_vllm()
    import vllm

    return vllm


class VllmGenerator:
    """A decoder-only model served by vLLM: batched beam search and sampling,
    results as (text, log-probability) pairs, best first, duplicates merged."""

    def __init__(self, model: str | Path, *, prompt_format: PromptFormat | None = None,
                 max_input_len: int = MAX_INPUT_LEN, max_output_len: int = MAX_OUTPUT_LEN,
                 dtype: str = "bfloat16", gpu_memory_utilization: float = 0.5, modes: Sequence[str] = (),
                 **engine_args: Any):
        model = str(model)
        if not Path(model).exists() and not looks_like_hub_id(model):
            raise MissingDependency(f"missing checkpoint {model}: pass a Hugging Face directory or hub id")
        self.vllm = import_vllm()
        self.llm = self.vllm.LLM(model=model, dtype=dtype, gpu_memory_utilization=gpu_memory_utilization,
                                 max_model_len=max_input_len + max_output_len, **engine_args)
        self.tokenizer = self.llm.get_tokenizer()
        self._prefix = leading_specials(self.tokenizer)  # BOS, never a trailing EOS
        self.format = prompt_format or resolve_format(None)
        self.limits = Limits(max_input_len, max_output_len)
        self.modes = tuple(modes)
        self.device = "cuda"

    @classmethod
    def load(cls, path: str | Path, device: str | None = None, *, prompt_format: str | None = None,
             trust_checkpoint: bool = False, **engine_args: Any) -> "VllmGenerator":
        """As CausalLM.load: the format named, else the directory's rir_prompt.json, else rir."""
        import json

        if device not in (None, "cuda") and not str(device).startswith("cuda"):
            raise BadInput(f"vLLM runs on a CUDA GPU, not on '{device}'")
        local = Path(path).is_dir()
        meta_file = Path(path) / "rir_policy.json"
        meta = json.loads(meta_file.read_text()) if local and meta_file.is_file() else {}
        limits = {k: meta[k] for k in ("max_input_len", "max_output_len") if k in meta}
        return cls(path, prompt_format=resolve_format(prompt_format, path if local else None),
                   modes=meta.get("modes", ()), trust_remote_code=trust_checkpoint, **{**limits, **engine_args})

    def prompt(self, role: str, state: str, target: str | None = None) -> str:
        room = self.limits.max_input_len - len(self._prefix)
        return fit_prompt(self.format, role, state, target,
                          lambda text: self.tokenizer(text, add_special_tokens=False).input_ids,
                          lambda ids: self.tokenizer.decode(ids), room)

    def generate(self, inputs: Sequence[str], n: int, decoding: str = "beam", temperature: float = 1.0,
                 seed: int | None = None, deadline: float | None = None,
                 max_new: int | None = None) -> list[list[Suggestion]]:
        """As PolicyModel.generate; a vLLM call cannot be cut short, so `deadline`
        (absolute time.monotonic()) is checked only before it starts. `max_new` caps
        the new tokens (an output cut there is kept, as at the model's length limit)."""
        if deadline is not None and time.monotonic() >= deadline:
            return [[] for _ in inputs]
        if decoding not in DECODINGS:
            raise BadInput(f"unknown decoding '{decoding}': choose one of {', '.join(DECODINGS)}")
        if not inputs or n <= 0:
            return [[] for _ in inputs]
        prompts = [self._prompt(text) for text in inputs]
        length = self.limits.max_output_len if max_new is None else min(self.limits.max_output_len, max_new + 1)
        if decoding == "beam":
            return self._beam_search(prompts, n, length)
        return self._sample(prompts, n, temperature, seed, length)

    def _prompt(self, text: str) -> dict:
        ids = (self._prefix + self.tokenizer(text, add_special_tokens=False).input_ids)[-self.limits.max_input_len:]
        return {"prompt_token_ids": ids}

    def _beam_search(self, prompts: list[dict], n: int, max_tokens: int) -> list[list[Suggestion]]:
        # length_penalty 0: a beam's score is its summed token log-probabilities
        params = self.vllm.sampling_params.BeamSearchParams(
            beam_width=n, max_tokens=max_tokens, length_penalty=0.0)
        outputs = self.llm.beam_search(prompts, params)
        results = []
        for prompt, output in zip(prompts, outputs):
            start = len(prompt["prompt_token_ids"])  # beam tokens include the prompt
            # beam search knows EOS only: a stop string ends the text here
            texts = [read_output(self.tokenizer, self.format, seq.tokens[start:])[0] for seq in output.sequences]
            results.append(best_first(texts, [seq.cum_logprob for seq in output.sequences]))
        return results

    def _sample(self, prompts: list[dict], n: int, temperature: float, seed: int | None,
                max_tokens: int) -> list[list[Suggestion]]:
        if temperature <= 0:
            raise BadInput(f"temperature must be positive for sampling, got {temperature}")
        # logprobs=0 makes vLLM report each sampled token's log-probability (from the raw
        # logits, as PolicyModel reports them), and so cumulative_logprob
        params = self.vllm.SamplingParams(n=n, temperature=temperature, seed=seed, stop=list(self.format.stop),
                                          max_tokens=max_tokens, logprobs=0)
        outputs = self.llm.generate(prompts, params, use_tqdm=False)
        return [best_first([c.text for c in out.outputs], [_cumulative_logprob(c) for c in out.outputs])
                for out in outputs]


def _cumulative_logprob(completion) -> float:
    """vLLM's cumulative log-probability, or the sum of the per-token ones."""
    if completion.cumulative_logprob is not None:
        return completion.cumulative_logprob
    return sum(step[token].logprob for step, token in zip(completion.logprobs, completion.token_ids))
