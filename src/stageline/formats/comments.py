"""Canonical formatting that keeps a file's comments (`stageline fmt`).

A comment belongs to an element of the blueprint: a comment on its own lines
belongs to the element that starts on the next line, an end-of-line comment to
the deepest element written on that line. A comment on its own lines indented
deeper than what follows closes the block above it (a note at the end of a card,
or after the last stage): it stays at the end of that block, at its indentation. Both the original file and the
canonical text are read into the same model, so the element's model path
(`stages/0/steps/1/cells/frontstage/0`) finds its new line even when it moved,
changed shape (a list became a single card) or went from block to flow style.
A comment whose element disappears (a default that is no longer written) goes to
the nearest enclosing element that remains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from stageline.formats import fast
from stageline.formats.reader import ModelPath, Reader, Spot
from stageline.formats.writer import dumps
from stageline.formats.yaml_format import read_located
from stageline.model.blueprint import Blueprint

_BLOCK_HEADER = re.compile(r"[|>][+-]?[1-9]?[+-]?")


@dataclass
class _Group:
    """Whole-line comments above an element, with the blank lines around them."""

    lines: list[str]
    blank_before: bool = False
    blank_after: bool = False


@dataclass
class _Comments:
    before: list[tuple[ModelPath, int, _Group]] = field(default_factory=list)
    # Comments that close a block: the last element above them at their indentation.
    closing: list[tuple[ModelPath, int, _Group]] = field(default_factory=list)
    end_of_line: list[tuple[ModelPath, int, str]] = field(default_factory=list)
    trailing: _Group | None = None
    # Elements in the order they start in the original file: (line, path).
    starts: list[tuple[int, ModelPath]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.before or self.closing or self.end_of_line or self.trailing)


def format_text(text: str, source: str = "<string>") -> str:
    """The canonical form of blueprint `text` with its comments carried over.
    Raises FormatError, as `loads` does, when the text is not a valid blueprint."""
    blueprint, reader = read_located(text, source)
    return _with_comments(blueprint, text, reader, source)


def dumps_with_comments(blueprint: Blueprint, original: str, source: str = "<string>") -> str:
    """The canonical form of `blueprint` with the comments of `original`, an earlier text of
    the same blueprint whose elements kept their places (fields changed or added, as a
    calibration does). Raises FormatError when `original` is not a valid blueprint."""
    _, reader = read_located(original, source)
    return _with_comments(blueprint, original, reader, source)


def _with_comments(blueprint: Blueprint, original: str, reader: Reader, source: str) -> str:
    canonical = dumps(blueprint)
    if "#" not in original:
        return canonical
    comments = _collect(original, reader)
    if not comments:
        return canonical
    _, new_reader = read_located(canonical, source)
    return _weave(canonical, comments, new_reader)


# -- finding the comments ---------------------------------------------------
@dataclass
class _Scan:
    """Where the comments of a YAML text are, found from the positions of its nodes:
    a `#` counts only outside every scalar, so text that looks like a comment inside a
    block or quoted scalar is left alone."""

    content: set[int]  # 0-based lines inside multi-line scalars
    full: dict[int, str]  # whole-line comments
    end_of_line: dict[int, str]


_COMMENT_START = re.compile(r"(?:^|[ \t])(#.*)$")


def _compose(text: str) -> Any:
    """The text's node graph (nodes with their start and end marks and style): composed by
    libyaml where it reads the text as the round-trip parser does, else by that parser."""
    if fast.ENABLED and "\t" not in text:
        import yaml

        try:
            return yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            pass
    from ruamel.yaml import YAML

    return YAML(typ="rt").compose(text)


def scan_comments(text: str) -> _Scan:
    lines = text.split("\n")
    occupied: dict[int, int] = {}  # line -> column up to which nodes are written
    content: set[int] = set()
    root = _compose(text)
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        start, end = node.start_mark, node.end_mark
        if node.id == "scalar":
            first_line_end = end.column if end.line == start.line else len(lines[start.line])
            if node.style in ("|", ">"):
                header = _BLOCK_HEADER.match(lines[start.line], start.column)
                first_line_end = header.end() if header else start.column + 1
            occupied[start.line] = max(occupied.get(start.line, 0), first_line_end)
            last = end.line if end.column > 0 else end.line - 1
            content.update(range(start.line + 1, last + 1))
            if last > start.line and node.style not in ("|", ">"):
                occupied[last] = max(occupied.get(last, 0), end.column)
            continue
        if node.id == "mapping":
            for key, value in node.value:
                stack.extend((key, value))
        elif node.id == "sequence":
            stack.extend(node.value)
        if node.flow_style and end is not None:
            occupied[end.line] = max(occupied.get(end.line, 0), end.column)
    full: dict[int, str] = {}
    end_of_line: dict[int, str] = {}
    for number, line in enumerate(lines):
        if number in content:
            continue
        match = _COMMENT_START.search(line, occupied.get(number, 0))
        if match is None:
            continue
        if line[: match.start(1)].strip():
            end_of_line[number] = match.group(1).rstrip()
        else:
            full[number] = match.group(1).rstrip()
    return _Scan(content, full, end_of_line)


def _collect(text: str, reader: Reader) -> _Comments:
    lines = text.split("\n")
    scan = scan_comments(text)
    starts, deepest = _line_index(reader)
    found = _Comments(starts=sorted(starts.items()))
    columns = _columns(reader)
    ordered_deepest = sorted(deepest.items())
    group: list[str] = []
    indents: list[int | None] = []  # of the group's lines; None for a blank line
    group_start = 0
    blank_before = False
    seen_content = False
    for number, line in enumerate(lines):
        if number not in scan.content:
            if not line.strip():
                if group:
                    group.append("")
                    indents.append(None)
                elif seen_content:
                    blank_before = True
                continue
            if number in scan.full:
                if not group:
                    group_start = number
                group.append(scan.full[number])
                indents.append(_indent(line))
                continue
        seen_content = True
        if group:
            # Lines indented deeper than this one close the block above; the rest introduce this line.
            split = next((i for i, at in enumerate(indents) if at is not None and at <= _indent(line)), len(group))
            closes = _closed_block(indents[0], group_start, columns) if split else None
            if closes is not None:
                found.closing.append((closes, group_start + 1, _group(group[:split], blank_before)))
                blank_before = not group[split - 1]
                group = group[split:]
            path = starts.get(number + 1) or next((p for at, p in found.starts if at > number), None)
            if not any(group):
                pass
            elif path is None:
                found.trailing = _group(group, blank_before)
            else:
                found.before.append((path, number + 1, _group(group, blank_before)))
            group, indents = [], []
        blank_before = False
        if number in scan.end_of_line:
            # The innermost element written on this line, or the one the line belongs to.
            path = deepest.get(number + 1) or next((p for at, p in reversed(ordered_deepest) if at <= number), None)
            if path is not None:
                found.end_of_line.append((path, number + 1, scan.end_of_line[number]))
    if group:
        trailing = _group(group, blank_before)
        trailing.blank_after = False
        found.trailing = trailing
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _columns(reader: Reader) -> list[tuple[int, int, ModelPath]]:
    """(line, 0-based column where its block is indented, path) of every key and list item,
    in the order they start. A list item's block is indented at its dash."""
    found: list[tuple[int, int, ModelPath]] = []
    for path, spot in reader.keys.items():
        found.append((spot.line, spot.column - 1, path))
    for path, spot in reader.spots.items():
        if path and isinstance(path[-1], int):
            found.append((spot.line, spot.column - 3, path))
    return sorted(found, key=lambda item: (item[0], item[1]))


def _closed_block(column: int | None, group_start: int, columns: list[tuple[int, int, ModelPath]]) -> ModelPath | None:
    """The element whose block comments indented at `column` (from 0-based line `group_start`,
    deeper than what follows) close: the last element above them at that indentation."""
    return next((path for line, at, path in reversed(columns) if line <= group_start and at == column), None)


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """0-based index of the line after the block that holds the element on 0-based `start` (indented at
    `indent`): the first line after it that is indented less."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) >= indent):
        end += 1
    return end


def _group(lines: list[str], blank_before: bool) -> _Group:
    trimmed: list[str] = []
    for line in lines:
        if line or (trimmed and trimmed[-1]):
            trimmed.append(line)
    blank_after = bool(trimmed) and not trimmed[-1]
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return _Group(trimmed, blank_before, blank_after)


def _line_index(reader: Reader) -> tuple[dict[int, ModelPath], dict[int, ModelPath]]:
    """For each line: the outermost element starting there, and the innermost one on it."""
    starts: dict[int, ModelPath] = {}
    deepest: dict[int, ModelPath] = {}
    for table in (reader.keys, reader.spots):
        for path, spot in table.items():
            # A block value starts on the line after its key; the key is where the
            # element starts, so only keys and list items count as starts.
            starting = table is reader.keys or (bool(path) and isinstance(path[-1], int))
            if starting and (spot.line not in starts or len(path) < len(starts[spot.line])):
                starts[spot.line] = path
            if spot.line not in deepest or len(path) > len(deepest[spot.line]):
                deepest[spot.line] = path
    return starts, deepest


# -- putting them back ------------------------------------------------------
def _new_line(path: ModelPath, reader: Reader) -> int | None:
    """1-based line of the element at `path` in the canonical text, if it is written there."""
    spot: Spot | None = reader.keys.get(path) or reader.spots.get(path)
    return None if spot is None else spot.line


def _next_surviving(old_line: int, comments: _Comments, reader: Reader) -> int | None:
    """The new line of the first element after `old_line` in the original that is still written."""
    for line, path in comments.starts:
        if line > old_line:
            found = _new_line(path, reader)
            if found is not None:
                return found
    return None


def _weave(canonical: str, comments: _Comments, reader: Reader) -> str:
    lines = canonical.rstrip("\n").split("\n")
    before: dict[int, list[_Group]] = {}
    after: dict[int, list[str]] = {}
    trailing: list[_Group] = []
    placed: list[tuple[float, int | None, _Group]] = []
    for path, old_line, group in comments.before:
        placed.append(
            (old_line - 0.5, _new_line(path, reader) or _next_surviving(old_line - 1, comments, reader), group)
        )
    for path, old_line, comment in comments.end_of_line:
        found = _new_line(path, reader)
        if found is not None:
            after.setdefault(found, []).append(comment)
        else:
            # Its element is no longer written (a default): keep the comment on a
            # line of its own above what followed it.
            placed.append((old_line, _next_surviving(old_line, comments, reader), _Group([comment])))
    closing: dict[int, list[tuple[str, _Group]]] = {}  # 0-based line they go before -> (indent, group)
    for path, old_line, group in comments.closing:
        found = _new_line(path, reader)
        if found is None or (path not in reader.keys and not isinstance(path[-1], int)):
            # What they closed is no longer a block: above what followed them.
            placed.append((old_line - 0.5, _next_surviving(old_line - 1, comments, reader), group))
            continue
        spot = reader.keys.get(path) or reader.spots[path]
        column = spot.column - 1 if path in reader.keys else spot.column - 3
        closing.setdefault(_block_end(lines, found - 1, column), []).append((" " * column, group))
    for _, target, group in sorted(placed, key=lambda item: item[0]):
        (before.setdefault(target, []) if target else trailing).append(group)
    if comments.trailing is not None:
        trailing.append(comments.trailing)

    out: list[str] = []

    def put(indent: str, group: _Group) -> None:
        if group.blank_before and out and out[-1]:
            out.append("")
        out.extend(f"{indent}{comment}" if comment else "" for comment in group.lines)
        if group.blank_after:
            out.append("")

    for number, line in enumerate(lines, start=1):
        for spaces, group in closing.get(number - 1, []):
            put(spaces, group)
        for group in before.get(number, []):
            put(" " * _indent(line), group)
        extra = after.get(number)
        out.append(f"{line}  {'  '.join(extra)}" if extra else line)
    for spaces, group in closing.get(len(lines), []):
        put(spaces, group)
    for group in trailing:
        if group.blank_before:
            out.append("")
        out.extend(group.lines)
    return "\n".join(out) + "\n"
