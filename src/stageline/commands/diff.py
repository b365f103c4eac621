"""`stageline diff A B`: what changes from one blueprint to another (current
state to future state, or one version to the next)."""

from __future__ import annotations

import json
from enum import StrEnum
from io import StringIO
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from stageline.analysis.diff import BlueprintDiff, diff
from stageline.analysis.diff.html_report import html_report
from stageline.analysis.diff.sources import Source
from stageline.analysis.diff.text_report import print_report
from stageline.commands.options import choice_option
from stageline.commands.problems import print_problems
from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.errors import FormatError
from stageline.formats.files import write_atomic
from stageline.model import Blueprint
from stageline.render.diff import draw_svg


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    HTML = "html"
    SVG = "svg"


def register(app: typer.Typer) -> None:
    app.command("diff")(diff_command)


def diff_command(
    old: str = typer.Argument(
        ...,
        metavar="A",
        help="The old blueprint: a YAML file, '-' for standard input, or REV:path for a version in git.",
    ),
    new: str = typer.Argument(..., metavar="B", help="The new blueprint, written the same ways."),
    output_format: DiffFormat = choice_option(
        DiffFormat.TEXT, "--format", "-f", help="text, json, html (a report page) or svg (the highlighted drawing)."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write here instead of standard output."),
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Exit with status 1 when the blueprints differ, like `git diff --exit-code`."
    ),
    with_metrics: bool = typer.Option(
        True, "--metrics/--no-metrics", help="Compare the headline metrics and check findings too."
    ),
) -> None:
    """Compare two blueprints (current and future state, or two versions): what changed and what it gains.

    Lists what was added, removed, changed and moved, then how customer time,
    cost, fail-point risk, handoffs and findings move, and a one-line verdict.

    Elements are matched by id, then by the similarity of their text, so a
    renamed id is reported as a rename. Exit status: 0 when the comparison
    worked (with --exit-code, 1 when the blueprints differ), 2 when a file is
    not a valid blueprint, 3 when the output cannot be drawn or written.

    Examples:

      stageline diff hotel.yaml hotel-future.yaml

      stageline diff HEAD~1:hotel.yaml hotel.yaml --format html -o changes.html
    """
    stdin = env().stdin.read().encode() if "-" in (old, new) else None
    blueprints: list[Blueprint] = []
    for spec in (old, new):
        try:
            blueprints.append(Source.parse(spec).load(stdin))
        except FormatError as error:
            _report_problems(error)
            raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    result = diff(blueprints[0], blueprints[1], metrics=with_metrics)

    text = _formatted(result, output_format, to_file=output is not None)
    if output is not None:
        try:
            write_atomic(output, text)
        except OSError as error:
            env().err.print(Text(f"error: cannot write {output}: {error.strerror or error}", style="red"))
            raise typer.Exit(ExitStatus.ERROR) from None
        env().err.print(Text(f"wrote {output}: {result.verdict()}"))
    elif text:
        env().out.file.write(text)
        env().out.file.flush()
    raise typer.Exit(ExitStatus.FINDINGS if exit_code and result else ExitStatus.OK)


def _formatted(result: BlueprintDiff, output_format: DiffFormat, *, to_file: bool) -> str:
    """The output as text; empty when the text report went straight to the terminal."""
    if output_format is DiffFormat.JSON:
        return json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n"
    if output_format is DiffFormat.SVG:
        return draw_svg(result)
    if output_format is DiffFormat.HTML:
        return html_report(result, draw_svg(result))
    if to_file:
        buffer = StringIO()
        print_report(result, Console(file=buffer, width=120, no_color=True, highlight=False, soft_wrap=True))
        return buffer.getvalue()
    print_report(result, env().out)
    return ""


def _report_problems(error: FormatError) -> None:
    print_problems(env().err, error.problems)
