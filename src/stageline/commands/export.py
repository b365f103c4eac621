"""`stageline export FILE -o OUT`: a blueprint as a spreadsheet, diagram or report."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.text import Text

from stageline.commands.import_ import report_problems
from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.errors import FormatError
from stageline.formats.files import read_blueprint_bytes, write_atomic
from stageline.formats.ingest import read_any
from stageline.formats.interop.registry import Writer
from stageline.formats.interop.unmapped import ExportRefused
from stageline.model.blueprint import Blueprint
from stageline.render.exports import WRITERS, export, writer_for, writer_named

_FORMATS = ", ".join(f"{w.name} ({'/'.join(w.extensions)})" for w in WRITERS)


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)


def _load(path: Path) -> Blueprint:
    """A blueprint file, or any file `stageline import` reads, told apart by content."""
    found = read_any(read_blueprint_bytes(path), str(path))
    assert found.blueprint is not None
    return found.blueprint


def _report_unmapped(writer: Writer, bp: Blueprint) -> None:
    """What the format cannot hold, field by field, on standard error."""
    if writer.unmapped is None:
        return
    for item in writer.unmapped(bp):
        env().err.print(Text.assemble(("not exported: ", "yellow"), str(item)), soft_wrap=True)


def export_command(
    file: Path = typer.Argument(
        ..., help="The blueprint (YAML; a spreadsheet or other importable file also works).", show_default=False
    ),
    output: str = typer.Option(
        ...,
        "--output",
        "-o",
        metavar="FILE",
        help="The file to write; its extension picks the format. "
        "'-' writes a text format to standard output (with --to).",
        show_default=False,
    ),
    to: str = typer.Option(None, "--to", metavar="FORMAT", help=f"Force the format: {_FORMATS}.", show_default=False),
) -> None:
    """Export a blueprint to XLSX, CSV, draw.io, JSON Canvas, Mermaid, Markdown,
    a Blueprint Signal project, the agentic-service-blueprinting IR or slides (PPTX).

    XLSX and CSV exports import back exactly with `stageline import`. What a
    format cannot hold is listed on standard error, field by field. Exit
    status: 0 written, 2 the blueprint or the options are invalid, 3 the output
    cannot be written.
    """
    try:
        writer: Writer = writer_named(to) if to else writer_for(output) if output != "-" else writer_named("")
    except ValueError as error:
        message = "with -o -, say which format with --to" if output == "-" and not to else str(error)
        env().err.print(f"[red]error:[/] {escape(message)}", soft_wrap=True)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    if output == "-" and writer.binary:
        env().err.print(
            f"[red]error:[/] {writer.name} is a binary format: write it to a file, -o FILE.{writer.name}",
            soft_wrap=True,
        )
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    try:
        bp = _load(file)
    except FormatError as error:
        report_problems(error)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    try:
        result = export(bp, writer)
    except ExportRefused as error:
        env().err.print(Text.assemble(("error: ", "red"), str(error)), soft_wrap=True)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    _report_unmapped(writer, bp)
    if output == "-":
        assert isinstance(result, str)
        env().stdout.write(result)
        env().stdout.flush()
        raise typer.Exit(ExitStatus.OK)
    target = Path(output)
    try:
        write_atomic(target, result)
    except OSError as error:
        reason = error.strerror or str(error)
        env().err.print(f"[red]error:[/] cannot write {escape(str(target))}: {escape(reason)}", soft_wrap=True)
        raise typer.Exit(ExitStatus.ERROR) from None
    env().out.print(Text(f"Wrote {target} ({writer.label})"), soft_wrap=True)
    raise typer.Exit(ExitStatus.OK)
