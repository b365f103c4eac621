"""`stageline validate FILE…`: is each file a valid blueprint? Every problem, located."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from stageline.environment import env
from stageline.exit_status import ExitStatus
from stageline.formats.errors import FormatError, FormatProblem
from stageline.formats.excerpt import excerpt
from stageline.formats.parse import MAX_BYTES, too_big
from stageline.formats.sarif import validation_sarif
from stageline.formats.yaml_format import load_bytes

STDIN = "-"


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_command)


def validate_command(
    files: list[str] = typer.Argument(
        ..., help="Blueprint files to validate; '-' reads standard input.", show_default=False, metavar="FILE..."
    ),
    output_format: OutputFormat = typer.Option(
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
        data = read_source(name)
        if texts is not None:
            texts[source] = data.decode("utf-8", errors="replace")
        load_bytes(data, source)
    except FormatError as error:
        return error.problems
    except OSError as error:
        return [FormatProblem(source, 1, 1, "", cannot_read(Path(name), error))]
    return []


def read_source(name: str) -> bytes:
    """The bytes of a file or of standard input; FormatError for files over the size limit."""
    if name == STDIN:
        stream = env().stdin
        buffer = getattr(stream, "buffer", None)
        data = buffer.read(MAX_BYTES + 1) if buffer is not None else stream.read(MAX_BYTES + 1).encode("utf-8")
        if len(data) > MAX_BYTES:
            raise too_big(len(data), "<stdin>")
        return bytes(data)
    path = Path(name)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise too_big(size, name)
    return path.read_bytes()


def cannot_read(path: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    if path.is_dir():
        return f"cannot read {path}: it is a folder; give the path of a .yaml blueprint file"
    if isinstance(error, FileNotFoundError):
        return f"cannot read {path}: no such file; check the path"
    return f"cannot read {path}: {reason}"


def print_problems(console: Console, problems: list[FormatProblem], texts: dict[str, str] | None = None) -> None:
    """One line per problem; on a terminal, each followed by its source lines with a caret."""
    show_source = console.is_terminal and texts is not None
    for problem in problems:
        line = Text()
        line.append(f"{problem.file}:{problem.line}:{problem.column}: ", style="bold")
        line.append(f"{problem.severity}: ", style="bold red" if problem.severity == "error" else "bold yellow")
        if problem.path:
            line.append(f"{problem.path}: ", style="cyan")
        line.append(problem.message)
        console.print(line, soft_wrap=True)
        if show_source and texts is not None and problem.file in texts:
            for row in excerpt(texts[problem.file], problem):
                marker = "^" in row.partition("|")[2] and not row.lstrip()[:1].isdigit()
                console.print(Text(row, style="bold red" if marker else "dim"), soft_wrap=True)


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
