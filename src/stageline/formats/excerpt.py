"""The lines of a file a problem is about, with a caret under the place (as rustc and Elm show them).

Shown under a problem when it is printed to a terminal; tools reading redirected
output get one line per problem instead.

       |
    11 |         evidence: [Front desk, Key card
       |                   ^
    12 |         customer: {text: Check in at the desk}
       |                 - here
"""

from __future__ import annotations

from stageline.formats.errors import FormatProblem

MAX_LINE = 160


def excerpt(text: str, problem: FormatProblem) -> list[str]:
    """Source lines for `problem` with markers: `^` under its place, `-` under its context place.

    Empty when the problem has no place in `text` (a missing file, a line past the end)."""
    lines = text.splitlines()
    marks: dict[int, list[tuple[int, str]]] = {}
    if 1 <= problem.line <= len(lines):
        marks.setdefault(problem.line, []).append((problem.column, "^"))
    else:
        return []
    if problem.context_line is not None and 1 <= problem.context_line <= len(lines):
        marks.setdefault(problem.context_line, []).append((problem.context_column or 1, "-"))
    width = len(str(max(marks)))
    gutter = " " * width + " |"
    out = [gutter]
    previous = None
    for number in sorted(marks):
        if previous is not None and number > previous + 1:
            out.append(" " * width + " :")
        source = lines[number - 1].replace("\t", " ")
        shown = source if len(source) <= MAX_LINE else source[: MAX_LINE - 1] + "…"
        out.append(f"{number:>{width}} | {shown}")
        row = [" "] * (max(column for column, _ in marks[number]) + 1)
        for column, marker in marks[number]:
            row[max(column, 1) - 1] = marker
        out.append(f"{gutter} {''.join(row).rstrip()}")
        previous = number
    return out
