"""`stageline metrics FILE`: the numbers of a blueprint, per stage and in total."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from stageline.analysis.metrics import metrics
from stageline.analysis.metrics.text import print_metrics
from stageline.commands.analysis_input import LoadFailure, load_blueprint
from stageline.commands.options import choice_option
from stageline.environment import env
from stageline.exit_status import ExitStatus


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("metrics")(metrics_command)


def metrics_command(
    file: Path = typer.Argument(..., help="Blueprint file (YAML).", show_default=False),
    output_format: OutputFormat = choice_option(OutputFormat.TEXT, "--format", "-f", help="text or json."),
) -> None:
    """Measure a blueprint: customer-facing time against tolerance, cost, moments of truth,
    handoffs, fail points by risk, who does what, single points of failure, the critical
    path and the emotion curve. docs/metrics.md defines every number."""
    try:
        bp, _ = load_blueprint(file)
    except LoadFailure as failure:
        failure.report(env().err)
        raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    result = metrics(bp)
    out = env().out
    if output_format is OutputFormat.JSON:
        document = {**result.model_dump(mode="json"), "headline": result.headline()}
        out.file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        out.file.flush()
    else:
        print_metrics(result, out)
    raise typer.Exit(ExitStatus.OK)
