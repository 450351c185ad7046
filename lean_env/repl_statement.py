"""The commands the REPL backend sends for a theorem: its statement with a `sorry`
(whose proof state opens it) and its whole proof as one declaration (the final check),
with the REPL's verdicts on a tactic step and on the whole proof.

A theorem's `statement` may carry a trailing proof (`:= by ...`, `:= sorry`);
it is cut at the first one outside brackets, so an auto-param `(h : p := by simp)`
or a bracketed `let x := by …` stays in the statement.
"""
from __future__ import annotations

import re

from lean_env.errors import OpenError
from lean_env.protocol import NO_GOALS, LeanError, ProofCheck
from lean_env.state_tree import one_line
from lean_env.theorems import Theorem

# A trailing proof in a statement (`:= by ...`, `:= sorry`) is not part of it.
_PROOF_START = re.compile(r":=\s*(by\b|sorry\b)")


def statement_with_sorry(theorem: Theorem) -> str:
    """`theorem ... : P := by sorry`: the command whose sorry is the initial proof state."""
    statement = theorem.statement.strip()
    if not statement:
        raise OpenError(f"cannot open '{theorem.full_name}' in the REPL: it has no statement "
                        "(LeanDojo benchmark theorems need the dojo backend)")
    cut = _proof_start(statement)
    if cut is not None:
        statement = statement[:cut].rstrip()
    return f"{statement} := by sorry"


def _proof_start(statement: str) -> int | None:
    """Where a trailing `:= by …`/`:= sorry` starts: the first one outside brackets, so an
    auto-param `(h : p := by simp)` or a bracketed `let x := by …` stays in the statement."""
    depth, level = [], 0
    for ch in statement:
        depth.append(level)
        level += (ch in "([{⟨") - (ch in ")]}⟩")
    for match in _PROOF_START.finditer(statement):
        if depth[match.start()] == 0:
            return match.start()
    return None


def whole_proof(theorem: Theorem, tactics: list[str]) -> str:
    """`theorem ... : P := by` and the tactics, one per line: the declaration to elaborate."""
    statement = statement_with_sorry(theorem).removesuffix(" := by sorry")
    body = "".join("\n  " + t.replace("\n", "\n  ") for t in tactics)
    return f"{statement} := by{body}"


def whole_proof_verdict(li, response) -> ProofCheck:
    """The REPL's answer to `whole_proof` as a verdict: no error and no `sorry` anywhere."""
    if isinstance(response, li.interface.LeanError):
        return ProofCheck(False, f"the whole proof does not elaborate: {one_line(response.message)}")
    errors = response.get_errors()
    if errors:
        return ProofCheck(False, f"the whole proof does not elaborate: {one_line(errors[0].data)}")
    if response.sorries or any("sorry" in m.data for m in response.messages):
        return ProofCheck(False, "the whole proof uses `sorry`")
    return ProofCheck(True)


def step_verdict(li, response) -> LeanError | str:
    """The REPL's answer to a ProofStep: the error, or the goals it leaves, pretty-printed
    (NO_GOALS when the proof is complete)."""
    if isinstance(response, li.interface.LeanError):
        return LeanError(response.message.strip())
    errors = response.get_errors()
    if errors:
        return LeanError("\n".join(m.data for m in errors))
    if response.sorries or "sorry" in response.proof_status:
        return LeanError("the tactic gave up: the proof contains `sorry`")
    if response.goals:
        return "\n\n".join(response.goals)
    if response.proof_status == "Completed":
        return NO_GOALS
    return LeanError(f"the proof does not check: {response.proof_status}")
