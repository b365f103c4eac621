"""`stageline help [COMMAND]`: the same help as `stageline [COMMAND] --help`."""

from __future__ import annotations

import difflib

import typer

from stageline.environment import env
from stageline.exit_status import ExitStatus


def help_command(
    ctx: typer.Context,
    command: str = typer.Argument(None, metavar="COMMAND", help="The command to explain; all of them without it."),
) -> None:
    """Show the help of Stageline, or of one of its commands."""
    root = ctx.parent
    assert root is not None  # always run as a subcommand of `stageline`
    group = root.command
    if not command:
        typer.echo(group.get_help(root), color=ctx.color)
        raise typer.Exit(ExitStatus.OK)
    names = group.list_commands(root)  # type: ignore[attr-defined]
    found = group.get_command(root, command)  # type: ignore[attr-defined]
    if found is None:
        close = difflib.get_close_matches(command, names, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        env().err.print(
            f"[red]error:[/] there is no command '{command}'; {hint}the commands: {', '.join(names)}", soft_wrap=True
        )
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    _, found, _ = group.resolve_command(root, [command])  # type: ignore[attr-defined]  # loads a listed command
    assert found is not None
    with found.make_context(command, ["--help"], parent=root, resilient_parsing=True) as sub:
        typer.echo(found.get_help(sub), color=ctx.color)
    raise typer.Exit(ExitStatus.OK)


def register(app: typer.Typer) -> None:
    app.command("help")(help_command)
