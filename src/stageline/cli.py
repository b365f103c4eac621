"""The `stageline` command. Each subcommand lives in `stageline.commands`.

Start-up imports only what the command run needs: `stageline --version` answers
before typer is imported, and each subcommand's module is imported when it runs
(see `stageline.commands.COMMANDS`). `app` is built on first use.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING, Any

from stageline.exit_status import ExitStatus
from stageline.version import __version__

if TYPE_CHECKING:
    import typer

VERSION_FLAGS = ("--version", "-V")


@cache
def _app() -> typer.Typer:
    import typer

    from stageline.commands import register_all
    from stageline.commands.lazy import LazyGroup
    from stageline.commands.readable import ReadableTyper

    app = ReadableTyper(
        name="stageline",
        cls=LazyGroup,
        help="Service blueprints as code: write them in YAML, check them, measure them, render them, "
        "simulate them and edit them together in the browser.",
        no_args_is_help=True,
        rich_markup_mode="markdown",
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def _version(value: bool) -> None:
        if value:
            _print_version()
            raise typer.Exit(ExitStatus.OK)

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ) -> None:
        """Service blueprints as code."""

    register_all(app)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _print_version() -> None:
    from stageline import environment

    if environment.installed() is None:  # a plain terminal: no need for rich
        sys.stdout.write(f"stageline {__version__}\n")
        sys.stdout.flush()
    else:
        environment.env().out.print(f"stageline {__version__}")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of raising."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 1 and args[0] in VERSION_FLAGS:
        _print_version()
        return ExitStatus.OK
    from typer import Abort, TyperException

    try:
        status = _app()(args=args, prog_name="stageline", standalone_mode=False)
    except TyperException as error:  # a usage error: the one printer's form, never a box
        _print_usage_error(error)
        return int(error.exit_code)
    except Abort:
        return 130  # Ctrl+C or end of input at a prompt
    except SystemExit as stop:
        code = stop.code
        return int(code) if isinstance(code, int) else (0 if code is None else ExitStatus.ERROR)
    except KeyboardInterrupt:
        from stageline.environment import env

        env().err.print("interrupted")
        return 130
    return status if isinstance(status, int) else ExitStatus.OK


def _print_usage_error(error: Any) -> None:
    """`stageline check: error: Missing argument 'FILE...'.` on one line, then the usage
    line and where help is: plain text, never wrapped or boxed."""
    from rich.text import Text

    from stageline.environment import env

    ctx = getattr(error, "ctx", None)
    if type(error).__name__ == "NoArgsIsHelpError":  # `stageline` alone: its help, printed already
        return
    err = env().err
    where = f"{ctx.command_path}: " if ctx is not None else "stageline: "
    line = Text()
    line.append(where, style="bold")
    line.append("error: ", style="bold red")
    line.append(error.format_message())
    err.print(line, soft_wrap=True)
    if ctx is not None:
        err.print(Text(ctx.get_usage()), soft_wrap=True)
        err.print(Text(f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help."), soft_wrap=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
