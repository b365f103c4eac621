"""The command group that lists every subcommand but imports a module only to run it."""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand, TyperGroup

from stageline.commands import COMMANDS, load
from stageline.commands.readable import readable


class _Listed(TyperCommand):
    """A command known by its name and one line of help, until it is used."""


class LazyGroup(TyperGroup):
    """`stageline`'s group: COMMANDS are listed (in `--help` and completion) from their
    one line of help and imported when resolved to run or to show their own help."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        listed = {
            name: _Listed(name=name, help=help_line)
            for name, (_, help_line) in COMMANDS.items()
            if name not in self.commands
        }
        self.commands = {**listed, **self.commands}

    def get_params(self, ctx: Any) -> list[Any]:
        return [readable(param) for param in super().get_params(ctx)]

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if isinstance(command, _Listed) and name is not None:
            command = self.commands[name] = load(name, self.rich_markup_mode)
        return name, command, rest
