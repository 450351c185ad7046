"""Prompt formats of the planner, the goal-conditioned actor and the flat tactic
generator: the texts the models read and write, shared by inference and training.

Formats are those of the published RiR and ReProver checkpoints, so their
weights work unchanged:

    planner  "[CURRENT GOAL]\\n{state}\\n[TARGET GOAL]\\n"               -> target state
    actor    "[CURRENT GOAL]\\n{state}\\n[TARGET GOAL]\\n{target}\\n[PROOFSTEP]\\n" -> tactic
    flat     "{state}"                                                  -> tactic (ReProver)

Truncation. ReProver tokenizes with `truncation=True, max_length=2048` (inputs)
and 512 (outputs): the text is cut on the right, byte by byte, keeping `</s>`.
The generation backend does exactly that for every input. Cutting the planner or actor
input on the right would drop the `[TARGET GOAL]`/`[PROOFSTEP]` marks the
model conditions on, so the format functions first shorten the free text
(state, target) to fit: the planner's state takes all the room left by the
marks; the actor's state and target share it fairly (each gets half, and a
part shorter than its half gives the rest to the other). Each part keeps its
beginning, as in ReProver. For inputs within the limit nothing changes.
"""
from __future__ import annotations

import re

PLANNER_PREFIX = "[CURRENT GOAL]\n"
TARGET_MARK = "[TARGET GOAL]\n"
PROOFSTEP_MARK = "[PROOFSTEP]\n"

MAX_INPUT_LEN = 2048  # tokens (= bytes for ByT5), </s> included, as ReProver
MAX_OUTPUT_LEN = 512
MODES = ("rir", "flat")  # planner + actor, or the flat generator alone
FORMATS = {
    "planner": {"input": PLANNER_PREFIX + "{state}\n" + TARGET_MARK, "output": "{target}"},
    "actor": {"input": PLANNER_PREFIX + "{state}\n" + TARGET_MARK + "{target}\n" + PROOFSTEP_MARK,
              "output": "{tactic}"},
    "flat": {"input": "{state}", "output": "{tactic}"},
}

_GOALS_LINE = re.compile(r"^\d+ goals?\n")
_PREMISE_MARK = re.compile(r"</?a>")


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
    return [p.encode()[:b].decode(errors="ignore") for p, b in zip(parts, fair_budgets(sizes, room))]


def fair_budgets(sizes: list[int], room: int) -> list[int]:
    """How much of each part fits in `room`: equal shares, and a part shorter
    than its share passes the rest on (shortest first). Bytes or tokens."""
    if sum(sizes) <= room:
        return list(sizes)
    budgets = [0] * len(sizes)
    left, pending = room, sorted(range(len(sizes)), key=lambda i: sizes[i])
    while pending:
        i = pending.pop(0)
        budgets[i] = min(sizes[i], left // (len(pending) + 1))
        left -= budgets[i]
    return budgets
