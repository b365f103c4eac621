"""One printer for the problems every command reports, and one way to say a file
cannot be read.

Each problem is one line, `file:line:col: severity: field: message` (`file:
severity: message` when it concerns the whole file, such as a missing one), the
form editors and CI annotate. Lines are never hard-wrapped, so a redirected or
piped report keeps one problem per line at any width. A terminal gets colour;
`excerpt` is where a terminal-only view of the source line with a caret under
the place goes: the problem carries file, line and column, the printer decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from stageline.formats.errors import FormatProblem

STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


# Problems in tables and JSON name their place in the path (`row 3, column Stage`), not by line:column.
PLACES = ("row ", "sheet ", "$")


def where(problem: FormatProblem) -> str:
    """`file:line:col`; `file:row 3, column Stage` in a table; just `file` for the whole file (line 0)."""
    if problem.path.startswith(PLACES):
        return f"{problem.file}:{problem.path}"
    return f"{problem.file}:{problem.line}:{problem.column}" if problem.line > 0 else problem.file


def as_text(problem: FormatProblem) -> Text:
    line = Text()
    line.append(f"{where(problem)}: ", style="bold")
    line.append(f"{problem.severity}: ", style=STYLES.get(problem.severity, "bold"))
    if problem.path and not problem.path.startswith(PLACES):
        line.append(f"{problem.path}: ", style="cyan")
    line.append(problem.message)
    return line


def excerpt(problem: FormatProblem) -> Text | None:
    """The source around the problem with a caret under its column, for terminals only.
    None until the excerpt is written (issue 21); the printer already calls it."""
    return None


def print_problems(console: Console, problems: Iterable[FormatProblem]) -> None:
    """Every problem on its own line, unwrapped; on a terminal, with its excerpt."""
    for problem in problems:
        console.print(as_text(problem), soft_wrap=True)
        if console.is_terminal and (shown := excerpt(problem)) is not None:
            console.print(shown, soft_wrap=True)


def unreadable(path: Path, error: OSError, source: str | None = None) -> FormatProblem:
    """The one problem for a file that cannot be read (missing, a folder, no permission)."""
    if path.is_dir():
        message = "it is a folder; give the path of a .yaml blueprint file"
    elif isinstance(error, FileNotFoundError):
        message = "no such file; check the path"
    else:
        message = f"cannot read it: {error.strerror or error}"
    return FormatProblem(source or str(path), 0, 0, "", message)
