"""`stageline check FILE…`: find the gaps, fail points and waste in blueprints."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from stageline.analysis.checks import Severity, UnknownRuleError, all_rules, check, resolve
from stageline.analysis.checks.formatters import CheckedFile
from stageline.analysis.checks.formatters.json_output import to_json
from stageline.analysis.checks.formatters.sarif import to_sarif
from stageline.analysis.checks.formatters.text import STYLES, summary_line
from stageline.analysis.checks.locate import Locator
from stageline.commands.analysis_input import LoadFailure, load_blueprint
from stageline.commands.options import choice_option
from stageline.commands.problems import RuleFinding, print_problems
from stageline.environment import env
from stageline.exit_status import ExitStatus


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"


class Threshold(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


def _list_rules(value: bool) -> None:
    """`--list-rules`: answered before the files are asked for, like `--help`."""
    if value:
        _print_rules()
        raise typer.Exit(ExitStatus.OK)


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)


def check_command(
    files: list[Path] = typer.Argument(
        ..., help="Blueprint files (YAML) to check.", show_default=False, metavar="FILE"
    ),
    output_format: OutputFormat = choice_option(OutputFormat.TEXT, "--format", "-f", help="text, json or sarif."),
    fail_on: Threshold = choice_option(
        Threshold.ERROR, "--fail-on", help="Exit with status 1 when a finding is at or above this severity."
    ),
    select: list[str] = typer.Option(
        None,
        "--select",
        metavar="RULES",
        help="Only these rules: codes (SL301), names or groups (SL3); comma-separated or repeated.",
    ),
    ignore: list[str] = typer.Option(
        None, "--ignore", metavar="RULES", help="Skip these rules: codes, names or groups; comma-separated or repeated."
    ),
    list_rules: bool = typer.Option(
        False, "--list-rules", callback=_list_rules, is_eager=True, help="List every rule and exit."
    ),
) -> None:
    """Check blueprints for gaps, fail points and waste, like a linter for services.

    Exit status: 0 when nothing is at or above --fail-on, 1 when something is, 2 for
    files that are not valid blueprints or unknown rule names. Rules are listed in
    docs/rules.md; silence one for a whole file with `checks: {ignore: [SL202]}` or for
    one card with `ignore: [SL202]` on the card.
    """
    problems = _unknown_rules(select or ()) + _unknown_rules(ignore or ())
    if problems:
        # Stop before reading any file: a typo in a rule name would silently check the wrong things.
        for problem in problems:
            env().err.print(f"[red]error:[/] {escape(problem)}")
        raise typer.Exit(ExitStatus.INVALID_INPUT)

    checked: list[CheckedFile] = []
    invalid = False
    for path in files:
        try:
            bp, text = load_blueprint(path)
        except LoadFailure as failure:
            failure.report(env().err)
            invalid = True
            continue
        findings = check(bp, select=select or None, ignore=ignore or None)
        locator = Locator.of(bp, text) if output_format is not OutputFormat.JSON else Locator.empty()
        checked.append(CheckedFile(str(path), bp, findings, locator))

    if checked or output_format is not OutputFormat.TEXT:
        _print(checked, output_format)
    if invalid:
        raise typer.Exit(ExitStatus.INVALID_INPUT)
    threshold = Severity(fail_on.value)
    failing = any(f.severity.at_least(threshold) for c in checked for f in c.findings)
    raise typer.Exit(ExitStatus.FINDINGS if failing else ExitStatus.OK)


def _unknown_rules(values: list[str] | tuple[str, ...]) -> list[str]:
    try:
        resolve(values)
    except UnknownRuleError as error:
        return [str(error)]
    return []


def _print(checked: list[CheckedFile], output_format: OutputFormat) -> None:
    out = env().out
    if output_format is OutputFormat.TEXT:
        print_problems(out, [problem for file in checked for problem in _problems(file)])
        out.print(summary_line(checked), soft_wrap=True)
        return
    document = to_json(checked) if output_format is OutputFormat.JSON else to_sarif(checked)
    # Plain write: JSON must not be wrapped or highlighted by the console.
    out.file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    out.file.flush()


def _problems(checked: CheckedFile) -> list[RuleFinding]:
    """Each finding as the one printer shows problems: at its card, step or stage's line."""
    found = []
    for finding in checked.findings:
        line, column = checked.locator.find(finding) or (0, 0)
        found.append(
            RuleFinding(checked.path, line, column, finding.severity.value, finding.rule, finding.message, finding.fix)
        )
    return found


def _print_rules() -> None:
    table = Table(title="Stageline check rules", show_lines=False, expand=False)
    table.add_column("Code", no_wrap=True)
    table.add_column("Name", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Summary")
    for rule in all_rules():
        table.add_row(rule.code, rule.name, f"[{STYLES[rule.severity]}]{rule.severity.value}[/]", rule.summary)
    env().out.print(table)
