"""Checkpoint loading: Hugging Face directories and hub ids, Lightning `.ckpt`
files and DeepSpeed checkpoint directories holding a T5/ByT5 model.

Pickled checkpoints are read with the safe `torch.load(weights_only=True)`,
with the types Lightning/ReProver checkpoints pickle allow-listed; anything
else is refused unless the caller trusts the file (`--trust-checkpoint`)."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from lean_env.errors import BadInput, MissingDependency
from rir.generation import POLICY_FILE
from rir.prompts import MAX_INPUT_LEN, MAX_OUTPUT_LEN, MODES

if TYPE_CHECKING:
    from rir.generation import PolicyModel


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


def _load_checkpoint_file(cls, path: Path, device: str | None, prefix: str | None,
                          trust_checkpoint: bool = False) -> PolicyModel:
    """A Lightning checkpoint (`state_dict`) or DeepSpeed one (`module`) of any
    module holding a T5 under some attribute (ReProver: `generator.`)."""
    from transformers import ByT5Tokenizer, T5ForConditionalGeneration

    checkpoint = _torch_load(path, trust_checkpoint)
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


# The hyper-parameter containers Lightning/ReProver checkpoints pickle, under
# every module path Lightning has used: dict subclasses with attribute access,
# read back as plain dicts (the safe unpickler fills only real dicts), so
# Lightning need not be installed and none of its code runs.
_SAFE_GLOBALS = [(dict, name) for name in (
    "pytorch_lightning.utilities.parsing.AttributeDict",
    "lightning.pytorch.utilities.parsing.AttributeDict",
    "lightning.fabric.utilities.data.AttributeDict",
    "lightning_fabric.utilities.data.AttributeDict",
)]


def _torch_load(path: Path, trust_checkpoint: bool = False) -> dict:
    """The safe loader (tensors, containers and the allow-listed types) only;
    a full unpickle, which runs code from the file, only when the user trusts it."""
    import pickle
    import sys

    import torch

    try:
        try:
            with torch.serialization.safe_globals(_SAFE_GLOBALS):
                checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        except pickle.UnpicklingError as e:
            refused = _unsafe_global(e)
            if refused is None:  # not a pickle at all (or a broken one)
                raise
            if not trust_checkpoint:
                raise BadInput(f"checkpoint {path}: pickles objects the safe loader refuses "
                               f"({refused}); pass --trust-checkpoint only if you trust "
                               f"this file, as loading it runs code from it") from None
            print(f"warning: loading checkpoint {path} with full unpickling (--trust-checkpoint): "
                  f"this runs code from the file", file=sys.stderr)
            checkpoint = torch.load(path, map_location="cpu", weights_only=False)
    except BadInput:
        raise
    except Exception as e:
        raise BadInput(f"checkpoint {path}: not a readable PyTorch checkpoint ({_first_line(e)})") from None
    if not isinstance(checkpoint, dict):
        raise BadInput(f"checkpoint {path}: expected a dict of weights, got {type(checkpoint).__name__}")
    return checkpoint


def _unsafe_global(error: Exception) -> str | None:
    """The refused global's name from torch's long UnpicklingError message;
    None when the safe loader refused no global (the file is no pickle)."""
    import re

    match = re.search(r"Unsupported global: GLOBAL (\S+)", str(error))
    return match[1] if match else None


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
