"""`stageline fmt FILE…`: rewrite blueprints in canonical form, keeping comments."""

from __future__ import annotations

import difflib
from pathlib import Path

import typer
from rich.text import Text

from stageline.commands.problems import print_problems
from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.comments import format_text
from stageline.formats.errors import FormatError
from stageline.formats.files import STDIN, read_blueprint_bytes, write_atomic
from stageline.formats.parse import decode


def register(app: typer.Typer) -> None:
    app.command("fmt")(fmt_command)


def fmt_command(
    files: list[str] = typer.Argument(
        ...,
        help="Blueprint files to format; '-' reads standard input and writes standard output.",
        show_default=False,
        metavar="FILE",
    ),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 when a file is not in canonical form."),
    diff: bool = typer.Option(False, "--diff", help="Write nothing; print what would change as a unified diff."),
) -> None:
    """Rewrite blueprint files in the canonical form (stable key order, defaults left
    out, short maps on one line), keeping their comments.

    Files are replaced atomically and only when they are valid; invalid files are
    reported and left alone. Exit status: 0 when done (or, with --check, when nothing
    would change), 1 with --check or --diff when a file would change, 2 when a file is
    not a valid blueprint.
    """
    err = env().err
    changed: list[str] = []
    unchanged = 0
    invalid = False
    for name in dict.fromkeys(files):
        source = "<stdin>" if name == STDIN else name
        try:
            original = decode(read_blueprint_bytes(name, env().stdin), source)
            formatted = format_text(original, source)
        except FormatError as error:
            print_problems(err, error.problems)
            invalid = True
            continue
        if name == STDIN and not (check or diff):
            env().stdout.write(formatted)
            env().stdout.flush()
            continue
        if formatted == original:
            unchanged += 1
            continue
        changed.append(source)
        if diff:
            lines = difflib.unified_diff(
                original.splitlines(keepends=True),
                formatted.splitlines(keepends=True),
                fromfile=source,
                tofile=f"{source} (formatted)",
            )
            env().stdout.write("".join(line if line.endswith("\n") else line + "\n" for line in lines))
        elif check:
            err.print(Text(f"would reformat {source}"), soft_wrap=True)
        else:
            try:
                write_atomic(Path(name), formatted)
            except OSError as error:
                err.print(Text(f"{source}: error: cannot write the file: {error.strerror or error}", style="red"))
                raise typer.Exit(ExitStatus.ERROR) from None
            err.print(Text(f"reformatted {source}"), soft_wrap=True)
    _summary(len(changed), unchanged, check or diff)
    if invalid:
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    raise typer.Exit(ExitStatus.FINDINGS if changed and (check or diff) else ExitStatus.OK)


def _summary(changed: int, unchanged: int, dry_run: bool) -> None:
    if not changed and not unchanged:
        return
    parts = []
    if changed:
        verb = "would be reformatted" if dry_run else "reformatted"
        parts.append(f"{changed} file{'s' if changed != 1 else ''} {verb}")
    if unchanged:
        parts.append(f"{unchanged} file{'s' if unchanged != 1 else ''} already canonical")
    env().err.print(Text(", ".join(parts), style="bold"))
