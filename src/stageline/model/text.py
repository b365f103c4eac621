"""Text that cannot be stored: NUL and other control characters (PostgreSQL
refuses NUL; YAML, XML and SVG refuse the rest) and lone surrogates (halves of
a UTF-16 pair, which no UTF-8 encoder accepts). Every way in — files, API
bodies, live edits, forms, query strings — refuses them with the field they
were found in, before anything is stored."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Tab, line feed and carriage return are fine; other C0 controls, DEL-free.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text_problem(value: str) -> str | None:
    """What is wrong with `value`, or None when it can be stored."""
    found = _BAD.search(value)
    if found is None:
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    if char == "\x00":
        return f"contains a NUL character ({code}) at position {found.start()}; remove it"
    if "\ud800" <= char <= "\udfff":
        return f"contains a lone surrogate ({code}) at position {found.start()}, which is not text; remove it"
    return f"contains the control character {code} at position {found.start()}; remove it"


# Deeper than any blueprint or operation needs (a blueprint is about eight levels).
MAX_DEPTH = 64


def find_bad_text(data: Any, path: Iterable[str | int] = (), max_depth: int = MAX_DEPTH) -> tuple[str, str] | None:
    """The first string in `data` (nested dicts, lists, keys included) that
    cannot be stored, or the first value nested deeper than `max_depth`:
    (its dotted path, the problem); None when all is well."""
    start = tuple(path)
    stack: list[tuple[tuple[str | int, ...], Any]] = [(start, data)]
    while stack:
        where, value = stack.pop()
        if len(where) - len(start) > max_depth:
            return dotted(where[: len(start) + 3]) + ".…", f"nests more than {max_depth} levels deep"
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                return dotted(where), problem
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if isinstance(key, str) and (problem := text_problem(key)):
                    return dotted((*where, "(a key)")), problem
                stack.append(((*where, key if isinstance(key, str | int) else str(key)), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*where, index), item) for index, item in reversed(list(enumerate(value))))
    return None


def dotted(path: Iterable[str | int]) -> str:
    """`stages.0.title` style, with the text of keys made safe to show."""
    parts = [str(part) for part in path]
    return ".".join(safe(part) for part in parts) or "(the whole value)"


def safe(text: str, limit: int = 200) -> str:
    """`text` as it can be shown in a message: unencodable characters escaped, cut to `limit`."""
    shown = text if len(text) <= limit else text[:limit] + "…"
    if _BAD.search(shown) is None:
        return shown
    return _BAD.sub(lambda match: f"\\u{ord(match.group()):04x}", shown)
