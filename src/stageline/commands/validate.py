"""`stageline validate FILE…`: is each file a valid blueprint? Every problem, located."""

from __future__ import annotations

import json
from enum import StrEnum

import typer
from rich.console import Console
from rich.text import Text

from stageline.commands.options import choice_option
from stageline.commands.problems import print_problems
from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.errors import FormatError, FormatProblem
from stageline.formats.files import STDIN, read_blueprint_bytes
from stageline.formats.sarif import validation_sarif
from stageline.formats.yaml_format import load_bytes

__all__ = ["STDIN", "problems_of", "validate_command"]


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_command)


def validate_command(
    files: list[str] = typer.Argument(
        ..., help="Blueprint files to validate; '-' reads standard input.", show_default=False, metavar="FILE"
    ),
    output_format: OutputFormat = choice_option(
        OutputFormat.TEXT, "--format", "-f", help="text for people, json for tools, sarif for code scanning."
    ),
) -> None:
    """Validate blueprint files against the format and report every problem at once.

    Each problem is one line, `file:line:column: error: field: what to do`. Exit status:
    0 when every file is valid, 2 when any is not.
    """
    texts: dict[str, str] = {}
    results = {name: problems_of(name, texts) for name in dict.fromkeys(files)}
    if output_format is OutputFormat.JSON:
        document = {
            "valid": all(not problems for problems in results.values()),
            "files": [
                {"file": name, "valid": not problems, "problems": [p.to_json() for p in problems]}
                for name, problems in results.items()
            ],
        }
        env().out.file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        env().out.file.flush()
    elif output_format is OutputFormat.SARIF:
        env().out.file.write(json.dumps(validation_sarif(results), indent=2, ensure_ascii=False) + "\n")
        env().out.file.flush()
    else:
        for problems in results.values():
            print_problems(env().out, problems, texts)
        _summary(env().out, results)
    invalid = any(results.values())
    raise typer.Exit(ExitStatus.INVALID_INPUT if invalid else ExitStatus.OK)


def problems_of(name: str, texts: dict[str, str] | None = None) -> list[FormatProblem]:
    """Every problem in the file `name` ('-' for standard input); empty when it is valid.
    The text read is kept in `texts` (by the name problems give the file) to show excerpts."""
    source = "<stdin>" if name == STDIN else name
    try:
        data = read_blueprint_bytes(name, env().stdin)
        if texts is not None:
            texts[source] = data.decode("utf-8", errors="replace")
        load_bytes(data, source)
    except FormatError as error:
        return error.problems
    return []


def _summary(console: Console, results: dict[str, list[FormatProblem]]) -> None:
    invalid = [name for name, problems in results.items() if problems]
    count = sum(len(problems) for problems in results.values())
    files = len(results)
    noun = "file" if files == 1 else "files"
    if not invalid:
        console.print(Text(f"✓ {files} {noun} valid", style="bold green"))
        return
    problems = "problem" if count == 1 else "problems"
    console.print(Text(f"✗ {count} {problems} in {len(invalid)} of {files} {noun}", style="bold red"))
