"""Where a problem sits in an imported file, spelled the way people look for it.

Imports report through `stageline.formats.errors.FormatError` like every other
reader. A problem in a table names its row and column (`row 7, column
"Feeling"`) in the path; one in JSON names its JSON path (`$.stages[2].actions[0]`).
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from stageline.formats.errors import FormatError, FormatProblem

MAX_PROBLEMS = 50


def cell_path(row: int, heading: str, column: int, *, transposed: bool = False) -> str:
    """`row 7, column "Feeling"`; in a transposed table the heading labels the row."""
    if transposed:
        return f'row {row} "{heading}", column {get_column_letter(column)}'
    return f'row {row}, column "{heading}"'


def cell_problem(
    source: str, row: int, column: int, heading: str, message: str, *, transposed: bool = False
) -> FormatProblem:
    return FormatProblem(source, row, column, cell_path(row, heading, column, transposed=transposed), message)


def json_path(parts: tuple[str | int, ...]) -> str:
    """`$.stages[2].actions[0].minutes` from ("stages", 2, "actions", 0, "minutes")."""
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def describe(problem: FormatProblem) -> str:
    """One line for people: tables and JSON name their place in the path, not by line:column."""
    if problem.path.startswith(("row ", "$", "sheet ")):
        return f"{problem.file}:{problem.path}: {problem.message}"
    return str(problem)


class ProblemList:
    """Collects problems so that a file is reported in one pass; stops early past MAX_PROBLEMS."""

    def __init__(self) -> None:
        self.items: list[FormatProblem] = []

    def add(self, problem: FormatProblem) -> None:
        self.items.append(problem)
        if len(self.items) >= MAX_PROBLEMS:
            raise FormatError(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise FormatError(self.items)
