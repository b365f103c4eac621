"""YAML text to a round-trip tree, refusing hostile input before it costs anything.

The tree keeps comments and the line/column of every key and item (ruamel's
round-trip nodes), which the reader uses to place problems and `fmt` uses to
carry comments over. Guards: a size limit, undecodable or binary bytes, nesting
depth, alias expansion (the "billion laughs"), recursive aliases, duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError

from stageline.formats.errors import FormatError, FormatProblem
from stageline.formats.syntax import explain

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 50
# Nodes that aliases may add on top of what is written out. Blueprints rarely
# use aliases at all; a billion-laughs file needs millions.
MAX_ALIAS_EXPANSION = 100_000


class _Refused(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class _GuardedComposer(Composer):
    """Counts the nodes that aliases expand to and refuses recursive aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        sizes: dict[int, int] = self.__dict__.setdefault("_sizes", {})
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:
                size = sizes.get(id(target))
                mark = event.start_mark
                if size is None:
                    raise _Refused(
                        f"alias *{event.anchor} refers to a node that contains it; recursive aliases are not allowed",
                        mark.line + 1,
                        mark.column + 1,
                    )
                expanded = self.__dict__.get("_expanded", 0) + size
                self.__dict__["_expanded"] = expanded
                self.__dict__["_count"] = self.__dict__.get("_count", 0) + size
                if expanded > MAX_ALIAS_EXPANSION:
                    raise _Refused(
                        f"YAML aliases here expand to more than {MAX_ALIAS_EXPANSION:,} values "
                        "(an 'alias bomb'); write the content out instead of repeating it through aliases",
                        mark.line + 1,
                        mark.column + 1,
                    )
            return super().compose_node(parent, index)
        start = self.__dict__.get("_count", 0)
        self.__dict__["_count"] = start + 1
        node = super().compose_node(parent, index)
        if node.anchor is not None:
            sizes[id(node)] = self.__dict__["_count"] - start
        return node


@dataclass
class _DuplicateKey:
    key: str
    line: int
    column: int
    first_line: int


class _RecordingConstructor(RoundTripConstructor):
    """Keeps the first of duplicate keys and records the others as problems."""

    def check_mapping_key(self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any) -> bool:
        if key in mapping:
            found: list[_DuplicateKey] = self.__dict__.setdefault("duplicates", [])
            first = next((k for k, _ in node.value if k.value == key_node.value), key_node)
            found.append(
                _DuplicateKey(
                    str(key), key_node.start_mark.line + 1, key_node.start_mark.column + 1, first.start_mark.line + 1
                )
            )
            return False
        return True

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        # `2027-02-30` looks like a date to YAML but is none; keep it as the text
        # written, so the field that reads it explains what is wrong.
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_RecordingConstructor.add_constructor("tag:yaml.org,2002:timestamp", _RecordingConstructor.construct_yaml_timestamp)


@dataclass
class Parsed:
    """A parsed document and the problems found while parsing that did not stop it."""

    data: Any
    problems: list[FormatProblem] = field(default_factory=list)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Composer = _GuardedComposer
    yaml.Constructor = _RecordingConstructor
    yaml.max_depth = MAX_DEPTH
    yaml.allow_duplicate_keys = True
    return yaml


def too_big(size: int, source: str) -> FormatError:
    return FormatError.single(
        source,
        f"the file is {size / 1024 / 1024:.1f} MB; blueprint files are limited to "
        f"{MAX_BYTES // 1024 // 1024} MB: split it into several blueprints",
        line=0,
        column=0,
    )


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without a byte-order mark) or BOM-marked UTF-16 text; refuses binary files."""
    if len(data) > MAX_BYTES:
        raise too_big(len(data), source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
        if b"\x00" in data:
            at = data.index(b"\x00")
            raise FormatError.single(
                source,
                "this is a binary file, not YAML text: open the blueprint's .yaml file",
                line=data.count(b"\n", 0, at) + 1,
                column=at - data.rfind(b"\n", 0, at),
            )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        at = error.start
        raise FormatError.single(
            source,
            f"byte {data[at]:#04x} is not valid {encoding.removesuffix('-sig').upper()} text: save the file as UTF-8",
            line=data.count(b"\n", 0, at) + 1,
            column=at - data.rfind(b"\n", 0, at),
        ) from None


def parse(text: str, source: str) -> Parsed:
    """Parse YAML text into ruamel's round-trip tree; raises FormatError for text that
    is not YAML or is hostile, and for empty or non-mapping documents."""
    if len(text) > MAX_BYTES:
        raise FormatError.single(
            source, f"the text is longer than {MAX_BYTES // 1024 // 1024} MB; split it into several blueprints"
        )
    yaml = _yaml()
    try:
        data = yaml.load(text)
    except _Refused as refused:
        raise FormatError.single(source, refused.message, line=refused.line, column=refused.column) from None
    except MarkedYAMLError as error:
        raise FormatError([_syntax_problem(error, source, text)]) from None
    except ReaderError as error:
        raise FormatError.single(
            source,
            f"character {error.character!r} is not allowed in YAML text: remove it",
            line=_line_of(text, error.position),
            column=_column_of(text, error.position),
        ) from None
    except YAMLError as error:
        raise FormatError.single(source, f"not valid YAML: {error}") from None
    except RecursionError:
        raise FormatError.single(
            source, f"the YAML nests too deeply; blueprints need at most {MAX_DEPTH} levels"
        ) from None
    constructor = yaml.constructor
    problems = [
        FormatProblem(
            source,
            d.line,
            d.column,
            d.key,
            f"duplicate key {d.key!r}: it is already set on line {d.first_line}; keep only one",
        )
        for d in constructor.__dict__.get("duplicates", [])
    ]
    if data is None:
        raise FormatError.single(source, "the file is empty: a blueprint starts with `stageline: 1` and a `title`")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise FormatError.single(
            source, f"the document is {kind}; a blueprint is a mapping that starts with `stageline: 1` and a `title`"
        )
    return Parsed(data, problems)


def _syntax_problem(error: MarkedYAMLError, source: str, text: str) -> FormatProblem:
    what = error.problem or error.context or ""
    if "maximum depth" in what:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return FormatProblem(
            source, line, column, "", f"the YAML nests more than {MAX_DEPTH} levels deep; a blueprint needs far fewer"
        )
    found = explain(error, text)
    return FormatProblem(
        source,
        found.line,
        found.column,
        "",
        found.message,
        context_line=found.context_line,
        context_column=found.context_column,
    )


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _column_of(text: str, position: int) -> int:
    return position - text.rfind("\n", 0, position)
