"""Reading a blueprint file for a command: every command that takes one
(`check`, `metrics`, `render`, `simulate`, `plan`, …) loads it here, through
`formats.files.read_blueprint_bytes` like `validate`, `fmt`, `export` and
`diff`, so a missing, unreadable or oversized file is reported one way, and
problems as file:line:column and what to do, never a traceback."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from stageline.commands.problems import print_problems
from stageline.environment import env
from stageline.formats.errors import FormatError, FormatProblem
from stageline.formats.files import STDIN, read_blueprint_bytes
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


def load_blueprint(path: Path | str) -> tuple[Blueprint, str]:
    """The blueprint in `path` ('-' for standard input) and the text it was read from."""
    source = "<stdin>" if str(path) == STDIN else str(path)
    try:
        text = decode(read_blueprint_bytes(path, env().stdin), source)
        return loads(text, source), text
    except FormatError as error:
        raise LoadFailure(error.problems) from None
