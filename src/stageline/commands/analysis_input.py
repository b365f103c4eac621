"""Reading blueprint files for the analysis commands (`check`, `metrics`), with
problems reported as file:line:column and what to do, never a traceback."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from stageline.formats.errors import FormatError, FormatProblem
from stageline.formats.parse import decode
from stageline.formats.yaml_format import loads
from stageline.model import Blueprint


class LoadFailure(Exception):
    """A file that could not be read as a blueprint, with every problem found."""

    def __init__(self, problems: list[FormatProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems

    def report(self, console: Console) -> None:
        for problem in self.problems:
            line = Text()
            line.append(f"{problem.file}:{problem.line}:{problem.column}: ", style="bold")
            line.append(f"{problem.severity}: ", style="red" if problem.severity == "error" else "yellow")
            if problem.path:
                line.append(f"{problem.path}: ", style="cyan")
            line.append(problem.message)
            console.print(line)


def load_blueprint(path: Path) -> tuple[Blueprint, str]:
    """The blueprint in `path` and the text it was read from."""
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        hint = " (give the path of a .yaml blueprint file)" if path.is_dir() else ""
        raise LoadFailure([FormatProblem(str(path), 1, 1, "", f"cannot read the file: {reason}{hint}")]) from None
    try:
        text = decode(data, str(path))
        return loads(text, str(path)), text
    except FormatError as error:
        raise LoadFailure(error.problems) from None
