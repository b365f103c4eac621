"""Shared pieces for declaring command-line options the same way everywhere."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import typer

E = TypeVar("E", bound=StrEnum)


def one_of(kind: type[E]) -> Callable[[str | E], E]:
    """A parser for an option that takes one of `kind`'s values. A value that is not one
    names them all and suggests the closest (`--fail-on warnings`: did you mean 'warning'?)."""

    def parse(value: str | E) -> E:
        if isinstance(value, kind):
            return value
        given = str(value)
        try:
            return kind(given.strip().lower())
        except ValueError:
            raise typer.BadParameter(not_one_of(given, [member.value for member in kind])) from None

    return parse


def not_one_of(given: str, names: list[str]) -> str:
    """`'warnings' is not one of error, warning, info; did you mean 'warning'?`"""
    close = difflib.get_close_matches(given.lower(), names, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"'{given}' is not one of {', '.join(names)}{hint}"


def choices(kind: type[StrEnum]) -> str:
    """The metavar of such an option: its values, as help shows them (`error|warning|info`)."""
    return "|".join(member.value for member in kind)


def choice_option(default: E, *names: str, help: str) -> Any:
    """`typer.Option` for a value of `default`'s enum: its values as the metavar, and a
    did-you-mean for a wrong one. Every command declares its choices with this."""
    kind = type(default)
    return typer.Option(default, *names, parser=one_of(kind), metavar=choices(kind), help=help)
