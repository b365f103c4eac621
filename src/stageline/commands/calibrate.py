"""`stageline calibrate BLUEPRINT LOG…`: measure a blueprint against event logs.

Shows where reality drifts from the design (observed durations, waits,
arrivals, resources and conformance), writes the calibrated blueprint with
`-o`, and with `--fail-on-drift 25%` fails a CI job when a card drifts more.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from stageline.analysis.calibration import (
    CalibrationError,
    CalibrationResult,
    EventLogError,
    LogProblem,
    calibrate,
    calibrated,
    parse_column_overrides,
    parse_map,
)
from stageline.analysis.calibration.format_html import html_report
from stageline.analysis.calibration.format_text import print_report
from stageline.commands.analysis_input import LoadFailure, load_blueprint
from stageline.commands.options import choice_option
from stageline.commands.output import print_error
from stageline.commands.simulate import OutputFormat
from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.comments import dumps_with_comments
from stageline.formats.errors import FormatError
from stageline.formats.files import write_atomic
from stageline.formats.yaml_format import loads

_PERCENT = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*%?\s*$")


def register(app: typer.Typer) -> None:
    app.command("calibrate")(calibrate_command)


def calibrate_command(
    blueprint: Path = typer.Argument(..., help="Blueprint file (YAML).", show_default=False),
    logs: list[Path] = typer.Argument(
        ...,
        help="Event logs: CSV, XLSX, XES or JSON lines; several are read as one log.",
        show_default=False,
        metavar="LOG",
    ),
    mapping: list[str] = typer.Option(
        [],
        "--map",
        "-m",
        metavar="ACTIVITY=CARD",
        help="Match an activity to a card id, e.g. --map 'Check guest in=register' (repeatable; overrules "
        "the matching by id and text).",
    ),
    column: list[str] = typer.Option(
        [],
        "--column",
        "-c",
        metavar="ROLE=HEADING",
        help="Read a heading as case, activity, timestamp, start, end, resource, status or lifecycle, "
        "e.g. --column case=Ticket ('status=' ignores a detected column); repeatable.",
    ),
    output_format: OutputFormat = choice_option(OutputFormat.TEXT, "--format", "-f", help="text, json or html."),
    report: Path | None = typer.Option(None, "--report", "-r", help="Write the report to this file."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the calibrated blueprint (YAML) to this file."
    ),
    fail_on_drift: str | None = typer.Option(
        None,
        "--fail-on-drift",
        metavar="PCT",
        help="Exit 1 when a card's observed mean is off its designed one by more than this, e.g. 25%.",
    ),
) -> None:
    """Measure the blueprint against event logs: per card the observed durations, the wait
    before it, a fitted distribution and its drift from the design; arrivals by hour and
    weekday; who did the work; and how many cases follow the blueprint's order.
    docs/calibration.md explains the report."""
    err = env().err
    try:
        bp, original = load_blueprint(blueprint)
    except LoadFailure as failure:
        failure.report(err)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    try:
        threshold = _threshold(fail_on_drift)
        activity_map = parse_map(mapping)
        columns = parse_column_overrides(column)
        result = calibrate(bp, logs, activity_map=activity_map, columns=columns)
    except EventLogError as error:
        _problems(error.problems)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    except CalibrationError as error:
        print_error(blueprint, error.message, error.hint)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    _problems(result.warnings)

    # Everything that can fail is done before anything is written.
    text_out: str | None = None
    if output is not None:
        better = calibrated(bp, result)
        text_out = dumps_with_comments(better, original, str(blueprint))
        try:
            loads(text_out, str(output))
        except FormatError as error:  # pragma: no cover - the operations validate every value
            err.print(f"the calibrated blueprint does not validate: {error}")
            raise typer.Exit(ExitStatus.ERROR) from None
    rendered = _render(result, output_format, report is not None)
    for path, content in ((output, text_out), (report, rendered)):
        if path is None or content is None:
            continue
        try:
            write_atomic(path, content)
        except OSError as error:
            err.print(f"cannot write {path}: {error.strerror or error}")
            raise typer.Exit(ExitStatus.ERROR) from None
        err.print(f"wrote {path}")
    if rendered is None:
        print_report(result, env().out)
    elif report is None:
        env().out.file.write(rendered)
        env().out.file.flush()

    if threshold is not None:
        drifting = result.drifting(threshold)
        if drifting:
            names = ", ".join(f"{c.id} ({(c.drift or 0) * 100 - 100:+.0f}%)" for c in drifting)
            err.print(
                f"{len(drifting)} card{'s' if len(drifting) != 1 else ''} drift more than "
                f"{threshold * 100:g}% from the design: {names}",
                soft_wrap=True,
                highlight=False,
            )
            raise typer.Exit(ExitStatus.FINDINGS)
    raise typer.Exit(ExitStatus.OK)


def _threshold(text: str | None) -> float | None:
    if text is None:
        return None
    match = _PERCENT.match(text)
    if not match:
        raise CalibrationError(f"--fail-on-drift {text!r} is not a percentage", hint="write e.g. --fail-on-drift 25%")
    return float(match["n"]) / 100.0


def _render(result: CalibrationResult, output_format: OutputFormat, to_file: bool) -> str | None:
    """The report as text for a file or a pipe; None for rich text on the terminal."""
    if output_format is OutputFormat.JSON:
        return result.to_json() + "\n"
    if output_format is OutputFormat.HTML:
        return html_report(result)
    if not to_file:
        return None
    console = Console(file=io.StringIO(), width=120, record=True)
    print_report(result, console)
    return console.export_text()


def _problems(problems: list[LogProblem]) -> None:
    err = env().err
    for problem in problems:
        line = Text()
        where = [problem.file]
        if problem.row is not None:
            where.append(f"row {problem.row:,}")
        if problem.column is not None:
            where.append(f"column {problem.column!r}")
        line.append(", ".join(where) + ": ", style="bold")
        line.append(f"{problem.severity}: ", style="red" if problem.severity == "error" else "yellow")
        line.append(problem.message)
        if problem.count > 1:
            line.append(f" ({problem.count - 1:,} more rows like it)", style="dim")
        err.print(line, soft_wrap=True, highlight=False)
