"""A documentation page's fenced blocks, for tests that keep docs/*.md true."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path


class DocBlocks:
    """The ```language blocks of a Markdown page, in order."""

    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8")
        self.blocks: list[tuple[str, str]] = re.findall(r"```(\w+)\n(.*?)```", self.text, re.S)

    def of(self, kind: str) -> list[str]:
        return [body for language, body in self.blocks if language == kind]

    def commands(self) -> Iterator[tuple[list[str], str | None]]:
        """Each `$ stageline …` line (its arguments) with the text block that follows it, if any."""
        for i, (language, body) in enumerate(self.blocks):
            if language != "console":
                continue
            following = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
            shown = following[1] if following is not None and following[0] == "text" else None
            for line in body.splitlines():
                if line.startswith("$ stageline "):
                    yield shlex.split(line[2:])[1:], shown
