"""Format v1: blueprints as YAML files.

    bp = load("hotel.yaml")          # raises FormatError listing every problem
    text = dumps(bp)                 # the canonical form
    save(bp, "hotel.yaml")           # atomic: a crash never leaves half a file

The format is a contract: later versions may extend it, never break it.
`docs/format.md` describes every field.
"""

from __future__ import annotations

import os
from pathlib import Path

from stageline.formats import fast
from stageline.formats.errors import FormatError
from stageline.formats.files import write_atomic
from stageline.formats.parse import MAX_BYTES, decode, parse, too_big
from stageline.formats.reader import Reader
from stageline.gc_pause import without_gc
from stageline.model.blueprint import Blueprint

__all__ = ["FormatError", "dumps", "load", "load_bytes", "loads", "save", "write_atomic"]


@without_gc
def loads(text: str, source: str = "<string>") -> Blueprint:
    """A blueprint from YAML text; `source` names it in problems."""
    return read_located(text, source)[0]


def read_located(text: str, source: str = "<string>") -> tuple[Blueprint, Reader]:
    """A blueprint from YAML text, and the reader that knows where each of its elements
    was written. A file that is fine is read from libyaml's fast tree (the same
    positions); any problem, and any text the fast tree leaves to it, goes through the
    round-trip parser, whose problems and messages are the reference."""
    tree = fast.tree(text) if fast.ENABLED else None
    if tree is not None:
        reader = Reader(source)
        try:
            return reader.read(tree), reader
        except FormatError:
            pass  # explained below, from the round-trip tree
    parsed = parse(text, source)
    reader = Reader(source)
    reader.problems.extend(parsed.problems)
    return reader.read(parsed.data), reader


def load_bytes(data: bytes, source: str) -> Blueprint:
    """A blueprint from the raw bytes of a file (UTF-8 or BOM-marked UTF-16)."""
    return loads(decode(data, source), source)


def load(path: str | os.PathLike[str]) -> Blueprint:
    """A blueprint from a YAML file; OSError when it cannot be read."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:  # refuse before reading it into memory
        raise too_big(size, str(path))
    return load_bytes(path.read_bytes(), str(path))


def dumps(blueprint: Blueprint) -> str:
    """The canonical YAML text of a blueprint."""
    from stageline.formats.writer import dumps as canonical  # reading files needs no writer

    return canonical(blueprint)


def save(blueprint: Blueprint, path: str | os.PathLike[str]) -> None:
    """Write `blueprint` in canonical form, atomically."""
    write_atomic(Path(path), dumps(blueprint))
