"""Every endpoint against every role, anonymous visitors and members of another
workspace. The table below is the contract; the route table of the app is the
truth: a new endpoint without an entry here fails `test_every_route_is_in_the_matrix`."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.server import World, app_routes, build_world, fast_settings
from stageline.server.auth import SESSION_COOKIE
from stageline.server.services.access import Role
from stageline.server.services.base import Actor

ROLES = ["viewer", "commenter", "editor", "owner"]
PRINCIPALS = ["anonymous", "outsider", *ROLES]
YAML = "stageline: 1\ntitle: Uploaded\n"
SIMULATION = {"arrivals": {"rate": "10/h"}, "customers": 20}
SIMULATION_FORM = {"arrivals": "rate", "rate": "10/h", "customers": "20"}


@dataclass(frozen=True)
class Rule:
    """Who may call an endpoint: `public` (everyone), `user` (anyone signed in),
    `self` (anyone signed in, on their own things), `admin` (instance admins only)
    or the least workspace/blueprint role."""

    level: str
    json: Any = None
    form: dict[str, Any] | None = None
    yaml: bool = False
    files: bool = False


R = Rule
MATRIX: dict[tuple[str, str], Rule] = {
    # account
    ("GET", "/api/me"): R("user"),
    ("GET", "/api/tokens"): R("user"),
    ("POST", "/api/tokens"): R("user", json={"name": "ci"}),
    ("DELETE", "/api/tokens/{token_id}"): R("self"),
    ("GET", "/api/mentions"): R("user"),
    ("GET", "/api/templates"): R("user"),
    ("GET", "/schema/stageline-1.json"): R("public"),
    # workspaces
    ("GET", "/api/workspaces"): R("user"),
    ("POST", "/api/workspaces"): R("user", json={"name": "New"}),
    ("GET", "/api/workspaces/{workspace_id}"): R("viewer"),
    ("PATCH", "/api/workspaces/{workspace_id}"): R("owner", json={"name": "Renamed"}),
    ("GET", "/api/workspaces/{workspace_id}/members"): R("viewer"),
    ("PUT", "/api/workspaces/{workspace_id}/members/{username}"): R("owner", json={"role": "commenter"}),
    ("DELETE", "/api/workspaces/{workspace_id}/members/{username}"): R("owner"),
    ("GET", "/api/workspaces/{workspace_id}/invitations"): R("owner"),
    ("POST", "/api/workspaces/{workspace_id}/invitations"): R("owner", json={"role": "viewer"}),
    ("DELETE", "/api/workspaces/{workspace_id}/invitations/{invitation_id}"): R("owner"),
    ("POST", "/api/invitations/{token}/accept"): R("user"),
    ("GET", "/api/admin/workspaces"): R("admin"),
    ("PUT", "/api/admin/users/{username}/password"): R("admin", json={"password": "a brand new password"}),
    ("PUT", "/api/me/password"): R("user", json={"current": "correct horse battery", "new": "a brand new password"}),
    ("POST", "/api/admin/workspaces/{workspace_id}/owners"): R("admin", json={"username": "owner"}),
    ("GET", "/api/workspaces/{workspace_id}/blueprints"): R("viewer"),
    ("POST", "/api/workspaces/{workspace_id}/blueprints"): R("editor", json={"title": "Blank"}),
    ("POST", "/api/workspaces/{workspace_id}/blueprints/import"): R("editor", files=True),
    # blueprints
    ("GET", "/api/blueprints/{blueprint_id}"): R("viewer"),
    ("PUT", "/api/blueprints/{blueprint_id}"): R("editor", yaml=True),
    ("PATCH", "/api/blueprints/{blueprint_id}"): R("editor", json={"title": "Renamed"}),
    ("DELETE", "/api/blueprints/{blueprint_id}"): R("editor"),
    ("POST", "/api/blueprints/{blueprint_id}/restore"): R("editor"),
    ("POST", "/api/blueprints/{blueprint_id}/purge"): R("owner"),
    ("POST", "/api/blueprints/{blueprint_id}/duplicate"): R("editor"),
    ("POST", "/api/blueprints/{blueprint_id}/operations"): R(
        "editor", json={"operations": [{"op": "set", "field": "goal", "value": "Faster"}]}
    ),
    ("GET", "/api/blueprints/{blueprint_id}/operations"): R("viewer"),
    ("GET", "/api/blueprints/{blueprint_id}/check"): R("viewer"),
    ("GET", "/api/blueprints/{blueprint_id}/metrics"): R("viewer"),
    ("GET", "/api/blueprints/{blueprint_id}/render"): R("viewer"),
    ("GET", "/api/blueprints/{blueprint_id}/versions"): R("viewer"),
    ("GET", "/api/blueprints/{blueprint_id}/versions/{number}"): R("viewer"),
    ("PATCH", "/api/blueprints/{blueprint_id}/versions/{number}"): R("editor", json={"name": "March"}),
    ("POST", "/api/blueprints/{blueprint_id}/versions/{number}/restore"): R("editor"),
    ("GET", "/api/blueprints/{blueprint_id}/comments"): R("viewer"),
    ("POST", "/api/blueprints/{blueprint_id}/comments"): R("commenter", json={"anchor": "room", "body": "Hi"}),
    ("POST", "/api/blueprints/{blueprint_id}/comments/{thread_id}/replies"): R("commenter", json={"body": "Re"}),
    ("PATCH", "/api/blueprints/{blueprint_id}/comments/{thread_id}"): R("commenter", json={"resolved": True}),
    ("GET", "/api/blueprints/{blueprint_id}/shares"): R("owner"),
    ("POST", "/api/blueprints/{blueprint_id}/shares"): R("owner", json={}),
    ("DELETE", "/api/blueprints/{blueprint_id}/shares/{share_id}"): R("owner"),
    ("GET", "/api/blueprints/{blueprint_id}/grants"): R("viewer"),
    ("PUT", "/api/blueprints/{blueprint_id}/grants/{username}"): R("owner", json={"role": "editor"}),
    ("DELETE", "/api/blueprints/{blueprint_id}/grants/{username}"): R("owner"),
    ("POST", "/api/blueprints/{blueprint_id}/insights"): R("viewer", json={"document": {"stageline": 1, "title": "T"}}),
    ("POST", "/api/blueprints/{blueprint_id}/simulate"): R("viewer", json=SIMULATION),
    ("PUT", "/api/blueprints/{blueprint_id}/simulation"): R("editor", json=SIMULATION),
    ("GET", "/api/blueprints/{blueprint_id}/compare"): R("viewer"),
    ("POST", "/api/blueprints/{blueprint_id}/future-state"): R("editor"),
    ("GET", "/api/blueprints/{blueprint_id}/states"): R("viewer"),
    # pages: signing in
    ("GET", "/"): R("public"),
    ("GET", "/setup"): R("public"),
    ("POST", "/setup"): R("public", form={}),
    ("GET", "/signin"): R("public"),
    ("POST", "/signin"): R("public", form={}),
    ("POST", "/signout"): R("user", form={}),
    ("GET", "/join/{token}"): R("public"),
    ("POST", "/join/{token}"): R("public", form={}),
    # pages: workspaces
    ("GET", "/workspaces/new"): R("user"),
    ("POST", "/workspaces/new"): R("user", form={"name": "Another"}),
    ("GET", "/w/{slug}"): R("viewer"),
    ("GET", "/w/{slug}/trash"): R("viewer"),
    ("GET", "/w/{slug}/new"): R("editor"),
    ("POST", "/w/{slug}/new"): R("editor", form={"source": "blank", "title": "Blank"}),
    ("GET", "/w/{slug}/import"): R("editor"),
    ("POST", "/w/{slug}/import"): R("editor", form={"action": "create"}, files=True),
    ("POST", "/w/{slug}/import/preview"): R("editor", form={}, files=True),
    ("GET", "/w/{slug}/members"): R("viewer"),
    ("POST", "/w/{slug}/invitations"): R("owner", form={"role": "viewer"}),
    ("POST", "/w/{slug}/invitations/{invitation_id}/revoke"): R("owner", form={}),
    ("POST", "/w/{slug}/members/{username}/role"): R("owner", form={"role": "commenter"}),
    ("POST", "/w/{slug}/members/{username}/remove"): R("owner", form={}),
    ("POST", "/w/{slug}/rename"): R("owner", form={"name": "Renamed"}),
    # pages: blueprints
    ("GET", "/b/{blueprint_id}"): R("viewer"),
    ("GET", "/b/{blueprint_id}/download.{extension}"): R("viewer"),
    ("GET", "/b/{blueprint_id}/history"): R("viewer"),
    ("GET", "/b/{blueprint_id}/present"): R("viewer"),
    ("GET", "/b/{blueprint_id}/versions/{number}"): R("viewer"),
    ("GET", "/b/{blueprint_id}/versions/{number}/download.{extension}"): R("viewer"),
    ("POST", "/b/{blueprint_id}/versions/{number}/restore"): R("editor", form={}),
    ("POST", "/b/{blueprint_id}/versions/{number}/name"): R("editor", form={"name": "March"}),
    ("POST", "/b/{blueprint_id}/comments"): R("commenter", form={"anchor": "room", "body": "Hi"}),
    ("POST", "/b/{blueprint_id}/comments/{thread_id}/reply"): R("commenter", form={"body": "Re"}),
    ("POST", "/b/{blueprint_id}/comments/{thread_id}/resolve"): R("commenter", form={}),
    ("POST", "/b/{blueprint_id}/comments/{thread_id}/reopen"): R("commenter", form={}),
    ("GET", "/b/{blueprint_id}/sharing"): R("viewer"),
    ("POST", "/b/{blueprint_id}/shares"): R("owner", form={}),
    ("POST", "/b/{blueprint_id}/shares/{share_id}/revoke"): R("owner", form={}),
    ("POST", "/b/{blueprint_id}/grants"): R("owner", form={"username": "outsider", "role": "viewer"}),
    ("POST", "/b/{blueprint_id}/grants/{username}/revoke"): R("owner", form={}),
    ("GET", "/b/{blueprint_id}/manage"): R("editor"),
    ("GET", "/b/{blueprint_id}/edit"): R("viewer"),
    ("POST", "/b/{blueprint_id}/rename"): R("editor", form={"title": "Renamed"}),
    ("POST", "/b/{blueprint_id}/upload"): R("editor", form={}, files=True),
    ("POST", "/b/{blueprint_id}/duplicate"): R("editor", form={}),
    ("POST", "/b/{blueprint_id}/archive"): R("editor", form={}),
    ("POST", "/b/{blueprint_id}/unarchive"): R("editor", form={}),
    ("POST", "/b/{blueprint_id}/trash"): R("editor", form={}),
    ("POST", "/b/{blueprint_id}/restore"): R("editor", form={}),
    ("POST", "/b/{blueprint_id}/purge"): R("owner", form={}),
    ("GET", "/b/{blueprint_id}/simulate"): R("viewer"),
    ("POST", "/b/{blueprint_id}/simulate"): R("viewer", form=SIMULATION_FORM),
    ("GET", "/b/{blueprint_id}/calibrate"): R("viewer"),
    ("POST", "/b/{blueprint_id}/calibrate"): R("viewer", form={"action": "calibrate"}),
    ("POST", "/b/{blueprint_id}/simulate/save"): R("editor", form=SIMULATION_FORM),
    ("GET", "/b/{blueprint_id}/compare"): R("viewer"),
    ("POST", "/b/{blueprint_id}/future-state"): R("editor", form={}),
    ("GET", "/b/{blueprint_id}/board"): R("viewer"),
    ("POST", "/b/{blueprint_id}/board/{opportunity_id}"): R("editor", form={"status": "planned"}),
    ("GET", "/b/{blueprint_id}/board/cases"): R("viewer"),
    ("GET", "/b/{blueprint_id}/plan"): R("viewer"),
    ("GET", "/b/{blueprint_id}/plan.{extension}"): R("viewer"),
    # pages: share links and account
    ("GET", "/s/{token}"): R("public"),
    ("GET", "/s/{token}/blueprint.yaml"): R("public"),
    ("GET", "/s/{token}/present"): R("public"),
    ("GET", "/account"): R("user"),
    ("POST", "/account/tokens"): R("user", form={"name": "ci"}),
    ("POST", "/account/tokens/{token_id}/revoke"): R("self", form={}),
    ("POST", "/account/signout-everywhere"): R("user", form={}),
    ("POST", "/account/password"): R("user", form={"current": "correct horse battery", "new": "a brand new password"}),
    ("GET", "/mentions"): R("user"),
}
# Routes that act on a blueprint in the trash.
TRASHED = {
    "/api/blueprints/{blueprint_id}/restore",
    "/api/blueprints/{blueprint_id}/purge",
    "/b/{blueprint_id}/restore",
    "/b/{blueprint_id}/purge",
}


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    routes = app_routes(app)
    assert sorted(routes - set(MATRIX)) == [], "add these endpoints to MATRIX with who may call them"
    assert sorted(set(MATRIX) - routes) == [], "these MATRIX entries name endpoints that no longer exist"


@dataclass
class Fixture:
    """A world plus the things endpoints act on, and how each principal authenticates."""

    world: World
    tag: str
    values: dict[str, Any]
    sessions: dict[str, tuple[str, str]]  # principal -> (cookie, csrf)
    tokens: dict[str, tuple[str, int]]  # principal -> (bearer, token id)


_counter = itertools.count()


def make_fixture(app: FastAPI) -> Fixture:
    services = app.state.services
    tag = f"x{next(_counter)}"
    world = build_world(services, tag)
    owner = world.owner
    target = Actor.of(services.accounts.create_user(f"target{tag}", "Target", "correct horse battery"))
    invitation = services.workspaces.invite(owner, world.workspace_id, Role.VIEWER)
    services.workspaces.accept(target, invitation.token)
    open_invitation = services.workspaces.invite(owner, world.workspace_id, Role.VIEWER, single_use=False)
    services.sharing.grant(owner, world.blueprint_id, f"target{tag}", Role.COMMENTER)
    thread = services.comments.start(owner, world.blueprint_id, "room", "First")
    share = services.sharing.create_link(owner, world.blueprint_id)
    trashed = services.blueprints.create_blank(owner, world.workspace_id, "Old")
    services.blueprints.move_to_trash(owner, trashed.id)
    workspace = services.workspaces.get(owner, world.workspace_id).workspace
    sessions, tokens = {}, {}
    for name, actor in world.people.items():
        started = services.accounts.start_session(services.accounts.user(actor.id))
        sessions[name] = (started.token, started.csrf_token)
        new = services.accounts.create_token(actor, "matrix")
        tokens[name] = (new.token, new.record.id)
    values = {
        "workspace_id": world.workspace_id,
        "slug": workspace.slug,
        "blueprint_id": world.blueprint_id,
        "trashed_id": trashed.id,
        "number": 1,
        "thread_id": thread.id,
        "share_id": share.record.id,
        "share_token": share.token,
        "invitation_id": open_invitation.record.id,
        "invitation_token": open_invitation.token,
        "username": f"target{tag}",
        "extension": "yaml",
        "opportunity_id": "mobile-key",
    }
    return Fixture(world, tag, values, sessions, tokens)


def request_for(client: TestClient, fixture: Fixture, method: str, path: str, rule: Rule, who: str) -> Any:
    values = dict(fixture.values)
    if path in TRASHED:
        values["blueprint_id"] = values["trashed_id"]
    if "{token}" in path:
        values["token"] = values["share_token"] if path.startswith("/s/") else values["invitation_token"]
    if "{token_id}" in path:
        values["token_id"] = fixture.tokens[who][1] if who in fixture.tokens else 1
    url = path.format(**values)
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    data: dict[str, Any] | None = None
    files = None
    is_api = path.startswith("/api")
    if who != "anonymous":
        if is_api:
            headers["Authorization"] = f"Bearer {fixture.tokens[who][0]}"
        else:
            cookies[SESSION_COOKIE] = fixture.sessions[who][0]
    if rule.form is not None:
        data = {**rule.form}
        if who != "anonymous":
            data["csrf_token"] = fixture.sessions[who][1]
        if "username" in data:
            data["username"] = f"{data['username']}{fixture.tag}"
    if rule.files:
        files = {"file": ("new.yaml", YAML.encode(), "application/yaml")}
    client.cookies.clear()
    for key, value in cookies.items():
        client.cookies.set(key, value)
    if rule.yaml:
        headers["Content-Type"] = "application/yaml"
        return client.request(method, url, content=YAML, headers=headers)
    return client.request(method, url, json=rule.json, data=data, files=files, headers=headers)


def allowed(rule: Rule, who: str) -> bool:
    if rule.level == "public":
        return True
    if rule.level == "admin":
        return False  # nobody here is an instance admin (tests/server/test_races.py lets one in)
    if rule.level in ("user", "self"):
        return who != "anonymous"
    if who in ("anonymous", "outsider"):
        return False
    return Role(who).allows(Role(rule.level))


def denied(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 303 and response.headers["location"].startswith("/signin?next=")


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from stageline.server import create_app

    path = tmp_path_factory.mktemp("matrix") / "matrix.db"
    application = create_app(fast_settings(f"sqlite:///{path}"))
    yield application
    application.state.services.db.dispose()


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX), ids=[f"{m} {p}" for m, p in sorted(MATRIX)])
def test_endpoint_enforces_roles(matrix_app: FastAPI, method: str, path: str) -> None:
    rule = MATRIX[(method, path)]
    client = TestClient(matrix_app, follow_redirects=False, raise_server_exceptions=False)
    shared = make_fixture(matrix_app)
    problems = []
    safe = method == "GET"
    # Denied callers first, on one fixture: if they are refused they change nothing.
    order = sorted(PRINCIPALS, key=lambda who: allowed(rule, who))
    for who in order:
        is_allowed = allowed(rule, who)
        fixture = shared if safe or not is_allowed else make_fixture(matrix_app)
        response = request_for(client, fixture, method, path, rule, who)
        if response.status_code >= 500:
            problems.append(f"{who}: {response.status_code} {response.text[:200]}")
        elif rule.level == "public":
            continue
        elif is_allowed and denied(response):
            problems.append(f"{who} should be allowed but got {response.status_code} {response.text[:200]}")
        elif not is_allowed and not denied(response):
            problems.append(f"{who} should be refused but got {response.status_code}")
    assert problems == []
