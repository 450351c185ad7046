"""A prover: a backend, a policy and a search, assembled from one settings record.

`rir prove`, `rir eval` workers and self-play build their provers here, so all
three run exactly the same search for the same settings.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from lean_env import BACKENDS, Environment, Theorem, check_options, make_env
from lean_env.errors import BadInput
from search.result import Budget, SearchResult

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODELS = {"rir": REPO_ROOT / "models" / "rir-micro", "flat": REPO_ROOT / "models" / "flat-micro"}
SEARCHES = ("bfs", "mcts")
MODES = ("rir", "flat")


@dataclass(frozen=True)
class ProverSettings:
    """Everything that decides how one theorem is searched (picklable, for workers)."""

    backend: str = "embedded"
    search: str = "bfs"
    mode: str = "rir"
    model: str | None = None  # None: the shipped model for `mode`
    timeout: float = 60.0
    max_expansions: int | None = None
    max_env_calls: int | None = None
    num_targets: int = 5
    num_tactics: int = 8
    untargeted: bool = False  # rir: also tactics without a target at each expansion
    decoding: str = "beam"
    temperature: float = 1.0
    seed: int | None = None
    device: str | None = None
    trust_checkpoint: bool = False  # allow a full (code-running) unpickle of a .ckpt
    env_options: dict[str, Any] = field(default_factory=dict)  # backend options (make_env keywords)

    def __post_init__(self):
        if self.search not in SEARCHES:
            raise BadInput(f"unknown search '{self.search}': choose one of {', '.join(SEARCHES)}")
        if self.mode not in MODES:
            raise BadInput(f"unknown mode '{self.mode}': choose one of {', '.join(MODES)}")
        _check_number("--timeout", self.timeout, minimum=0.0, strict=True)
        _check_number("--temperature", self.temperature, minimum=0.0, strict=True)
        _check_number("--num-tactics", self.num_tactics, minimum=1, integer=True)
        _check_number("--num-targets", self.num_targets, minimum=0, integer=True)
        for flag, value in (("--max-expansions", self.max_expansions), ("--max-env-calls", self.max_env_calls)):
            if value is not None:
                _check_number(flag, value, minimum=0, integer=True)
        check_options(self.backend, self.env_options)
        if self.device is not None:  # before any work: a bad --device is exit 2
            from rir.generation import check_device
            check_device(self.device)

    @property
    def model_path(self) -> str:
        return normalize_model(self.model or DEFAULT_MODELS[self.mode])

    @property
    def budget(self) -> Budget:
        return Budget(self.timeout, self.max_expansions, self.max_env_calls)

    def to_dict(self) -> dict:
        return {**asdict(self), "model": self.model_path}

    def with_(self, **changes) -> "ProverSettings":
        return replace(self, **changes)


def normalize_model(model) -> str:
    """One spelling per model: `models/x/` and `models/x` are the same setting."""
    return os.path.normpath(str(model))


def _check_number(flag: str, value, minimum: float, strict: bool = False, integer: bool = False) -> None:
    """A finite number at least (`strict`: above) `minimum`, else BadInput naming the flag."""
    kind = "an integer" if integer else "a number"
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    ok = ok and not isinstance(value, bool) and math.isfinite(value)
    ok = ok and (value > minimum if strict else value >= minimum)
    if not ok:
        bound = f"above {minimum:g}" if strict else f"at least {minimum:g}"
        raise BadInput(f"{flag} must be {kind} {bound}, got {value}")


def build_env(settings: ProverSettings, **options) -> Environment:
    return make_env(settings.backend, **{**settings.env_options, **options})


def add_settings_arguments(parser) -> None:
    """The command-line options of ProverSettings, shared by `rir prove` and `rir eval`."""
    parser.add_argument("--backend", default="embedded", choices=BACKENDS,
                        help="embedded: the built-in engine (no Lean needed); dojo: LeanDojo; "
                             "repl: the Lean REPL (default embedded)")
    parser.add_argument("--search", default="bfs", choices=SEARCHES,
                        help="bfs: best-first search; mcts: Monte Carlo tree search (default bfs)")
    parser.add_argument("--mode", default="rir", choices=MODES,
                        help="rir: planner + actor (bi-level); flat: tactics only")
    parser.add_argument("--model", metavar="PATH", help="checkpoint (default: the shipped model for --mode)")
    parser.add_argument("--timeout", type=float, default=60.0, help="wall-clock seconds per theorem (default 60)")
    parser.add_argument("--max-expansions", type=int, help="expansions per theorem")
    parser.add_argument("--max-env-calls", type=int, help="environment calls per theorem")
    parser.add_argument("--num-targets", type=int, default=5, help="planner targets per expansion (default 5)")
    parser.add_argument("--num-tactics", type=int, default=8, help="actor tactics per target (default 8)")
    parser.add_argument("--untargeted", action="store_true",
                        help="rir: also ask the actor for tactics without a target at each expansion "
                             "(for models co-trained with flat_weight > 0, such as the shipped one)")
    parser.add_argument("--seed", type=int,
                        help="random seed of sampled decoding (same seed, same tactics)")
    parser.add_argument("--device", help="torch device of the model (cpu, cuda, ...)")
    parser.add_argument("--trust-checkpoint", action="store_true",
                        help="load a .ckpt that pickles objects beyond tensors and Lightning's "
                             "hyper-parameters (runs code from the file; only for files you trust)")
    parser.add_argument("--env-option", action="append", metavar="KEY=VALUE",
                        help="backend option, repeatable (e.g. timeout=120 for dojo; "
                             "project_dir=PATH or memory_limit_mb=8192 for repl)")


def settings_from_args(args) -> ProverSettings:
    """ProverSettings from the options of add_settings_arguments."""
    return ProverSettings(
        backend=args.backend, search=args.search, mode=args.mode, model=args.model,
        timeout=args.timeout, max_expansions=args.max_expansions, max_env_calls=args.max_env_calls,
        num_targets=args.num_targets, num_tactics=args.num_tactics, untargeted=args.untargeted,
        seed=args.seed, device=args.device, trust_checkpoint=args.trust_checkpoint, env_options=parse_env_options(args.env_option))


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


def build_policy(settings: ProverSettings):
    from rir.policy import load_policy

    return load_policy(
        settings.model_path, mode=settings.mode, device=settings.device,
        num_targets=settings.num_targets, num_tactics=settings.num_tactics,
        decoding=settings.decoding, temperature=settings.temperature, seed=settings.seed,
        trust_checkpoint=settings.trust_checkpoint,
    )


def prove_theorem(env: Environment, policy, theorem: Theorem, settings: ProverSettings) -> SearchResult:
    """Search for a proof of `theorem`; per-theorem failures come back as status 'error'."""
    from search.prover import prove

    result = prove(env, policy, theorem, algorithm=settings.search, budget=settings.budget,
                   settings=settings.to_dict(), untargeted=settings.untargeted)
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
