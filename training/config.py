"""Training configuration: a YAML file plus `key=value` overrides, read into one dataclass."""
from __future__ import annotations

import types
import typing
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from lean_env.errors import BadInput

MODES = ("rir", "flat", "separate")
PRECISIONS = ("auto", "32-true", "bf16-mixed", "16-mixed", "bf16-true")


@dataclass(frozen=True)
class TrainConfig:
    # What to train: one co-trained model (rir), the tactic generator only (flat,
    # the ReProver baseline), or planner and actor as two models (separate).
    mode: str = "rir"
    # A trace file, a `rir trace` dir or a LeanDojo dataset dir; several, comma-separated
    # (data/micro_traces,data/f1_traces), are concatenated.
    train_data: str | None = None
    val_data: str | None = None  # default: the val splits of the train_data dirs
    leandojo_layout: str = "random"  # random | novel_premises, for LeanDojo dataset dirs
    model: str = "tiny"  # "tiny" (a small ByT5 from scratch) or a HF path: a T5/ByT5 (google/byt5-small) or causal LM
    model_config: dict = field(default_factory=dict)  # overrides of the tiny model's T5Config
    # A causal-LM model's prompt format (rir.prompt_formats: a name or a JSON file);
    # default: the model's rir_prompt.json, else rir.
    prompt_format: str | None = None
    # Optimisation: AdamW, linear warm-up, cosine decay to min_lr_ratio * lr at decay_steps
    # (default max_steps; set it to stop early and resume on the same schedule).
    lr: float = 3e-4
    weight_decay: float = 0.01
    warmup_steps: int = 100
    min_lr_ratio: float = 0.1
    max_steps: int = 1000
    decay_steps: int | None = None
    batch_size: int = 8  # triples per micro-batch (rir mode trains 2 examples per triple)
    accumulate_grad_batches: int = 1
    gradient_clip_val: float = 1.0
    planner_weight: float = 1.0
    actor_weight: float = 1.0
    flat_weight: float = 0.0  # rir/separate: also train the actor without a target (flat format)
    seed: int = 0
    precision: str = "auto"  # auto: bf16-mixed on GPU, 32-true on CPU
    strategy: str = "auto"  # Lightning's; DeepSpeed is opt-in: strategy=deepspeed_stage_2
    accelerator: str = "auto"
    # Outputs: Lightning checkpoint (last.ckpt) in out_dir; the HF model in export_dir.
    out_dir: str = "runs/train"
    export_dir: str | None = None  # default: out_dir/model
    # Validation: teacher-forced loss and token accuracy per role every val_every steps,
    # and a short search on val_search_theorems theorems when > 0.
    val_every: int = 200
    val_batches: int | None = None  # None: the whole validation set
    val_search_theorems: int = 0
    val_search_set: str = "micro-valid"
    val_search_timeout: float = 10.0
    checkpoint_every: int = 0  # steps between Lightning checkpoints; 0: at each validation
    log_every: int = 10
    num_workers: int = 0

    def __post_init__(self):
        _check_choice("mode", self.mode, MODES)
        _check_choice("precision", self.precision, PRECISIONS)
        _check_choice("leandojo_layout", self.leandojo_layout, ("random", "novel_premises"))
        if self.prompt_format:
            from rir.prompt_formats import resolve_format
            resolve_format(self.prompt_format)  # a known name or a readable JSON file
        for name in ("max_steps", "batch_size", "accumulate_grad_batches", "val_every", "log_every"):
            if getattr(self, name) < 1:
                raise BadInput(f"config '{name}' must be at least 1, got {getattr(self, name)}")
        for name in ("lr", "warmup_steps", "weight_decay", "gradient_clip_val", "planner_weight",
                     "actor_weight", "flat_weight", "min_lr_ratio", "val_search_theorems", "checkpoint_every"):
            if getattr(self, name) < 0:
                raise BadInput(f"config '{name}' must not be negative, got {getattr(self, name)}")

    @property
    def train_sources(self) -> list[str]:
        return _paths(self.train_data)

    @property
    def val_sources(self) -> list[str]:
        return _paths(self.val_data)

    @property
    def model_dir(self) -> Path:
        return Path(self.export_dir) if self.export_dir else Path(self.out_dir) / "model"

    @property
    def last_checkpoint(self) -> Path:
        return Path(self.out_dir) / "last.ckpt"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_(self, **changes) -> "TrainConfig":
        return replace(self, **changes)


def load_config(path: str | Path | None = None, overrides: list[str] | tuple[str, ...] = ()) -> TrainConfig:
    """The config of a YAML file (or the defaults) with `key=value` overrides applied."""
    values: dict[str, Any] = {}
    if path is not None:
        values.update(_read_yaml(Path(path)))
    values.update(parse_overrides(overrides))
    return config_from_dict(values)


def parse_overrides(overrides: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """`lr=3e-4 max_steps=200` -> {"lr": 3e-4, "max_steps": 200}; values are YAML scalars."""
    values = {}
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise BadInput(f"bad override '{item}': expected key=value")
        try:
            values[key.strip()] = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError:
            raise BadInput(f"bad override '{item}': value is not a YAML scalar") from None
    return values


def config_from_dict(values: dict[str, Any]) -> TrainConfig:
    known = {f.name: f for f in fields(TrainConfig)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise BadInput(f"unknown config key '{unknown[0]}' (known keys: {', '.join(known)})")
    hints = typing.get_type_hints(TrainConfig)
    return TrainConfig(**{k: _coerce(k, v, hints[k]) for k, v in values.items()})


def save_config(config: TrainConfig, path: str | Path) -> None:
    Path(path).write_text(yaml.safe_dump(config.to_dict(), sort_keys=False), encoding="utf-8")


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise BadInput(f"config file not found: {path}")
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise BadInput(f"{path}: not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(values, dict):
        raise BadInput(f"{path}: expected a mapping of config keys")
    return values


def _coerce(key: str, value: Any, hint: Any) -> Any:
    """`value` as the field's type; ints are accepted for floats, None only where optional."""
    types_ = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if value is None and type(None) in types_:
        return None
    if isinstance(value, str) and float in types_:
        value = _number(value)  # PyYAML reads `3e-4` (no dot) as a string
    for t in types_:
        if t is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if t is str and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        if t in (int, bool, dict) and type(value) is t:
            return value
    expected = " or ".join(getattr(t, "__name__", str(t)) for t in types_)
    raise BadInput(f"bad value for config '{key}': {value!r} (expected {expected})")


def _paths(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split(",") if p.strip()]


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise BadInput(f"unknown {name} '{value}': choose one of {', '.join(choices)}")
