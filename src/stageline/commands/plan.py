"""`stageline plan CURRENT FUTURE`: what a future state means for each team."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path

import typer
from rich.markdown import Markdown

from stageline.analysis.opportunities import same_service, team_plan
from stageline.commands.analysis_input import LoadFailure, load_blueprint
from stageline.commands.options import choice_option
from stageline.commands.output import write_output
from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.model import Blueprint


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MD = "md"


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)


def plan_command(
    current: Path = typer.Argument(..., help="Blueprint file of the current state.", show_default=False),
    future: Path = typer.Argument(..., help="Blueprint file of the future state.", show_default=False),
    team: str | None = typer.Option(None, "--team", metavar="TEAM", help="Only this team (a department, or an actor)."),
    output_format: OutputFormat = choice_option(OutputFormat.TEXT, "--format", "-f", help="text, json, csv or md."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the plan to this file."),
) -> None:
    """What the future state means for each team (department, or actor where no department is
    given): cards added, removed and changed, new and removed handoffs, fail points they now own,
    and their time per customer before and after. `--format csv` writes one row per work item in
    the columns issue trackers import (Summary, Description, Component/Team, Labels, Due)."""
    err = env().err
    blueprints: list[Blueprint] = []
    for path in (current, future):
        try:
            blueprints.append(load_blueprint(path)[0])
        except LoadFailure as failure:
            failure.report(err)
            raise typer.Exit(ExitStatus.INVALID_INPUT) from None
    before, after = blueprints
    if not same_service(before, after):
        err.print(
            f"{future}: error: {after.title!r} shares too few steps with {before.title!r} ({current}) to be "
            "a future state of the same service; give the future state of this service",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    plan = team_plan(before, after, due=_due(before, future))
    if team is not None and team not in plan.teams:
        known = ", ".join(plan.teams) or "none"
        err.print(f"error: no team {team!r} is affected; affected teams: {known}", highlight=False, markup=False)
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    if output_format is OutputFormat.TEXT and output is None:
        env().out.print(Markdown(plan.to_markdown(team)))
        raise typer.Exit(ExitStatus.OK)
    if output_format is OutputFormat.JSON:
        data = plan.to_json() + "\n" if team is None else plan.only(team).to_json() + "\n"
        text = data
    elif output_format is OutputFormat.CSV:
        text = plan.to_csv(team)
    else:
        text = plan.to_markdown(team)
    write_output(text, output)
    raise typer.Exit(ExitStatus.OK)


def _due(current: Blueprint, future: Path) -> date | None:
    """The due date of the current state's opportunity realised by this future file, if one says so."""
    dates = [o.due for o in current.opportunities if o.future and Path(o.future).name == future.name and o.due]
    return min(dates) if dates else None
