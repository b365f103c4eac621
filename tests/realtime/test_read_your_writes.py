"""Read-your-writes: once the live room has acknowledged an edit, every read path
— the REST document and its ETag, the blueprint page, renders, downloads and
share links — shows it at once, on this process and on any other serving the
same PostgreSQL database; a write still holding the pre-edit ETag gets 412."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from websockets.sync.client import connect as ws_connect

from helpers.live import LiveClient, connect, messages, session_headers
from helpers.live_server import ServerProcess, populate, postgres_schema
from helpers.server import World, token_for

EDIT = {"op": "set", "target": "registration", "field": "actor", "value": "Night porter"}
RENAME = [{"op": "set", "target": "registration", "field": "text", "value": "Late write"}]


def actor_of_registration(document: object) -> object:
    """The actor of card 'registration', wherever the document form puts it."""
    if isinstance(document, dict):
        if document.get("id") == "registration":
            return document.get("actor")
        document = list(document.values())
    if isinstance(document, list):
        for part in document:
            found = actor_of_registration(part)
            if found is not None:
                return found
    return None


def test_an_acknowledged_live_edit_shows_in_every_read_at_once(
    live_app: FastAPI, live_client: TestClient, live_world: World
) -> None:
    bp = live_world.blueprint_id
    api = token_for(live_app, live_world.owner)
    before = live_client.get(f"/api/blueprints/{bp}", headers=api)
    assert actor_of_registration(before.json()["document"]) == "Front desk clerk"
    stale_tag = before.headers["etag"]
    share = live_app.state.services.sharing.create_link(live_world.owner, bp)
    with connect(live_client, bp, session_headers(live_app, live_world.owner)) as socket:
        editor = LiveClient(socket)
        editor.hello()
        editor.until("op", client_op_id=editor.edit(EDIT))
        # The room stays open (no checkpoint yet): the reads must not wait for one.
        after = live_client.get(f"/api/blueprints/{bp}", headers=api)
        assert actor_of_registration(after.json()["document"]) == "Night porter"
        assert after.headers["etag"] != stale_tag
        yaml = live_client.get(f"/api/blueprints/{bp}?format=yaml", headers=api)
        assert "Night porter" in yaml.text and yaml.headers["etag"] == after.headers["etag"]
        assert "Night porter" in live_client.get(f"/api/blueprints/{bp}/render?format=svg", headers=api).text
        browser = session_headers(live_app, live_world.owner)
        assert "Night porter" in live_client.get(f"/b/{bp}", headers=browser).text
        assert "Night porter" in live_client.get(f"/b/{bp}/download.yaml", headers=browser).text
        assert "Night porter" in live_client.get(f"/s/{share.token}").text
        # A write with the ETag read before the edit is refused, with the one read after it accepted.
        stale = live_client.post(
            f"/api/blueprints/{bp}/operations", json={"operations": RENAME}, headers={**api, "If-Match": stale_tag}
        )
        assert stale.status_code == 412, stale.text
        current = {**api, "If-Match": after.headers["etag"]}
        fresh = live_client.post(f"/api/blueprints/{bp}/operations", json={"operations": RENAME}, headers=current)
        assert fresh.status_code == 200, fresh.text
        # And the room takes the REST write in, as before.
        editor.until("op", seq=fresh.json()["seq"])


@pytest.mark.postgres
def test_an_edit_acknowledged_on_one_process_reads_back_on_another(tmp_path: Path) -> None:
    with postgres_schema() as url:
        instance = populate(url)
        token = instance.services.accounts.create_token(instance.actor("owner"), "live").token
        auth = {"Authorization": f"Bearer {token}"}
        bp = instance.world.blueprint_id
        one = ServerProcess(url, tmp_path / "one.log").start()
        two = ServerProcess(url, tmp_path / "two.log").start()
        try:
            stale_tag = httpx.get(f"{two.url}/api/blueprints/{bp}", headers=auth, timeout=20).headers["etag"]
            with ws_connect(f"{one.ws}/api/blueprints/{bp}/live", additional_headers=auth, open_timeout=20) as socket:
                socket.send(json.dumps({"type": "hello", "client_id": "ana", "seq": 0, "pending": []}))
                socket.send(json.dumps({"type": "op", "id": "ana:1", "op": EDIT}))
                acknowledged = False
                while not acknowledged:
                    acknowledged = any(m.get("client_op_id") == "ana:1" for m in messages(socket.recv(timeout=30)))
                after = httpx.get(f"{two.url}/api/blueprints/{bp}", headers=auth, timeout=20)
                assert actor_of_registration(after.json()["document"]) == "Night porter"
                assert after.headers["etag"] != stale_tag
                stale = httpx.post(
                    f"{two.url}/api/blueprints/{bp}/operations",
                    json={"operations": RENAME},
                    headers={**auth, "If-Match": stale_tag},
                    timeout=20,
                )
                assert stale.status_code == 412, stale.text
        finally:
            one.stop()
            two.stop()
