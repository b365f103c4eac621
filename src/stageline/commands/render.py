"""`stageline render FILE -o OUT`: draw a blueprint as SVG, PNG, PDF or interactive HTML."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape

from stageline.analysis import checks
from stageline.commands.analysis_input import LoadFailure, load_blueprint
from stageline.commands.options import choice_option, not_one_of
from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.files import write_atomic
from stageline.render import FORMATS, RenderError, render


class ThemeName(StrEnum):
    LIGHT = "light"
    DARK = "dark"
    PRINT = "print"


def register(app: typer.Typer) -> None:
    app.command("render")(render_command)


def _ids(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _format_of(output: str, fmt: str | None) -> str:
    if fmt:
        return fmt.lower()
    if output == "-":
        return "svg"
    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix == "htm":
        return "html"
    return suffix


def render_command(
    file: Path = typer.Argument(..., help="The blueprint (YAML) to draw.", show_default=False),
    output: str = typer.Option(
        ...,
        "--output",
        "-o",
        metavar="FILE",
        help="Where to write: OUT.svg, .png, .pdf or .html; '-' writes SVG (or --format html) to standard output.",
        show_default=False,
    ),
    output_format: str = typer.Option(
        None,
        "--format",
        "-f",
        metavar="svg|png|pdf|html",
        help="svg, png, pdf or html (default: from -o).",
        show_default=False,
    ),
    stages: list[str] = typer.Option(
        None, "--stages", metavar="IDS", help="Only these stage ids; comma-separated or repeated."
    ),
    lanes: list[str] = typer.Option(
        None, "--lanes", metavar="IDS", help="Only these lane ids; comma-separated or repeated."
    ),
    theme: ThemeName = choice_option(ThemeName.LIGHT, "--theme", help="light, dark or print (black and white)."),
    findings: bool = typer.Option(False, "--findings", help="Mark the cells that have check findings."),
    scale: float = typer.Option(2.0, "--scale", min=0.1, max=8.0, help="PNG pixels per drawing unit."),
) -> None:
    """Draw a blueprint to put on a wall or share: SVG, PNG, PDF or a self-contained interactive HTML page.

    The format comes from the output's extension. Exit status: 0 when written, 2 when the
    file is not a valid blueprint or an option names an unknown stage or lane, 3 when the
    output cannot be written.
    """
    fmt = _format_of(output, output_format)
    if output_format and fmt not in FORMATS:
        message = not_one_of(output_format, list(FORMATS))
        env().err.print(f"[bold red]error:[/] --format: {escape(message)}", soft_wrap=True)
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    if fmt not in FORMATS:
        env().err.print(
            f"[bold red]error:[/] cannot tell the format of {escape(repr(output))}: use an extension "
            f"({', '.join('.' + f for f in FORMATS)}) or --format"
        )
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    if output == "-" and fmt in ("png", "pdf"):
        env().err.print(f"[bold red]error:[/] {fmt.upper()} is binary: write it to a file with -o OUT.{fmt}")
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    try:
        blueprint, _ = load_blueprint(file)
    except LoadFailure as failure:
        failure.report(env().err)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    try:
        result = render(
            blueprint,
            fmt,
            stages=_ids(stages),
            lanes=_ids(lanes),
            theme=theme.value,
            findings=checks.check(blueprint) if findings else None,
            scale=scale,
        )
    except RenderError as error:
        env().err.print(f"[bold red]error:[/] {escape(str(file))}: {escape(str(error))}", soft_wrap=True)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    if output == "-":
        env().stdout.write(result if isinstance(result, str) else result.decode())
        return
    target = Path(output)
    try:
        write_atomic(target, result)
    except OSError as error:
        env().err.print(f"[bold red]error:[/] cannot write {escape(output)}: {escape(str(error.strerror or error))}")
        raise typer.Exit(ExitStatus.ERROR) from None
    size = len(result.encode() if isinstance(result, str) else result)
    env().out.print(f"wrote {escape(output)} ({fmt.upper()}, {size / 1024:.0f} KiB)")
