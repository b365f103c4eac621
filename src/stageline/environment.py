"""What the command line talks to: injectable, so tests drive commands
in-process and read exactly what a person would see."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TextIO


def _wants_colour(stream: TextIO) -> bool | None:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None  # let rich decide from the stream


@dataclass
class Environment:
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    width: int | None = None

    def __post_init__(self) -> None:
        from rich.console import Console  # rich costs start-up; `stageline --version` needs none

        colour = _wants_colour(self.stdout)
        self.out = Console(
            file=self.stdout,
            width=self.width,
            force_terminal=colour,
            no_color=colour is False,
            highlight=False,
        )
        self.err = Console(
            file=self.stderr,
            width=self.width,
            force_terminal=_wants_colour(self.stderr),
            no_color=_wants_colour(self.stderr) is False,
            highlight=False,
        )
        # Redirected or piped, a message or a report's sentence is one line however long: never
        # wrapped at 80 columns in the middle of a figure. Tables keep their layout (they are
        # drawn to the width), and a width given on purpose lays reports out to it.
        self.err.soft_wrap = not self.err.is_terminal
        self.out.soft_wrap = not self.out.is_terminal and self.width is None


_current: Environment | None = None
_chosen = False  # installed with `use`, rather than made from the process's streams


def env() -> Environment:
    """The environment commands write to: the one installed with `use`, else one on the
    process's standard streams (made again when they were replaced, as pytest's capture does)."""
    global _current
    replaced = _current is not None and (_current.stdout is not sys.stdout or _current.stderr is not sys.stderr)
    if _current is None or (replaced and not _chosen):
        _current = Environment()
    return _current


def installed() -> Environment | None:
    """The environment in use, if any was created or installed yet."""
    return _current


def use(environment: Environment | None) -> None:
    """Install an environment (tests pass one with StringIO streams; None resets)."""
    global _current, _chosen
    _current = environment
    _chosen = environment is not None
