"""One printer for the problems every command reports, and one way to say a file
cannot be read.

Each problem is one line, `file:line:col: severity: field: message` (`file:
severity: message` when it concerns the whole file, such as a missing one), the
form editors and CI annotate; a check finding puts its rule's code before the
message (`file:line:col: warning: SL203 message`). What to do, when the problem
says, follows the message (`; fix: ...`) on the same line. Lines are never
hard-wrapped, so a redirected or piped report keeps one problem per line at any
width, and it is plain text written straight to the stream: no console markup
to render (1,000 findings print in milliseconds). A terminal gets colour, what
to do on its own line and, given the text of the file, the source lines under
each problem with `^` under the place and `-` under its context (rustc and Elm
do the same); the problem carries file, line and column, the printer decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

from stageline.formats.errors import FormatProblem
from stageline.formats.excerpt import excerpt as source_lines
from stageline.formats.files import unreadable

__all__ = ["RuleFinding", "as_line", "as_text", "excerpt", "print_problems", "unreadable", "where"]


@dataclass(frozen=True)
class RuleFinding:
    """A problem a command found in a valid file, such as a check's finding: a rule's
    code, what is wrong and what to do (line 0 when it has no place in the file)."""

    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str
    hint: str = ""


STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


# Problems in tables and JSON name their place in the path (`row 3, column Stage`), not by line:column.
PLACES = ("row ", "sheet ", "$")


def where(problem: FormatProblem | RuleFinding) -> str:
    """`file:line:col`; `file:row 3, column Stage` in a table; just `file` for the whole file (line 0)."""
    if isinstance(problem, FormatProblem) and problem.path.startswith(PLACES):
        return f"{problem.file}:{problem.path}"
    return f"{problem.file}:{problem.line}:{problem.column}" if problem.line > 0 else problem.file


def _label(problem: FormatProblem | RuleFinding) -> str:
    """What comes between the severity and the message: a field path or a rule's code."""
    if isinstance(problem, RuleFinding):
        return f"{problem.code} " if problem.code else ""
    return f"{problem.path}: " if problem.path and not problem.path.startswith(PLACES) else ""


def as_line(problem: FormatProblem | RuleFinding) -> str:
    """The problem as one plain line (no newline), what to do included."""
    hint = f"; fix: {problem.hint}" if isinstance(problem, RuleFinding) and problem.hint else ""
    return f"{where(problem)}: {problem.severity}: {_label(problem)}{problem.message}{hint}"


def as_text(problem: FormatProblem | RuleFinding) -> Text:
    """The problem's line in colour, for a terminal (what to do is printed under it)."""
    line = Text()
    line.append(f"{where(problem)}: ", style="bold")
    line.append(f"{problem.severity}: ", style=STYLES.get(problem.severity, "bold"))
    label = _label(problem)
    if label:
        line.append(label, style="bold" if isinstance(problem, RuleFinding) else "cyan")
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


def print_problems(
    console: Console, problems: Iterable[FormatProblem | RuleFinding], texts: Mapping[str, str] | None = None
) -> None:
    """Every problem on its own line, unwrapped: plain lines when `console` is not a
    terminal; on a terminal, in colour, with what to do under it and the source lines
    it is about when `texts` holds its file's text."""
    if not console.is_terminal:
        lines = [as_line(problem) + "\n" for problem in problems]
        if lines:
            console.file.write("".join(lines))
            console.file.flush()
        return
    for problem in problems:
        console.print(as_text(problem), soft_wrap=True)
        if isinstance(problem, RuleFinding):
            if problem.hint:
                console.print(Text.assemble(("  fix: ", "green"), (problem.hint, "dim")), soft_wrap=True)
            continue
        text = texts.get(problem.file) if texts is not None else None
        if text is not None and (shown := excerpt(problem, text)) is not None:
            console.print(shown, soft_wrap=True)
