"""The canonical tree (`writer.to_tree`) written out directly, byte for byte as
ruamel's emitter writes it with the canonical settings, without its
representer, serializer and event machinery (5-10x faster on large blueprints).

Scalar styles are decided exactly as ruamel decides them: its own scalar
analysis and YAML 1.2 resolver, memoised, and its rules for choosing plain,
quoted or literal. What this module does not write (keys too long for a simple
key, keep-chomped literals, values that are not str/int/float/bool, floats that
are not finite) raises `Unsupported`, and the caller uses ruamel's emitter.
"""

from __future__ import annotations

import datetime
import math
from functools import lru_cache
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString

from stageline.formats.writer import Flow

_MAP_INDENT = 2  # writer.INDENT: nested mappings
_SEQ_OFFSET = 2  # the dash of a block sequence sits this far in from its key
_ESCAPES = {
    "\0": "0",
    "\x07": "a",
    "\x08": "b",
    "\x09": "t",
    "\x0a": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\x0d": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}
_BREAKS = "\n\x85\u2028\u2029"


class Unsupported(Exception):
    """Something the direct emitter leaves to ruamel's."""


@lru_cache(maxsize=1)
def _tools() -> tuple[Any, Any]:
    import io

    from ruamel.yaml.emitter import Emitter
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    emitter = Emitter(io.StringIO(), allow_unicode=True, width=1_000_000)

    class _Serializer:
        use_version = None

    emitter.dumper = type("_Dumper", (), {"typ": "rt", "serializer": _Serializer()})()
    resolver = VersionedResolver()
    return emitter.analyze_scalar, lambda text: str(resolver.resolve(ScalarNode, text, (True, False)))


@lru_cache(maxsize=65536)
def _analysis(text: str) -> tuple[bool, bool, bool, bool, bool, bool, str]:
    analyze, resolve = _tools()
    a = analyze(text)
    return (
        a.empty,
        a.multiline,
        a.allow_flow_plain,
        a.allow_block_plain,
        a.allow_single_quoted,
        a.allow_double_quoted,
        resolve(text),
    )


def _tagged(value: Any) -> tuple[str, str, str | None]:
    """The text of a scalar, the tag it has and the style asked for."""
    if isinstance(value, bool):
        return ("true" if value else "false"), "tag:yaml.org,2002:bool", None
    if isinstance(value, int):
        return str(int(value)), "tag:yaml.org,2002:int", None
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Unsupported
        return repr(float(value)).lower(), "tag:yaml.org,2002:float", None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat(), "tag:yaml.org,2002:timestamp", None
    if isinstance(value, str):
        style = None
        if isinstance(value, LiteralScalarString):
            style = "|"
        elif isinstance(value, DoubleQuotedScalarString):
            style = '"'
        elif isinstance(value, SingleQuotedScalarString):
            style = "'"
        elif type(value) is not str:
            raise Unsupported
        text = str(value)
        if not text:
            raise Unsupported  # ruamel writes empty text its own way
        return text, "tag:yaml.org,2002:str", style
    raise Unsupported


def _style(value: Any, flow: bool, key: bool) -> tuple[str, str]:
    """The style ruamel's emitter chooses (its choose_scalar_style) and the text."""
    text, tag, style = _tagged(value)
    empty, multiline, flow_plain, block_plain, single, _double, resolved = _analysis(text)
    if key and (multiline or len(text) > 120):
        raise Unsupported  # not a simple key
    if style == '"':
        return '"', text
    plain_fits = (flow and flow_plain) or (not flow and block_plain)
    if not style and resolved == tag and not (key and (empty or multiline)) and plain_fits:
        return "", text
    if style == "|" and not flow and not key:
        return "|", text
    if not style and ("'" in text or "\n" in text):
        return '"', text  # ruamel's scalar analysis always allows double quotes
    if (not style or style == "'") and single and not (key and multiline):
        return "'", text
    return '"', text


def _double_quoted(text: str) -> str:
    out = ['"']
    start = 0
    for end, ch in enumerate(text):
        if ch in '"\\\x85\u2028\u2029\ufeff' or not (
            "\x20" <= ch <= "\x7e"
            or "\xa0" <= ch <= "\ud7ff"
            or "\ue000" <= ch <= "\ufffd"
            or "\U00010000" <= ch <= "\U0010ffff"
        ):
            out.append(text[start:end])
            if ch in _ESCAPES:
                out.append("\\" + _ESCAPES[ch])
            elif ch <= "\xff":
                out.append(f"\\x{ord(ch):02X}")
            elif ch <= "\uffff":
                out.append(f"\\u{ord(ch):04X}")
            else:
                out.append(f"\\U{ord(ch):08X}")
            start = end + 1
    out.append(text[start:])
    out.append('"')
    return "".join(out)


def _inline(value: Any, flow: bool, key: bool = False) -> str:
    """A scalar written on one line."""
    return _rendered(type(value).__name__, value, flow, key)


@lru_cache(maxsize=65536)
def _rendered(kind: str, value: Any, flow: bool, key: bool) -> str:
    # `kind` keeps apart values that are equal but written differently (1, 1.0, True; str subclasses).
    style, text = _style(value, flow, key)
    if style == "":
        return text
    if style == "'":
        if any(ch in _BREAKS for ch in text):
            raise Unsupported
        return "'" + text.replace("'", "''") + "'"
    if style == '"':
        if len(text) > 100_000:
            raise Unsupported  # ruamel would start folding at its line width
        return _double_quoted(text)
    raise Unsupported


def _literal(text: str, indent: int, out: list[str]) -> None:
    """`|` and its hints (the rest of the current line), then the text's lines at `indent`."""
    if text[0] in " \n\x85\u2028\u2029" or any(ch in "\x85\u2028\u2029" for ch in text):
        raise Unsupported
    if text[-1] != "\n":
        hints = "-"
    elif len(text) == 1 or text[-2] == "\n":
        raise Unsupported  # keep-chomping ends the document with `...` in ruamel
    else:
        hints = ""
    out.append(f"|{hints}\n")
    pad = " " * indent
    for line in text.removesuffix("\n").split("\n"):
        out.append(f"{pad}{line}\n" if line else "\n")


def _is_flow(node: CommentedMap | CommentedSeq) -> bool:
    return not node or bool(node.fa.flow_style())


def _flow(node: Any) -> str:
    if isinstance(node, CommentedMap):
        return "{" + ", ".join(f"{_inline(k, True, True)}: {_flow(v)}" for k, v in node.items()) + "}"
    if isinstance(node, CommentedSeq):
        return "[" + ", ".join(_flow(item) for item in node) + "]"
    if isinstance(node, (dict, list)):
        raise Unsupported
    return _inline(node, True)


def _value(value: Any, indent: int, out: list[str]) -> None:
    """What follows `key:` (or `- ` when `indent` is an item's content column), to the end of its lines;
    `indent` is the column nested block content starts at."""
    if isinstance(value, (CommentedMap, CommentedSeq)):
        if _is_flow(value):
            out.append(f" {_flow(value)}\n")
        elif isinstance(value, CommentedMap):
            out.append("\n")
            _block_map(value, indent, out)
        else:
            out.append("\n")
            _block_seq(value, indent - _MAP_INDENT + _SEQ_OFFSET, out)
    elif isinstance(value, (dict, list)):
        raise Unsupported
    elif isinstance(value, LiteralScalarString):
        out.append(" ")
        _literal(str(value), indent, out)
    else:
        out.append(f" {_inline(value, False)}\n")


def _block_map(node: CommentedMap, column: int, out: list[str], first_inline: bool = False) -> None:
    pad = " " * column
    for i, (key, value) in enumerate(node.items()):
        if i or not first_inline:
            out.append(pad)
        out.append(_inline(key, False, True) + ":")
        _value(value, column + _MAP_INDENT, out)


def _block_seq(node: CommentedSeq, dash: int, out: list[str]) -> None:
    pad = " " * dash
    content = dash + 2
    for item in node:
        out.append(pad + "-")
        if isinstance(item, CommentedMap) and not _is_flow(item):
            out.append(" ")
            _block_map(item, content, out, first_inline=True)
        elif isinstance(item, CommentedSeq) and not _is_flow(item):
            raise Unsupported
        else:
            _value(item, content, out)


def emit(root: CommentedMap) -> str:
    """The text ruamel's canonical emitter writes for `root`; raises Unsupported
    for what it leaves to ruamel."""
    if not root:
        raise Unsupported
    out: list[str] = []
    _block_map(root, 0, out)
    return "".join(out)


# -- the plain tree (writer.plain_tree): dicts, lists, Flow nodes and scalars ------------
def _flow_quoted(value: Any) -> str:
    """A scalar in a flow the writer quotes (`writer._flow_scalar`)."""
    if type(value) is str:
        return _quoted_in_flow(value)
    return _inline(value, True)


@lru_cache(maxsize=65536)
def _quoted_in_flow(value: str) -> str:
    from stageline.formats.writer import _flow_scalar

    return _inline(_flow_scalar(value), True)


def _flow_plain(node: Any, quoted: bool) -> str:
    kind = type(node)
    if kind is Flow:
        return _flow_plain(node.node, quoted or node.quoted)
    if kind is dict:
        return "{" + ", ".join(f"{_inline(k, True, True)}: {_flow_plain(v, quoted)}" for k, v in node.items()) + "}"
    if kind is list:
        return "[" + ", ".join(_flow_plain(item, quoted) for item in node) + "]"
    if isinstance(node, (dict, list)):
        raise Unsupported
    return _flow_quoted(node) if quoted else _inline(node, True)


def _value_plain(value: Any, indent: int, out: list[str]) -> None:
    """`_value` for the plain tree."""
    kind = type(value)
    if kind is str:
        out.append(f" {_inline(value, False)}\n")
    elif kind is Flow:
        out.append(f" {_flow_plain(value.node, value.quoted)}\n")
    elif kind is dict:
        if value:
            out.append("\n")
            _block_map_plain(value, indent, out)
        else:
            out.append(" {}\n")
    elif kind is list:
        if value:
            out.append("\n")
            _block_seq_plain(value, indent - _MAP_INDENT + _SEQ_OFFSET, out)
        else:
            out.append(" []\n")
    elif isinstance(value, (dict, list)):
        raise Unsupported
    elif kind is LiteralScalarString:
        out.append(" ")
        _literal(str(value), indent, out)
    else:
        out.append(f" {_inline(value, False)}\n")


def _block_map_plain(node: dict[Any, Any], column: int, out: list[str], first_inline: bool = False) -> None:
    pad = " " * column
    nested = column + _MAP_INDENT
    for i, (key, value) in enumerate(node.items()):
        if i or not first_inline:
            out.append(pad)
        out.append(_inline(key, False, True) + ":")
        _value_plain(value, nested, out)


def _block_seq_plain(node: list[Any], dash: int, out: list[str]) -> None:
    pad = " " * dash + "-"
    content = dash + 2
    for item in node:
        out.append(pad)
        kind = type(item)
        if kind is dict and item:
            out.append(" ")
            _block_map_plain(item, content, out, first_inline=True)
        elif kind is list and item:
            raise Unsupported
        else:
            _value_plain(item, content, out)


def emit_plain(root: dict[str, Any]) -> str:
    """The text ruamel's canonical emitter writes for the plain tree `root`
    (`writer.plain_tree`); raises Unsupported for what it leaves to ruamel."""
    if not root:
        raise Unsupported
    out: list[str] = []
    _block_map_plain(root, 0, out)
    return "".join(out)
