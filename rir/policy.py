"""The planner/actor adapter: search.policy.Policy backed by generation models,
ByT5 (rir.generation, formats of rir.prompts, loaded by rir.checkpoint) or
decoder-only (rir.causal_lm / rir.vllm_backend, formats of rir.prompt_formats).
Each model renders its own role prompts (`prompt(role, state, target)`)."""
from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Sequence

from lean_env.errors import BadInput
from rir.checkpoint import _checkpoint_state, _t5_prefixes, _torch_load, trained_modes
from rir.generation import DECODINGS, GENERATORS, POLICY_FILE, PolicyModel, best_first, check_device
from rir.prompts import (  # noqa: F401 (the prompt functions are re-exported)
    MODES, actor_input, flat_input, planner_input, planner_output, strip_premise_marks,
)
from search.policy import Suggestion


# A target goal state is seldom much longer than its state: 2 × its bytes + 64 covers 99.5%
# of the (state, next state) pairs of the micro + F1 training traces. A longer planner output
# is mostly a degenerate repetition of hypotheses, and decoding it to the model's length
# limit was most of a planner call (7-13 s on a miniF2F state on one core).
TARGET_SLACK = (2.0, 64)


def target_length(state: str) -> int:
    """The most bytes the planner decodes for a target of `state`; longer outputs are dropped."""
    factor, extra = TARGET_SLACK
    return int(factor * len(state.encode()) + extra)


class ModelPolicy:
    """search.policy.Policy backed by generation models (PolicyModel, CausalLM, VllmGenerator).

    mode "rir": the planner proposes `num_targets` target states, the actor
    `num_tactics` tactics toward each (one model co-trained for both roles, or
    two). mode "flat": no targets; act(state, [None]) gives the flat
    generator's tactics.
    """

    def __init__(self, planner: PolicyModel | None = None, actor: PolicyModel | None = None, *,
                 mode: str = "rir", num_targets: int = 5, num_tactics: int = 8, decoding: str = "beam",
                 temperature: float = 1.0, seed: int | None = None, target_decoding: str | None = None):
        if mode not in MODES:
            raise BadInput(f"unknown mode '{mode}': choose one of {', '.join(MODES)}")
        for name in (decoding, target_decoding or decoding):
            if name not in DECODINGS:
                raise BadInput(f"unknown decoding '{name}': choose one of {', '.join(DECODINGS)}")
        if planner is None and actor is None:
            raise ValueError("ModelPolicy needs a model")
        self.planner = planner or actor
        self.actor = actor or planner
        self.mode = mode
        self.num_targets = num_targets
        self.num_tactics = num_tactics
        self.decoding = decoding
        self.target_decoding = target_decoding or decoding
        self.temperature = temperature
        self.seed = seed

    def plan(self, state: str, *, deadline: float | None = None) -> list[Suggestion]:
        if self.mode == "flat":
            return []
        # (sampled targets are merged by text, so they may be fewer than num_targets)
        [targets] = self._generate(self.planner, [self.planner.prompt("planner", state)], self.num_targets, deadline,
                                   max_new=target_length(state), decoding=self.target_decoding)
        itself = planner_output(state).strip()
        return [t for t in targets if t.text.strip() != itself]  # a target must move the proof

    def act(self, state: str, targets: Sequence[str | None], *,
            deadline: float | None = None, width: int | None = None) -> list[list[Suggestion]]:
        if not targets:
            return []
        # flat mode ignores targets; in rir mode a None target asks the actor in the flat format
        inputs = [self.actor.prompt("flat", state) if self.mode == "flat" or t is None
                  else self.actor.prompt("actor", state, t) for t in targets]
        return [_tactics(s) for s in self._generate(self.actor, inputs, width or self.num_tactics, deadline)]

    def save(self, directory: str | Path) -> Path:
        """One model: a Hugging Face dir; two: planner/ and actor/ below `directory`."""
        directory = Path(directory)
        if self.planner is self.actor:
            return self.planner.save(directory, modes=[self.mode])
        self.planner.save(directory / "planner", modes=[self.mode])
        self.actor.save(directory / "actor", modes=[self.mode])
        (directory / POLICY_FILE).write_text(json.dumps({"modes": [self.mode], "models": ["planner", "actor"]}) + "\n")
        return directory

    def _generate(self, model, inputs: list[str], n: int, deadline: float | None = None,
                  max_new: int | None = None, decoding: str | None = None) -> list[list[Suggestion]]:
        decoding = decoding or self.decoding
        return model.generate(inputs, n, decoding=decoding, temperature=self.temperature,
                              seed=self._call_seed(inputs, decoding), deadline=deadline, max_new=max_new)

    def _call_seed(self, inputs: list[str], decoding: str) -> int | None:
        """Sampling depends on (seed, inputs) only, not on the order of calls."""
        if self.seed is None or decoding != "sample":
            return None
        return zlib.crc32("\x00".join(inputs).encode(), self.seed & 0xFFFFFFFF)



def _tactics(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """Premise marks removed, duplicates merged (best score kept), best first."""
    return best_first([strip_premise_marks(s.text) for s in suggestions], [s.logprob for s in suggestions])


def load_policy(path: str | Path, mode: str = "rir", *, device: str | None = None, num_targets: int = 5,
                num_tactics: int = 8, decoding: str = "beam", temperature: float = 1.0,
                seed: int | None = None, trust_checkpoint: bool = False, prompt_format: str | None = None,
                generator: str = "hf", target_decoding: str | None = None) -> ModelPolicy:
    """A ModelPolicy from a saved model, a planner/ + actor/ pair, a .ckpt or a hub id.

    A causal-LM directory (config.json says so) gets the decoder-only policy in
    `prompt_format` (default: its rir_prompt.json, else `rir`), generated with
    transformers (`generator` hf) or vLLM (vllm). A model that records the modes
    it was trained for (rir_policy.json, or training's rir_training.json) is
    refused for any other mode, as is a format without the mode's templates."""
    if mode not in MODES:
        raise BadInput(f"unknown mode '{mode}': choose one of {', '.join(MODES)}")
    if generator not in GENERATORS:
        raise BadInput(f"unknown generator '{generator}': choose one of {', '.join(GENERATORS)}")
    check_device(device)
    planner, actor = _load_models(Path(path), device, trust_checkpoint, prompt_format, generator)
    modes = trained_modes(Path(path)) or planner.modes
    if modes and mode not in modes:
        raise BadInput(f"model {path} was trained for mode {', '.join(modes)}, not '{mode}': "
                       f"pass --mode {modes[0]} or another --model")
    for model, roles in ((planner, ("planner", "actor")), (actor, ("actor",))):
        for role in (roles if mode == "rir" else ("flat",)):
            if hasattr(model, "format"):
                model.format.template(role)  # BadInput naming the format and the roles it has
    return ModelPolicy(planner, actor, mode=mode, num_targets=num_targets, num_tactics=num_tactics,
                       decoding=decoding, temperature=temperature, seed=seed, target_decoding=target_decoding)


def _load_models(path: Path, device: str | None, trust: bool, prompt_format: str | None = None,
                 generator: str = "hf") -> tuple:
    """(planner, actor): one model for both roles, or two where two are stored."""
    if path.is_dir() and (path / "planner").is_dir() and (path / "actor").is_dir():
        return (_load_model(path / "planner", device, trust, prompt_format, generator),
                _load_model(path / "actor", device, trust, prompt_format, generator))
    if path.is_file():
        if generator != "hf" or prompt_format:
            raise BadInput(f"checkpoint {path}: a .ckpt holds a T5/ByT5 model; --generator vllm and "
                           f"--prompt-format apply to causal-LM directories")
        prefixes = _t5_prefixes(_checkpoint_state(_torch_load(path, trust), path))
        roles = {role: [p for p in prefixes if p.endswith(f"{role}.")] for role in ("planner", "actor")}
        if len(prefixes) == 2 and all(len(found) == 1 for found in roles.values()):
            return (PolicyModel.load(path, device, prefix=roles["planner"][0], trust_checkpoint=trust),
                    PolicyModel.load(path, device, prefix=roles["actor"][0], trust_checkpoint=trust))
    model = _load_model(path, device, trust, prompt_format, generator)
    return model, model


def load_model(path: str | Path, device: str | None = None) -> PolicyModel:
    """The one model (ByT5 PolicyModel or CausalLM) a saved directory holds, for training."""
    return _load_model(Path(path), device, False, None, "hf")


def _load_model(path: Path, device: str | None, trust: bool, prompt_format: str | None, generator: str):
    """The causal LM (transformers or vLLM) or the ByT5 model a path holds."""
    from rir.causal_lm import CausalLM, model_kind

    kind = model_kind(path)
    if kind == "causal":
        if generator == "vllm":
            from rir.vllm_backend import VllmGenerator

            return VllmGenerator.load(path, device, prompt_format=prompt_format, trust_checkpoint=trust)
        return CausalLM.load(path, device, prompt_format=prompt_format, trust_checkpoint=trust)
    if generator == "vllm" or prompt_format:
        what = "--generator vllm" if generator == "vllm" else "--prompt-format"
        raise BadInput(f"model {path} is not a causal LM (config.json names no decoder-only architecture): "
                       f"{what} applies to decoder-only models")
    return PolicyModel.load(path, device, trust_checkpoint=trust)
