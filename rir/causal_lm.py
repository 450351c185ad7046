"""The decoder-only generation backend: any Hugging Face AutoModelForCausalLM
(GPT-2, Qwen2, Llama, InternLM2, ...) as planner, actor or flat tactic
generator, in a prompt format of rir.prompt_formats.

It offers what PolicyModel (ByT5) offers, so ModelPolicy, training and DPO use
either unchanged: `prompt(role, state, target)`, batched `generate` over several
inputs per call (beam search or sampling, the deadline honoured), teacher-forced
`encode_pairs` / `token_logprob_sums`, `save` and `load`.

A suggestion's score is log P(text + end | prompt), summed over the generated
tokens: the end is EOS, or the format's stop string (then rescored by teacher
forcing, as is any output whose text does not re-encode to the generated ids).
Prompts are padded on the left; one longer than the input limit has its free
parts (state, target) cut first, so the template's closing marks survive.
"""
from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from lean_env.errors import BadInput, MissingDependency
from rir.generation import (
    DECODINGS,
    POLICY_FILE,
    Limits,
    TeacherForcedScoring,
    _Deadline,
    _passed,
    best_first,
)
from rir.prompt_formats import FORMAT_FILE, PromptFormat, fit_prompt, resolve_format
from rir.prompts import MAX_INPUT_LEN, MAX_OUTPUT_LEN
from search.policy import Suggestion

if TYPE_CHECKING:
    import torch

KIND = "causal"  # rir_policy.json's "kind" for a decoder-only model


def model_kind(path: str | Path) -> str | None:
    """"causal" or "seq2seq" for a Hugging Face model directory (or a cached hub
    id), from config.json's is_encoder_decoder / architectures / model_type;
    None when there is no config to read."""
    config = _config_file(str(path))
    if config is None:
        return None
    try:
        data = json.loads(Path(config).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if data.get("is_encoder_decoder") or data.get("model_type") in ("t5", "mt5", "umt5", "bart"):
        return "seq2seq"
    architectures = data.get("architectures") or []
    if any(a.endswith(("ForCausalLM", "LMHeadModel")) for a in architectures):
        return KIND
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

    return KIND if data.get("model_type") in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES else None


def _config_file(path: str) -> str | None:
    if Path(path).is_dir():
        return str(Path(path) / "config.json") if (Path(path) / "config.json").is_file() else None
    from rir.checkpoint import looks_like_hub_id

    if not looks_like_hub_id(path):
        return None
    from rir.checkpoint import _hub_reachable

    try:
        from huggingface_hub import hf_hub_download, try_to_load_from_cache

        found = try_to_load_from_cache(path, "config.json")
        if not isinstance(found, str) and _hub_reachable():
            found = hf_hub_download(path, "config.json")  # a few hundred bytes: enough to tell the kind
    except Exception:  # a malformed or unknown id: the ByT5 loader says what is missing
        return None
    return found if isinstance(found, str) else None


class CausalLM(TeacherForcedScoring):
    """A causal LM with its tokenizer, device, length limits and prompt format."""

    def __init__(self, model, tokenizer, device: str | None = None, *, prompt_format: PromptFormat,
                 max_input_len: int = MAX_INPUT_LEN, max_output_len: int = MAX_OUTPUT_LEN,
                 modes: Sequence[str] = ()):
        import torch

        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        dtype = torch.bfloat16 if self.device.type == "cuda" else torch.float32
        self.model = model.to(device=self.device, dtype=dtype).eval()
        if tokenizer.eos_token_id is None:
            raise BadInput("causal LM tokenizer has no EOS token: an output could never end")
        tokenizer.padding_side = "left"  # every prompt ends where generation starts
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        self.tokenizer = tokenizer
        self.format = prompt_format
        self.limits = Limits(max_input_len, max_output_len)
        self.modes = tuple(modes)
        # pad and unk are never part of a tactic; other specials may end one (<|im_end|>)
        self._suppressed = sorted({tokenizer.pad_token_id, tokenizer.unk_token_id}
                                  - {tokenizer.eos_token_id, None})
        # EOS and any other end the model's generation config names (chat models: <|im_end|>)
        ends = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
        ends = ends if isinstance(ends, list) else [ends] if isinstance(ends, int) else []
        self._ends = [tokenizer.eos_token_id] + [e for e in ends if e != tokenizer.eos_token_id]
        self._prefix = leading_specials(tokenizer)  # BOS where the model expects one; never a trailing EOS

    # ---- construction

    @classmethod
    def load(cls, path: str | Path, device: str | None = None, *, prompt_format: str | PromptFormat | None = None,
             trust_checkpoint: bool = False, max_output_len: int | None = None) -> "CausalLM":
        """A Hugging Face directory or hub id (the cache, else the hub); `trust_checkpoint`
        allows a model's own code (trust_remote_code, e.g. InternLM2)."""
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from rir.checkpoint import _first_line, _hub_reachable, _quiet_transformers, _read_meta

        import torch

        path = str(path)
        local = Path(path).is_dir()
        offline = local or not _hub_reachable()  # a hub id: the cache, else the hub
        gpu = torch.device(device).type == "cuda" if device else torch.cuda.is_available()
        try:
            with _quiet_transformers():
                tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=offline,
                                                          trust_remote_code=trust_checkpoint)
                model, info = AutoModelForCausalLM.from_pretrained(  # a 7B model is read in bf16 for a GPU
                    path, local_files_only=offline, trust_remote_code=trust_checkpoint, output_loading_info=True,
                    dtype=torch.bfloat16 if gpu else torch.float32)
        except OSError as e:
            if local:
                raise BadInput(f"causal LM {path}: cannot read its files ({_first_line(e)})") from None
            raise MissingDependency(f"causal LM {path}: not cached here and not downloadable "
                                    f"({_first_line(e)})") from None
        except ValueError as e:
            if "trust_remote_code" in str(e):
                raise BadInput(f"causal LM {path} runs its own code: pass --trust-checkpoint "
                               f"if you trust it") from None
            raise BadInput(f"causal LM {path}: not loadable ({_first_line(e)})") from None
        except Exception as e:
            raise BadInput(f"causal LM {path}: not loadable ({_first_line(e)})") from None
        missing = sorted(info.get("missing_keys", ()))
        if missing:
            raise BadInput(f"causal LM {path}: weights missing ({', '.join(missing[:3])})")
        meta = _read_meta(Path(path)) if local else {}
        fmt = resolve_format(prompt_format, path if local else None)
        return cls(model, tokenizer, device, prompt_format=fmt,
                   max_input_len=meta.get("max_input_len", MAX_INPUT_LEN),
                   max_output_len=max_output_len or meta.get("max_output_len", MAX_OUTPUT_LEN),
                   modes=meta.get("modes", ()))

    def save(self, directory: str | Path, modes: Sequence[str] | None = None) -> Path:
        """Hugging Face format, rir_policy.json (kind, limits, modes) and the format as rir_prompt.json."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(directory)
        self.tokenizer.save_pretrained(directory)
        modes = tuple(modes if modes is not None else self.modes)
        meta = {"kind": KIND, "prompt_format": self.format.name, "max_input_len": self.limits.max_input_len,
                "max_output_len": self.limits.max_output_len, "modes": list(modes)}
        (directory / POLICY_FILE).write_text(json.dumps(meta, indent=2) + "\n")
        (directory / FORMAT_FILE).write_text(json.dumps(self.format.to_json(), indent=2) + "\n")
        self.modes = modes
        return directory

    # ---- prompts and tensors

    def prompt(self, role: str, state: str, target: str | None = None) -> str:
        room = self.limits.max_input_len - len(self._prefix)
        return fit_prompt(self.format, role, state, target, self._ids,
                          lambda ids: self.tokenizer.decode(ids), room)

    def _ids(self, text: str) -> list[int]:
        return self.tokenizer(text, add_special_tokens=False).input_ids

    def _end_ids(self) -> list[int]:
        return self._ids(self.format.stop[0]) if self.format.stop else [self.tokenizer.eos_token_id]

    def _prompt_ids(self, prompt: str) -> list[int]:
        """BOS (where the tokenizer adds one) + the prompt; one over the input limit keeps its end."""
        return (self._prefix + self._ids(prompt))[-self.limits.max_input_len:]

    def encode_prompts(self, inputs: Sequence[str]):
        """Left-padded prompt ids and attention mask."""
        import torch

        rows = [self._prompt_ids(p) for p in inputs]
        width, pad = max(len(r) for r in rows), self.tokenizer.pad_token_id
        return {"input_ids": torch.tensor([[pad] * (width - len(r)) + r for r in rows]),
                "attention_mask": torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows])}

    def encode_pairs(self, inputs: Sequence[str], outputs: Sequence[str]) -> dict[str, "torch.Tensor"]:
        """A training batch: prompt + output + end, right-padded; labels -100 on the
        prompt and the padding, so only the output (and its end) is learnt."""
        import torch

        if len(inputs) != len(outputs):
            raise ValueError(f"{len(inputs)} inputs but {len(outputs)} outputs")
        rows = []
        for prompt, output in zip(inputs, outputs):
            prompt_ids = self._prompt_ids(prompt)
            out_ids = (self._ids(output) + self._end_ids())[:self.limits.max_output_len]
            rows.append((prompt_ids + out_ids, [-100] * len(prompt_ids) + out_ids))
        width = max(len(ids) for ids, _ in rows)
        pad = self.tokenizer.pad_token_id
        ids = torch.tensor([i + [pad] * (width - len(i)) for i, _ in rows])
        mask = torch.tensor([[1] * len(i) + [0] * (width - len(i)) for i, _ in rows])
        labels = torch.tensor([lab + [-100] * (width - len(lab)) for _, lab in rows])
        return {"input_ids": ids, "attention_mask": mask, "labels": labels}

    def token_logprob_sums(self, batch: dict[str, "torch.Tensor"]) -> "torch.Tensor":
        """Teacher-forced sum of the labels' log-probabilities per row; differentiable."""
        import torch

        batch = {k: v.to(self.device) for k, v in batch.items()}
        logits = self.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits.float()
        labels = batch["labels"][:, 1:]  # token t is predicted at position t - 1
        mask = labels != -100
        logprobs = torch.log_softmax(logits[:, :-1], dim=-1)
        picked = logprobs.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
        return (picked * mask).sum(dim=-1)

    # ---- generation

    def generate(self, inputs: Sequence[str], n: int, decoding: str = "beam", temperature: float = 1.0,
                 seed: int | None = None, deadline: float | None = None,
                 max_new: int | None = None) -> list[list[Suggestion]]:
        """n outputs per input in ONE batched call, as (text, log-probability) best
        first, duplicates merged; as PolicyModel.generate (beam: length penalty 0;
        sampling: scored by the untempered model). Once `deadline` passes,
        generation stops and only the outputs that reached their end are kept;
        so too with `max_new` (at most that many new tokens)."""
        rows = self._run(inputs, n, decoding, temperature, seed, deadline, max_new=max_new)
        keep_unfinished = not _passed(deadline) and max_new is None
        out = []
        for i in range(len(inputs)):
            kept = [(t, s) for t, s, done in rows[i * n:(i + 1) * n] if done or keep_unfinished]
            out.append(best_first([t for t, _ in kept], [s for _, s in kept]))
        return out

    def sample_texts(self, prompts: Sequence[str], n: int, seed: int, temperature: float = 1.0) -> list[list[str]]:
        """n sampled completions per prompt (duplicates kept), for the LLM evolver."""
        rows = self._run(prompts, n, "sample", temperature, seed, None, score=False)
        return [[t for t, _, _ in rows[i * n:(i + 1) * n]] for i in range(len(prompts))]

    def _run(self, inputs, n: int, decoding: str, temperature: float, seed: int | None,
             deadline: float | None, score: bool = True,
             max_new: int | None = None) -> list[tuple[str, float, bool]]:
        """(text, score, finished) for each of the n outputs of each input, in order."""
        import torch

        if decoding not in DECODINGS:
            raise BadInput(f"unknown decoding '{decoding}': choose one of {', '.join(DECODINGS)}")
        if decoding == "sample" and temperature <= 0:
            raise BadInput(f"temperature must be positive for sampling, got {temperature}")
        if not inputs or n <= 0 or _passed(deadline):
            return []
        enc = {k: v.to(self.device) for k, v in self.encode_prompts(inputs).items()}
        devices = [self.device] if self.device.type == "cuda" else []
        rng = torch.random.fork_rng(devices=devices) if seed is not None else contextlib.nullcontext()
        with torch.inference_mode(), rng:
            if seed is not None:
                torch.manual_seed(seed)
            new, scores = self._search(enc, n, decoding, temperature, deadline, max_new)
        rows = [self._read(ids) for ids in new.tolist()]
        if score:
            # an unfinished row that the caller drops (deadline passed, max_new) is not rescored
            drop = _passed(deadline) or max_new is not None
            scores = self._rescore(rows, scores, [x for x in inputs for _ in range(n)], drop)
        return [(text, s, done) for (text, _, done, _), s in zip(rows, scores)]

    def _search(self, enc, n: int, decoding: str, temperature: float, deadline: float | None,
                max_new: int | None = None):
        """The generated ids (prompt removed) and their summed raw log-probabilities."""
        import torch
        from transformers import StoppingCriteriaList

        stop = StoppingCriteriaList([_Deadline(deadline)] if deadline is not None else [])
        length = self.limits.max_output_len if max_new is None else min(self.limits.max_output_len, max_new + 1)
        common = dict(max_new_tokens=length, num_return_sequences=n, stopping_criteria=stop,
                      return_dict_in_generate=True, pad_token_id=self.tokenizer.pad_token_id,
                      eos_token_id=self._ends, suppress_tokens=self._suppressed or None)
        if self.format.stop:
            common.update(stop_strings=list(self.format.stop), tokenizer=self.tokenizer)
        width = enc["input_ids"].shape[1]
        if decoding == "beam" and n > 1:
            out = self.model.generate(**enc, **common, num_beams=n, do_sample=False, length_penalty=0.0,
                                      early_stopping=False, output_scores=True)
            return out.sequences[:, width:], out.sequences_scores.float().tolist()
        sample = dict(do_sample=True, temperature=temperature, top_k=0, top_p=1.0) if decoding == "sample" \
            else dict(do_sample=False)
        out = self.model.generate(**enc, **common, num_beams=1, output_logits=True, **sample)
        tokens = out.sequences[:, width:]
        logprobs = torch.log_softmax(torch.stack(out.logits, dim=1).float(), dim=-1)
        picked = logprobs.gather(-1, tokens.unsqueeze(-1)).squeeze(-1)
        is_eos = torch.isin(tokens, torch.tensor(self._ends, device=tokens.device)).long()
        after_eos = (is_eos.cumsum(dim=1) - is_eos) > 0
        return tokens, picked.masked_fill(after_eos, 0.0).sum(dim=1).tolist()

    def _read(self, ids: list[int]) -> tuple[str, list[int], bool, bool]:
        """(text, its ids, finished, ended by the tokenizer's EOS) of one generated row."""
        eos, pad = self.tokenizer.eos_token_id, self.tokenizer.pad_token_id
        end = next((i for i, t in enumerate(ids) if t in self._ends), None)
        ended, by_eos = end is not None, end is not None and ids[end] == eos
        ids = ids[:end] if ended else ids
        if pad not in self._ends and pad in ids:  # padding after a stop string ended the row
            ids = ids[:ids.index(pad)]
        text, stopped = read_output(self.tokenizer, self.format, ids)
        return text, ids, ended or stopped, by_eos and not stopped

    def _rescore(self, rows, scores: list[float], inputs: list[str], skip_unfinished: bool = False) -> list[float]:
        """Generation scores are kept where the text re-encodes to the generated ids
        and ended with EOS, the format's end; any other output (a stop-string
        format's, too) is scored as log P(text + end)."""
        redo = [i for i, (text, ids, done, by_eos) in enumerate(rows)
                if (done or not skip_unfinished) and (self.format.stop or not by_eos or self._ids(text) != ids)]
        if not redo:
            return list(scores)
        fixed = self.sequence_logprobs([inputs[i] for i in redo], [rows[i][0] for i in redo])
        scores = list(scores)
        for i, s in zip(redo, fixed):
            scores[i] = s
        return scores


def read_output(tokenizer, fmt: PromptFormat, ids: Sequence[int]) -> tuple[str, bool]:
    """The text of generated ids cut at the format's first stop string (a special
    token, such as <|im_end|>, too), other special tokens removed; and whether a
    stop string was found."""
    text, stopped = fmt.cut_output(tokenizer.decode(list(ids), skip_special_tokens=False))
    for special in tokenizer.all_special_tokens:
        if special:
            text = text.replace(special, "")
    return text, stopped


def leading_specials(tokenizer) -> list[int]:
    """The special ids a tokenizer puts before a text (BOS); those it appends
    (a T5-style EOS) would end a prompt before the model starts."""
    plain = tokenizer("a", add_special_tokens=False).input_ids
    full = tokenizer("a").input_ids
    for k in range(len(full) - len(plain) + 1):
        if full[k:k + len(plain)] == plain:
            return full[:k]
    return []


# ---- tiny models (tests, benchmarks): no files, no downloads

def byte_level_tokenizer():
    """A GPT-2-style byte-level BPE tokenizer with no merges: the 256 bytes plus
    <|endoftext|> (EOS/BOS) and <pad>, built in memory."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    vocab = {c: i for i, c in enumerate(alphabet)}
    vocab.update({"<|endoftext|>": len(vocab), "<pad>": len(vocab) + 1})
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", pad_token="<pad>")


def tiny_causal_lm(arch: str = "gpt2", seed: int = 0, tokenizer=None, prompt_format: str | None = None,
                   device: str | None = None, **limits) -> CausalLM:
    """A randomly initialised 2-layer GPT-2 or Qwen2 with a byte-level tokenizer."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel, Qwen2Config, Qwen2ForCausalLM

    tokenizer = tokenizer or byte_level_tokenizer()
    ids = dict(vocab_size=len(tokenizer), eos_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.eos_token_id,
               pad_token_id=tokenizer.pad_token_id)
    if arch == "gpt2":
        config, cls = GPT2Config(n_layer=2, n_embd=64, n_head=4, n_positions=MAX_INPUT_LEN + MAX_OUTPUT_LEN, **ids), GPT2LMHeadModel
    elif arch == "qwen2":
        config = Qwen2Config(num_hidden_layers=2, hidden_size=64, intermediate_size=128, num_attention_heads=4,
                             num_key_value_heads=2,
                             max_position_embeddings=MAX_INPUT_LEN + MAX_OUTPUT_LEN, **ids)
        cls = Qwen2ForCausalLM
    else:
        raise BadInput(f"unknown tiny causal architecture '{arch}': choose gpt2 or qwen2")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = cls(config)
    return CausalLM(model, tokenizer, device, prompt_format=resolve_format(prompt_format), **limits)
