"""`stageline simulate FILE`: run customers through the blueprint and show where it breaks."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import typer

from stageline.analysis.simulation import SimulationError, SimulationReport, simulate
from stageline.analysis.simulation.format_html import html_report
from stageline.analysis.simulation.format_text import print_report
from stageline.commands.analysis_input import LoadFailure, load_blueprint
from stageline.commands.options import choice_option
from stageline.commands.output import print_error, progress_bar, write_report
from stageline.environment import env
from stageline.exit_status import ExitStatus

_RESOURCE = re.compile(r"^\s*(?P<name>.+?)\s*=\s*(?P<units>\d+)\s*$")


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    HTML = "html"


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_command)


def simulate_command(
    file: Path = typer.Argument(..., help="Blueprint file (YAML).", show_default=False),
    customers: int | None = typer.Option(
        None, "--customers", "-n", min=1, help="Simulate this many customers (replaces the file's run length)."
    ),
    horizon: str | None = typer.Option(
        None,
        "--horizon",
        metavar="DURATION",
        help="Let customers arrive for this long, e.g. 8h (replaces the file's run length).",
    ),
    seed: int = typer.Option(0, "--seed", min=0, help="Random seed; the same seed gives the same report."),
    replications: int = typer.Option(
        1, "--replications", "-r", min=1, max=1000, help="Independent runs; 95 % intervals need at least 2."
    ),
    what_if: list[str] = typer.Option(
        [],
        "--what-if",
        "-w",
        metavar="SPEC",
        help="A variant to compare, e.g. 'Front desk clerk=+1', 'Kitchen=3', 'registration.duration=*0.5'. "
        "Repeat for more variants; join changes to one variant with ';'.",
    ),
    rate: str | None = typer.Option(
        None, "--rate", metavar="RATE", help="Arrival rate, e.g. 10/h; needed when the file has no simulation block."
    ),
    resource: list[str] = typer.Option(
        [],
        "--resource",
        metavar="NAME=UNITS",
        help="A scarce resource and its units, e.g. 'Front desk clerk=2'; repeatable.",
    ),
    output_format: OutputFormat = choice_option(OutputFormat.TEXT, "--format", "-f", help="text, json or html."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    progress: bool | None = typer.Option(
        None, "--progress/--no-progress", help="Show a progress bar on stderr (default: when it is a terminal)."
    ),
) -> None:
    """Simulate customers arriving and moving through the blueprint: queue waits and service
    times per card, utilisation and queues per resource, time against tolerance, fail points,
    the bottlenecks ranked, and what-if variants with 95 % intervals. docs/simulation.md
    explains the model and the report."""
    err = env().err
    try:
        bp, _ = load_blueprint(file)
    except LoadFailure as failure:
        failure.report(err)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    try:
        resources = dict(_resource(spec) for spec in resource)
        show = progress if progress is not None else err.is_terminal
        with progress_bar(show) as callback:
            report = simulate(
                bp,
                customers=customers,
                horizon=horizon,
                seed=seed,
                replications=replications,
                what_if=what_if,
                progress=callback,
                rate=rate,
                resources=resources or None,
            )
    except SimulationError as error:
        print_error(file, error.message, error.hint)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    _write(report, output_format, output)
    raise typer.Exit(ExitStatus.OK)


def _resource(spec: str) -> tuple[str, int]:
    match = _RESOURCE.match(spec)
    if not match:
        raise SimulationError(
            f"--resource {spec!r} is not NAME=UNITS", hint="write e.g. --resource 'Front desk clerk=2'"
        )
    return match["name"], int(match["units"])


def _write(report: SimulationReport, output_format: OutputFormat, output: Path | None) -> None:
    write_report(
        output_format,
        output,
        text=lambda console: print_report(report, console),
        json=report.to_json,
        html=lambda: html_report(report),
    )
