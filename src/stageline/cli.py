"""The `stageline` command. Each subcommand lives in `stageline.commands`."""

from __future__ import annotations

import sys

import typer

from stageline import __version__
from stageline.commands import register_all
from stageline.environment import env
from stageline.exit_status import ExitStatus

app = typer.Typer(
    name="stageline",
    help="Service blueprints as code: write them in YAML, check them, measure them, render them, "
    "simulate them and edit them together in the browser.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        env().out.print(f"stageline {__version__}")
        raise typer.Exit(ExitStatus.OK)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Service blueprints as code."""


register_all(app)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of raising."""
    try:
        app(args=argv, prog_name="stageline", standalone_mode=True)
    except SystemExit as stop:
        code = stop.code
        return int(code) if isinstance(code, int) else (0 if code is None else ExitStatus.ERROR)
    except KeyboardInterrupt:
        env().err.print("interrupted")
        return 130
    return ExitStatus.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
