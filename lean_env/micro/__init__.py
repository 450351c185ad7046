"""The embedded Lean engine: a small, sound tactic engine for a fragment of Lean 4.

See /work/shared/design/embedded-lean.md for the fragment. Public API:

- `MicroEnv(solver_timeout_ms=2000, tactic_timeout=None)`: the `Environment`
  backend (`make_env("embedded")`).
- `parse_statement(text) -> Statement` (name, binders, conclusion; `to_lean()`),
  `parse_prop(text, prop_vars=())`, `parse_term(text)`: raise `ParseError` whose
  message starts with `line:column:` (line from 1, column from 0, as Lean).
- `format_prop(p)`, `format_term(t)`: Lean 4 pretty printing (minimal parentheses).
- `run_proof(statement, tactics) -> [(state_before_pp, tactic, outcome)]`: replay
  a script from the initial state, stopping at the first non-state outcome.
"""
from lean_env.micro.engine import MicroEnv, run_proof
from lean_env.micro.lexer import ParseError
from lean_env.micro.parser import Statement, parse_prop, parse_statement, parse_term
from lean_env.micro.printer import format_prop, format_term

__all__ = [
    "MicroEnv", "ParseError", "Statement", "format_prop", "format_term", "parse_prop",
    "parse_statement", "parse_term", "run_proof",
]
