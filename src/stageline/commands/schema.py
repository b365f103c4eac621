"""`stageline schema`: the JSON Schema of blueprint files, for editors and tools."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.files import write_atomic
from stageline.formats.schema import schema_text


def register(app: typer.Typer) -> None:
    app.command("schema")(schema_command)


def schema_command(
    output: Path = typer.Option(
        None, "--output", "-o", help="Write the schema to this file instead of printing it.", show_default=False
    ),
) -> None:
    """Print the JSON Schema (draft 2020-12) of the blueprint file format.

    Point the YAML language server at it for completion and checks while you type:
    put `# yaml-language-server: $schema=stageline.schema.json` on the first line of
    a blueprint (after `stageline schema -o stageline.schema.json`).
    """
    text = schema_text()
    if output is None:
        env().stdout.write(text)
        env().stdout.flush()
        raise typer.Exit(ExitStatus.OK)
    try:
        write_atomic(output, text)
    except OSError as error:
        env().err.print(Text(f"error: cannot write {output}: {error.strerror or error}", style="red"))
        raise typer.Exit(ExitStatus.ERROR) from None
    env().err.print(Text(f"wrote {output}"))
    raise typer.Exit(ExitStatus.OK)
