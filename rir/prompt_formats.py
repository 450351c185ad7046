"""Prompt formats of decoder-only step provers: where the tactic state (and the
target) go in the prompt, and how the generated output ends.

A causal LM reads one prompt and continues it; the continuation up to the end
(the tokenizer's EOS, or a stop string) is the tactic (or, for a planner, the
target state). Each named format below is written from its model's card:

    rir                      our own planner/actor marks (rir.prompts) closed by
                             `[PROOFSTEP]`; what `rir train` teaches a causal LM.
    internlm2.5-stepprover   huggingface.co/internlm/internlm2_5-step-prover:
                             "---\\nNAME: {name}\\n\\n---\\nPROOF_BEFORE: {proof_before}\\n\\n
                             ---\\nSTATE_BEFORE: {state}\\n\\n---\\nTACTIC: ", output ends with EOS.
    internlm2-stepprover     InternLM-Math (InternLM2-StepProver, chat format):
                             "<|im_start|>user\\nDECL {name}\\nGOAL {state}\\n<|im_end|>\\n
                             <|im_start|>assistant\\nPROOFSTEP ", output ends with <|im_end|>.
    bfs-prover               huggingface.co/ByteDance-Seed/BFS-Prover-V1-7B (and V2):
                             "{state}:::" (`:::` asks for a tactic), output ends with EOS.
    minictx                  huggingface.co/l3lab/ntp-mathlib-st-deepseek-coder-1.3b
                             (miniCTX state-tactic models): the state in [STATE]…[/STATE],
                             the tactic after [TAC], ended by [/TAC].

The published step provers are tactic generators only (the flat role): their
formats have no planner or actor template, and mode rir with them is refused.
Our policy sees the tactic state alone, so `{name}` and `{proof_before}` are
rendered empty (a weaker prompt than those models were trained with, on
theorems whose name or earlier steps would help). DeepSeek-Prover-V1.5 and
Kimina-Prover generate whole proofs; they have no step-level format here.

A user-defined format is a JSON file (`rir_prompt.json` in the model
directory, or a path given as the format) with the keys of PromptFormat:
    {"flat": "GOAL {state} STEP", "actor": "...{state}...{target}...", "stop": ["\\n\\n"]}
Templates are filled by plain replacement, so braces in Lean goals are safe.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Callable, Sequence

from lean_env.errors import BadInput
from rir.prompts import PLANNER_PREFIX, PROOFSTEP_MARK, TARGET_MARK, fair_budgets

FORMAT_FILE = "rir_prompt.json"  # a user-defined format, in the model directory
ROLES = ("planner", "actor", "flat")
PLACEHOLDERS = ("state", "target", "name", "proof_before")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
_NEEDS = {"flat": ("state",), "planner": ("state",), "actor": ("state", "target")}


@dataclass(frozen=True)
class PromptFormat:
    """Templates per role (None: the model does not play it) and the output's end.

    `stop`: strings that end an output besides EOS; the first is what training
    appends after each output (none: the tokenizer's EOS token)."""

    name: str
    flat: str
    planner: str | None = None
    actor: str | None = None
    stop: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self):
        object.__setattr__(self, "stop", tuple(self.stop))
        for role in ROLES:
            template = getattr(self, role)
            if template is None:
                continue
            if not isinstance(template, str):
                raise BadInput(f"prompt format {self.name}: '{role}' must be a string template")
            unknown = sorted(set(_PLACEHOLDER.findall(template)) - set(PLACEHOLDERS))
            if unknown:
                raise BadInput(f"prompt format {self.name}: unknown placeholder {{{unknown[0]}}} in '{role}' "
                               f"(known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})")
            missing = [p for p in _NEEDS[role] if "{" + p + "}" not in template]
            if missing:
                raise BadInput(f"prompt format {self.name}: the '{role}' template needs {{{missing[0]}}}")
        if any(not isinstance(s, str) or not s for s in self.stop):
            raise BadInput(f"prompt format {self.name}: 'stop' must be a list of non-empty strings")

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(r for r in ROLES if getattr(self, r) is not None)

    def template(self, role: str) -> str:
        template = getattr(self, role, None)
        if template is None:
            raise BadInput(f"prompt format {self.name} has no {role} template (it serves "
                           f"{', '.join(self.roles)}): use --mode flat or another --prompt-format")
        return template

    def render(self, role: str, state: str, target: str | None = None) -> str:
        text = self.template(role)
        for key, value in (("state", state), ("target", target or "")):
            text = text.replace("{" + key + "}", "\x00" + key + "\x00")  # a state may hold "{target}"
        text = text.replace("{name}", "").replace("{proof_before}", "")
        return text.replace("\x00state\x00", state).replace("\x00target\x00", target or "")

    def cut_output(self, text: str) -> tuple[str, bool]:
        """(the text before the first stop string, whether one was found)."""
        ends = [i for i in (text.find(s) for s in self.stop) if i >= 0]
        return (text[:min(ends)], True) if ends else (text, False)

    def to_json(self) -> dict:
        return {f.name: (list(getattr(self, f.name)) if f.name == "stop" else getattr(self, f.name))
                for f in fields(self)}


_RIR_STATE = PLANNER_PREFIX + "{state}\n"
NAMED_FORMATS: dict[str, PromptFormat] = {f.name: f for f in (
    PromptFormat("rir", flat=_RIR_STATE + PROOFSTEP_MARK, planner=_RIR_STATE + TARGET_MARK,
                 actor=_RIR_STATE + TARGET_MARK + "{target}\n" + PROOFSTEP_MARK,
                 source="rir.prompts, with [PROOFSTEP] closing the flat prompt"),
    PromptFormat("internlm2.5-stepprover",
                 flat="---\nNAME: {name}\n\n---\nPROOF_BEFORE: {proof_before}\n\n"
                      "---\nSTATE_BEFORE: {state}\n\n---\nTACTIC: ",
                 source="https://huggingface.co/internlm/internlm2_5-step-prover"),
    PromptFormat("internlm2-stepprover",
                 flat="<|im_start|>user\nDECL {name}\nGOAL {state}\n<|im_end|>\n<|im_start|>assistant\nPROOFSTEP ",
                 stop=("<|im_end|>",), source="https://huggingface.co/internlm/internlm2-step-prover"),
    PromptFormat("bfs-prover", flat="{state}:::",
                 source="https://huggingface.co/ByteDance-Seed/BFS-Prover-V1-7B"),
    PromptFormat("minictx",
                 flat="/- You are proving a theorem in Lean 4.\nYou are given the following information:\n"
                      "- The current proof state, inside [STATE]...[/STATE]\n\n"
                      "Your task is to generate the next tactic in the proof.\n"
                      "Put the next tactic inside [TAC]...[/TAC]\n-/\n[STATE]\n{state}\n[/STATE]\n[TAC]\n",
                 stop=("[/TAC]",), source="https://huggingface.co/l3lab/ntp-mathlib-st-deepseek-coder-1.3b"),
)}
DEFAULT_FORMAT = "rir"


def read_format(path: str | Path) -> PromptFormat:
    """A user-defined format from a JSON file (see the module docstring)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BadInput(f"prompt format {path}: not a readable JSON file ({e})") from None
    if not isinstance(data, dict):
        raise BadInput(f"prompt format {path}: expected a JSON object with 'flat', 'planner', 'actor', 'stop'")
    known = {f.name for f in fields(PromptFormat)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise BadInput(f"prompt format {path}: unknown key '{unknown[0]}' (known: {', '.join(sorted(known))})")
    if not isinstance(data.get("flat"), str):
        raise BadInput(f"prompt format {path}: needs a 'flat' template (a string with {{state}})")
    return PromptFormat(**{"name": str(path), **data})


def resolve_format(name: "str | PromptFormat | None", model_dir: str | Path | None = None) -> PromptFormat:
    """The format a name or JSON path gives (a PromptFormat is itself); without
    one, the model directory's rir_prompt.json, else `rir`."""
    if isinstance(name, PromptFormat):
        return name
    if name:
        if name in NAMED_FORMATS:
            return NAMED_FORMATS[name]
        if name.endswith(".json") or Path(name).is_file():
            if not Path(name).is_file():
                raise BadInput(f"prompt format file {name} not found")
            return read_format(name)
        raise BadInput(f"unknown prompt format '{name}': choose one of {', '.join(NAMED_FORMATS)} "
                       f"or give a JSON file")
    directory = Path(model_dir) if model_dir is not None else None
    if directory is not None and (directory / FORMAT_FILE).is_file():
        return read_format(directory / FORMAT_FILE)
    return NAMED_FORMATS[DEFAULT_FORMAT]


def fit_prompt(fmt: PromptFormat, role: str, state: str, target: str | None,
               count: Callable[[str], list[int]], decode: Callable[[Sequence[int]], str],
               max_len: int | None) -> str:
    """The rendered prompt, its free parts (state, target) cut on the right in
    tokens, fair shares, so that the template's marks survive `max_len` tokens."""
    if max_len is None:
        return fmt.render(role, state, target)
    parts = [state] + ([target or ""] if role == "actor" else [])
    ids = [count(p) for p in parts]
    marks = len(count(fmt.render(role, "", "")))
    budgets = fair_budgets([len(i) for i in ids], max(0, max_len - marks))
    if all(b == len(i) for b, i in zip(budgets, ids)):
        return fmt.render(role, state, target)
    cut = [p if b == len(i) else decode(i[:b]) for p, i, b in zip(parts, ids, budgets)]
    return fmt.render(role, cut[0], cut[1] if role == "actor" else None)


def check_format(name: str | None, mode: str) -> None:
    """Before any work: a --prompt-format that exists, parses and has the mode's templates."""
    if not name:
        return
    fmt = resolve_format(name)
    for role in (("planner", "actor") if mode == "rir" else ("flat",)):
        fmt.template(role)
