"""The live endpoint in process: the protocol, permissions, ordering and storage."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers.live import LiveClient, connect, eventually, session_headers
from helpers.server import World, token_for
from stageline.server.db.models import OperationRecord, Version


def test_edits_are_stored_ordered_and_broadcast(live_app: FastAPI, live_client: TestClient, live_world: World) -> None:
    bp = live_world.blueprint_id
    with (
        connect(live_client, bp, session_headers(live_app, live_world.owner)) as a_socket,
        connect(live_client, bp, session_headers(live_app, live_world.people["editor"])) as b_socket,
    ):
        a, b = LiveClient(a_socket), LiveClient(b_socket)
        welcome = a.hello()
        assert welcome["seq"] == 1 and welcome["role"] == "owner" and welcome["snapshot"]["title"]
        b.hello()
        first = a.edit({"op": "set", "target": "registration", "field": "actor", "value": "Night porter"})
        second = b.edit({"op": "set", "target": "registration", "field": "actor", "value": "Concierge"})
        for client in (a, b):
            one = client.until("op", client_op_id=first)
            two = client.until("op", client_op_id=second)
            assert (one["seq"], two["seq"]) == (2, 3)
            assert one["user"]["name"] == "Owner" and two["user"]["name"] == "Editor"
    services = live_app.state.services
    with services.db.read() as session:
        rows = session.scalars(select(OperationRecord).where(OperationRecord.blueprint_id == bp)).all()
        assert [(r.seq, r.kind, r.client_op_id) for r in rows][1:] == [(2, "live", first), (3, "live", second)]


def test_last_one_out_stores_a_checkpoint_with_a_summary(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    bp = live_world.blueprint_id
    with connect(live_client, bp, session_headers(live_app, live_world.owner)) as socket:
        editor = LiveClient(socket)
        editor.hello()
        added = editor.edit(
            {"op": "add_card", "step": "check-in", "lane": "frontstage", "card": {"id": "smile", "text": "Smile"}}
        )
        editor.until("op", client_op_id=added)
    services = live_app.state.services

    def stored() -> None:
        opened = services.blueprints.open(live_world.owner, bp)
        assert opened.record.version == 2 and opened.blueprint.card("smile").text == "Smile"

    eventually(stored)
    with services.db.read() as session:
        version = session.get(Version, (bp, 2))
        assert version is not None and version.kind == "live" and version.author_id == live_world.owner.id
        assert version.summary.startswith("Live edits by Owner: 1 change — Added card 'Smile'")


def test_viewers_and_commenters_are_refused_edits(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    for role in ("viewer", "commenter"):
        with connect(live_client, live_world.blueprint_id, session_headers(live_app, live_world.people[role])) as s:
            client = LiveClient(s)
            assert client.hello()["role"] == role
            message_id = client.edit({"op": "set", "target": "registration", "field": "text", "value": "Hijacked"})
            reject = client.until("reject", id=message_id)
            assert reject["message"] == f"you are a {role} of this blueprint: only editors and owners can change it"
    opened = live_app.state.services.blueprints.open(live_world.owner, live_world.blueprint_id)
    assert opened.blueprint.card("registration").text != "Hijacked"


def test_an_edit_that_does_not_fit_is_rejected_with_the_models_reason(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    with connect(live_client, live_world.blueprint_id, session_headers(live_app, live_world.owner)) as socket:
        client = LiveClient(socket)
        client.hello()
        missing = client.edit({"op": "remove_card", "id": "no-such-card"})
        assert "no-such-card" in client.until("reject", id=missing)["message"]
        garbled = client.edit({"op": "teleport"})
        assert "invalid operation" in client.until("reject", id=garbled)["message"]
        client.socket.send_text("not json")
        assert "not valid JSON" in client.until("error")["message"]
        ok = client.edit({"op": "set", "target": "registration", "field": "emotion", "value": -1})
        assert client.until("op", client_op_id=ok)["seq"] == 2  # refusals take no seq


def test_a_resent_edit_is_applied_once(live_app: FastAPI, live_client: TestClient, live_world: World) -> None:
    bp = live_world.blueprint_id
    headers = session_headers(live_app, live_world.owner)
    op = {"op": "add_card", "step": "check-in", "lane": "support", "card": {"id": "pms", "text": "PMS"}}
    with connect(live_client, bp, headers) as socket:
        client = LiveClient(socket, "tab-1")
        client.hello()
        client.edit(op, "tab-1:1")
        client.until("op", client_op_id="tab-1:1")
    with connect(live_client, bp, headers) as socket:
        again = LiveClient(socket, "tab-1")
        welcome = again.hello(seq=1, pending=["tab-1:1", "tab-1:2"])
        assert welcome["applied"] == ["tab-1:1"] and welcome["seq"] == 2
        again.edit(op, "tab-1:1")  # a resend the client should not have made: ignored
        marker = again.edit({"op": "set", "target": "pms", "field": "actor", "value": "IT"}, "tab-1:2")
        assert again.until("op", client_op_id=marker)["seq"] == 3
        assert not [m for m in again.seen if m.get("type") == "op" and m["client_op_id"] == "tab-1:1"]


def test_rest_writes_reach_the_room_and_keep_live_edits(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    bp = live_world.blueprint_id
    api = token_for(live_app, live_world.owner)
    with connect(live_client, bp, session_headers(live_app, live_world.people["editor"])) as socket:
        client = LiveClient(socket)
        client.hello()
        live = client.edit({"op": "set", "target": "registration", "field": "actor", "value": "Live actor"})
        client.until("op", client_op_id=live)
        stale = live_client.post(
            f"/api/blueprints/{bp}/operations",
            json={"operations": [{"op": "set", "target": "registration", "field": "pain", "value": "Queue"}]},
            headers={**api, "If-Match": '"1"'},
        )
        assert stale.status_code == 412  # version 1 did not have the live edit
        response = live_client.post(
            f"/api/blueprints/{bp}/operations",
            json={"operations": [{"op": "set", "target": "registration", "field": "pain", "value": "Queue"}]},
            headers=api,
        )
        assert response.status_code == 200, response.text
        rest = client.until("op", seq=3)
        assert rest["op"] == {"op": "set", "target": "registration", "field": "pain", "value": "Queue"}
        assert rest["client_op_id"] is None and rest["user"]["name"] == "Owner"
        opened = live_app.state.services.blueprints.open(live_world.owner, bp)
        card = opened.blueprint.card("registration")
        assert card.actor == "Live actor" and card.pain == "Queue"
        # The live edit and the REST write were applied to copies: version 1, as the cache
        # shares it, is as it was (its card without either change).
        _, first = live_app.state.services.blueprints.version(live_world.owner, bp, 1)
        original = first.card("registration")
        assert original.actor != "Live actor" and original.pain != "Queue"
        replaced = live_client.post(f"/api/blueprints/{bp}/versions/1/restore", headers=api)
        assert replaced.status_code == 200, replaced.text
        snapshot = client.until("snapshot")
        assert snapshot["seq"] == 4 and snapshot["snapshot"]["title"] == opened.blueprint.title
        restored = live_app.state.services.blueprints.open(live_world.owner, bp).blueprint.card("registration")
        assert (restored.actor, restored.pain) == (original.actor, original.pain)
    versions = live_client.get(f"/api/blueprints/{bp}/versions", headers=api).json()
    assert [v["summary"].split(":")[0] for v in versions][-2:] == ["Live edits by Editor", "Created in a test"]


@pytest.mark.parametrize("origin", ["http://evil.example", None])
def test_a_cookie_from_another_site_is_refused(
    live_app: FastAPI, live_client: TestClient, live_world: World, origin: str | None
) -> None:
    headers = session_headers(live_app, live_world.owner)
    if origin is None:
        del headers["origin"]
    else:
        headers["origin"] = origin
    with connect(live_client, live_world.blueprint_id, headers) as socket:
        error = socket.receive_json()
        assert error["type"] == "error" and error["code"] == 4403


def test_scripts_use_a_token_and_strangers_see_nothing(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    token = token_for(live_app, live_world.owner)["Authorization"].split()[1]
    url = f"/api/blueprints/{live_world.blueprint_id}/live"
    with live_client.websocket_connect(f"{url}?token={token}") as socket:
        assert LiveClient(socket).hello()["role"] == "owner"
    with live_client.websocket_connect(url) as socket:
        assert socket.receive_json()["code"] == 4401
    outsider = token_for(live_app, live_world.people["outsider"])
    with live_client.websocket_connect(url, headers=outsider) as socket:
        assert socket.receive_json()["code"] == 4404


def test_presence_lists_people_with_their_selection(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    bp = live_world.blueprint_id
    with connect(live_client, bp, session_headers(live_app, live_world.owner)) as a_socket:
        a = LiveClient(a_socket, "ana")
        ana = a.hello()["you"]
        with connect(live_client, bp, session_headers(live_app, live_world.people["viewer"])) as b_socket:
            b = LiveClient(b_socket, "ben")
            assert [p["name"] for p in b.hello()["people"]] == ["Owner", "Viewer"]
            b.socket.send_json({"type": "presence", "selection": ["registration"]})
            people = a.until("presence")["people"]
            while len(people) < 2 or people[-1]["selection"] != ["registration"]:
                people = a.until("presence")["people"]
            assert people[-1]["name"] == "Viewer" and people[-1]["color"].startswith("#")
        # Presence names connections by an id of their own, never their client id.
        assert [p["client_id"] for p in a.until("presence")["people"]] == [ana["presence_id"]] != ["ana"]
        a.socket.send_json({"type": "ping"})
        a.until("pong")


def test_operation_json_in_the_log_is_normalised(live_app: FastAPI, live_client: TestClient, live_world: World) -> None:
    with connect(live_client, live_world.blueprint_id, session_headers(live_app, live_world.owner)) as socket:
        client = LiveClient(socket)
        client.hello()
        sent = client.edit({"op": "set", "target": "registration", "field": "duration", "value": "4m"})
        broadcast = client.until("op", client_op_id=sent)
    assert broadcast["op"]["value"] == 240
    with live_app.state.services.db.read() as session:
        row = session.get(OperationRecord, (live_world.blueprint_id, broadcast["seq"]))
        assert row is not None and json.loads(row.ops) == [broadcast["op"]]


def test_an_open_room_keeps_its_document_out_of_full_collections(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    import gc

    bp = live_world.blueprint_id
    with connect(live_client, bp, session_headers(live_app, live_world.owner)) as socket:
        LiveClient(socket).hello()
        model = live_app.state.hub.rooms[bp].model
        # A full pass of the collector walks generation 2; frozen objects are in none.
        assert not any(found is model for found in gc.get_objects(generation=2))
        assert gc.get_freeze_count() > 0


def test_a_live_batch_is_applied_once_and_described_step_by_step(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    """A batch that adds a card and changes it is accepted (describing it used to apply it
    too, so applying it found the card already there) and the room's document has it once."""
    bp = live_world.blueprint_id
    batch = {
        "op": "batch",
        "ops": [
            {"op": "add_card", "step": "check-in", "lane": "support", "card": {"id": "pms", "text": "PMS"}},
            {"op": "set", "target": "pms", "field": "actor", "value": "IT"},
        ],
    }
    with connect(live_client, bp, session_headers(live_app, live_world.owner)) as socket:
        client = LiveClient(socket)
        client.hello()
        message_id = client.edit(batch)
        assert client.until("op", client_op_id=message_id)["seq"] == 2
        assert not [m for m in client.seen if m.get("type") == "reject"]
    services = live_app.state.services

    def stored() -> None:
        with services.db.read() as session:
            version = session.get(Version, (bp, 2))
            assert version is not None
            assert version.summary == (
                "Live edits by Owner: 1 change — "
                "Added card 'PMS' to check-in / Support processes; Changed actor of card 'PMS'"
            )

    eventually(stored)
    blueprint = services.blueprints.open(live_world.owner, bp).blueprint
    assert blueprint.card("pms").actor == "IT"
    assert [card.id for _, card in blueprint.cards()].count("pms") == 1
