"""A prover: a backend, a policy and a search, assembled from one settings record.

`rir prove`, `rir eval` workers and self-play build their provers here, so all
three run exactly the same search for the same settings.
"""
from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from lean_env import BACKENDS, Environment, Theorem, check_options, make_env
from lean_env.errors import BadInput, MissingDependency
from rir.generation import DECODINGS, GENERATORS
from rir.prompt_formats import NAMED_FORMATS
from rir.prompts import MODES
from rir.settings import add_options, check, check_number, from_args, setting, unknown_choice
from search import best_first, mcts
from search.prover import ALGORITHMS as SEARCHES
from search.result import Budget, SearchResult

# The shipped models are package data (rir/models/), found the same way installed or not.
SHIPPED_MODELS = Path(__file__).resolve().parent / "models"
DEFAULT_MODELS = {"rir": SHIPPED_MODELS / "rir-micro", "flat": SHIPPED_MODELS / "flat-micro"}


def parse_env_options(items: list[str] | None) -> dict[str, Any]:
    """`--env-option KEY=VALUE` pairs; a VALUE that reads as JSON (numbers, true,
    lists) is taken as such, any other as a string."""
    options = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip().isidentifier():
            raise BadInput(f"bad --env-option '{item}': expected KEY=VALUE, e.g. timeout=120")
        if value.strip() in ("None", "null"):  # Python's spelling and JSON's
            options[key.strip()] = None
            continue
        try:
            options[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            options[key.strip()] = value
    return options


def parse_widening(text: str) -> tuple[float, float] | None:
    """`--widening C,ALPHA` (progressive widening) or `none` (all candidates)."""
    if text.strip().lower() == "none":
        return None
    try:
        c, alpha = (float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected C,ALPHA (e.g. 2,0.5) or none, got '{text}'") from None
    return c, alpha


def _check_widening(flag: str, value) -> None:
    if value is None:
        return
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise BadInput(f"{flag} must be C,ALPHA or none, got {value}")
    check_number(flag, value[0], above=0)
    check_number(flag, value[1], minimum=0)


def _check_decoding(flag: str, value) -> None:
    if value is not None and value not in DECODINGS:
        raise unknown_choice(flag.lstrip("-").replace("-", " "), value, DECODINGS)


# The settings only a bi-level search reads: a flat search is the same whatever they are.
BI_LEVEL_SETTINGS = ("num_targets", "untargeted", "planning", "plan_penalty", "plan_after",
                     "target_decoding", "flat_actor")


@dataclass(frozen=True)
class ProverSettings:
    """Everything that decides how one theorem is searched (picklable, for workers).

    Each field is also a command-line option of `rir prove` and `rir eval`
    (rir.settings makes them); the defaults here are the only ones."""

    backend: str = setting("embedded", choices=BACKENDS,
                           help="embedded: the built-in engine (no Lean needed); dojo: LeanDojo; "
                                "repl: the Lean REPL")
    search: str = setting("bfs", choices=SEARCHES,
                          help="bfs: best-first search; mcts: Monte Carlo tree search")
    mode: str = setting("rir", choices=MODES, help="rir: planner + actor (bi-level); flat: tactics only")
    model: str | None = setting(None, metavar="PATH",
                                help="checkpoint (default: the shipped model for --mode)")
    timeout: float = setting(60.0, above=0, metavar="SECONDS", help="wall-clock seconds per theorem")
    max_expansions: int | None = setting(None, minimum=0, help="expansions per theorem (default: no limit)")
    max_env_calls: int | None = setting(None, minimum=0,
                                        help="environment calls per theorem (default: no limit)")
    num_targets: int = setting(5, minimum=0, help="planner targets per expansion")
    num_tactics: int = setting(8, minimum=1, help="actor tactics per target")
    untargeted: bool = setting(False, help="rir: also ask the actor for tactics without a target at "
                                           "each expansion (for models co-trained with flat_weight > 0, "
                                           "such as the shipped one)")
    planning: str = setting("exhausted", choices=best_first.PLANNINGS,
                            help="rir bfs: exhausted: a first pass without targets, then the "
                                 "planner at every failed node in a round of its own, before the "
                                 "wider beams; fallback: a node's first expansion asks the actor "
                                 "without a target, and the planner only when the node comes up "
                                 "again; always: ask the planner at every expansion")
    plan_penalty: float = setting(best_first.PLAN_PENALTY, minimum=0,
                                  help="fallback planning: a node waits for its targets at its "
                                       "priority minus this (log-probability)")
    plan_after: int = setting(0, minimum=0,
                              help="exhausted planning: the planning round comes after this many "
                                   "widening rounds (0: before the first)")
    max_tactics: int = setting(best_first.MAX_WIDTH, minimum=0,
                               help="bfs: when the tree is exhausted before the budget, expand every "
                                    "failed node again with 2×, 4×, ... --num-tactics tactics, up to this "
                                    "many, running only new ones (0: never)")
    flat_actor: str | None = setting("auto", metavar="auto|shipped|none|PATH",
                                     help="rir: a flat model proposes the tactics asked without a target "
                                          "(fallback planning's first guesses, widening, --untargeted), "
                                          "the co-trained one only targets and tactics toward them "
                                          "(rir/flat_actor.py); auto: the shipped flat model under the "
                                          "shipped co-trained model, none under any other --model; "
                                          "shipped: the shipped flat model; none: the --model alone")
    closers: bool = setting(False, help="also try the fixed closing tactics (norm_num, linarith, "
                                        "nlinarith with square hints, omega, positivity, ring, decide) "
                                        "the model did not propose, at every expansion (rir/closers.py)")
    decoding: str = setting("beam", choices=DECODINGS,
                            help="beam: beam search (deterministic); sample: sampling at --temperature")
    target_decoding: str | None = setting(None, check=_check_decoding, metavar="beam|sample",
                                          help="the planner's decoding (default: --decoding's); sample: "
                                               "--num-targets sampled targets, duplicates merged (diverse "
                                               "targets), beside the actor's beam search")
    temperature: float = setting(1.0, above=0, help="sampling temperature (--decoding/--target-decoding sample)")
    seed: int | None = setting(None, metavar="SEED", help="random seed of sampled decoding (same seed, same tactics)")
    c_puct: float = setting(mcts.C_PUCT, minimum=0, help="mcts: exploration constant of PUCT")
    widening: tuple[float, float] | None = setting(
        mcts.WIDENING, parse=parse_widening, check=_check_widening, metavar="C,ALPHA",
        show=",".join(f"{x:g}" for x in mcts.WIDENING),
        help="mcts: progressive widening, a node visited N times considers its best "
             "ceil(C * (N + 1) ** ALPHA) candidates; none: all of them")
    max_children: int | None = setting(None, minimum=1,
                                       help="mcts: candidates considered per node (default: all)")
    device: str | None = setting(None, metavar="DEVICE", help="torch device of the model (cpu, cuda, ...)")
    prompt_format: str | None = setting(None, metavar="NAME|FILE.json",
                                        help=f"prompt format of a causal-LM --model: {', '.join(NAMED_FORMATS)} "
                                             "or a JSON file (default: the model's rir_prompt.json, else rir)")
    generator: str = setting("hf", choices=GENERATORS,
                             help="hf: transformers (CPU or GPU); vllm: vLLM on a CUDA GPU (causal LMs)")
    trust_checkpoint: bool = setting(False, help="load a .ckpt that pickles objects beyond tensors and "
                                                 "Lightning's hyper-parameters, or a causal LM with its "
                                                 "own modelling code, e.g. InternLM2 (runs code from the "
                                                 "files; only for files you trust)")
    env_options: dict[str, Any] = setting(
        default_factory=dict, flag="--env-option", repeat=True, parse=parse_env_options,
        metavar="KEY=VALUE", help="backend option, repeatable (e.g. timeout=120 for dojo; "
                                  "project_dir=PATH or memory_limit_mb=8192 for repl)")

    def __post_init__(self):
        if isinstance(self.widening, list):  # as it reads back from JSON
            object.__setattr__(self, "widening", tuple(self.widening))
        check(self)
        check_options(self.backend, self.env_options)
        if self.device is not None:  # before any work: a bad --device is exit 2
            from rir.generation import check_device
            check_device(self.device)
        if self.prompt_format:
            from rir.prompt_formats import check_format
            check_format(self.prompt_format, self.mode)
        if self.generator == "vllm":
            from rir.vllm_backend import check_vllm
            check_vllm()

    @property
    def model_path(self) -> str:
        return normalize_model(self.model or DEFAULT_MODELS[self.mode])

    @property
    def flat_actor_path(self) -> str | None:
        choice = self.flat_actor
        if choice == "auto":  # the best bi-level variant of the shipped pair (README, issue 24)
            choice = "shipped" if self.model_path == normalize_model(DEFAULT_MODELS["rir"]) else None
        if self.mode != "rir" or choice in (None, "none"):
            return None
        return normalize_model(DEFAULT_MODELS["flat"] if choice == "shipped" else choice)

    @property
    def budget(self) -> Budget:
        return Budget(self.timeout, self.max_expansions, self.max_env_calls)

    def to_dict(self) -> dict:
        widening = None if self.widening is None else list(self.widening)  # as JSON reads it back
        return {**asdict(self), "model": self.model_path, "flat_actor": self.flat_actor_path, "widening": widening}

    def with_(self, **changes) -> "ProverSettings":
        return replace(self, **changes)


def normalize_model(model) -> str:
    """One spelling per model: `models/x/` and `models/x` are the same setting."""
    return os.path.normpath(str(model))


def build_env(settings: ProverSettings, **options) -> Environment:
    return make_env(settings.backend, **{**settings.env_options, **options})


def add_settings_arguments(parser, only=None) -> None:
    """The command-line options of ProverSettings (those in `only`, if given)."""
    add_options(parser, ProverSettings, only=only)


def settings_from_args(args, **overrides) -> ProverSettings:
    """ProverSettings from the options of add_settings_arguments."""
    return from_args(ProverSettings, args, **overrides)


def search_options(settings: ProverSettings) -> dict[str, Any]:
    """The keyword options of the chosen search algorithm."""
    if settings.search == "mcts":
        return {"c_puct": settings.c_puct, "widening": settings.widening,
                "max_children": settings.max_children}
    options: dict[str, Any] = {}
    if settings.mode == "rir" and settings.planning != "always":  # search.best_first's default
        options["planning"] = settings.planning
        if settings.planning == "fallback":
            options["plan_penalty"] = settings.plan_penalty
        elif settings.plan_after:
            options["plan_after"] = settings.plan_after
    widths = best_first.widths(settings.num_tactics, settings.max_tactics)
    if widths:
        options["widths"] = widths
    return options


def build_policy(settings: ProverSettings):
    from rir.closers import WithClosers
    from rir.flat_actor import WithFlatActor

    check_checkpoints(settings)
    policy = _load(settings, settings.model_path, settings.mode)
    if settings.flat_actor_path:
        policy = WithFlatActor(policy, _load(settings, settings.flat_actor_path, "flat"))
    return WithClosers(policy) if settings.closers else policy


def check_checkpoints(settings: ProverSettings) -> None:
    """Fail fast on a missing local checkpoint, before torch is imported (a hub id such
    as `owner/name` is left to rir.policy)."""
    if _missing_locally(settings.model_path):
        raise MissingDependency(f"missing checkpoint {settings.model_path}: train one with `rir train` "
                                "or pass --model PATH")
    if settings.flat_actor_path and _missing_locally(settings.flat_actor_path):
        raise MissingDependency(f"missing --flat-actor checkpoint {settings.flat_actor_path}: pass a flat "
                                "model's directory, shipped, or none")


def _missing_locally(path: str) -> bool:
    return path.startswith((".", "/", "~")) and not Path(path).expanduser().exists()


def _load(settings: ProverSettings, path: str, mode: str):
    from rir.policy import load_policy

    return load_policy(
        path, mode=mode, device=settings.device,
        num_targets=settings.num_targets, num_tactics=settings.num_tactics,
        decoding=settings.decoding, target_decoding=settings.target_decoding,
        temperature=settings.temperature, seed=settings.seed,
        trust_checkpoint=settings.trust_checkpoint, prompt_format=settings.prompt_format,
        generator=settings.generator,
    )


def prove_theorem(env: Environment, policy, theorem: Theorem, settings: ProverSettings) -> SearchResult:
    """Search for a proof of `theorem`; per-theorem failures come back as status 'error'."""
    from search.prover import prove

    result = prove(env, policy, theorem, algorithm=settings.search, budget=settings.budget,
                   settings=settings.to_dict(), untargeted=settings.untargeted,
                   **search_options(settings))
    return final_check(env, theorem, result)


def final_check(env: Environment, theorem: Theorem, result: SearchResult) -> SearchResult:
    """A found proof counts only once it replays from the start as one script: the tree
    merges states by printed text, so its path may never have run in sequence."""
    if result.status != "proved":
        return result
    verdict = env.check_proof(theorem, list(result.proof or []))
    if not verdict.ok:
        result.status, result.reason = "check_failed", f"final check failed: {verdict.reason}"
    return result
