"""A populated Stageline server instance for the server tests: one workspace
with a person in every role, an outsider with a workspace of their own, and a
blueprint."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts

from helpers.blueprints import small_blueprint
from stageline.server.auth import SESSION_COOKIE
from stageline.server.services import Services
from stageline.server.services.access import Role
from stageline.server.services.base import Actor
from stageline.server.settings import Settings

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "correct horse battery"


@dataclass
class World:
    services: Services
    workspace_id: int
    other_workspace_id: int
    blueprint_id: int
    people: dict[str, Actor] = field(default_factory=dict)

    @property
    def owner(self) -> Actor:
        return self.people["owner"]


def build_world(services: Services, tag: str = "") -> World:
    accounts, workspaces = services.accounts, services.workspaces
    if accounts.needs_setup():
        admin = accounts.setup_admin(f"admin{tag}", "Ada Admin", PASSWORD, "Admin space")
        del admin
    people: dict[str, Actor] = {}
    for role in ("owner", "editor", "commenter", "viewer", "outsider"):
        people[role] = Actor.of(accounts.create_user(f"{role}{tag}", role.capitalize(), PASSWORD))
    workspace = workspaces.create(people["owner"], f"Hotel team{tag}")
    for role in (Role.EDITOR, Role.COMMENTER, Role.VIEWER):
        invitation = workspaces.invite(people["owner"], workspace.id, role)
        workspaces.accept(people[role.value], invitation.token)
    other = workspaces.create(people["outsider"], f"Other team{tag}")
    record = services.blueprints.create(people["owner"], workspace.id, small_blueprint(), "Created in a test")
    return World(services, workspace.id, other.id, record.id, people)


def form_token(html: str, name: str = "form_token") -> str:
    """The value of the hidden form field `name` in a page."""
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no {name} in the page"
    return found.group(1)


def sign_in(client: Any, username: str) -> str:
    """Sign `client` (a TestClient) in through the sign-in form; returns the CSRF token for forms."""
    page = client.get("/signin")
    response = client.post(
        "/signin",
        data={"username": username, "password": PASSWORD, "form_token": form_token(page.text)},
        follow_redirects=True,
    )
    assert response.status_code == 200, response.text
    return form_token(response.text, "csrf_token")


def signed_in(client: Any, app: Any, actor: Actor) -> str:
    """Sign `client` (a TestClient) in as `actor` with a browser session; returns the CSRF token for forms."""
    services = app.state.services
    started = services.accounts.start_session(services.accounts.user(actor.id))
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, started.token)
    return str(started.csrf_token)


def token_for(app: Any, actor: Actor) -> dict[str, str]:
    """Headers authenticating as `actor` with a fresh API token."""
    new = app.state.services.accounts.create_token(actor, "test")
    return {"Authorization": f"Bearer {new.token}"}


def fast_settings(url: str, **overrides: object) -> Settings:
    """Settings for tests: cheap password hashing, everything else as shipped."""
    return Settings(database_url=url, password_time_cost=1, password_memory_cost=1024, **overrides)  # type: ignore[arg-type]


FRAMEWORK = {"/api/openapi.json", "/api/docs", "/docs/oauth2-redirect"}


def app_routes(app: Any) -> set[tuple[str, str]]:
    found = set()
    for context in iter_route_contexts(app.routes):
        if isinstance(context.route, APIRoute) and context.path not in FRAMEWORK:
            found.update((method, context.path) for method in context.methods or ())
    return found
