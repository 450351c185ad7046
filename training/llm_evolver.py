"""The LLM evolver: EvolInstruct-style mutation templates for theorem statements,
run through a causal LM (rir.causal_lm's transformers path, or vLLM on a GPU).

Each template is a prompt that states the embedded fragment's rules in brief,
shows the parent statement and asks for one new statement: in depth (add a
hypothesis, shift a bound, generalise a constant, compose with a lemma, add a
reasoning step) or in breadth (the same shape in another domain). The first
`theorem ...` in the model's output is read with the fragment's parser; a
variant that does not parse, mentions an unbound variable, or repeats its
parent (up to renaming) is dropped. Truth is the conjecture filter's job.
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

from lean_env.errors import BadInput
from lean_env.micro.lexer import ParseError
from lean_env.micro.parser import Statement, parse_statement
from lean_env.micro.syntax import free_vars
from rir.prompt_formats import PromptFormat
from training.conjecture_filter import canonical_key
from training.creator import Conjecture
from training.evolve import weighted

# prompts, n samples per prompt, seed -> n completions per prompt
GenerateFn = Callable[[list[str], int, int], list[list[str]]]

FRAGMENT_RULES = """\
You write Lean 4 theorem statements in a small fragment of Lean:
- Types: ℕ (natural numbers) and Prop only.
- Terms: variables, numerals, + - * / % ^ (subtraction truncates at 0).
- Propositions: True False ¬ ∧ ∨ → ↔ = ≠ ≤ < ≥ > ∣, ∀ x : ℕ, ... and ∃ x : ℕ, ...
- Form: theorem NAME (x y : ℕ) (p : Prop) (h : x < y) : CONCLUSION
- Every variable is bound by a binder or a quantifier. Write the statement only, no proof."""


@dataclass(frozen=True)
class Template:
    """One mutation: `kind` is "depth" (change the statement) or "breadth" (a new one like it)."""

    name: str
    kind: str
    instruction: str

    def render(self, parent: str) -> str:
        return (f"{FRAGMENT_RULES}\n\n"
                f"Statement:\n```lean\n{parent}\n```\n\n"
                f"Task: {self.instruction} Give exactly one new theorem statement.\n\n"
                f"New statement:\n```lean\n")


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("add_constraint", "depth",
             "Add one hypothesis or constraint on the variables, such as a bound (h : x ≤ 5), "
             "so that the statement says something sharper."),
    Template("shift_bound", "depth",
             "Strengthen or weaken one numeric bound in the conclusion or in a hypothesis "
             "(change a constant, or swap ≤ and <)."),
    Template("generalise_constant", "depth",
             "Replace a constant in the conclusion by a new variable (n : ℕ), adding a hypothesis "
             "about n if the statement needs one."),
    Template("compose_lemma", "depth",
             "Combine the conclusion with a known fact about ℕ (for example a + b = b + a, "
             "a ≤ a + b, or adding the same term to both sides of an inequality)."),
    Template("add_step", "depth",
             "Make the statement need one more reasoning step: substitute an expression such as "
             "x + 1 or 2 * x for a variable, or chain the conclusion through an intermediate fact."),
    Template("new_domain", "breadth",
             "Write a different statement with the same logical shape in another area of the "
             "fragment (propositional logic, order on ℕ, divisibility, arithmetic identities)."),
)}

STOP = "```"  # the prompt opens a code block: its end is the statement's end
EVOLVER_FORMAT = PromptFormat("evolver", flat="{state}", stop=(STOP,))  # prompts are rendered already
_FENCE = re.compile(r"```(?:lean4?)?")
_START = re.compile(r"\b(theorem|lemma)\s")
_TAIL = re.compile(r":=.*", re.DOTALL)


def read_statement(text: str) -> Statement | None:
    """The first theorem statement in a model's output that parses and binds every
    variable it uses; None when there is none."""
    lines = _FENCE.sub("\n", text).splitlines()  # a fence ends a statement, even mid-line
    for i, line in enumerate(lines):
        start = _START.search(line)
        if not start:
            continue
        # a statement may wrap: take lines until `:=`, a blank line or the next theorem
        chunk = [line[start.start():]]
        for more in lines[i + 1:]:
            if ":=" in chunk[-1] or not more.strip() or _START.search(more):
                break
            chunk.append(more)
        for end in range(len(chunk), 0, -1):  # a trailing line of prose must not spoil it
            candidate = _TAIL.sub("", " ".join(chunk[:end])).strip()
            st = _parse(candidate)
            if st is not None:
                return st
    return None


def extract_statement(text: str) -> str | None:
    """The first statement in `text`, normalised by the parser's printer (`to_lean()`)."""
    st = read_statement(text)
    return st.to_lean() if st is not None else None


def _parse(text: str) -> Statement | None:
    try:
        st = parse_statement(text)
    except ParseError:
        return None
    bound: set[str] = set()
    for name, typ in st.binders:  # a hypothesis may only mention variables bound before it
        if not isinstance(typ, str) and free_vars(typ) - bound:
            return None
        bound.add(name)
    return None if free_vars(st.conclusion) - bound else st  # Lean rejects an unbound name


class LLMEvolver:
    """Mutation templates through a causal LM; `generate_fn` is the backend seam."""

    def __init__(self, generate_fn: GenerateFn, templates: dict[str, Template] | None = None,
                 max_new_tokens: int = 128, oversample: int = 2):
        self.generate_fn = generate_fn
        self.templates = templates or TEMPLATES
        self.max_new_tokens = max_new_tokens
        self.oversample = oversample  # most samples of a small LM do not parse

    @classmethod
    def from_pretrained(cls, path: str | Path, backend: str = "transformers", device: str | None = None,
                        max_new_tokens: int = 128, temperature: float = 1.0, **kwargs) -> "LLMEvolver":
        path = str(path)
        _check_model_path(path)
        if backend == "transformers":
            generate = CausalSampler.load(path, device, max_new_tokens=max_new_tokens, temperature=temperature)
        elif backend == "vllm":
            generate = VllmSampler.load(path, device, max_new_tokens=max_new_tokens, temperature=temperature)
        else:
            raise BadInput(f"unknown LLM backend '{backend}': choose transformers or vllm")
        return cls(generate, max_new_tokens=max_new_tokens, **kwargs)

    def evolve(self, conjecture: Conjecture, n: int, rng: random.Random, iteration: int,
               weights: Mapping[str, float] | None = None) -> list[Conjecture]:
        if n <= 0:
            return []
        names = weighted_sample(sorted(self.templates), min(n, len(self.templates)), weights, rng)
        prompts = [self.templates[t].render(conjecture.statement) for t in names]
        per_prompt = math.ceil(n * self.oversample / len(names))
        outputs = self.generate_fn(prompts, per_prompt, rng.randrange(2**31))
        seen = {_key_of(conjecture.statement)}
        variants: list[Conjecture] = []
        for template, text in _round_robin(names, outputs):  # templates take turns: variety first
            st = read_statement(text)
            if st is None or canonical_key(st) in seen:
                continue
            seen.add(canonical_key(st))
            name = f"{conjecture.name}_llm{iteration}_{len(variants)}"
            variants.append(Conjecture(name, replace(st, name=name).to_lean(), f"llm:{template}",
                                       conjecture.name, iteration, conjecture.lineage))
            if len(variants) == n:
                break
        return variants


def weighted_sample(names: list[str], k: int, weights: Mapping[str, float] | None,
                    rng: random.Random) -> list[str]:
    """k distinct names, each drawn in proportion to its weight among those left."""
    if weights is None:
        return rng.sample(names, k)
    left, odds, out = list(names), weighted(names, weights), []
    for _ in range(k):
        j = rng.choices(range(len(left)), odds)[0] if sum(odds) > 0 else rng.randrange(len(left))
        out.append(left.pop(j))
        odds.pop(j)
    return out


def _key_of(statement: str) -> str | None:
    try:
        return canonical_key(parse_statement(statement))
    except ParseError:
        return None


def _round_robin(names: Sequence[str], outputs: Sequence[Sequence[str]]):
    for k in range(max((len(o) for o in outputs), default=0)):
        for name, texts in zip(names, outputs):
            if k < len(texts):
                yield name, texts[k]


def _check_model_path(path: str) -> None:
    from rir.checkpoint import looks_like_hub_id

    if not Path(path).exists() and (not looks_like_hub_id(path) or Path(path).parent.is_dir()):
        raise BadInput(f"LLM evolver model {path} not found: pass a Hugging Face model directory or hub id")


# ---- backends ------------------------------------------------------------------


class CausalSampler:
    """rir.causal_lm's CausalLM sampling n completions per prompt, all prompts in
    one `generate` call, each ended by the closing code fence (STOP)."""

    def __init__(self, lm, temperature: float = 1.0):
        self.lm, self.temperature = lm, temperature

    @classmethod
    def load(cls, path: str, device: str | None = None, *, max_new_tokens: int = 128,
             temperature: float = 1.0) -> "CausalSampler":
        from rir.causal_lm import CausalLM

        return cls(CausalLM.load(path, device, prompt_format=EVOLVER_FORMAT, max_output_len=max_new_tokens),
                   temperature)

    def __call__(self, prompts: list[str], n: int, seed: int) -> list[list[str]]:
        return self.lm.sample_texts(prompts, n, seed, self.temperature)


class VllmSampler:
    """rir.vllm_backend's generator in sampling mode (vLLM batches all prompts)."""

    def __init__(self, generator, temperature: float = 1.0):
        self.generator = generator
        self.temperature = temperature

    @classmethod
    def load(cls, path: str, device: str | None = None, *, max_new_tokens: int = 128,
             temperature: float = 1.0) -> "VllmSampler":
        from rir.vllm_backend import VllmGenerator

        return cls(VllmGenerator.load(path, device, prompt_format=EVOLVER_FORMAT, max_output_len=max_new_tokens),
                   temperature)

    def __call__(self, prompts: list[str], n: int, seed: int) -> list[list[str]]:
        results = self.generator.generate(prompts, n, decoding="sample", temperature=self.temperature, seed=seed)
        return [[s.text for s in suggestions] for suggestions in results]

