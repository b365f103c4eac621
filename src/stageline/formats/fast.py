"""YAML text to a plain tree with positions at C speed, for blueprints that are fine.

libyaml (PyYAML's C parser) turns the text into events; this module builds the
tree from them with YAML 1.2 semantics (`yes`, `no`, `on` and `12:00` are text),
the same guards as `parse.py` and the same positions ruamel's round-trip tree
gives (`node.lc.line`, `.col`, `.key(k)`, `.value(k)`, `.item(i)`), so the
reader works on either tree.

It does not explain problems: anything it does not handle exactly like the
round-trip parser (a syntax error, a guard, an alias or anchor, a tag, a
directive, a duplicate key, a number spelled in a rare way, a timestamp) makes
`tree()` return None and the caller parses the text with `parse.parse`, whose
results and messages are the reference.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from stageline.formats.parse import MAX_BYTES, MAX_DEPTH, parse

# Off only to run the tests through the round-trip parser alone.
ENABLED = True

# Nesting at which the fast path gives up, comfortably below the round-trip
# parser's limit so that no text the reference refuses is accepted here.
_DEPTH = MAX_DEPTH - 10

# Plain scalars that YAML 1.2 (as ruamel reads it) resolves to something other
# than text, by first character. The ones this module constructs itself:
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?\Z")
# Everything else the reference would not read as text goes to it (octal, hex,
# binary, underscores, exponents without a point, .inf/.nan, timestamps, `<<`, `=`).
_OTHER = re.compile(
    r"""(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+
    |[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?.*|<<|=)\Z""",
    re.X | re.S,
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# Characters the round-trip reader refuses (its NON_PRINTABLE); it explains them.
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Positions:
    """Where a mapping or sequence and its keys, values and items were written (0-based),
    answering as ruamel's `lc` does."""

    __slots__ = ("col", "data", "line")

    def __init__(self, line: int, col: int) -> None:
        self.line, self.col = line, col
        self.data: dict[Any, tuple[int, ...]] = {}

    def key(self, key: Any) -> tuple[int, int]:
        found = self.data[key]
        return found[0], found[1]

    def value(self, key: Any) -> tuple[int, int]:
        found = self.data[key]
        return found[2], found[3]

    def item(self, index: int) -> tuple[int, int]:
        found = self.data[index]
        return found[0], found[1]


class Map(dict[Any, Any]):
    """A mapping of the fast tree; `lc` says where its parts were written."""

    __slots__ = ("lc",)

    def __init__(self, lc: Positions) -> None:
        super().__init__()
        self.lc = lc


class Seq(list[Any]):
    """A sequence of the fast tree; `lc` says where its items were written."""

    __slots__ = ("lc",)

    def __init__(self, lc: Positions) -> None:
        super().__init__()
        self.lc = lc


class _GiveUp(Exception):
    """The text needs the round-trip parser."""


def _scalar(event: Any) -> Any:
    if event.tag is not None or event.anchor is not None:
        raise _GiveUp
    value: str = event.value
    if event.style:  # quoted or block: text
        return value
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    first = value[:1]
    if first in "-+0123456789.<=":
        if _INT.match(value) and not (value.lstrip("+-").startswith("0") and len(value.lstrip("+-")) > 1):
            return int(value)
        if _FLOAT.match(value) and "_" not in value:
            return float(value)
        if _DATE.match(value):  # a date (an opportunity's due): text, as `reader.plain` makes it
            try:
                datetime.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
            except ValueError:
                raise _GiveUp from None  # an impossible date: the round-trip reader says where
            return value
        if _OTHER.match(value):
            raise _GiveUp
    return value


def parse_tree(text: str, source: str) -> Any:
    """The tree of a document: the fast one when it can be built, else the round-trip
    one (which raises FormatError for text that is not a blueprint document)."""
    found = tree(text) if ENABLED else None
    return found if found is not None else parse(text, source).data


def tree(text: str) -> Map | None:
    """The document's tree, or None when the round-trip parser must read it
    (for its messages, or because the text uses what this module leaves to it)."""
    # libyaml takes tabs in places where the round-trip scanner refuses them.
    if len(text) > MAX_BYTES or "\t" in text or _NON_PRINTABLE.search(text):
        return None
    try:
        from yaml import YAMLError
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        return None
    parser = CParser(text)
    try:
        return _build(parser, text.endswith("\n"))
    except (_GiveUp, YAMLError, ValueError):
        return None
    finally:
        parser.dispose()


def _build(parser: Any, final_newline: bool) -> Map | None:
    get = parser.get_event
    get()  # stream start
    start = get()
    if type(start).__name__ != "DocumentStartEvent" or start.version or start.tags:
        return None
    root: Map | None = None
    # Open containers: [container, pending key (key, line, column) or None, flow style].
    stack: list[list[Any]] = []
    # An empty value of a block mapping, which the round-trip parser places where
    # the next event starts: (positions, key).
    empty: tuple[Positions, Any] | None = None
    while True:
        event = get()
        kind = type(event).__name__
        mark = event.start_mark
        if empty is not None:
            if not final_newline and kind.endswith("EndEvent"):
                raise _GiveUp  # at the very end, the round-trip parser places it differently
            lc, key = empty
            lc.data[key] = (*lc.data[key][:2], mark.line, mark.column)
            empty = None
        if kind == "ScalarEvent":
            value: Any = _scalar(event)
        elif kind == "MappingStartEvent" or kind == "SequenceStartEvent":
            if event.tag is not None or event.anchor is not None or len(stack) >= _DEPTH:
                raise _GiveUp
            lc = Positions(mark.line, mark.column)
            container: Map | Seq = Map(lc) if kind == "MappingStartEvent" else Seq(lc)
            if not stack:
                if not isinstance(container, Map):
                    return None
                root = container
            else:
                _add(stack[-1], container, mark)
            stack.append([container, None, event.flow_style])
            continue
        elif kind == "MappingEndEvent" or kind == "SequenceEndEvent":
            stack.pop()
            if not stack:
                break
            continue
        else:  # an alias, or a document that is a single value
            raise _GiveUp
        if not stack:
            return None
        top = stack[-1]
        if value is None and not event.value:
            if top[2] or (isinstance(top[0], Map) and top[1] is None):
                raise _GiveUp  # an empty key, or an empty value in flow style
            if isinstance(top[0], Map):
                empty = (top[0].lc, top[1][0])
        _add(top, value, mark)
    end = get()
    if type(end).__name__ != "DocumentEndEvent" or type(get()).__name__ != "StreamEndEvent":
        return None  # a second document: the reference explains
    return root


def _add(top: list[Any], value: Any, mark: Any) -> None:
    container = top[0]
    if isinstance(container, Seq):
        container.lc.data[len(container)] = (mark.line, mark.column)
        container.append(value)
        return
    if top[1] is None:  # a key
        if isinstance(value, (Map, Seq)) or value in container:
            raise _GiveUp  # complex or duplicate keys: the reference explains
        top[1] = (value, mark.line, mark.column)
        return
    key, line, column = top[1]
    top[1] = None
    container.lc.data[key] = (line, column, mark.line, mark.column)
    container[key] = value
