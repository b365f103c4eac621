"""Help that people read: metavars instead of Python types, one usage style.

typer describes a parameter by its Python type (`<bool>` on a flag, `<list[Path]>`,
`<float range> [0.1<=x<=8.0]`) and writes usage lines three ways (`{FILE...}...`,
`[files]...`, `{file}`). Every Stageline command is a `ReadableCommand` (its group
builds them through `ReadableTyper`), which shows instead:

- a flag: nothing after its name;
- an option's value: its metavar when the command gives one (`error|warning|info`),
  else `FILE` for a path, `TEXT` for a string, `N` for an integer, `NUMBER` for a
  float, the values of a choice joined by `|`, and a range as `0.1–8.0` or `N≥1`;
- an argument: its name in capitals; in the usage line `FILE` when required,
  `[FILE]` when optional and `...` after it when it takes several (`FILE...`).

Typer builds its own parameter classes; `readable` gives each one the readable
subclass below (they add behaviour, no state), so every command gets this without
declaring it per option.
"""

from __future__ import annotations

from typing import Any, get_args, get_origin

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption

__all__ = ["ReadableCommand", "ReadableTyper", "readable"]


def _element_type(annotation: Any) -> Any:
    """`int` for `int`, `list[int]` and `int | None`."""
    if get_origin(annotation) is not None:
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _element_type(args[0]) if args else annotation
    return annotation


def _number(value: float) -> str:
    return str(value)  # 8.0 for a float bound, 8 for an int


def _value_metavar(param: TyperOption) -> str:
    """How help names the value an option takes, when the command gave no metavar."""
    desc = param.type_descriptor
    if desc.is_choice and desc.choices:
        return "|".join(str(getattr(choice, "value", choice)) for choice in desc.choices)
    kind = _element_type(desc.annotation)
    lower, upper = param.min, param.max
    if lower is not None or upper is not None:
        name = "N" if kind is int else "NUMBER"
        if lower is not None and upper is not None:
            return f"{_number(lower)}–{_number(upper)}"
        if lower is not None:
            return f"{name}≥{_number(lower)}"
        return f"{name}≤{_number(upper)}" if upper is not None else name
    if desc.is_path:
        return "FOLDER" if desc.path_type == "dir" else "FILE"
    if kind is int:
        return "N"
    if kind is float:
        return "NUMBER"
    return "TEXT"


class ReadableOption(TyperOption):
    """An option whose help shows a metavar people read, or nothing for a flag."""

    def display_type(self, ctx: Any) -> str:
        return self.display_type_rich(ctx) or ""

    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar is not None:
            return self.metavar
        return _value_metavar(self)

    def _get_number_range_help_str(self) -> str | None:
        return None  # the range is the metavar (`0.1–8.0`)


class ReadableArgument(TyperArgument):
    """An argument named in capitals (`FILE`), with `...` when it takes several and
    brackets in the usage line only when it may be left out."""

    @property
    def display_name_raw(self) -> str:
        return self.metavar if self.metavar is not None else (self.name or "").upper()

    def _usage_display_name(self) -> str:
        name = self.display_name_raw.removesuffix("...")
        if not self.required:
            name = f"[{name}]"
        return f"{name}..." if self.nargs != 1 else name

    def display_type(self, ctx: Any) -> str:
        return ""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # its name says what it is

    def _get_number_range_help_str(self) -> str | None:
        return None


def _argument_name(param: TyperArgument) -> str:
    base = param.metavar or (param.name or "").upper()
    base = base.removesuffix("...").strip("[]")
    return f"{base}..." if param.nargs != 1 else base


def readable(param: Any) -> Any:
    """`param`, shown the readable way from now on (idempotent)."""
    if type(param) is TyperOption:
        param.__class__ = ReadableOption
    elif type(param) is TyperArgument:
        param.metavar = _argument_name(param)
        param.__class__ = ReadableArgument
    return param


class ReadableCommand(TyperCommand):
    """A command whose help and usage line use readable metavars (see the module)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return [readable(param) for param in super().get_params(ctx)]


class ReadableTyper(typer.Typer):
    """A `typer.Typer` whose commands are `ReadableCommand`s unless told otherwise."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", ReadableCommand)
        decorator: Any = super().command(*args, **kwargs)
        return decorator
