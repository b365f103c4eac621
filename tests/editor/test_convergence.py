"""Editors converge: the browser's SharedDocument against an authoritative model.

Python plays the server with the real model (ordering, validating, normalising
and broadcasting operations); three SharedDocuments in Chromium edit at once,
undo and redo, have operations refused, lose their connection and resend.
Messages are delivered in random interleavings. At the end every editor shows
exactly the server's document and nothing is pending.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page

from helpers.blueprints import small_blueprint
from helpers.operations import operation
from stageline.model import Blueprint
from stageline.model.operations import OperationError, parse_operation

pytestmark = pytest.mark.browser
CLIENTS = 3

SETUP = """async ([snapshot, count]) => {
  const { SharedDocument } = await import('/editor/document.js');
  window.docs = [...Array(count).keys()].map((i) => new SharedDocument({ snapshot, seq: 0, clientId: `c${i}` }));
}"""
CALL = """([i, method, args]) => {
  const doc = window.docs[i];
  try { return { ok: true, value: doc[method](...args) ?? null }; }
  catch (error) { if (error.name === 'Error' && error.constructor.name === 'OpError') return { ok: false };
                  throw error; }
}"""
STATE = (
    "(i) => ({ view: window.docs[i].view, confirmed: window.docs[i].confirmed,"
    " pending: window.docs[i].pending.length, seq: window.docs[i].seq })"
)


def wire(bp: Blueprint) -> dict[str, Any]:
    return json.loads(bp.model_dump_json(by_alias=True, exclude_none=True))


@dataclass
class Server:
    """The server's side of the protocol, with the real model as the authority."""

    bp: Blueprint
    seq: int = 0
    applied: dict[str, int] = field(default_factory=dict)  # message id -> seq

    def submit(self, message: dict[str, Any]) -> tuple[str, Any]:
        if message["id"] in self.applied:
            return "duplicate", None
        op = parse_operation(message["op"])
        try:
            op.apply(self.bp)
        except OperationError:
            return "reject", message["id"]
        self.seq += 1
        self.applied[message["id"]] = self.seq
        return "broadcast", {"seq": self.seq, "op": op.to_json(), "client_op_id": message["id"]}


class Editors:
    def __init__(self, page: Page, server: Server) -> None:
        self.page, self.server = page, server
        self.outbox: list[list[dict[str, Any]]] = [[] for _ in range(CLIENTS)]
        self.inbox: list[list[tuple[str, Any]]] = [[] for _ in range(CLIENTS)]
        page.evaluate(SETUP, [wire(server.bp), CLIENTS])

    def call(self, i: int, method: str, *args: Any) -> dict[str, Any]:
        return self.page.evaluate(CALL, [i, method, list(args)])

    def state(self, i: int) -> dict[str, Any]:
        return self.page.evaluate(STATE, i)

    def send(self, i: int) -> None:
        kind, payload = self.server.submit(self.outbox[i].pop(0))
        if kind == "reject":
            self.inbox[i].append(("reject", payload))
        elif kind == "broadcast":
            for j in range(CLIENTS):
                self.inbox[j].append(("op", payload))

    def deliver(self, i: int) -> None:
        kind, payload = self.inbox[i].pop(0)
        if kind == "reject":
            self.call(i, "reject", payload)
        elif self.call(i, "receive", payload)["value"] == "resync":
            self.reconnect(i)

    def reconnect(self, i: int) -> None:
        """The connection dropped: in-flight messages are lost both ways."""
        self.outbox[i].clear()
        self.inbox[i].clear()
        applied = [mid for mid in self.server.applied if mid.startswith(f"c{i}:")]
        self.call(i, "reset", wire(self.server.bp), self.server.seq, applied)
        self.outbox[i].extend(self.call(i, "unsent")["value"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_editors_converge_on_the_servers_document(js_page: Page, data: st.DataObject) -> None:
    server = Server(small_blueprint())
    editors = Editors(js_page, server)
    for _ in range(data.draw(st.integers(5, 30))):
        i = data.draw(st.integers(0, CLIENTS - 1))
        action = data.draw(
            st.sampled_from(
                ["edit", "edit", "edit", "undo", "redo", "send", "send", "deliver", "deliver", "deliver", "reconnect"]
            )
        )
        if action == "edit":
            view = Blueprint.model_validate(editors.state(i)["view"])
            result = editors.call(i, "edit", data.draw(operation(view)).to_json())
            if result["ok"]:
                editors.outbox[i].append(result["value"])
        elif action in ("undo", "redo"):
            result = editors.call(i, action)
            if result["ok"] and result["value"]:
                editors.outbox[i].append(result["value"])
        elif action == "send" and editors.outbox[i]:
            editors.send(i)
        elif action == "deliver" and editors.inbox[i]:
            editors.deliver(i)
        elif action == "reconnect":
            editors.reconnect(i)
    # Let the network settle.
    while any(editors.outbox) or any(editors.inbox):
        for i in range(CLIENTS):
            while editors.outbox[i]:
                editors.send(i)
        for i in range(CLIENTS):
            while editors.inbox[i]:
                editors.deliver(i)
    expected = wire(server.bp)
    for i in range(CLIENTS):
        state = editors.state(i)
        assert state["pending"] == 0
        assert state["seq"] == server.seq
        assert state["confirmed"] == expected
        assert state["view"] == expected


def test_undo_touches_only_my_own_changes(js_page: Page) -> None:
    server = Server(small_blueprint())
    editors = Editors(js_page, server)
    mine = editors.call(0, "edit", {"op": "set", "target": "registration", "field": "actor", "value": "Ana"})
    editors.outbox[0].append(mine["value"])
    theirs = editors.call(1, "edit", {"op": "set", "target": "check-in", "field": "title", "value": "Arrive"})
    editors.outbox[1].append(theirs["value"])
    for i in (1, 0):
        editors.send(i)
    for i in range(CLIENTS):
        while editors.inbox[i]:
            editors.deliver(i)
    editors.outbox[0].append(editors.call(0, "undo")["value"])
    editors.send(0)
    for i in range(CLIENTS):
        while editors.inbox[i]:
            editors.deliver(i)
    assert server.bp.card("registration").actor == "Front desk clerk"  # my change undone
    assert server.bp.step("check-in").title == "Arrive"  # theirs kept
    assert editors.call(1, "undo")["value"]["op"]["field"] == "title"  # they can still undo theirs
