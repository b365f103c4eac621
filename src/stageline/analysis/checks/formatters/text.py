"""Findings for people: grouped by stage and step in blueprint order, coloured by
severity, each with how to fix it, and a summary line."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from stageline.analysis.checks.finding import Finding, Severity
from stageline.analysis.checks.formatters import CheckedFile, summary
from stageline.model import Blueprint

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_text(files: list[CheckedFile], console: Console) -> None:
    for checked in files:
        if checked.findings or len(files) > 1:
            _print_file(checked, console)
    console.print(summary_line(files))


def _print_file(checked: CheckedFile, console: Console) -> None:
    console.print(Text(checked.path, style="bold underline"))
    if not checked.findings:
        console.print(Text("  no findings", style="green"))
        return
    for (stage, step), group in groupby(checked.findings, key=lambda f: (f.stage, f.step)):
        console.print(Text(f"  {_place_title(checked.blueprint, stage, step)}", style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=4, no_wrap=True)
        grid.add_column(width=8, no_wrap=True)
        grid.add_column(ratio=1)
        for finding in group:
            grid.add_row("", Text(finding.severity.value, style=STYLES[finding.severity]), _body(finding))
        console.print(grid)


def _body(finding: Finding) -> Text:
    body = Text()
    body.append(f"{finding.rule} {finding.name}", style="bold")
    if finding.card:
        body.append(f"  [{finding.card}]", style="dim")
    body.append(f"\n{finding.message}\n")
    body.append("fix: ", style="green")
    body.append(finding.fix, style="dim")
    return body


def _place_title(bp: Blueprint, stage: str | None, step: str | None) -> str:
    if stage is None:
        return "Blueprint"
    stage_title = bp.index.stages[stage].title if stage in bp.index.stages else stage
    if step is None:
        return f"Stage: {stage_title}"
    step_title = bp.index.steps[step][1].display_title if step in bp.index.steps else step
    return f"{stage_title} › {step_title}"


def summary_line(files: list[CheckedFile]) -> Text:
    counts = summary(files)
    in_files = f"in {counts['files']} file{'s' if counts['files'] != 1 else ''}"
    if not any(counts[severity.value] for severity in Severity):
        return Text(f"No findings {in_files}: every check passes.", style="bold green")
    line = Text()
    parts = [
        (f"{counts['error']} error{'s' if counts['error'] != 1 else ''}", STYLES[Severity.ERROR]),
        (f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}", STYLES[Severity.WARNING]),
        (f"{counts['info']} info", STYLES[Severity.INFO]),
    ]
    for i, (label, style) in enumerate(parts):
        if i:
            line.append(", ")
        line.append(label, style=style)
    line.append(f" {in_files}")
    return line
