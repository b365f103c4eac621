"""`stageline opportunities FILE`: each opportunity's simulated business case, ranked."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from stageline.analysis.opportunities import DEFAULT_REPLICATIONS, OpportunityError, cost_opportunities, future_loader
from stageline.analysis.opportunities.display import html_report, print_report
from stageline.commands.analysis_input import LoadFailure, load_blueprint
from stageline.commands.options import choice_option
from stageline.commands.output import print_error, progress_bar, write_report
from stageline.commands.simulate import OutputFormat  # text, json or html, as simulate
from stageline.environment import env
from stageline.exit_status import ExitStatus


def register(app: typer.Typer) -> None:
    app.command("opportunities")(opportunities_command)


def opportunities_command(
    file: Path = typer.Argument(..., help="Blueprint file (YAML) of the current state.", show_default=False),
    seed: int = typer.Option(0, "--seed", min=0, help="Random seed; the same seed gives the same report."),
    replications: int = typer.Option(
        DEFAULT_REPLICATIONS, "--replications", "-r", min=2, max=1000, help="Independent runs (at least 2)."
    ),
    customers: int | None = typer.Option(
        None, "--customers", "-n", min=1, help="Customers per run (replaces the file's run length)."
    ),
    output_format: OutputFormat = choice_option(OutputFormat.TEXT, "--format", "-f", help="text, json or html."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    progress: bool | None = typer.Option(
        None, "--progress/--no-progress", help="Show a progress bar on stderr (default: when it is a terminal)."
    ),
) -> None:
    """Simulate every opportunity that says what it changes (`change`, or a `future` state file)
    against the current state with common random numbers, and rank them by customer time saved
    per point of effort: mean and p90 customer time, share over tolerance, cost per customer,
    the bottleneck's utilisation and fail points met, each with a 95 % interval.
    docs/opportunities.md explains the report."""
    err = env().err
    try:
        bp, _ = load_blueprint(file)
    except LoadFailure as failure:
        failure.report(err)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    show = progress if progress is not None else err.is_terminal
    try:
        with progress_bar(show) as callback:
            report = cost_opportunities(
                bp,
                seed=seed,
                replications=replications,
                customers=customers,
                load_future=future_loader(file),
                progress=callback,
                workers=os.cpu_count() or 1,
            )
    except OpportunityError as error:
        for number, problem in enumerate(error.problems, start=1):
            print_error(file, problem, error.hint if number == len(error.problems) else None)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    write_report(
        output_format,
        output,
        text=lambda console: print_report(report, console),
        json=report.to_json,
        html=lambda: html_report(report),
    )
    raise typer.Exit(ExitStatus.OK)
