"""Reading blueprint files for the analysis commands (`check`, `metrics`), with
problems reported as file:line:column and what to do, never a traceback."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from stageline.commands.problems import print_problems, unreadable
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
        print_problems(console, self.problems)


def load_blueprint(path: Path) -> tuple[Blueprint, str]:
    """The blueprint in `path` and the text it was read from."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LoadFailure([unreadable(path, error)]) from None
    try:
        text = decode(data, str(path))
        return loads(text, str(path)), text
    except FormatError as error:
        raise LoadFailure(error.problems) from None
