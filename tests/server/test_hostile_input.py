"""Hostile input never becomes a 500 and never reaches storage: ids beyond
the database's range, NUL, control characters and lone surrogates in every
way in (JSON bodies, forms, query strings, paths, YAML), JSON nested absurdly
deep, on SQLite and PostgreSQL. Errors name the field and never echo text
that cannot be encoded; a 500 keeps the connection."""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert

from helpers.live import LiveClient, connect, session_headers
from helpers.server import World, app_routes, fast_settings, token_for
from stageline.server import create_app
from stageline.server.db.models import BlueprintRecord, OperationRecord

HUGE = [2**31, 2**63, 2**64 + 5, -(2**70)]
POISON = {"NUL": "a\x00b", "lone surrogate": "x\ud800y", "control": "bell\x07"}
YAML = "application/yaml"


def raw_json(value: object) -> bytes:
    """JSON as a hostile client sends it: lone surrogates as escapes (valid JSON text)."""
    return json.dumps(value, ensure_ascii=True).encode()


def no_server_error(response: object) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status < 500, response.text  # type: ignore[attr-defined]


def test_huge_ids_in_every_route_are_404_or_422(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.owner)
    checked = 0
    for method, path in sorted(app_routes(app)):
        if "{" not in path or not re.search(r"\{(\w+_id|number)\}", path):
            continue
        for huge in HUGE:
            url = re.sub(r"\{(\w+_id|number)\}", str(huge), path)
            url = re.sub(r"\{\w+\}", "x", url)
            response = client.request(method, url, headers={**auth, "Content-Type": "application/json"}, content=b"{}")
            assert response.status_code in {400, 404, 405, 422}, f"{method} {url}: {response.status_code}"
            checked += 1
    assert checked > 100
    for query in ("since", "version"):
        response = client.get(f"/api/blueprints/{api_world.blueprint_id}/operations?{query}={2**63}", headers=auth)
        no_server_error(response)


@pytest.mark.parametrize("kind", list(POISON))
def test_poison_text_in_json_bodies_is_a_422_naming_the_field(
    client: TestClient, app: FastAPI, api_world: World, kind: str
) -> None:
    auth = {**token_for(app, api_world.owner), "Content-Type": "application/json"}
    bp, workspace = api_world.blueprint_id, api_world.workspace_id
    bad = POISON[kind]
    attempts = [
        ("POST", "/api/workspaces", {"name": bad}, "body.name"),
        ("PATCH", f"/api/workspaces/{workspace}", {"name": bad}, "body.name"),
        ("POST", "/api/tokens", {"name": bad}, "body.name"),
        ("POST", f"/api/blueprints/{bp}/comments", {"anchor": "registration", "body": bad}, "body.body"),
        (
            "POST",
            f"/api/blueprints/{bp}/operations",
            {"operations": [{"op": "set", "target": "registration", "field": "text", "value": bad}]},
            "body.operations.0.value",
        ),
        ("PUT", f"/api/blueprints/{bp}", {"stageline": 1, "title": bad}, "body.title"),
        ("POST", f"/api/workspaces/{workspace}/blueprints", {"stageline": 1, "title": "ok", bad: 1}, "body.(a key)"),
    ]
    for method, url, body, field in attempts:
        response = client.request(method, url, content=raw_json(body), headers=auth)
        assert response.status_code == 422, f"{method} {url}: {response.status_code} {response.text}"
        error = response.json()["error"]
        assert error["details"]["field"] == field
        assert kind.split()[-1].lower() in error["message"].lower() or "U+00" in error["message"]
    opened = api_world.services.blueprints.open(api_world.owner, bp)
    assert opened.record.version == 1  # nothing was stored


def test_poison_in_query_path_form_and_yaml(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.owner)
    workspace = api_world.workspace_id
    search = client.get(f"/api/workspaces/{workspace}/blueprints?q=a%00b", headers=auth)
    assert search.status_code == 422 and "'q'" in search.json()["error"]["message"]
    share = client.get("/s/a%00b", headers={"Accept": "application/json"})
    assert share.status_code == 422 and "NUL" in share.json()["error"]["message"]
    assert client.get("/s/a%00b").status_code == 400  # a page for browsers
    yaml = client.post(
        f"/api/workspaces/{workspace}/blueprints",
        content='stageline: 1\ntitle: "x\\ud800y"\n',
        headers={**auth, "Content-Type": YAML},
    )
    assert yaml.status_code == 422 and "surrogate" in yaml.json()["error"]["message"]
    yaml_nul = client.post(
        f"/api/workspaces/{workspace}/blueprints",
        content='stageline: 1\ntitle: "x\\0y"\n',
        headers={**auth, "Content-Type": YAML},
    )
    assert yaml_nul.status_code == 422 and "NUL" in yaml_nul.json()["error"]["message"]
    headers = session_headers(app, api_world.owner)
    cookie = headers["cookie"].split("=", 1)[1]
    client.cookies.set("stageline_session", cookie)
    try:
        form = client.post(
            "/workspaces/new",
            content=b"name=a%00b&csrf_token=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert form.status_code == 400 and "NUL" in form.text
    finally:
        client.cookies.clear()


def test_deep_json_is_a_422_everywhere(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = {**token_for(app, api_world.owner), "Content-Type": "application/json"}
    bp = api_world.blueprint_id
    deep = b"[" * 100_000 + b"]" * 100_000
    nested = b'{"title": ' + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"}"
    for method, url in [
        ("POST", f"/api/workspaces/{api_world.workspace_id}/blueprints"),
        ("PUT", f"/api/blueprints/{bp}"),
        ("POST", f"/api/blueprints/{bp}/simulate"),
        ("PUT", f"/api/blueprints/{bp}/simulation"),
        ("POST", f"/api/blueprints/{bp}/operations"),
    ]:
        for body in (deep, nested):
            response = client.request(method, url, content=body, headers=auth)
            assert response.status_code == 422, f"{method} {url}: {response.status_code} {response.text[:200]}"
            assert "deep" in response.json()["error"]["message"]


def test_a_live_edit_with_poison_is_refused_and_the_room_and_rest_stay_alive(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    bp = api_world.blueprint_id
    api = token_for(app, api_world.owner)
    with connect(client, bp, session_headers(app, api_world.owner)) as socket:
        editor = LiveClient(socket)
        editor.hello()
        for bad in POISON.values():
            socket.send_text(
                json.dumps(
                    {
                        "type": "op",
                        "id": f"{editor.client_id}:{bad!r}"[:90].replace("\\", ""),
                        "op": {"op": "set", "target": "registration", "field": "text", "value": bad},
                    }
                )
            )
            assert "invalid operation" in editor.until("reject")["message"]
        good = editor.edit({"op": "set", "target": "registration", "field": "actor", "value": "Still alive"})
        assert editor.until("op", client_op_id=good)["seq"] == 2
        socket.send_text(json.dumps({"type": "hello", "client_id": "a\x00b", "seq": 0}))
        assert "NUL" in editor.until("error")["message"]
        # A newcomer is welcomed, and REST writes go on.
        with connect(client, bp, session_headers(app, api_world.people["editor"])) as other:
            assert LiveClient(other).hello()["seq"] == 2
    response = client.post(
        f"/api/blueprints/{bp}/operations",
        json={"operations": [{"op": "set", "target": "registration", "field": "pain", "value": "Queue"}]},
        headers=api,
    )
    assert response.status_code == 200, response.text
    restored = client.post(f"/api/blueprints/{bp}/versions/1/restore", headers=api)
    assert restored.status_code == 200, restored.text


def test_error_messages_never_echo_unencodable_text(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.owner)
    # A username with a lone surrogate, percent-encoded in the path as UTF-8 would (it is not valid UTF-8).
    response = client.delete(f"/api/workspaces/{api_world.workspace_id}/members/%ED%A0%80", headers=auth)
    no_server_error(response)
    response.json()  # valid JSON either way


@pytest.fixture
def crashing_server(settings: object) -> Iterator[int]:
    app = create_app(fast_settings(settings.database_url))  # type: ignore[attr-defined]

    @app.get("/api/test-crash")
    def crash() -> None:
        raise RuntimeError("a bug")

    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="critical", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
        assert thread.is_alive()
    port = server.servers[0].sockets[0].getsockname()[1]
    yield port
    server.should_exit = True
    thread.join(30)
    app.state.services.db.dispose()


def test_a_500_keeps_the_keep_alive_connection(crashing_server: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", crashing_server, timeout=30)
    connection.request("GET", "/api/test-crash")
    first = connection.getresponse()
    assert first.status == 500 and json.loads(first.read())["error"]["code"] == "internal"
    assert first.getheader("connection") != "close"
    socket_before = connection.sock
    connection.request("GET", "/api/openapi.json")
    second = connection.getresponse()
    second.read()
    assert connection.sock is socket_before is not None  # the same connection answered
    connection.close()


def test_a_poisoned_live_edit_stored_before_the_checks_no_longer_blocks_writes(
    client: TestClient, app: FastAPI, api_world: World
) -> None:
    """A live row holding a lone surrogate (as an older server stored it) is left out,
    and REST writes, restores and live rooms carry on."""
    services = app.state.services
    bp = api_world.blueprint_id
    with services.db.write() as session:
        record = session.get(BlueprintRecord, bp)
        assert record is not None
        poisoned = {"op": "set", "target": "registration", "field": "text", "value": "x\ud800y"}
        session.execute(
            insert(OperationRecord).values(
                blueprint_id=bp,
                seq=record.last_seq + 1,
                version=record.version,
                kind="live",
                ops=json.dumps([poisoned]),
                user_id=api_world.owner.id,
                client_op_id="old-server:1",
            )
        )
        record.last_seq += 1
    api = token_for(app, api_world.owner)
    write = client.post(
        f"/api/blueprints/{bp}/operations",
        json={"operations": [{"op": "set", "target": "registration", "field": "pain", "value": "Queue"}]},
        headers=api,
    )
    assert write.status_code == 200, write.text
    assert client.get(f"/api/blueprints/{bp}", headers=api).status_code == 200
    assert client.post(f"/api/blueprints/{bp}/versions/1/restore", headers=api).status_code == 200
    with connect(client, bp, session_headers(app, api_world.owner)) as socket:
        editor = LiveClient(socket)
        editor.hello()
        sent = editor.edit({"op": "set", "target": "registration", "field": "actor", "value": "Alive"})
        assert editor.until("op", client_op_id=sent)["op"]["value"] == "Alive"
