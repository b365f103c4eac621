"""Findings for people: the summary line under the findings (the findings themselves
are printed one per line by the command layer's problem printer), and the counts
by severity as a phrase the metrics report shares."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

from stageline.analysis.checks.finding import Severity
from stageline.analysis.checks.formatters import CheckedFile, summary

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def counted(counts: Mapping[str, int]) -> list[tuple[str, Severity]]:
    """`[("2 errors", ERROR), ("1 warning", WARNING), ("3 info", INFO)]`, leaving out
    the severities with none: a report never says "0 errors". Info takes no s."""
    said = []
    for severity in Severity:
        count = counts.get(severity.value, 0)
        if count:
            plural = "" if count == 1 or severity is Severity.INFO else "s"
            said.append((f"{count} {severity.value}{plural}", severity))
    return said


def summary_line(files: list[CheckedFile]) -> Text:
    counts = summary(files)
    in_files = f"in {counts['files']} file{'s' if counts['files'] != 1 else ''}"
    parts = counted(counts)
    if not parts:
        return Text(f"No findings {in_files}: every check passes.", style="bold green")
    line = Text()
    for i, (label, severity) in enumerate(parts):
        if i:
            line.append(", ")
        line.append(label, style=STYLES[severity])
    line.append(f" {in_files}")
    return line
