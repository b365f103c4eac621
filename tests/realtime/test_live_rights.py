"""Rights taken away reach open live connections: an editor demoted to viewer
can no longer send edits; someone removed, whose token was revoked or who
signed out everywhere is disconnected with a reason and receives nothing
more. Client ids stay with their connection: presence does not show them, a
connection cannot take over another person's, and an edit carrying another
connection's id is refused."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from helpers.live import LiveClient, connect, session_headers
from helpers.server import World, token_for
from stageline.server.db.models import OperationRecord
from stageline.server.services.access import Role

SET = {"op": "set", "target": "registration", "field": "actor"}


def edit_value(value: str) -> dict[str, Any]:
    return {**SET, "value": value}


def stored_values(app: FastAPI, blueprint_id: int) -> list[str]:
    with app.state.services.db.read() as session:
        rows = session.scalars(select(OperationRecord.ops).where(OperationRecord.blueprint_id == blueprint_id))
        return [row for row in rows]


def closed_with(client: LiveClient) -> dict[str, Any]:
    """The error the server sent before closing this connection."""
    return client.until("error")


def test_a_demoted_editor_can_no_longer_edit(live_app: FastAPI, live_client: TestClient, live_world: World) -> None:
    bp, workspace = live_world.blueprint_id, live_world.workspace_id
    owner = token_for(live_app, live_world.owner)
    with connect(live_client, bp, session_headers(live_app, live_world.people["editor"])) as socket:
        editor = LiveClient(socket)
        assert editor.hello()["role"] == "editor"
        before = editor.edit(edit_value("Before demotion"))
        editor.until("op", client_op_id=before)
        demoted = live_client.put(f"/api/workspaces/{workspace}/members/editor", json={"role": "viewer"}, headers=owner)
        assert demoted.status_code == 200, demoted.text
        after = editor.edit(edit_value("After demotion"))
        reject = editor.until("reject", id=after)
        assert reject["message"] == "you are a viewer of this blueprint: only editors and owners can change it"
        assert any(m.get("type") == "role" and m["role"] == "viewer" for m in editor.seen)
        # Still a viewer: edits by others keep arriving.
        rest = live_client.post(
            f"/api/blueprints/{bp}/operations", json={"operations": [edit_value("Owner's change")]}, headers=owner
        )
        assert rest.status_code == 200, rest.text
        assert editor.until("op", client_op_id=None)["op"]["value"] == "Owner's change"
    assert not any("After demotion" in row for row in stored_values(live_app, bp))


def test_a_removed_member_is_disconnected_and_sees_no_more_edits(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    bp, workspace = live_world.blueprint_id, live_world.workspace_id
    owner_headers = session_headers(live_app, live_world.owner)
    owner_api = token_for(live_app, live_world.owner)
    with (
        connect(live_client, bp, owner_headers) as owner_socket,
        connect(live_client, bp, session_headers(live_app, live_world.people["viewer"])) as viewer_socket,
    ):
        owner, viewer = LiveClient(owner_socket), LiveClient(viewer_socket)
        owner.hello()
        viewer.hello()
        removed = live_client.delete(f"/api/workspaces/{workspace}/members/viewer", headers=owner_api)
        assert removed.status_code == 204, removed.text
        secret = owner.edit(edit_value("Secret after removal"))
        owner.until("op", client_op_id=secret)
        error = closed_with(viewer)
        assert error["code"] == 4403 and "no longer have access" in error["message"]
        assert not [m for m in viewer.seen if m.get("type") == "op"]


def test_a_revoked_token_closes_its_connection(live_app: FastAPI, live_client: TestClient, live_world: World) -> None:
    new = live_app.state.services.accounts.create_token(live_world.people["editor"], "script")
    url = f"/api/blueprints/{live_world.blueprint_id}/live"
    with live_client.websocket_connect(url, headers={"Authorization": f"Bearer {new.token}"}) as socket:
        script = LiveClient(socket)
        script.hello()
        revoked = live_client.delete(f"/api/tokens/{new.record.id}", headers={"Authorization": f"Bearer {new.token}"})
        assert revoked.status_code == 204, revoked.text
        attempt = script.edit(edit_value("With a revoked token"))
        error = closed_with(script)
        assert error["code"] == 4401 and "signed out" in error["message"]
        assert not [m for m in script.seen if m.get("type") == "op" and m["client_op_id"] == attempt]
    assert not any("revoked token" in row for row in stored_values(live_app, live_world.blueprint_id))


def test_signing_out_everywhere_closes_live_sessions(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    editor_actor = live_world.people["editor"]
    with connect(live_client, live_world.blueprint_id, session_headers(live_app, editor_actor)) as socket:
        editor = LiveClient(socket)
        editor.hello()
        live_app.state.services.accounts.end_all_sessions(editor_actor)
        editor.edit(edit_value("After signing out"))
        assert closed_with(editor)["code"] == 4401
    assert not any("After signing out" in row for row in stored_values(live_app, live_world.blueprint_id))


def test_a_revoked_grant_disconnects_a_guest(live_app: FastAPI, live_client: TestClient, live_world: World) -> None:
    bp = live_world.blueprint_id
    owner = token_for(live_app, live_world.owner)
    # A guest: not in the blueprint's workspace, but someone the owner knows from another.
    workspaces = live_app.state.services.workspaces
    elsewhere = workspaces.create(live_world.owner, "Side project")
    workspaces.accept(
        live_world.people["outsider"], workspaces.invite(live_world.owner, elsewhere.id, Role.VIEWER).token
    )
    granted = live_client.put(f"/api/blueprints/{bp}/grants/outsider", json={"role": "editor"}, headers=owner)
    assert granted.status_code == 200, granted.text
    with connect(live_client, bp, session_headers(live_app, live_world.people["outsider"])) as socket:
        guest = LiveClient(socket)
        assert guest.hello()["role"] == "editor"
        assert live_client.delete(f"/api/blueprints/{bp}/grants/outsider", headers=owner).status_code == 204
        guest.edit(edit_value("Guest after revocation"))
        assert closed_with(guest)["code"] == 4403


def test_rights_are_checked_again_for_many_connections_at_once(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    """Eight connections of one editor; a demotion reaches every one before its next edit, repeatedly."""
    bp, workspace = live_world.blueprint_id, live_world.workspace_id
    owner = token_for(live_app, live_world.owner)
    path = f"/api/workspaces/{workspace}/members/editor"
    for attempt in range(3):
        assert live_client.put(path, json={"role": "editor"}, headers=owner).status_code == 200
        sockets = [
            connect(live_client, bp, session_headers(live_app, live_world.people["editor"])).__enter__()
            for _ in range(8)
        ]
        try:
            clients = [LiveClient(socket) for socket in sockets]
            for client in clients:
                assert client.hello()["role"] == "editor"
            assert live_client.put(path, json={"role": "viewer"}, headers=owner).status_code == 200
            for client in clients:
                message_id = client.edit(edit_value(f"Demoted {attempt}"))
                assert "viewer" in client.until("reject", id=message_id)["message"]
        finally:
            for socket in sockets:
                socket.__exit__(None, None, None)
    assert not any("Demoted" in row for row in stored_values(live_app, bp))


def test_another_persons_client_id_is_not_taken_over(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    bp = live_world.blueprint_id
    with connect(live_client, bp, session_headers(live_app, live_world.people["editor"])) as editor_socket:
        editor = LiveClient(editor_socket, "editor-tab")
        assert editor.hello()["you"]["client_id"] == "editor-tab"
        for _ in range(2):
            with connect(live_client, bp, session_headers(live_app, live_world.people["viewer"])) as viewer_socket:
                viewer = LiveClient(viewer_socket, "editor-tab")
                issued = viewer.hello()["you"]["client_id"]
                assert issued != "editor-tab" and len(issued) >= 20
        # The editor was never knocked off: its edits still go through.
        sent = editor.edit(edit_value("Still here"))
        assert editor.until("op", client_op_id=sent)["op"]["value"] == "Still here"
        assert not [m for m in editor.seen if m.get("type") == "error"]
    # Later, with the editor gone, its client id still belongs to it (its edits are in the log).
    with connect(live_client, bp, session_headers(live_app, live_world.owner)) as owner_socket:
        owner = LiveClient(owner_socket, "editor-tab")
        assert owner.hello(pending=["editor-tab:1"])["you"]["client_id"] != "editor-tab"


def test_an_edit_with_another_connections_id_is_refused(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    bp = live_world.blueprint_id
    with (
        connect(live_client, bp, session_headers(live_app, live_world.people["editor"])) as victim_socket,
        connect(live_client, bp, session_headers(live_app, live_world.owner)) as attacker_socket,
    ):
        victim, attacker = LiveClient(victim_socket, "victim"), LiveClient(attacker_socket, "attacker")
        victim.hello()
        attacker.hello()
        forged = attacker.edit(edit_value("Forged"), "victim:1")
        assert "client id" in attacker.until("reject", id=forged)["message"]
        real = victim.edit(edit_value("Real"), "victim:1")
        assert victim.until("op", client_op_id=real)["op"]["value"] == "Real"
