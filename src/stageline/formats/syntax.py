"""YAML syntax errors explained the way a person slipped, not the way the parser noticed.

The parser reports where it *gave up*: an unclosed `[` on line 9 surfaces as
"expected ',' or ']', but got '<stream end>'" on a line 10 that does not exist.
Its context mark says where the construct it was reading *began*. This module
turns the pair into one problem placed at the cause (the `[` that is never
closed, the quote that never ends, the line indented one space off) and names
the other place as context, with what to do. Every line and column it returns
exists in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PREFIX = "YAML syntax error: "
_BRACKETS = {"sequence": ("[", "]", "list"), "mapping": ("{", "}", "mapping")}
_KEY_WITHOUT_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(\S.*)$")


@dataclass(frozen=True)
class Explained:
    """Where the cause is (1-based), what happened and what to do, and the other place involved."""

    line: int
    column: int
    message: str
    context_line: int | None = None
    context_column: int | None = None


class _Text:
    """Lines of the document with positions clamped to places that exist."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        if len(self.lines) > 1 and self.lines[-1] == "":
            self.lines.pop()  # the newline that ends the last line does not start another

    def place(self, mark: Any) -> tuple[int, int]:
        """A parser mark as (line, column), 1-based; a mark past the end becomes the end of the last line."""
        line, column = mark.line + 1, mark.column + 1
        if line > len(self.lines):
            return len(self.lines), len(self.lines[-1]) + 1
        return line, min(column, len(self.lines[line - 1]) + 1)

    def at_end(self, mark: Any) -> bool:
        return mark.line + 1 > len(self.lines) or (
            mark.line + 1 == len(self.lines) and mark.column >= len(self.lines[-1])
        )

    def char(self, line: int, column: int) -> str:
        row = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return row[column - 1] if 0 < column <= len(row) else ""

    def previous_line(self, line: int) -> int | None:
        """The nearest line above `line` with content other than a comment."""
        for number in range(min(line, len(self.lines) + 1) - 1, 0, -1):
            text = self.lines[number - 1].strip()
            if text and not text.startswith("#"):
                return number
        return None

    def line_text(self, line: int) -> str:
        return self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""


def explain(error: Any, text: str) -> Explained:
    """Explain a ruamel/PyYAML MarkedYAMLError raised while reading `text`."""
    doc = _Text(text)
    context = error.context or ""
    problem = error.problem or ""
    problem_mark, context_mark = error.problem_mark, error.context_mark
    where = doc.place(problem_mark) if problem_mark is not None else (1, 1)
    opened = doc.place(context_mark) if context_mark is not None else None
    for rule in _RULES:
        found = rule(doc, context, problem, where, opened, problem_mark)
        if found is not None:
            return found
    detail = f" ({context})" if context and problem else ""
    message = f"{problem or context or 'invalid YAML'}{detail}; check indentation, colons and quotes around this place"
    return Explained(where[0], where[1], PREFIX + message, *(opened or (None, None)))


_Rule = Any


def _unclosed_bracket(
    doc: _Text, context: str, problem: str, where: tuple[int, int], opened: tuple[int, int] | None, mark: Any
) -> Explained | None:
    kind = context.removeprefix("while parsing a flow ")
    if kind not in _BRACKETS or opened is None:
        return None
    open_char, close_char, noun = _BRACKETS[kind]
    got = problem.rpartition("but got ")[2].strip("'")
    at_end = got == "<stream end>" or (mark is not None and doc.at_end(mark))
    if at_end or got == ":" or where[0] > opened[0]:
        ends = "the file ends" if at_end else f"line {where[0]} starts something new"
        return Explained(
            opened[0],
            opened[1],
            PREFIX + f"this '{open_char}' is never closed: {ends} (line {where[0]}, column {where[1]}) with the "
            f"{noun} still open; add '{close_char}' after its last item, or quote the value if the "
            f"'{open_char}' is meant as text",
            where[0],
            where[1],
        )
    return Explained(
        where[0],
        where[1],
        PREFIX + f"expected ',' or '{close_char}' here, inside the {noun} opened at line {opened[0]}, column "
        f"{opened[1]}: separate its items with commas, or quote an item that contains spaces and punctuation",
        opened[0],
        opened[1],
    )


def _unclosed_quote(
    doc: _Text, context: str, problem: str, where: tuple[int, int], opened: tuple[int, int] | None, mark: Any
) -> Explained | None:
    if context != "while scanning a quoted scalar" or opened is None:
        return None
    quote = doc.char(*opened) or '"'
    if "unexpected end of stream" in problem:
        return Explained(
            opened[0],
            opened[1],
            PREFIX + f"this {quote} is never closed: the text runs to the end of the file; add the closing {quote} "
            f"where the value ends",
            where[0],
            where[1],
        )
    return Explained(
        where[0],
        where[1],
        PREFIX
        + f"{problem} in the quoted text that starts at line {opened[0]}, column {opened[1]}: "
        + (
            "write \\\\ for a backslash inside double quotes, or use single quotes" if "escape" in problem else "fix it"
        ),
        opened[0],
        opened[1],
    )


def _colon_in_value(
    doc: _Text, context: str, problem: str, where: tuple[int, int], opened: tuple[int, int] | None, mark: Any
) -> Explained | None:
    if "mapping values are not allowed here" not in problem:
        return None
    previous = doc.previous_line(where[0])
    if previous is not None:
        row = doc.lines[previous - 1]
        glued = _glued(doc, previous)
        if glued is not None:
            return glued
        here = doc.lines[where[0] - 1]
        if where[0] > previous and _indent(here) > _key_column(row) - 1 and ": " in row:
            key = row.strip().removeprefix("- ").partition(":")[0]
            return Explained(
                where[0],
                _indent(here) + 1,
                PREFIX + f"this line is indented more than `{key}` on line {previous}, so YAML reads it as the rest "
                f"of `{key}`'s value: line it up with `{key}`, using spaces",
                previous,
                _key_column(row),
            )
    line = doc.line_text(where[0]).removeprefix("- ")
    key, _, value = line.partition(": ")
    return Explained(
        where[0],
        where[1],
        PREFIX + "a second ': ' on this line: a value that contains ': ' must be quoted, e.g. "
        f'{key}: "{value.replace(chr(34), chr(39))[:60]}"',
    )


def _indent(row: str) -> int:
    return len(row) - len(row.lstrip(" "))


def _key_column(row: str) -> int:
    """1-based column where the key of a `key: value` or `- key: value` line starts."""
    stripped = row.lstrip(" ")
    column = len(row) - len(stripped) + 1
    if stripped.startswith("- "):
        column += len(stripped) - len(stripped[1:].lstrip(" "))
    return column


def _glued(doc: _Text, line: int) -> Explained | None:
    """`key:value` without the space YAML needs after the colon."""
    row = doc.lines[line - 1]
    glued = _KEY_WITHOUT_SPACE.match(row)
    if glued is None or glued.group(2).startswith("/"):
        return None
    return Explained(
        line,
        row.index(":") + 1,
        PREFIX + f"'{glued.group(1)}:' needs a space after the colon to start a value: write "
        f"'{glued.group(1)}: {glued.group(2)}'",
    )


def _tab(
    doc: _Text, context: str, problem: str, where: tuple[int, int], opened: tuple[int, int] | None, mark: Any
) -> Explained | None:
    if "'\\t'" not in problem:
        return None
    return Explained(
        where[0], where[1], PREFIX + "a tab character here: YAML indents with spaces only; replace the tab with spaces"
    )


def _cannot_start(
    doc: _Text, context: str, problem: str, where: tuple[int, int], opened: tuple[int, int] | None, mark: Any
) -> Explained | None:
    found = re.search(r"found character '(.+)' that cannot start any token", problem)
    if found is None:
        return None
    char = found.group(1)
    return Explained(
        where[0],
        where[1],
        PREFIX + f"a value cannot start with '{char}' (YAML reserves it): put the whole value in quotes",
    )


def _alias(
    doc: _Text, context: str, problem: str, where: tuple[int, int], opened: tuple[int, int] | None, mark: Any
) -> Explained | None:
    undefined = re.search(r"found undefined alias '(.+)'", problem)
    if undefined is not None:
        name = undefined.group(1)
        return Explained(
            where[0],
            where[1],
            PREFIX + f"found undefined alias '*{name}': no '&{name}' anchor comes before it; a value that starts "
            "with '*' is read as an alias, so put text like *this* in quotes",
        )
    if context in ("while scanning an alias", "while scanning an anchor") and opened is not None:
        sign = "*" if "alias" in context else "&"
        return Explained(
            opened[0],
            opened[1],
            PREFIX + f"a value cannot start with '{sign}' followed by a space or punctuation ('{sign}' starts "
            f"{'an alias' if sign == '*' else 'an anchor'}): put the whole value in quotes",
        )
    return None


def _indentation(
    doc: _Text, context: str, problem: str, where: tuple[int, int], opened: tuple[int, int] | None, mark: Any
) -> Explained | None:
    if context not in ("while parsing a block mapping", "while parsing a block collection") or opened is None:
        return None
    found = problem.rpartition("but found ")[2].strip("'")
    if found in ("<block mapping start>", "<block sequence start>", "<block end>"):
        previous = doc.previous_line(where[0])
        if previous is not None and previous != opened[0]:
            row = doc.lines[previous - 1]
            column = _key_column(row)
            key = row.strip().removeprefix("- ").partition(":")[0]
            if column != where[1] and key:
                return Explained(
                    where[0],
                    where[1],
                    PREFIX + f"this line starts at column {where[1]}, but `{key}` on line {previous} starts at "
                    f"column {column}: keys of one mapping line up exactly, using spaces",
                    previous,
                    column,
                )
        return Explained(
            where[0],
            where[1],
            PREFIX + f"this line is indented to column {where[1]}, but the block it belongs to starts at column "
            f"{opened[1]} (line {opened[0]}): line it up with its siblings, using spaces",
            opened[0],
            opened[1],
        )
    if found == "-":
        return Explained(
            where[0],
            where[1],
            PREFIX + "a list item ('- ') where a key was expected: indent it under the key it belongs to "
            "(for example under `steps:`), or turn it into `key: value`",
            opened[0],
            opened[1],
        )
    if found in ("]", "}"):
        return Explained(
            where[0],
            where[1],
            PREFIX + f"this '{found}' closes nothing: no '{'[' if found == ']' else '{'}' is open here; remove it",
        )
    if found == "<scalar>" and where[0] > 0:
        before = doc.char(where[0], where[1] - 1) or doc.char(where[0], where[1] - 2)
        if before in ("'", '"') or doc.lines[where[0] - 1][: where[1] - 1].rstrip().endswith(("'", '"')):
            return Explained(
                where[0],
                where[1],
                PREFIX + "text after a closing quote: put the whole value inside the quotes",
            )
        return Explained(
            where[0],
            where[1],
            PREFIX + f"unexpected text here, inside the block that starts at line {opened[0]}: check the indentation "
            "of this line and that the line above ends its value",
            opened[0],
            opened[1],
        )
    return None


def _missing_colon(
    doc: _Text, context: str, problem: str, where: tuple[int, int], opened: tuple[int, int] | None, mark: Any
) -> Explained | None:
    if context != "while scanning a simple key" or opened is None:
        return None
    glued = _glued(doc, opened[0])
    if glued is not None:
        return glued
    text = doc.line_text(opened[0])
    return Explained(
        opened[0],
        opened[1],
        PREFIX + f"'{text[:40]}' stands alone on its line where a `key: value` was expected: add ': ' and a value, "
        "or indent it to continue the value above",
        where[0],
        where[1],
    )


def _second_document(
    doc: _Text, context: str, problem: str, where: tuple[int, int], opened: tuple[int, int] | None, mark: Any
) -> Explained | None:
    if "another document" not in problem:
        return None
    return Explained(
        where[0],
        where[1],
        PREFIX + "a second document starts here ('---'): a blueprint file holds one document; remove the '---' line "
        "or move what follows into its own file",
    )


_RULES: tuple[_Rule, ...] = (
    _unclosed_bracket,
    _unclosed_quote,
    _tab,
    _colon_in_value,
    _cannot_start,
    _alias,
    _second_document,
    _missing_colon,
    _indentation,
)
