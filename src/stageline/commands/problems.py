"""One printer for the problems every command reports, and one way to say a file
cannot be read.

Each problem is one line, `file:line:col: severity: field: message` (`file:
severity: message` when it concerns the whole file, such as a missing one), the
form editors and CI annotate. Lines are never hard-wrapped, so a redirected or
piped report keeps one problem per line at any width. A terminal gets colour;
given the text of the file, a terminal also shows the source lines under each
problem with `^` under the place and `-` under its context (rustc and Elm do
the same); the problem carries file, line and column, the printer decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.console import Console
from rich.text import Text

from stageline.formats.errors import FormatProblem
from stageline.formats.excerpt import excerpt as source_lines
from stageline.formats.files import unreadable

__all__ = ["as_text", "excerpt", "print_problems", "unreadable", "where"]

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


def excerpt(problem: FormatProblem, text: str) -> Text | None:
    """The source lines of the problem with a caret under its column; None when it has no place in `text`."""
    rows = source_lines(text, problem)
    if not rows:
        return None
    shown = Text()
    for number, row in enumerate(rows):
        marker = "^" in row.partition("|")[2] and not row.lstrip()[:1].isdigit()
        shown.append(("\n" if number else "") + row, style="bold red" if marker else "dim")
    return shown


def print_problems(console: Console, problems: Iterable[FormatProblem], texts: Mapping[str, str] | None = None) -> None:
    """Every problem on its own line, unwrapped; on a terminal, with the source lines
    it is about when `texts` holds its file's text."""
    for problem in problems:
        console.print(as_text(problem), soft_wrap=True)
        text = texts.get(problem.file) if texts is not None and console.is_terminal else None
        if text is not None and (shown := excerpt(problem, text)) is not None:
            console.print(shown, soft_wrap=True)
