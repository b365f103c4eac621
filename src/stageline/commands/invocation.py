"""How to run Stageline again, for messages that suggest a command.

A message that says "run `stageline check hotel.yaml`" must work when pasted:
when `stageline` is not on PATH (a fresh clone runs `.venv/bin/stageline`), it
says the path that was typed instead.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

NAME = "stageline"


def program(argv0: str | None = None) -> str:
    """`stageline` when that name on PATH is this program; else the path it was run by,
    as typed (`.venv/bin/stageline`); `stageline` when it was not run as a script at all."""
    typed = sys.argv[0] if argv0 is None else argv0
    if Path(typed).stem != NAME:
        return NAME  # python -c, an embedding program, the test suite
    found = shutil.which(NAME)
    if found and Path(found).resolve() == Path(typed).resolve():
        return NAME
    if "/" not in typed and "\\" not in typed:
        typed = f"./{typed}"
    return shlex.quote(typed)


def command(*words: str) -> str:
    """A command line to suggest: `program()` and `words`, each quoted as a shell needs."""
    return " ".join([program(), *(shlex.quote(word) for word in words)])
