"""Problems found in a blueprint file, each with its place in the file.

A loader collects every problem it can find before giving up, so that a person
fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class FormatProblem:
    """One thing wrong with a file: where it is (1-based line and column), the
    dotted field path (`stages[0].steps[1].frontstage.duration`) and what to do."""

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: Severity = "error"
    # A second place the problem involves: where an unclosed bracket or quote was opened,
    # or where the parser noticed that something above went wrong.
    context_line: int | None = None
    context_column: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        place = f"{self.file}:{self.line}:{self.column}" if self.line > 0 else self.file  # line 0: the whole file
        return f"{place}: {where}{self.message}"

    def to_json(self) -> dict[str, Any]:
        found = asdict(self)
        if self.context_line is None:
            del found["context_line"], found["context_column"]
        return found


class FormatError(ValueError):
    """A file that is not a valid blueprint; `problems` lists everything found."""

    def __init__(self, problems: Iterable[FormatProblem]) -> None:
        self.problems: list[FormatProblem] = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        if not self.problems:
            raise ValueError("a FormatError needs at least one problem")
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    @property
    def file(self) -> str:
        return self.problems[0].file

    @classmethod
    def single(cls, file: str, message: str, *, line: int = 1, column: int = 1, path: str = "") -> FormatError:
        return cls([FormatProblem(file, line, column, path, message)])
