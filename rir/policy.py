"""Policy models: the ByT5 planner, the goal-conditioned actor and the flat
tactic generator. The only module that touches tokenizers and `generate`.

Formats are those of the published RiR and ReProver checkpoints, so their
weights work unchanged:

    planner  "[CURRENT GOAL]\\n{state}\\n[TARGET GOAL]\\n"               -> target state
    actor    "[CURRENT GOAL]\\n{state}\\n[TARGET GOAL]\\n{target}\\n[PROOFSTEP]\\n" -> tactic
    flat     "{state}"                                                  -> tactic (ReProver)
    joint    "[CURRENT GOAL]\\n{state}\\n" -> "[TARGET GOAL]\\n{target}\\n[PROOFSTEP]\\n{tactic}\\n"

Truncation. ReProver tokenizes with `truncation=True, max_length=2048` (inputs)
and 512 (outputs): the text is cut on the right, byte by byte, keeping `</s>`.
`PolicyModel` does exactly that for every input. Cutting the planner or actor
input on the right would drop the `[TARGET GOAL]`/`[PROOFSTEP]` marks the
model conditions on, so the format functions first shorten the free text
(state, target) to fit: the planner's state takes all the room left by the
marks; the actor's state and target share it fairly (each gets half, and a
part shorter than its half gives the rest to the other). Each part keeps its
beginning, as in ReProver. For inputs within the limit nothing changes.
"""
from __future__ import annotations

import contextlib
import json
import re
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from lean_env.errors import BadInput, MissingDependency
from search.policy import Suggestion

if TYPE_CHECKING:  # torch and transformers load lazily: `rir --help` stays fast
    import torch

PLANNER_PREFIX = "[CURRENT GOAL]\n"
TARGET_MARK = "[TARGET GOAL]\n"
PROOFSTEP_MARK = "[PROOFSTEP]\n"

MAX_INPUT_LEN = 2048  # tokens (= bytes for ByT5), </s> included, as ReProver
MAX_OUTPUT_LEN = 512
POLICY_FILE = "rir_policy.json"  # saved next to the HF weights
MODES = ("rir", "flat", "joint")
DECODINGS = ("beam", "sample")
FORMATS = {
    "planner": {"input": PLANNER_PREFIX + "{state}\n" + TARGET_MARK, "output": "{target}"},
    "actor": {"input": PLANNER_PREFIX + "{state}\n" + TARGET_MARK + "{target}\n" + PROOFSTEP_MARK,
              "output": "{tactic}"},
    "flat": {"input": "{state}", "output": "{tactic}"},
    "joint": {"input": PLANNER_PREFIX + "{state}\n",
              "output": TARGET_MARK + "{target}\n" + PROOFSTEP_MARK + "{tactic}\n"},
}

_GOALS_LINE = re.compile(r"^\d+ goals?\n")
_PREMISE_MARK = re.compile(r"</?a>")
_JOINT_OUTPUT = re.compile(
    re.escape(TARGET_MARK) + r"(?P<target>.*?)\n" + re.escape(PROOFSTEP_MARK) + r"(?P<tactic>.*?)\n?$",
    re.DOTALL,
)


# ---------------------------------------------------------------- formats

def planner_input(state: str, max_len: int | None = MAX_INPUT_LEN) -> str:
    (state,) = _fit([state], _room(max_len, PLANNER_PREFIX, "\n", TARGET_MARK))
    return f"{PLANNER_PREFIX}{state}\n{TARGET_MARK}"


def planner_output(next_state: str) -> str:
    """The planner's target: the next state without a leading `N goals` line."""
    return _GOALS_LINE.sub("", next_state, count=1)


def actor_input(state: str, target: str, max_len: int | None = MAX_INPUT_LEN) -> str:
    state, target = _fit([state, target], _room(max_len, PLANNER_PREFIX, "\n", TARGET_MARK, "\n", PROOFSTEP_MARK))
    return f"{PLANNER_PREFIX}{state}\n{TARGET_MARK}{target}\n{PROOFSTEP_MARK}"


def flat_input(state: str) -> str:
    return state  # ReProver's right truncation in the tokenizer is all it needs


def joint_input(state: str, max_len: int | None = MAX_INPUT_LEN) -> str:
    (state,) = _fit([state], _room(max_len, PLANNER_PREFIX, "\n"))
    return f"{PLANNER_PREFIX}{state}\n"


def joint_output(target: str, tactic: str) -> str:
    return f"{TARGET_MARK}{target}\n{PROOFSTEP_MARK}{tactic}\n"


def parse_joint_output(text: str) -> tuple[str, str] | None:
    """(target, tactic) from a joint model's output; None when it is malformed."""
    match = _JOINT_OUTPUT.match(text)
    return (match["target"], match["tactic"]) if match else None


def strip_premise_marks(tactic: str) -> str:
    """ReProver marks premises as `<a>name</a>`; Lean needs the bare name."""
    return _PREMISE_MARK.sub("", tactic)


def _room(max_len: int | None, *marks: str) -> int | None:
    """Bytes left for free text once the marks and `</s>` are in."""
    if max_len is None:
        return None
    return max(0, max_len - 1 - sum(len(m.encode()) for m in marks))


def _fit(parts: list[str], room: int | None) -> list[str]:
    """Cut the parts on the right so their UTF-8 bytes fit in `room`, fair shares."""
    sizes = [len(p.encode()) for p in parts]
    if room is None or sum(sizes) <= room:
        return parts
    budgets = [0] * len(parts)
    left, pending = room, sorted(range(len(parts)), key=lambda i: sizes[i])
    while pending:  # shortest first: a part under its share passes the rest on
        i = pending.pop(0)
        budgets[i] = min(sizes[i], left // (len(pending) + 1))
        left -= budgets[i]
    return [p.encode()[:b].decode(errors="ignore") for p, b in zip(parts, budgets)]


# ---------------------------------------------------------------- the model

@dataclass(frozen=True)
class Limits:
    max_input_len: int = MAX_INPUT_LEN
    max_output_len: int = MAX_OUTPUT_LEN


class PolicyModel:
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
    def load(cls, path: str | Path, device: str | None = None, *, prefix: str | None = None) -> "PolicyModel":
        """From a Hugging Face directory or hub id, a Lightning `.ckpt` (its
        `state_dict`) or a DeepSpeed checkpoint (its `module`). In a checkpoint
        the T5 is found under any attribute (ReProver: `generator.`); `prefix`
        picks one where there are several (`networks.actor.`)."""
        path = Path(path)
        if path.is_file():
            return _load_checkpoint_file(cls, path, device, prefix)
        if path.is_dir() and not (path / "config.json").exists():
            deepspeed = path / "checkpoint" / "mp_rank_00_model_states.pt"
            if deepspeed.is_file():  # a Lightning + DeepSpeed checkpoint directory
                return _load_checkpoint_file(cls, deepspeed, device, prefix)
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

    # ---- tensors

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

    def sequence_logprobs(self, inputs: Sequence[str], outputs: Sequence[str]) -> list[float]:
        """log P(output | input) under the model, summed over the output's tokens and </s>."""
        import torch

        if not inputs:
            return []
        with torch.inference_mode():
            return self.token_logprob_sums(self.encode_pairs(inputs, outputs)).tolist()

    # ---- generation

    def generate(self, inputs: Sequence[str], n: int, decoding: str = "beam", temperature: float = 1.0,
                 seed: int | None = None) -> list[list[Suggestion]]:
        """n outputs per input in ONE batched call, as (text, log-probability) best first.

        Beam search: num_beams = num_return_sequences = n, length_penalty 0, so a
        score is the sum of token log-probabilities. Sampling: n samples at
        `temperature`, scored by the model's own (untempered) log-probabilities.
        Duplicate texts are merged, keeping the higher score."""
        import torch

        if decoding not in DECODINGS:
            raise BadInput(f"unknown decoding '{decoding}': choose one of {', '.join(DECODINGS)}")
        if not inputs or n <= 0:
            return [[] for _ in inputs]
        if decoding == "sample" and temperature <= 0:
            raise BadInput(f"temperature must be positive for sampling, got {temperature}")
        enc = self.encode_inputs(inputs).to(self.device)
        rng = torch.random.fork_rng(devices=self._rng_devices()) if seed is not None else contextlib.nullcontext()
        with torch.inference_mode(), rng:
            if seed is not None:
                torch.manual_seed(seed)
            sequences, scores = self._search(enc, n, decoding, temperature)
        texts = self.tokenizer.batch_decode(sequences, skip_special_tokens=True)
        scores = self._rescore_lossy(sequences, texts, scores, [x for x in inputs for _ in range(n)])
        return [best_first(texts[i * n:(i + 1) * n], scores[i * n:(i + 1) * n]) for i in range(len(inputs))]

    def _search(self, enc, n: int, decoding: str, temperature: float):
        common = dict(max_length=self.limits.max_output_len, num_return_sequences=n,
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

    def _rescore_lossy(self, sequences, texts: list[str], scores: list[float], inputs: list[str]) -> list[float]:
        """A text that does not re-encode to the generated ids (invalid UTF-8 cut
        out, or no </s> at the length limit) is scored as the text it became, so
        a suggestion's log-probability is always log P(text | input)."""
        eos = self.tokenizer.eos_token_id
        generated = [_until_eos(row, eos) for row in sequences[:, 1:].tolist()]
        encoded = self.tokenizer(texts, truncation=True, max_length=self.limits.max_output_len).input_ids
        lossy = [i for i, (ids, again) in enumerate(zip(generated, encoded)) if ids != again]
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


# ---------------------------------------------------------------- loading

def _missing(path: str) -> MissingDependency:
    return MissingDependency(f"missing checkpoint {path}: train one with `rir train` or pass --model PATH")


def looks_like_hub_id(path: str) -> bool:
    return (not path.startswith((".", "/", "~")) and path.count("/") == 1
            and not path.endswith((".ckpt", ".pt", ".pth", ".bin", ".safetensors")))


def _read_meta(directory: Path) -> dict:
    meta_file = directory / POLICY_FILE
    if not meta_file.exists():
        return {}
    try:
        return json.loads(meta_file.read_text())
    except json.JSONDecodeError as e:
        raise BadInput(f"corrupt {meta_file}: {e}") from None


def _load_pretrained(cls, path: str, device: str | None) -> PolicyModel:
    """A Hugging Face directory, or a hub id from the local cache (then the hub)."""
    import os

    from transformers import T5ForConditionalGeneration

    local = Path(path).is_dir()
    if not local and (not looks_like_hub_id(path) or Path(path).parent.is_dir()):
        raise _missing(path)  # a local path (its folder exists here), not a hub id
    attempts = [True] if local or os.environ.get("HF_HUB_OFFLINE") or not _hub_reachable() else [True, False]
    for offline in attempts:  # the cache first: works offline once downloaded
        try:
            with _quiet_transformers():
                model, info = T5ForConditionalGeneration.from_pretrained(
                    path, local_files_only=offline, output_loading_info=True)
            break
        except OSError as e:
            if local:
                raise BadInput(f"checkpoint {path}: cannot read the weights ({_first_line(e)})") from None
        except Exception as e:  # corrupt files, wrong architecture in config.json
            raise BadInput(f"checkpoint {path}: not a loadable T5/ByT5 model ({_first_line(e)})") from None
    else:
        raise MissingDependency(f"missing checkpoint {path}: not a local path, and no cached or reachable "
                                f"hub model of that name; train one with `rir train` or pass --model PATH")
    _check_loading(path, model, info)
    meta = _read_meta(Path(path)) if local else {}
    return cls(model, _load_tokenizer(path, offline=local), device,
               max_input_len=meta.get("max_input_len", MAX_INPUT_LEN),
               max_output_len=meta.get("max_output_len", MAX_OUTPUT_LEN), modes=meta.get("modes", ()))


def _check_loading(path, model, info: dict) -> None:
    """HF initialises absent weights at random: a checkpoint must hold them all."""
    missing, mismatched = sorted(info.get("missing_keys", ())), sorted(info.get("mismatched_keys", ()))
    unexpected = sorted(k for k in info.get("unexpected_keys", ())
                        if k not in model._keys_to_ignore_on_load_unexpected)
    if missing or mismatched or unexpected:
        raise BadInput(f"checkpoint {path}: keys do not match the T5 architecture it describes (missing "
                       f"{_some(missing)}; mismatched {_some(mismatched)}; unexpected {_some(unexpected)})")


@contextlib.contextmanager
def _quiet_transformers():
    """No progress bars or warnings from HF while loading; our own checks report."""
    from transformers.utils import logging

    verbosity, bars = logging.get_verbosity(), logging.is_progress_bar_enabled()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        logging.set_verbosity(verbosity)
        if bars:
            logging.enable_progress_bar()


def _hub_reachable() -> bool:
    """Whether the hub's name resolves: huggingface_hub retries for ~45 s otherwise."""
    import os
    import socket

    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "HF_ENDPOINT")):
        return True  # the proxy or mirror decides
    try:
        socket.getaddrinfo("huggingface.co", 443)
        return True
    except OSError:
        return False


def _load_tokenizer(path: str, offline: bool):
    from transformers import AutoTokenizer, ByT5Tokenizer

    try:
        return AutoTokenizer.from_pretrained(path, local_files_only=offline)
    except (OSError, ValueError):
        return ByT5Tokenizer()  # ByT5 needs no files: bytes are its vocabulary


def _load_checkpoint_file(cls, path: Path, device: str | None, prefix: str | None) -> PolicyModel:
    """A Lightning checkpoint (`state_dict`) or DeepSpeed one (`module`) of any
    module holding a T5 under some attribute (ReProver: `generator.`)."""
    from transformers import ByT5Tokenizer, T5ForConditionalGeneration

    checkpoint = _torch_load(path)
    state = _checkpoint_state(checkpoint, path)
    prefixes = _t5_prefixes(state) if prefix is None else [prefix]
    if len(prefixes) != 1 or not any(k.startswith(prefixes[0]) for k in state):
        found = "none" if not prefixes else "several: " + ", ".join(repr(p) for p in prefixes)
        raise BadInput(f"checkpoint {path}: expected the weights of one T5/ByT5 model "
                       f"(keys like 'generator.shared.weight', 'generator.{_ANCHOR}'), found {found}")
    weights = {k[len(prefixes[0]):]: v for k, v in state.items() if k.startswith(prefixes[0])}
    try:
        config = _t5_config(weights)
    except (KeyError, ValueError, IndexError) as e:
        raise BadInput(f"checkpoint {path}: T5 weights incomplete, no {_first_line(e)}") from None
    try:
        with _quiet_transformers():  # HF's loader unties lm_head when the weights differ (ByT5)
            model, info = T5ForConditionalGeneration.from_pretrained(
                None, config=config, state_dict=weights, output_loading_info=True)
    except Exception as e:
        raise BadInput(f"checkpoint {path}: keys do not match a T5 model ({_first_line(e)})") from None
    _check_loading(path, model, info)
    hparams = checkpoint.get("hyper_parameters", {}) or {}
    return cls(model, ByT5Tokenizer(), device,
               max_input_len=int(hparams.get("max_inp_seq_len", MAX_INPUT_LEN)),
               max_output_len=int(hparams.get("max_oup_seq_len", MAX_OUTPUT_LEN)))


def _torch_load(path: Path) -> dict:
    import pickle

    import torch

    try:
        try:
            checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        except pickle.UnpicklingError:
            # Lightning checkpoints may pickle hyper-parameter objects; the file is the user's own
            checkpoint = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as e:
        raise BadInput(f"checkpoint {path}: not a readable PyTorch checkpoint ({_first_line(e)})") from None
    if not isinstance(checkpoint, dict):
        raise BadInput(f"checkpoint {path}: expected a dict of weights, got {type(checkpoint).__name__}")
    return checkpoint


_ANCHOR = "decoder.final_layer_norm.weight"  # present in every T5 seq2seq, absent from encoders


def _checkpoint_state(checkpoint: dict, path: Path) -> dict:
    state = checkpoint.get("state_dict", checkpoint.get("module", checkpoint))
    if not isinstance(state, dict):
        raise BadInput(f"checkpoint {path}: expected a dict with 'state_dict' or 'module', got {type(state).__name__}")
    return state


def _t5_prefixes(state: dict) -> list[str]:
    """Where T5 models sit in a state dict: the key prefixes before their weights."""
    return sorted({k[:-len(_ANCHOR)] for k in state if isinstance(k, str) and k.endswith(_ANCHOR)
                   and f"{k[:-len(_ANCHOR)]}shared.weight" in state})


def _t5_config(weights: dict):
    """The architecture, read off the weight shapes: no hub access needed."""
    from transformers import T5Config

    def blocks(stack: str) -> int:
        return len({k.split(".")[2] for k in weights if k.startswith(f"{stack}.block.")})

    vocab_size, d_model = weights["shared.weight"].shape
    attention = "encoder.block.0.layer.0.SelfAttention."
    buckets, heads = weights[attention + "relative_attention_bias.weight"].shape
    gated = "encoder.block.0.layer.1.DenseReluDense.wi_0.weight" in weights
    d_ff = weights["encoder.block.0.layer.1.DenseReluDense." + ("wi_0" if gated else "wi") + ".weight"].shape[0]
    lm_head = weights.get("lm_head.weight")
    tied = lm_head is None or lm_head.data_ptr() == weights["shared.weight"].data_ptr() \
        or bool((lm_head == weights["shared.weight"]).all())
    return T5Config(
        vocab_size=vocab_size, d_model=d_model, d_kv=weights[attention + "q.weight"].shape[0] // heads,
        d_ff=d_ff, num_layers=blocks("encoder"), num_decoder_layers=blocks("decoder"), num_heads=heads,
        relative_attention_num_buckets=buckets, feed_forward_proj="gated-gelu" if gated else "relu",
        tie_word_embeddings=tied, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1,
    )


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _some(keys: Sequence[str], k: int = 3) -> str:
    keys = list(keys)
    return "none" if not keys else ", ".join(map(str, keys[:k])) + (f" and {len(keys) - k} more" if len(keys) > k else "")


# ---------------------------------------------------------------- the search policy

class ModelPolicy:
    """search.policy.Policy backed by PolicyModels.

    mode "rir": the planner proposes `num_targets` target states, the actor
    `num_tactics` tactics toward each (one model co-trained for both roles, or
    two). mode "flat": no targets; act(state, [None]) gives the flat
    generator's tactics. mode "joint": one model writes target and tactic
    together; plan() runs it and act() reads the tactics it wrote.
    """

    _JOINT_CACHE = 64  # states whose joint outputs are kept for act()

    def __init__(self, planner: PolicyModel | None = None, actor: PolicyModel | None = None, *,
                 mode: str = "rir", num_targets: int = 5, num_tactics: int = 8, decoding: str = "beam",
                 temperature: float = 1.0, seed: int | None = None):
        if mode not in MODES:
            raise BadInput(f"unknown mode '{mode}': choose one of {', '.join(MODES)}")
        if decoding not in DECODINGS:
            raise BadInput(f"unknown decoding '{decoding}': choose one of {', '.join(DECODINGS)}")
        if planner is None and actor is None:
            raise ValueError("ModelPolicy needs a model")
        self.planner = planner or actor
        self.actor = actor or planner
        self.mode = mode
        self.num_targets = num_targets
        self.num_tactics = num_tactics
        self.decoding = decoding
        self.temperature = temperature
        self.seed = seed
        self._joint: OrderedDict[str, dict[str, list[Suggestion]]] = OrderedDict()

    def plan(self, state: str) -> list[Suggestion]:
        if self.mode == "flat":
            return []
        if self.mode == "joint":
            return self._joint_targets(state)
        [targets] = self._generate(self.planner, [planner_input(state, self.planner.limits.max_input_len)],
                                   self.num_targets)
        itself = planner_output(state).strip()
        return [t for t in targets if t.text.strip() != itself]  # a target must move the proof

    def act(self, state: str, targets: Sequence[str | None]) -> list[list[Suggestion]]:
        if not targets:
            return []
        if self.mode == "joint":
            return self._joint_tactics(state, targets)
        limit = self.actor.limits.max_input_len
        # flat mode ignores targets; in rir mode a None target asks the actor in the flat format
        inputs = [flat_input(state) if self.mode == "flat" or t is None else actor_input(state, t, limit)
                  for t in targets]
        return [_tactics(s) for s in self._generate(self.actor, inputs, self.num_tactics)]

    def save(self, directory: str | Path) -> Path:
        """One model: a Hugging Face dir; two: planner/ and actor/ below `directory`."""
        directory = Path(directory)
        if self.planner is self.actor:
            return self.planner.save(directory, modes=[self.mode])
        self.planner.save(directory / "planner", modes=[self.mode])
        self.actor.save(directory / "actor", modes=[self.mode])
        (directory / POLICY_FILE).write_text(json.dumps({"modes": [self.mode], "models": ["planner", "actor"]}) + "\n")
        return directory

    def _generate(self, model: PolicyModel, inputs: list[str], n: int) -> list[list[Suggestion]]:
        return model.generate(inputs, n, decoding=self.decoding, temperature=self.temperature,
                              seed=self._call_seed(inputs))

    def _call_seed(self, inputs: list[str]) -> int | None:
        """Sampling depends on (seed, inputs) only, not on the order of calls."""
        if self.seed is None or self.decoding != "sample":
            return None
        return zlib.crc32("\x00".join(inputs).encode(), self.seed & 0xFFFFFFFF)

    def _joint_outputs(self, state: str) -> dict[str, list[Suggestion]]:
        if state not in self._joint:
            [outputs] = self._generate(self.planner, [joint_input(state, self.planner.limits.max_input_len)],
                                       self.num_targets * self.num_tactics)
            by_target: dict[str, list[Suggestion]] = {}
            for out in outputs:  # best first, so targets come in the order of their best pair
                parsed = parse_joint_output(out.text)
                if parsed:
                    by_target.setdefault(parsed[0], []).append(Suggestion(parsed[1], out.logprob))
            self._joint[state] = {t: _tactics(tactics) for t, tactics in by_target.items()}
            while len(self._joint) > self._JOINT_CACHE:
                self._joint.popitem(last=False)
        return self._joint[state]

    def _joint_targets(self, state: str) -> list[Suggestion]:
        itself = planner_output(state).strip()
        targets = [Suggestion(t, tactics[0].logprob) for t, tactics in self._joint_outputs(state).items()
                   if t.strip() != itself]
        return targets[:self.num_targets]

    def _joint_tactics(self, state: str, targets: Sequence[str | None]) -> list[list[Suggestion]]:
        outputs = self._joint_outputs(state)
        every = _tactics([s for tactics in outputs.values() for s in tactics])  # for a None target
        return [(outputs.get(t, []) if t is not None else every)[:self.num_tactics] for t in targets]


def _tactics(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """Premise marks removed, duplicates merged (best score kept), best first."""
    return best_first([strip_premise_marks(s.text) for s in suggestions], [s.logprob for s in suggestions])


def load_policy(path: str | Path, mode: str = "rir", *, device: str | None = None, num_targets: int = 5,
                num_tactics: int = 8, decoding: str = "beam", temperature: float = 1.0,
                seed: int | None = None) -> ModelPolicy:
    """A ModelPolicy from a saved model, a planner/ + actor/ pair, a .ckpt or a hub id.

    A model that records the modes it was trained for (rir_policy.json, or
    training's rir_training.json) is refused for any other mode."""
    if mode not in MODES:
        raise BadInput(f"unknown mode '{mode}': choose one of {', '.join(MODES)}")
    planner, actor = _load_models(Path(path), device)
    modes = trained_modes(Path(path)) or planner.modes
    if modes and mode not in modes:
        raise BadInput(f"model {path} was trained for mode {', '.join(modes)}, not '{mode}': "
                       f"pass --mode {modes[0]} or another --model")
    return ModelPolicy(planner, actor, mode=mode, num_targets=num_targets, num_tactics=num_tactics,
                       decoding=decoding, temperature=temperature, seed=seed)


def _load_models(path: Path, device: str | None) -> tuple[PolicyModel, PolicyModel]:
    """(planner, actor): one model for both roles, or two where two are stored."""
    if path.is_dir() and (path / "planner").is_dir() and (path / "actor").is_dir():
        return PolicyModel.load(path / "planner", device), PolicyModel.load(path / "actor", device)
    if path.is_file():
        prefixes = _t5_prefixes(_checkpoint_state(_torch_load(path), path))
        roles = {role: [p for p in prefixes if p.endswith(f"{role}.")] for role in ("planner", "actor")}
        if len(prefixes) == 2 and all(len(found) == 1 for found in roles.values()):
            return (PolicyModel.load(path, device, prefix=roles["planner"][0]),
                    PolicyModel.load(path, device, prefix=roles["actor"][0]))
    model = PolicyModel.load(path, device)
    return model, model


def trained_modes(path: Path) -> tuple[str, ...]:
    """The modes a model directory records it was trained for; () when it does not say."""
    if not path.is_dir():
        return ()
    meta = _read_meta(path)
    if meta.get("modes"):
        return tuple(meta["modes"])
    training = path / "rir_training.json"  # written by `rir train` beside the model
    try:
        trained = json.loads(training.read_text()).get("mode") if training.is_file() else None
    except (json.JSONDecodeError, AttributeError):
        return ()
    return ("rir",) if trained == "separate" else (trained,) if trained in MODES else ()
