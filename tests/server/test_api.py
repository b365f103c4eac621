"""The REST API through an in-process client, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.server import World, token_for
from stageline.server.auth import SESSION_COOKIE

YAML = "application/yaml"


DOC = """stageline: 1
title: Dental check-up
scenario: Six-monthly visit
stages:
  - id: visit
    title: Visit
    steps:
      - id: arrive
        customer: Arrive at reception
        frontstage: Greet the patient
"""


def test_requests_without_credentials_get_401_json(client: TestClient) -> None:
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/api/me", headers={"Authorization": "Bearer sl_forged"}).status_code == 401


def test_create_from_yaml_read_back_as_yaml_and_json(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.people["editor"])
    created = client.post(
        f"/api/workspaces/{api_world.workspace_id}/blueprints", content=DOC, headers={**auth, "Content-Type": YAML}
    )
    assert created.status_code == 201, created.text
    blueprint_id = created.json()["id"]
    as_yaml = client.get(f"/api/blueprints/{blueprint_id}", headers={**auth, "Accept": YAML})
    assert as_yaml.headers["content-type"].startswith(YAML) and "title: Dental check-up" in as_yaml.text
    as_json = client.get(f"/api/blueprints/{blueprint_id}", headers=auth)
    assert as_json.headers["etag"] == '"1"'
    assert as_json.json()["document"]["stages"][0]["steps"][0]["customer"] == "Arrive at reception"
    found = client.get(f"/api/workspaces/{api_world.workspace_id}/blueprints", params={"q": "reception"}, headers=auth)
    assert [item["title"] for item in found.json()] == ["Dental check-up"]


def test_bad_yaml_is_a_422_with_line_and_column(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.owner)
    response = client.post(
        f"/api/workspaces/{api_world.workspace_id}/blueprints",
        content="stageline: 1\ntitle: X\nstages:\n  - id: Bad Id\n    title: S\n",
        headers={**auth, "Content-Type": YAML},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_yaml"
    assert error["details"]["problems"][0]["line"] == 4
    assert error["message"].startswith("line 4, column")


def test_operations_etag_and_stale_writes(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.people["editor"])
    url = f"/api/blueprints/{api_world.blueprint_id}"
    op = {"op": "set", "field": "goal", "value": "Check in under 5 minutes"}
    applied = client.post(f"{url}/operations", json={"operations": [op]}, headers={**auth, "If-Match": '"1"'})
    assert applied.status_code == 200, applied.text
    assert applied.json() == {
        "blueprint_id": api_world.blueprint_id,
        "version": 2,
        "seq": 2,
        "summary": "Changed goal of the blueprint",
    }
    assert applied.headers["etag"] == '"2"'
    stale = client.post(f"{url}/operations", json={"operations": [op]}, headers={**auth, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["error"]["details"] == {"expected": 1, "current": 2}
    bad = client.post(f"{url}/operations", json={"operations": [{"op": "remove_card", "id": "ghost"}]}, headers=auth)
    assert bad.status_code == 422 and "no card has id 'ghost'" in bad.json()["error"]["message"]
    log = client.get(f"{url}/operations", params={"since": 1}, headers=auth).json()
    assert [(entry["seq"], entry["ops"]) for entry in log] == [(2, [op])]


def test_replace_with_put_records_a_summary(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.owner)
    url = f"/api/blueprints/{api_world.blueprint_id}"
    replaced = client.put(url, content=DOC, headers={**auth, "Content-Type": YAML, "If-Match": '"1"'})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["summary"].startswith("Uploaded a new document: renamed to 'Dental check-up'")
    versions = client.get(f"{url}/versions", headers=auth).json()
    assert [v["number"] for v in versions] == [2, 1]
    restored = client.post(f"{url}/versions/1/restore", headers=auth)
    assert restored.json()["summary"] == "Restored version 1"
    named = client.patch(f"{url}/versions/1", json={"name": "Current state, March"}, headers=auth)
    assert named.json()["name"] == "Current state, March"


def test_comments_with_mentions(client: TestClient, app: FastAPI, api_world: World) -> None:
    commenter = token_for(app, api_world.people["commenter"])
    url = f"/api/blueprints/{api_world.blueprint_id}/comments"
    thread = client.post(url, json={"anchor": "registration", "body": "@editor too slow?"}, headers=commenter)
    assert thread.status_code == 201
    assert thread.json()["comments"][0]["mentions"] == ["editor"]
    editor = token_for(app, api_world.people["editor"])
    assert client.get("/api/mentions", headers=editor).json()[0]["comment"]["body"] == "@editor too slow?"
    viewer = token_for(app, api_world.people["viewer"])
    assert client.post(url, json={"anchor": "registration", "body": "hi"}, headers=viewer).status_code == 403
    resolved = client.patch(f"{url}/{thread.json()['id']}", json={"resolved": True}, headers=commenter)
    assert resolved.json()["resolved"] is True


def test_share_link_is_read_only_and_revocable(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.owner)
    share = client.post(f"/api/blueprints/{api_world.blueprint_id}/shares", json={}, headers=auth).json()
    path = share["url"].removeprefix("http://testserver")
    listed = client.get(f"/api/blueprints/{api_world.blueprint_id}/shares", headers=auth).json()
    assert listed[0]["url"] is None and path.startswith(f"/s/{listed[0]['prefix']}")  # shown once, stored hashed
    anonymous = TestClient(app)
    assert anonymous.get(path).status_code == 200
    assert "title: Overnight hotel stay" in anonymous.get(f"{path}/blueprint.yaml").text
    client.delete(f"/api/blueprints/{api_world.blueprint_id}/shares/{share['id']}", headers=auth)
    assert anonymous.get(path).status_code == 404


def test_cookie_writes_need_the_csrf_header(client: TestClient, app: FastAPI, api_world: World) -> None:
    services = app.state.services
    started = services.accounts.start_session(services.accounts.user(api_world.owner.id))
    client.cookies.set(SESSION_COOKIE, started.token)
    assert client.get("/api/me").json()["user"]["username"] == "owner"
    url = f"/api/blueprints/{api_world.blueprint_id}/shares"
    refused = client.post(url, json={})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    assert client.post(url, json={}, headers={"X-CSRF-Token": started.csrf_token}).status_code == 201


def test_large_bodies_get_413(app: FastAPI, api_world: World) -> None:
    from stageline.server.settings import Settings

    del Settings
    with TestClient(app) as client:
        auth = token_for(app, api_world.owner)
        huge = "x" * (app.state.settings.max_body_bytes + 1)
        response = client.post(
            f"/api/workspaces/{api_world.workspace_id}/blueprints", content=huge, headers={**auth, "Content-Type": YAML}
        )
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "too_large"


def test_tokens_are_shown_once_and_revocable(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.owner)
    created = client.post("/api/tokens", json={"name": "CI"}, headers=auth).json()
    assert created["token"].startswith("sl_")
    listed = client.get("/api/tokens", headers=auth).json()
    assert all(item["token"] is None for item in listed)
    client.delete(f"/api/tokens/{created['id']}", headers=auth)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {created['token']}"}).status_code == 401


def test_check_metrics_and_render(client: TestClient, app: FastAPI, api_world: World) -> None:
    auth = token_for(app, api_world.people["viewer"])
    url = f"/api/blueprints/{api_world.blueprint_id}"
    checked = client.get(f"{url}/check", headers=auth)
    assert checked.status_code == 200 and isinstance(checked.json()["findings"], list)
    measured = client.get(f"{url}/metrics", headers=auth).json()
    assert measured["metrics"]["totals"]["cards"] == 11
    drawn = client.get(f"{url}/render", params={"format": "svg"}, headers=auth)
    assert drawn.status_code == 200 and drawn.headers["content-type"] == "image/svg+xml"
    assert "<svg" in drawn.text
    assert client.get(f"{url}/render", params={"format": "gif"}, headers=auth).status_code == 422
