"""The live editor's wire protocol: JSON text messages over a WebSocket.

A client sends one message per frame. The server sends one per frame too,
or, when several are waiting for a connection, a JSON array of them in order
(a busy room sends fewer, larger frames).

Client → server
    {"type": "hello", "client_id": str, "seq": int, "pending": [message ids]}
    {"type": "op", "id": str, "op": {operation JSON}}
    {"type": "presence", "selection": [element ids]}
    {"type": "cursor", "pointer": [x, y] | null, "typing": element id | null}   (at most ~10 a second)
    {"type": "ping"}

Server → client
    {"type": "welcome", "seq", "snapshot", "applied", "role", "you", "people"}
    {"type": "op", "seq", "op", "client_op_id", "user"}
    {"type": "reject", "id", "message"}
    {"type": "snapshot", "seq", "snapshot"}   (the document was replaced: reset, keep pending)
    {"type": "presence", "people": [{"client_id", "name", "color", "selection", "role"}]}
    {"type": "cursor", "client_id", "pointer", "typing"}   (someone else's pointer on the board, and what they type in)
    {"type": "comments"}   (a comment thread was started, replied to, resolved or reopened: refetch them)
    {"type": "error", "message", "code"}
    {"type": "pong"}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from stageline.model import Blueprint, OperationError, parse_operation
from stageline.model.operations import Operation
from stageline.model.text import MAX_DEPTH, text_problem

MAX_ID = 100
MAX_PENDING = 5000
MAX_SELECTION = 500

# Distinct on white and on the editor's card colours; a person keeps theirs.
PALETTE = (
    "#d1495b",
    "#00798c",
    "#edae49",
    "#66a182",
    "#8e5ea2",
    "#2e4057",
    "#f28f3b",
    "#3c91e6",
    "#9c6644",
    "#c8553d",
)


class ProtocolError(ValueError):
    """A message this server does not understand; the text says what is wrong."""


@dataclass(frozen=True)
class Hello:
    client_id: str
    seq: int
    pending: list[str]


@dataclass(frozen=True)
class OpMessage:
    """An edit; `problem` says why `op` is None (it did not parse)."""

    id: str
    op: Operation | None
    problem: str | None = None


@dataclass(frozen=True)
class Presence:
    selection: list[str]


@dataclass(frozen=True)
class Cursor:
    """Where someone's pointer is on the board (unzoomed board pixels), and the
    card or cell ("step|lane") they are typing in."""

    pointer: tuple[float, float] | None
    typing: str | None


@dataclass(frozen=True)
class Ping:
    """A keep-alive; answered with a pong."""


ClientMessage = Hello | OpMessage | Presence | Cursor | Ping


def colour_for(user_id: int) -> str:
    return PALETTE[user_id % len(PALETTE)]


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def wire_json(blueprint: Blueprint) -> str:
    """The document as the editor holds it (the JSON form of the model)."""
    return blueprint.model_dump_json(by_alias=True, exclude_none=True)


def with_document(message: dict[str, Any], snapshot: str) -> str:
    """`message` with "snapshot" set to already-encoded JSON (no second round trip)."""
    head = encode(message)
    return f'{head[:-1]},"snapshot":{snapshot}}}'


def _id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        raise ProtocolError(f"{what} must be a string of 1 to {MAX_ID} characters")
    if problem := text_problem(value):
        raise ProtocolError(f"{what} {problem}")
    return value


def _ids(value: object, what: str, limit: int) -> list[str]:
    if not isinstance(value, list) or len(value) > limit:
        raise ProtocolError(f"{what} must be a list of at most {limit} ids")
    return [_id(item, f"each of {what}") for item in value]


def parse_message(text: str) -> ClientMessage:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProtocolError(f"messages are JSON objects; this one is not valid JSON ({error.msg})") from None
    except RecursionError:
        raise ProtocolError(f"messages nest at most {MAX_DEPTH} levels deep") from None
    if not isinstance(data, dict):
        raise ProtocolError("messages are JSON objects with a 'type'")
    kind = data.get("type")
    if kind == "op":
        message_id = _id(data.get("id"), "an operation's 'id'")
        if not isinstance(data.get("op"), dict):
            raise ProtocolError("an 'op' message carries the operation as an object in 'op'")
        try:
            op = parse_operation(data["op"])
        except OperationError as error:
            return OpMessage(message_id, None, str(error))
        return OpMessage(message_id, op)
    if kind == "presence":
        return Presence(_ids(data.get("selection", []), "'selection'", MAX_SELECTION))
    if kind == "cursor":
        return _cursor(data)
    if kind == "hello":
        seq = data.get("seq", 0)
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ProtocolError("'seq' in hello is the last sequence number the client has, 0 or more")
        return Hello(
            _id(data.get("client_id"), "'client_id'"), seq, _ids(data.get("pending", []), "'pending'", MAX_PENDING)
        )
    if kind == "ping":
        return Ping()
    raise ProtocolError(f"unknown message type {kind!r}; expected hello, op, presence, cursor or ping")


MAX_POINTER = 1_000_000.0


def _cursor(data: dict[str, Any]) -> Cursor:
    pointer = data.get("pointer")
    if pointer is not None:
        if (
            not isinstance(pointer, list)
            or len(pointer) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pointer)
            or not all(-MAX_POINTER <= v <= MAX_POINTER for v in pointer)
        ):
            raise ProtocolError("a cursor's 'pointer' is [x, y], two numbers on the board, or null")
        pointer = (float(pointer[0]), float(pointer[1]))
    typing = data.get("typing")
    if typing is not None:
        typing = _id(typing, "a cursor's 'typing'")
    return Cursor(pointer, typing)
