"""Policy models: the ByT5 planner, the goal-conditioned actor and the flat
tactic generator. The only module that touches tokenizers and `generate`.

Formats are those of the published RiR and ReProver checkpoints, so their
weights work unchanged.
"""
from __future__ import annotations

import re

PLANNER_PREFIX = "[CURRENT GOAL]\n"
TARGET_MARK = "[TARGET GOAL]\n"
PROOFSTEP_MARK = "[PROOFSTEP]\n"

_GOALS_LINE = re.compile(r"^\d+ goals?\n")
_PREMISE_MARK = re.compile(r"</?a>")


def planner_input(state: str) -> str:
    return f"{PLANNER_PREFIX}{state}\n{TARGET_MARK}"


def planner_output(next_state: str) -> str:
    """The planner's target: the next state without a leading `N goals` line."""
    return _GOALS_LINE.sub("", next_state, count=1)


def actor_input(state: str, target: str) -> str:
    return f"{PLANNER_PREFIX}{state}\n{TARGET_MARK}{target}\n{PROOFSTEP_MARK}"


def flat_input(state: str) -> str:
    return state


def joint_input(state: str) -> str:
    return f"{PLANNER_PREFIX}{state}\n"


def joint_output(target: str, tactic: str) -> str:
    return f"{TARGET_MARK}{target}\n{PROOFSTEP_MARK}{tactic}\n"


def strip_premise_marks(tactic: str) -> str:
    """ReProver marks premises as `<a>name</a>`; Lean needs the bare name."""
    return _PREMISE_MARK.sub("", tactic)
