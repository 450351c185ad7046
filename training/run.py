"""`train(config)`: read the traces, co-train, save the checkpoints, return a summary.

Outputs: `out_dir/last.ckpt` (Lightning: weights, optimizer, scheduler, step, for
an exact resume), `out_dir/config.yaml`, `out_dir/logs/` (CSV metrics) and the
Hugging Face model in `config.model_dir` for `rir prove` / `rir eval`.
"""
from __future__ import annotations

import contextlib
import json
import logging
import signal
import threading
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lean_env.errors import BadInput, MissingDependency
from training.config import TrainConfig, save_config
from training.data import TraceData, Triple, read_traces

log = logging.getLogger("rir")

TRAINING_JSON = "rir_training.json"  # the mode and provenance, beside the HF files


@dataclass
class TrainSummary:
    steps: int
    train_triples: int
    val_triples: int
    skipped_entries: int
    final_loss: float | None
    examples_per_second: float
    seconds: float
    model_dir: str
    checkpoint: str
    val_metrics: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_output(config: TrainConfig, resume: bool, force: bool) -> None:
    """Refuse to train over an earlier run's checkpoint or model unless resuming or forced:
    a fresh run would overwrite them."""
    if resume or force:
        return
    model = config.model_dir
    existing = [p for p in (config.last_checkpoint,) if p.is_file()]
    if model.is_dir() and any(model.iterdir()):
        existing.append(model)
    if existing:
        raise BadInput(f"{config.out_dir} already holds a trained run ({existing[0]}): "
                       "pass --resume to continue it or --force to overwrite it")


def load_data(config: TrainConfig, triples: list[Triple] | None = None,
              val_triples: list[Triple] | None = None) -> tuple[TraceData, TraceData]:
    """Training and validation data from the config's paths plus in-memory triples."""
    train, val = TraceData(), TraceData()
    for source in config.train_sources:
        train.extend(read_traces(source, "train", config.leandojo_layout))
        if not config.val_sources and Path(source).is_dir():
            try:
                val.extend(read_traces(source, "val", config.leandojo_layout))
            except BadInput:
                log.info("no val split in %s: no validation data from it", source)
    for source in config.val_sources:
        val.extend(read_traces(source, "val", config.leandojo_layout))
    train.triples += list(triples or [])
    val.triples += list(val_triples or [])
    if not train.triples:
        where = config.train_data or "the in-memory triples"
        raise BadInput(f"no training triples in {where}")
    return train, val


def load_models(config: TrainConfig) -> dict:
    """Models by network name: {"policy"} or, in separate mode, {"planner", "actor"}:
    PolicyModels (ByT5), or CausalLMs where config.model is a causal-LM directory."""
    from rir.causal_lm import CausalLM, model_kind
    from rir.policy import PolicyModel

    names = ("planner", "actor") if config.mode == "separate" else ("policy",)
    causal = config.model != "tiny" and model_kind(config.model) == "causal"
    if config.prompt_format and not causal:
        raise BadInput(f"prompt_format applies to a causal-LM model, and {config.model} is not one")
    models = {}
    for i, name in enumerate(names):  # on the CPU: Lightning moves them to the accelerator
        if config.model == "tiny":
            models[name] = PolicyModel.tiny(seed=config.seed + i, device="cpu", **config.model_config)
        else:
            if config.model_config:
                raise BadInput("model_config applies to model=tiny only")
            models[name] = CausalLM.load(config.model, device="cpu", prompt_format=config.prompt_format) \
                if causal else PolicyModel.load(config.model, device="cpu")
    for model in models.values():  # a format without a role's template cannot train that role
        if hasattr(model, "format"):
            from training.cotrain import roles

            for role in roles(config):
                model.format.template(role)
    return models


def export(models: dict, config: TrainConfig, step: int) -> Path:
    """Save the HF model(s) as rir.policy.load_policy reads them (separate mode:
    model_dir/planner and model_dir/actor), with the policy modes they serve."""
    from rir.policy import POLICY_FILE

    out = config.model_dir
    modes = ["flat"] if config.mode == "flat" else ["rir"] + (["flat"] if config.flat_weight > 0 else [])
    if config.mode == "separate":
        for name in ("planner", "actor"):
            models[name].save(out / name, modes=modes)
        (out / POLICY_FILE).write_text(json.dumps({"modes": modes, "models": ["planner", "actor"]}) + "\n")
    else:
        models["policy"].save(out, modes=modes)
    info = {"mode": config.mode, "step": step, "base_model": config.model,
            "train_data": config.train_data, "seed": config.seed}
    (out / TRAINING_JSON).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return out


def train(config: TrainConfig, triples: list[Triple] | None = None,
          val_triples: list[Triple] | None = None, resume: bool = False,
          progress: bool = True, models: dict | None = None) -> TrainSummary:
    """Train as `config` says; `triples`/`val_triples` are added to the data read from
    its paths (self-play passes its own); `models` replaces loading by config.model."""
    import pytorch_lightning as pl
    import torch

    from training.cotrain import CoTrainer, TripleDataModule

    ckpt = config.last_checkpoint
    if resume and not ckpt.is_file():
        raise BadInput(f"cannot resume: no checkpoint {ckpt}")
    train_data, val_data = load_data(config, triples, val_triples)
    log.info("training on %d triples (%d skipped entries), validating on %d",
             len(train_data.triples), train_data.malformed, len(val_data.triples))
    pl.seed_everything(config.seed, workers=True, verbose=False)
    models = models or load_models(config)
    module = CoTrainer({name: pm.model for name, pm in models.items()}, config)
    first = next(iter(models.values()))
    datamodule = TripleDataModule(train_data.triples, val_data.triples, first.encode_pairs, config,
                                  max_input_len=first.limits.max_input_len, prompt=first.prompt)

    Path(config.out_dir).mkdir(parents=True, exist_ok=True)
    save_config(config, Path(config.out_dir) / "config.yaml")
    t0 = time.perf_counter()
    stop = StopOnInterrupt()
    with warnings.catch_warnings(), _quiet(progress), stop.installed():
        trainer = pl.Trainer(**trainer_options(config, models, bool(val_data.triples), progress, stop))
        # An endless step-indexed sampler is resumable, though Lightning cannot tell.
        warnings.filterwarnings("ignore", message=".*(resum|does not have many workers|infinite).*")
        warnings.filterwarnings("ignore", message=".*LeafSpec.*")  # inside Lightning 2.6 itself
        try:
            trainer.fit(module, datamodule=datamodule, ckpt_path=str(ckpt) if resume else None)
        except SystemExit:  # Lightning's answer to a second Ctrl-C: keep the last saved checkpoint
            if trainer.interrupted:
                raise KeyboardInterrupt from None
            raise
        seconds = time.perf_counter() - t0
        trainer.save_checkpoint(ckpt)
        if stop.requested:
            log.info("interrupted at step %d: checkpoint %s (continue with --resume)", trainer.global_step, ckpt)
            raise KeyboardInterrupt
        model_dir = export(models, config, trainer.global_step)
    loss = trainer.callback_metrics.get("loss")
    return TrainSummary(
        steps=trainer.global_step, train_triples=len(train_data.triples),
        val_triples=len(val_data.triples), skipped_entries=train_data.malformed + val_data.malformed,
        final_loss=float(loss) if isinstance(loss, torch.Tensor) else None,
        examples_per_second=module.examples_per_second, seconds=seconds,
        model_dir=str(model_dir), checkpoint=str(ckpt), val_metrics=module.validation_metrics(),
    )


class StopOnInterrupt:
    """Ctrl-C ends training after the current step, so that the checkpoint saved then is a
    step boundary that --resume continues exactly; a second Ctrl-C interrupts at once."""

    def __init__(self):
        self.requested = False

    def callback(self):
        import pytorch_lightning as pl

        stop = self

        class _Stop(pl.Callback):
            def on_train_batch_end(self, trainer, *args):
                if stop.requested:
                    trainer.should_stop = True

        return _Stop()

    def _handle(self, signum, frame):
        self.requested = True
        signal.signal(signal.SIGINT, signal.default_int_handler)

    @contextlib.contextmanager
    def installed(self):
        if threading.current_thread() is not threading.main_thread():
            yield  # signals reach the main thread only
            return
        previous = signal.signal(signal.SIGINT, self._handle)
        try:
            yield
        finally:  # Lightning sets SIG_IGN on a KeyboardInterrupt: restore the caller's
            signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _quiet(progress: bool):
    """Without a progress bar (self-play, tests) Lightning's banners and the
    shard-writing bar of transformers are noise in the caller's output."""
    if progress:
        yield
        return
    from transformers.utils import logging as hf_logging

    loggers = [logging.getLogger(name) for name in ("pytorch_lightning", "lightning.pytorch", "lightning_fabric")]
    levels = [lg.level for lg in loggers]
    bar = hf_logging.is_progress_bar_enabled()
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)
        if bar:
            hf_logging.enable_progress_bar()


def trainer_options(config: TrainConfig, models: dict, validate: bool, progress: bool,
                    stop: StopOnInterrupt | None = None) -> dict[str, Any]:
    from pytorch_lightning.callbacks import ModelCheckpoint
    from pytorch_lightning.loggers import CSVLogger

    from training.cotrain import StepProgressBar

    every = config.checkpoint_every or config.val_every
    callbacks = [ModelCheckpoint(dirpath=config.out_dir, filename="last", save_top_k=0, save_last=True,
                                 every_n_train_steps=every, enable_version_counter=False)]
    if stop is not None:
        callbacks.append(stop.callback())
    if progress:
        callbacks.append(StepProgressBar())
    if config.val_search_theorems:
        from training.cotrain import SearchValidation

        callbacks.append(SearchValidation(config, models))
    return dict(
        max_steps=config.max_steps, accumulate_grad_batches=config.accumulate_grad_batches,
        gradient_clip_val=config.gradient_clip_val or None, precision=resolve_precision(config),
        strategy=resolve_strategy(config), accelerator=config.accelerator, devices=1,
        val_check_interval=config.val_every, check_val_every_n_epoch=None,
        limit_val_batches=(config.val_batches if config.val_batches is not None else 1.0) if validate else 0,
        num_sanity_val_steps=0, log_every_n_steps=config.log_every, callbacks=callbacks,
        logger=CSVLogger(config.out_dir, name="logs"), enable_progress_bar=progress,
        enable_model_summary=False, use_distributed_sampler=False, default_root_dir=config.out_dir,
    )


def _gpu(config: TrainConfig) -> bool:
    import torch

    return config.accelerator in ("auto", "gpu", "cuda") and torch.cuda.is_available()


def resolve_precision(config: TrainConfig) -> str:
    if config.precision != "auto":
        return config.precision
    import torch

    return "bf16-mixed" if _gpu(config) and torch.cuda.is_bf16_supported() else "32-true"


def resolve_strategy(config: TrainConfig) -> str:
    """Lightning's default for one device; DeepSpeed (e.g. strategy=deepspeed_stage_2) only
    when asked for: ZeRO shards state across devices, which one device does not have."""
    if config.strategy.startswith("deepspeed"):
        import importlib.util

        if not importlib.util.find_spec("deepspeed"):
            raise MissingDependency(f"strategy={config.strategy} needs DeepSpeed: pip install deepspeed")
    return config.strategy
