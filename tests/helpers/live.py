"""Talking to the live editor's WebSocket from tests: hello, edits, and
reading until a message of some type arrives."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient, WebSocketTestSession

from stageline.model import Blueprint, BlueprintBuilder
from stageline.server.services.base import Actor

_counter = itertools.count()


def session_headers(app: FastAPI, actor: Actor, origin: str = "http://testserver") -> dict[str, str]:
    """A browser's headers: the session cookie of `actor` and a same-site Origin."""
    services = app.state.services
    new = services.accounts.start_session(services.accounts.user(actor.id))
    return {"cookie": f"stageline_session={new.token}", "origin": origin}


def messages(frame: str | bytes) -> list[dict[str, Any]]:
    """The messages in a frame from the server: one, or several in order in a JSON array."""
    data = json.loads(frame)
    return data if isinstance(data, list) else [data]


class LiveClient:
    """One editor on a TestClient WebSocket."""

    def __init__(self, socket: WebSocketTestSession, client_id: str | None = None) -> None:
        self.socket = socket
        self.client_id = client_id or f"test-{next(_counter)}"
        self.counter = 0
        self.seen: list[dict[str, Any]] = []
        self.inbox: list[dict[str, Any]] = []  # received, not yet read

    def hello(self, seq: int = 0, pending: list[str] | None = None) -> dict[str, Any]:
        self.socket.send_json({"type": "hello", "client_id": self.client_id, "seq": seq, "pending": pending or []})
        return self.until("welcome")

    def edit(self, op: dict[str, Any], message_id: str | None = None) -> str:
        self.counter += 1
        message_id = message_id or f"{self.client_id}:{self.counter}"
        self.socket.send_json({"type": "op", "id": message_id, "op": op})
        return message_id

    def until(self, kind: str, **match: Any) -> dict[str, Any]:
        """The next message of type `kind` (and with the given fields); earlier ones are kept in `seen`."""
        while True:
            if not self.inbox:
                self.inbox.extend(messages(self.socket.receive_text()))
            message = self.inbox.pop(0)
            self.seen.append(message)
            if message.get("type") == kind and all(message.get(key) == value for key, value in match.items()):
                return message


def connect(client: TestClient, blueprint_id: int, headers: dict[str, str]) -> WebSocketTestSession:
    return client.websocket_connect(f"/api/blueprints/{blueprint_id}/live", headers=headers)


def eventually(check: Callable[[], object], timeout: float = 180.0) -> None:
    """Wait until `check()` stops raising AssertionError (for what the server does after a reply).
    The deadline is generous, for a busy machine: it only matters when the check never holds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def large_blueprint(steps: int = 100) -> Blueprint:
    """Some 400 cards: well past the size that goes to the helper."""
    builder = BlueprintBuilder("Large stay", tolerance="8h")
    for n in range(steps):
        if n % 10 == 0:
            builder.stage(f"stage-{n // 10}", f"Stage {n // 10 + 1}")
        builder.step(
            f"step-{n}",
            customer={"text": f"Customer does thing {n}", "wait": "2m", "emotion": n % 5 - 2},
            frontstage={"text": f"Clerk answers {n}", "actor": "Front desk clerk", "duration": "3m"},
            backstage={"text": f"System records {n}", "actor": "Night auditor", "duration": "1m"},
            support=f"Property system {n}",
        )
    return builder.build()
