"""The Hugging Face generation backend: a ByT5 (T5ForConditionalGeneration)
model with its tokenizer, device and length limits. The only module that calls
`generate` for the policy; rir.vllm_backend is its GPU-served counterpart."""
from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from lean_env.errors import BadInput, MissingDependency
from rir.prompts import FORMATS, MAX_INPUT_LEN, MAX_OUTPUT_LEN, actor_input, flat_input, planner_input
from search.policy import Suggestion

if TYPE_CHECKING:  # torch and transformers load lazily: `rir --help` stays fast
    import torch

POLICY_FILE = "rir_policy.json"  # saved next to the HF weights
DECODINGS = ("beam", "sample")
GENERATORS = ("hf", "vllm")  # transformers (any device) or vLLM (CUDA, decoder-only models)


def check_device(device: str | None) -> None:
    """A `--device` torch can use here, checked before any work (None: cuda when present)."""
    if device is None:
        return
    import torch

    try:
        kind = torch.device(device).type
    except (RuntimeError, ValueError):
        raise BadInput(f"unknown --device '{device}': expected cpu, cuda, cuda:N or mps") from None
    if kind == "cuda" and not torch.cuda.is_available():
        raise MissingDependency(f"--device {device}: this torch has no usable CUDA GPU "
                                f"(torch {torch.__version__}); use --device cpu")
    if kind == "cuda" and torch.device(device).index is not None \
            and torch.device(device).index >= torch.cuda.device_count():
        raise BadInput(f"--device {device}: only {torch.cuda.device_count()} CUDA device(s) here")
    if kind == "mps" and not torch.backends.mps.is_available():
        raise MissingDependency(f"--device {device}: MPS is not available in this torch; use --device cpu")
    if kind not in ("cpu", "cuda", "mps"):
        raise BadInput(f"unknown --device '{device}': expected cpu, cuda, cuda:N or mps")


def _passed(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def _finished(texts: list, scores: list) -> tuple[list[str], list[float]]:
    kept = [(t, s) for t, s in zip(texts, scores) if t is not None]
    return [t for t, _ in kept], [s for _, s in kept]


class _Deadline:
    """A transformers StoppingCriteria: every sequence stops once the deadline passes."""

    def __init__(self, deadline: float):
        self.deadline = deadline

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        return torch.full((input_ids.shape[0],), _passed(self.deadline), dtype=torch.bool,
                          device=input_ids.device)


@dataclass(frozen=True)
class Limits:
    max_input_len: int = MAX_INPUT_LEN
    max_output_len: int = MAX_OUTPUT_LEN


class TeacherForcedScoring:
    """`sequence_logprobs` for a model class with `encode_pairs` and `token_logprob_sums`
    (the ByT5 PolicyModel and the causal CausalLM score the same way)."""

    def sequence_logprobs(self, inputs: Sequence[str], outputs: Sequence[str]) -> list[float]:
        """log P(output + end | input) under the model, summed over the output's tokens and its end."""
        import torch

        if not inputs:
            return []
        with torch.inference_mode():
            return self.token_logprob_sums(self.encode_pairs(inputs, outputs)).tolist()


class PolicyModel(TeacherForcedScoring):
    """A ByT5 (T5ForConditionalGeneration) model with its tokenizer, device and
    length limits: batched beam search and sampling, teacher-forced scoring."""

    def __init__(self, model, tokenizer, device: str | None = None, *,
                 max_input_len: int = MAX_INPUT_LEN, max_output_len: int = MAX_OUTPUT_LEN,
                 modes: Sequence[str] = ()):
        import torch

        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        dtype = torch.bfloat16 if self.device.type == "cuda" else torch.float32
        self.model = model.to(device=self.device, dtype=dtype).eval()
        self.tokenizer = tokenizer
        self.limits = Limits(max_input_len, max_output_len)
        self.modes = tuple(modes)  # what it was trained for, from rir_policy.json
        # Special tokens other than </s> (pad, unk, ByT5's extra ids) are never part of
        # a tactic or goal. Suppressing them leaves beam scores the model's own
        # log-probabilities: HF applies logits processors after log_softmax.
        self._suppressed = sorted(set(tokenizer.all_special_ids) - {tokenizer.eos_token_id})

    # ---- construction

    @classmethod
    def tiny(cls, seed: int = 0, **config_overrides) -> "PolicyModel":
        """A randomly initialised two-layer ByT5 for tests and CPU experiments.

        `max_input_len`, `max_output_len` and `device` among the overrides set the
        wrapper; the rest override the T5Config."""
        import torch
        from transformers import ByT5Tokenizer, T5Config, T5ForConditionalGeneration

        wrapper = {k: config_overrides.pop(k) for k in ("max_input_len", "max_output_len", "device")
                   if k in config_overrides}
        config = T5Config(**{**_TINY_CONFIG, **config_overrides})
        with torch.random.fork_rng(devices=[]):  # seeded init without touching the global RNG
            torch.manual_seed(seed)
            model = T5ForConditionalGeneration(config)
        return cls(model, ByT5Tokenizer(), **wrapper)

    @classmethod
    def load(cls, path: str | Path, device: str | None = None, *, prefix: str | None = None,
             trust_checkpoint: bool = False) -> "PolicyModel":
        """From a Hugging Face directory or hub id, a Lightning `.ckpt` (its
        `state_dict`) or a DeepSpeed checkpoint (its `module`). In a checkpoint
        the T5 is found under any attribute (ReProver: `generator.`); `prefix`
        picks one where there are several (`networks.actor.`). A pickled
        checkpoint needing more than the safe loader needs `trust_checkpoint`."""
        from rir.checkpoint import _load_checkpoint_file, _load_pretrained

        path = Path(path)
        if path.is_file():
            return _load_checkpoint_file(cls, path, device, prefix, trust_checkpoint)
        if path.is_dir() and not (path / "config.json").exists():
            deepspeed = path / "checkpoint" / "mp_rank_00_model_states.pt"
            if deepspeed.is_file():  # a Lightning + DeepSpeed checkpoint directory
                return _load_checkpoint_file(cls, deepspeed, device, prefix, trust_checkpoint)
            raise BadInput(f"checkpoint {path}: a directory without config.json; expected a Hugging Face "
                           f"model directory (config.json + weights) or a .ckpt file")
        return _load_pretrained(cls, str(path), device)

    def save(self, directory: str | Path, modes: Sequence[str] | None = None) -> Path:
        """Hugging Face format plus rir_policy.json recording formats, limits and modes."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(directory)
        self.tokenizer.save_pretrained(directory)
        modes = tuple(modes if modes is not None else self.modes)
        meta = {"formats": FORMATS, "max_input_len": self.limits.max_input_len,
                "max_output_len": self.limits.max_output_len, "modes": list(modes)}
        (directory / POLICY_FILE).write_text(json.dumps(meta, indent=2) + "\n")
        self.modes = modes
        return directory

    # ---- prompts and tensors

    def prompt(self, role: str, state: str, target: str | None = None) -> str:
        """The input text of a role (planner, actor, flat) in the RiR/ReProver formats."""
        if role == "planner":
            return planner_input(state, self.limits.max_input_len)
        if role == "actor":
            return actor_input(state, target or "", self.limits.max_input_len)
        return flat_input(state)

    def encode_inputs(self, inputs: Sequence[str]):
        """Token ids and mask for `inputs`, cut on the right to the input limit (ReProver)."""
        return self.tokenizer(list(inputs), padding="longest", truncation=True,
                              max_length=self.limits.max_input_len, return_tensors="pt")

    def encode_pairs(self, inputs: Sequence[str], outputs: Sequence[str]) -> dict[str, "torch.Tensor"]:
        """A training batch on the CPU: input_ids, attention_mask and labels (-100 on padding)."""
        if len(inputs) != len(outputs):
            raise ValueError(f"{len(inputs)} inputs but {len(outputs)} outputs")
        enc = self.encode_inputs(inputs)
        labels = self.tokenizer(list(outputs), padding="longest", truncation=True,
                                max_length=self.limits.max_output_len, return_tensors="pt").input_ids
        labels[labels == self.tokenizer.pad_token_id] = -100
        return {"input_ids": enc.input_ids, "attention_mask": enc.attention_mask, "labels": labels}

    def token_logprob_sums(self, batch: dict[str, "torch.Tensor"]) -> "torch.Tensor":
        """Teacher-forced sum of label log-probabilities per row; differentiable (DPO)."""
        import torch

        batch = {k: v.to(self.device) for k, v in batch.items()}
        logits = self.model(**batch).logits.float()
        labels = batch["labels"]
        mask = labels != -100
        picked = torch.log_softmax(logits, dim=-1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
        return (picked * mask).sum(dim=-1)

    # ---- generation

    def generate(self, inputs: Sequence[str], n: int, decoding: str = "beam", temperature: float = 1.0,
                 seed: int | None = None, deadline: float | None = None,
                 max_new: int | None = None) -> list[list[Suggestion]]:
        """n outputs per input in ONE batched call, as (text, log-probability) best first.

        `deadline` (absolute time.monotonic()): generation stops once it passes and
        only the outputs finished by then (ended with </s>) are returned. `max_new`:
        at most that many output bytes; an output that has not ended by then is dropped.

        Beam search: num_beams = num_return_sequences = n, length_penalty 0, so a
        score is the sum of token log-probabilities. Sampling: n samples at
        `temperature`, scored by the model's own (untempered) log-probabilities.
        Duplicate texts are merged, keeping the higher score."""
        import torch

        if decoding not in DECODINGS:
            raise BadInput(f"unknown decoding '{decoding}': choose one of {', '.join(DECODINGS)}")
        if not inputs or n <= 0 or _passed(deadline):
            return [[] for _ in inputs]
        if decoding == "sample" and temperature <= 0:
            raise BadInput(f"temperature must be positive for sampling, got {temperature}")
        enc = self.encode_inputs(inputs).to(self.device)
        rng = torch.random.fork_rng(devices=self._rng_devices()) if seed is not None else contextlib.nullcontext()
        with torch.inference_mode(), rng:
            if seed is not None:
                torch.manual_seed(seed)
            sequences, scores = self._search(enc, n, decoding, temperature, deadline, max_new)
        texts = self.tokenizer.batch_decode(sequences, skip_special_tokens=True)
        if _passed(deadline) or max_new is not None:  # cut short: no </s>, an unfinished tactic or goal
            ended = (sequences == self.tokenizer.eos_token_id).any(dim=1).tolist()
            texts = [t if done else None for t, done in zip(texts, ended)]
        # (rescored after the cut: an output about to be dropped costs no forward pass)
        scores = self._rescore_lossy(sequences, texts, scores, [x for x in inputs for _ in range(n)])
        return [best_first(*_finished(texts[i * n:(i + 1) * n], scores[i * n:(i + 1) * n]))
                for i in range(len(inputs))]

    def _search(self, enc, n: int, decoding: str, temperature: float, deadline: float | None = None,
                max_new: int | None = None):
        from transformers import StoppingCriteriaList

        stop = StoppingCriteriaList([_Deadline(deadline)] if deadline is not None else [])
        # decoder length: the start token, max_new bytes and </s>
        length = self.limits.max_output_len if max_new is None else min(self.limits.max_output_len, max_new + 2)
        common = dict(max_length=length, num_return_sequences=n, stopping_criteria=stop,
                      return_dict_in_generate=True, pad_token_id=self.tokenizer.pad_token_id,
                      eos_token_id=self.tokenizer.eos_token_id, suppress_tokens=self._suppressed)
        if decoding == "beam" and n > 1:
            out = self.model.generate(**enc, **common, num_beams=n, do_sample=False, length_penalty=0.0,
                                      early_stopping=False, output_scores=True)
            return out.sequences, out.sequences_scores.float().tolist()
        sample = dict(do_sample=True, temperature=temperature, top_k=0, top_p=1.0) if decoding == "sample" \
            else dict(do_sample=False)  # one beam is greedy search
        out = self.model.generate(**enc, **common, num_beams=1, output_logits=True, **sample)
        return out.sequences, self._generated_logprobs(out.sequences, out.logits)

    def _rescore_lossy(self, sequences, texts: list[str | None], scores: list[float],
                       inputs: list[str]) -> list[float]:
        """A text that does not re-encode to the generated ids (invalid UTF-8 cut
        out, or no </s> at the length limit) is scored as the text it became, so
        a suggestion's log-probability is always log P(text | input). Dropped
        outputs (None) are left alone."""
        kept = [i for i, t in enumerate(texts) if t is not None]
        if not kept:
            return scores
        eos = self.tokenizer.eos_token_id
        generated = [_until_eos(row, eos) for row in sequences[:, 1:].tolist()]
        encoded = dict(zip(kept, self.tokenizer([texts[i] for i in kept], truncation=True,
                                                max_length=self.limits.max_output_len).input_ids))
        lossy = [i for i in kept if generated[i] != encoded[i]]
        if not lossy:
            return scores
        fixed = self.sequence_logprobs([inputs[i] for i in lossy], [texts[i] for i in lossy])
        scores = list(scores)
        for i, score in zip(lossy, fixed):
            scores[i] = score
        return scores

    def _generated_logprobs(self, sequences, logits) -> list[float]:
        """Sum of the model's raw log-probabilities of each generated token up to </s>."""
        import torch

        tokens = sequences[:, 1:]  # drop the decoder start token
        logprobs = torch.log_softmax(torch.stack(logits, dim=1).float(), dim=-1)
        picked = logprobs.gather(-1, tokens.unsqueeze(-1)).squeeze(-1)
        is_eos = (tokens == self.tokenizer.eos_token_id).long()
        after_eos = (is_eos.cumsum(dim=1) - is_eos) > 0  # padding once a sequence has ended
        return picked.masked_fill(after_eos, 0.0).sum(dim=1).tolist()

    def _rng_devices(self) -> list:
        return [self.device] if self.device.type == "cuda" else []


_TINY_CONFIG: dict[str, Any] = dict(
    vocab_size=384, d_model=64, d_kv=16, d_ff=128, num_layers=2, num_decoder_layers=2, num_heads=4,
    # the output head shares the embedding (T5's scaled tied head): transformers 5
    # always builds T5 tied, and a checkpoint's shapes then say how to rebuild it
    relative_attention_num_buckets=32, feed_forward_proj="gated-gelu", dropout_rate=0.0,
    decoder_start_token_id=0, pad_token_id=0, eos_token_id=1,
)


def _until_eos(ids: list[int], eos: int) -> list[int]:
    return ids[:ids.index(eos) + 1] if eos in ids else ids


def best_first(texts: Sequence[str], scores: Sequence[float]) -> list[Suggestion]:
    best: dict[str, float] = {}
    for text, score in zip(texts, scores):
        if text not in best or score > best[text]:
            best[text] = score
    return [Suggestion(t, s) for t, s in sorted(best.items(), key=lambda item: -item[1])]
