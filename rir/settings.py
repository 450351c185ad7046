"""Settings written once: each field of a settings dataclass declares its default,
help text, choices and range with `setting(...)`, and everything else is made from
that declaration: the command-line options (`add_options`), the record back from
the parsed arguments (`from_args`) and the validation (`check`), whose messages
name the option a user typed.

    @dataclass(frozen=True)
    class Settings:
        timeout: float = setting(60.0, above=0, help="wall-clock seconds per theorem")

        def __post_init__(self):
            check(self)
"""
from __future__ import annotations

import argparse
import dataclasses
import math
import types
import typing
from dataclasses import MISSING, dataclass
from typing import Any, Callable, Iterable

from lean_env.errors import BadInput


def unknown_choice(what: str, value, choices: Iterable[str]) -> BadInput:
    """The one message for a name outside its choices (a search, a mode, a decoding...)."""
    return BadInput(f"unknown {what} '{value}': choose one of {', '.join(choices)}")


@dataclass(frozen=True)
class Setting:
    """What a settings field declares beyond its type and default."""

    help: str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None  # the value is at least this
    above: float | None = None  # the value is strictly above this
    flag: str | None = None  # default: --field-name
    metavar: str | None = None
    repeat: bool = False  # the option may be given several times (a list, made by `parse`)
    # Command-line text -> field value (raise argparse.ArgumentTypeError); for a
    # `repeat` option, the list of texts -> field value.
    parse: Callable[[Any], Any] | None = None
    check: Callable[[str, Any], None] | None = None  # (flag, value) -> raise BadInput
    show: str | None = None  # how the default reads in --help, when str(default) will not do
    cli: bool = True  # False: a field the command line does not set


def setting(default: Any = MISSING, *, help: str, default_factory: Any = MISSING, **declared) -> Any:
    """A dataclass field with its command-line declaration (see `Setting`)."""
    return dataclasses.field(default=default, default_factory=default_factory,
                             metadata={"setting": Setting(help=help, **declared)})


def declared(cls) -> list[tuple[dataclasses.Field, Setting, type]]:
    """(field, declaration, base type) of each declared field, in field order."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        decl = f.metadata.get("setting")
        if decl is not None:
            out.append((f, decl, _base_type(hints[f.name])))
    return out


def flag_of(f: dataclasses.Field, decl: Setting) -> str:
    return decl.flag or "--" + f.name.replace("_", "-")


def default_of(f: dataclasses.Field) -> Any:
    return f.default_factory() if f.default is MISSING else f.default


def _base_type(hint) -> type:
    """`int | None` -> int; `dict[str, Any]` -> dict."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        hint = args[0]
    return typing.get_origin(hint) or hint


def _help(f: dataclasses.Field, decl: Setting, base: type) -> str:
    default = default_of(f)
    if decl.show is not None:
        return f"{decl.help} (default {decl.show})"
    if base is bool or default is None or decl.repeat:
        return decl.help
    return f"{decl.help} (default {default})"


def add_options(parser: argparse.ArgumentParser, cls, only: Iterable[str] | None = None,
                exclude: Iterable[str] = ()) -> None:
    """One option per declared field of `cls` (those in `only`, if given), its
    default the field's default."""
    only, exclude = (set(only) if only is not None else None), set(exclude)
    for f, decl, base in declared(cls):
        if not decl.cli or f.name in exclude or (only is not None and f.name not in only):
            continue
        kwargs: dict[str, Any] = {"dest": f.name, "help": _help(f, decl, base)}
        metavar = decl.metavar or {int: "N", float: "X"}.get(base)
        if metavar and base is not bool:
            kwargs["metavar"] = metavar
        if base is bool:
            if default_of(f) is not False:
                raise TypeError(f"{cls.__name__}.{f.name}: a flag's default must be False")
            kwargs["action"] = "store_true"
        elif decl.repeat:
            kwargs.update(action="append", default=None)
        else:
            kwargs["default"] = default_of(f)
            if decl.choices:
                kwargs["choices"] = decl.choices
            if decl.parse is not None:  # argparse applies it to typed values only, not the default
                kwargs["type"] = decl.parse
            elif base in (int, float):
                kwargs["type"] = base
        parser.add_argument(flag_of(f, decl), **kwargs)


def from_args(cls, args: argparse.Namespace, **overrides):
    """The record of `cls` from options made by `add_options`; fields without an
    option (or not parsed) keep their defaults."""
    return cls(**{**values_from_args(cls, args), **overrides})


def values_from_args(cls, args: argparse.Namespace) -> dict[str, Any]:
    """Field name -> value of each declared field of `cls` that `args` holds an option for."""
    values = {}
    for f, decl, _ in declared(cls):
        if not decl.cli or not hasattr(args, f.name):
            continue
        value = getattr(args, f.name)
        if decl.repeat and decl.parse is not None:  # the list of the repeated option's values
            value = decl.parse(value or [])
        values[f.name] = value
    return values


def check(record) -> None:
    """Every declared field of `record` against its choices and range; BadInput names the option."""
    for f, decl, base in declared(type(record)):
        value, flag = getattr(record, f.name), flag_of(f, decl)
        if decl.choices is not None and value not in decl.choices:
            raise unknown_choice(f.name.replace("_", " "), value, decl.choices)
        if base in (int, float) and value is not None:
            check_number(flag, value, integer=base is int, minimum=decl.minimum, above=decl.above)
        if decl.check is not None:
            decl.check(flag, value)


def check_number(flag: str, value, *, integer: bool = False, minimum: float | None = None,
                 above: float | None = None) -> None:
    """A finite number (an integer if `integer`) within the bounds, else BadInput naming the flag."""
    kind = "an integer" if integer else "a number"
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    ok = ok and not isinstance(value, bool) and math.isfinite(value)
    if minimum is not None:
        ok, bound = ok and value >= minimum, f" at least {minimum:g}"
    elif above is not None:
        ok, bound = ok and value > above, f" above {above:g}"
    else:
        bound = ""
    if not ok:
        raise BadInput(f"{flag} must be {kind}{bound}, got {value}")
