"""Where the two blueprints of a diff come from: a file, standard input, or a
revision in git (`REV:path`, e.g. `HEAD~1:hotel.yaml`)."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from stageline.formats.errors import FormatError
from stageline.formats.files import read_blueprint_bytes
from stageline.formats.yaml_format import load_bytes
from stageline.model import Blueprint

# `REV:path`; REV may be empty (`:hotel.yaml` is the staged version, as in git).
_GIT_HINT = " (for a version in git, write REV:path, e.g. HEAD~1:hotel.yaml)"
_REVISION = re.compile(r"^(?P<rev>[^:\s]*):(?P<path>[^:].*)$")


@dataclass(frozen=True)
class Source:
    """A blueprint to compare, as named on the command line."""

    spec: str
    revision: str | None = None
    path: str = ""

    @classmethod
    def parse(cls, spec: str) -> Source:
        """An existing file wins over the `REV:path` reading, so odd file names still work."""
        if spec == "-" or Path(spec).exists():
            return cls(spec, None, spec)
        match = _REVISION.match(spec)
        if match and not re.match(r"^[A-Za-z]:[\\/]", spec):  # not a Windows drive letter
            return cls(spec, match["rev"], match["path"])
        return cls(spec, None, spec)

    @property
    def in_git(self) -> bool:
        return self.revision is not None

    def read(self) -> bytes:
        """The file's bytes; FormatError (exit status 2) when it cannot be read."""
        if self.revision is not None:
            return _git_show(self.revision, self.path, self.spec)
        return read_blueprint_bytes(self.spec, sys.stdin, hint=_GIT_HINT)

    def load(self, stdin: bytes | None = None) -> Blueprint:
        data = stdin if self.spec == "-" and stdin is not None else self.read()
        return load_bytes(data, "<stdin>" if self.spec == "-" else self.spec)


def _git_show(revision: str, path: str, spec: str) -> bytes:
    # Read the path like the other argument, relative to the current folder
    # (plain `git show REV:path` reads it from the top of the repository).
    relative = path if path.startswith(("./", "../", "/")) else f"./{path}"
    try:
        shown = subprocess.run(["git", "show", f"{revision}:{relative}"], capture_output=True, check=False, timeout=60)
    except FileNotFoundError:
        raise FormatError.single(spec, "cannot read from git: the git command is not installed") from None
    except subprocess.TimeoutExpired:
        raise FormatError.single(spec, "cannot read from git: `git show` did not answer within 60 s") from None
    if shown.returncode != 0:
        message = shown.stderr.decode(errors="replace").strip().removeprefix("fatal: ")
        raise FormatError.single(spec, f"cannot read {path!r} at revision {revision or 'the index'!r}: {message}")
    return shown.stdout
