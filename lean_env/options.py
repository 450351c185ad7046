"""Backend options (`--env-option KEY=VALUE`): named, typed and range-checked up front.

An option must be a keyword of the backend's constructor; its value must have the
type the constructor's annotation names (an int where it says int, a finite number
where it says float, true/false for bool, a string for str or Path, a list for a
tuple) and every numeric option is a positive quantity (timeouts, limits), so a
bad value is one clear error before any work starts, never a crash mid-run.
"""
from __future__ import annotations

import inspect
import math
import os

from lean_env.errors import BadInput

_NUMBERS = {"int", "float"}


def check_options(cls: type, backend: str, options: dict) -> None:
    params = inspect.signature(cls.__init__).parameters
    known = {n: p for n, p in params.items()
             if n != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise BadInput(f"unknown option(s) {', '.join(unknown)} for backend '{backend}': "
                       f"it takes {', '.join(known)}")
    for name, value in options.items():
        problem = _value_problem(_types(known[name].annotation), value)
        if problem:
            raise BadInput(f"bad --env-option {name}={value!r} for backend '{backend}': {problem}")


def _types(annotation) -> set[str]:
    """The base type names of an annotation ('float | None' -> {'float', 'None'}); empty: any."""
    if annotation is inspect.Parameter.empty:
        return set()
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    return {part.strip().split("[")[0] for part in text.split("|")}


def _value_problem(types: set[str], value) -> str | None:
    if not types or "Any" in types:
        return None
    if value is None:
        return None if "None" in types else "a value is required"
    if isinstance(value, bool):
        return None if "bool" in types else f"expected {_wanted(types)}"
    if isinstance(value, (int, float)):
        if not types & _NUMBERS or (isinstance(value, float) and "float" not in types):
            return f"expected {_wanted(types)}"
        if not math.isfinite(value) or value <= 0:
            return "expected a positive number"
        return None
    if isinstance(value, (str, os.PathLike)):
        return None if types & {"str", "Path"} else f"expected {_wanted(types)}"
    if isinstance(value, (list, tuple)):
        return None if types & {"tuple", "list"} else f"expected {_wanted(types)}"
    return f"expected {_wanted(types)}"


def _wanted(types: set[str]) -> str:
    names = {"int": "an integer", "float": "a number", "bool": "true or false", "str": "a string",
             "Path": "a path", "tuple": "a list", "list": "a list", "None": "null"}
    return " or ".join(names.get(t, t) for t in sorted(types))
