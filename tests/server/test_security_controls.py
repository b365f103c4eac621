"""The lower-severity controls: the client address behind proxies, sign-in
limits that slow guessing without locking people out, grants that reveal
nothing about other tenants, and security headers on every page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.requests import Request

from helpers.server import PASSWORD, World, build_world, fast_settings, token_for
from stageline.server.auth import client_ip
from stageline.server.db import Database, upgrade
from stageline.server.db.models import Base
from stageline.server.security.ratelimit import SigninLimiter
from stageline.server.services import Services
from stageline.server.services.access import Role
from stageline.server.services.base import Actor


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def request_from(app: FastAPI, peer: str, forwarded: list[str]) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "app": app, "headers": headers, "client": (peer, 1234), "method": "GET"})


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, ["6.6.6.6, 203.0.113.9"], "203.0.113.9"),  # the client wrote 6.6.6.6; our proxy appended the real one
        (2, ["6.6.6.6, 203.0.113.9, 10.0.0.2"], "203.0.113.9"),
        (2, ["6.6.6.6", "203.0.113.9, 10.0.0.2"], "203.0.113.9"),  # several headers are one list
        (3, ["203.0.113.9"], "203.0.113.9"),  # fewer hops than proxies: the left-most there is
    ],
)
def test_the_client_is_the_right_most_untrusted_hop(
    app: FastAPI, proxies: int, forwarded: list[str], expected: str
) -> None:
    app.state.settings = app.state.settings.with_(trust_proxy=True, trusted_proxies=proxies)
    assert client_ip(request_from(app, "10.0.0.1", forwarded)) == expected
    app.state.settings = app.state.settings.with_(trust_proxy=False)
    assert client_ip(request_from(app, "10.0.0.1", forwarded)) == "10.0.0.1"


def test_failed_sign_ins_slow_down_without_locking_the_person_out() -> None:
    clock = Clock()
    limiter = SigninLimiter(5, 900, clock, per_source=20, max_delay=30)
    for _ in range(12):  # an attacker from one address hammers one account
        limiter.failed("6.6.6.6", "ana")
    assert limiter.retry_after("6.6.6.6", "ana") > 60  # that source waits out the window
    # Ana, from her own address, waits at most the delay since the last failure.
    assert 0 < limiter.retry_after("203.0.113.9", "ana") <= 30
    clock.now += 30
    assert limiter.retry_after("203.0.113.9", "ana") == 0
    limiter.succeeded("203.0.113.9", "ana")
    assert limiter.retry_after("203.0.113.9", "ana") == 0


def test_one_source_guessing_many_accounts_is_limited() -> None:
    clock = Clock()
    limiter = SigninLimiter(5, 900, clock, per_source=20)
    for n in range(20):
        limiter.failed("6.6.6.6", f"user{n}")
    assert limiter.retry_after("6.6.6.6", "someone-else") > 60
    assert limiter.retry_after("203.0.113.9", "someone-else") == 0
    clock.now += 900
    assert limiter.retry_after("6.6.6.6", "someone-else") == 0


def test_the_delay_grows_with_each_failure() -> None:
    clock = Clock()
    limiter = SigninLimiter(3, 900, clock, per_source=1000, max_delay=30)
    waits = []
    for n in range(9):
        limiter.failed(f"10.0.0.{n}", "ana")
        waits.append(limiter.retry_after("203.0.113.9", "ana"))
    assert waits == [0, 0, 1, 2, 4, 8, 16, 30, 30]


def test_grants_answer_the_same_for_strangers_and_nobody(client: TestClient, app: FastAPI, api_world: World) -> None:
    owner = token_for(app, api_world.owner)
    url = f"/api/blueprints/{api_world.blueprint_id}/grants"
    stranger = client.put(f"{url}/outsider", json={"role": "editor"}, headers=owner)  # exists, in another tenant
    nobody = client.put(f"{url}/no-such-person", json={"role": "editor"}, headers=owner)
    assert stranger.status_code == nobody.status_code == 422
    assert stranger.json()["error"]["message"].replace("outsider", "X") == nobody.json()["error"]["message"].replace(
        "no-such-person", "X"
    )
    workspaces = app.state.services.workspaces
    shared = workspaces.create(api_world.owner, "Side project")
    workspaces.accept(api_world.people["outsider"], workspaces.invite(api_world.owner, shared.id, Role.VIEWER).token)
    known = client.put(f"{url}/outsider", json={"role": "editor"}, headers=owner)
    assert known.status_code == 200, known.text


@pytest.mark.parametrize("path", ["/api/docs", "/signin", "/api/openapi.json", "/s/nothing"])
def test_every_answer_has_csp_and_frame_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_people_change_their_password_and_admins_reset_one(client: TestClient, app: FastAPI, api_world: World) -> None:
    accounts = app.state.services.accounts
    editor = api_world.people["editor"]
    other_browser = accounts.start_session(accounts.user(editor.id)).token
    auth = token_for(app, editor)
    wrong = client.put("/api/me/password", json={"current": "not it", "new": "a brand new password"}, headers=auth)
    assert wrong.status_code == 422 and wrong.json()["error"]["details"]["field"] == "current"
    short = client.put("/api/me/password", json={"current": PASSWORD, "new": "short"}, headers=auth)
    assert short.status_code == 422
    changed = client.put("/api/me/password", json={"current": PASSWORD, "new": "a brand new password"}, headers=auth)
    assert changed.status_code == 204
    assert accounts.session(other_browser) is None  # other browsers are signed out
    assert client.get("/api/me", headers=auth).status_code == 200  # the API token still works
    accounts.authenticate("editor", "a brand new password", "127.0.0.1")
    # An instance admin sets a new one; a non-admin cannot.
    refused = client.put("/api/admin/users/editor/password", json={"password": "reset by admin!"}, headers=auth)
    assert refused.status_code == 403
    admin = accounts.by_username("admin")
    reset = client.put(
        "/api/admin/users/editor/password",
        json={"password": "reset by the admin"},
        headers=token_for(app, Actor.of(admin)),
    )
    assert reset.status_code == 204
    accounts.authenticate("editor", "reset by the admin", "127.0.0.2")


def test_share_links_made_before_hashing_keep_working(database_url: str) -> None:
    """The migration that hashes share-link tokens keeps existing links open (SQLite and PostgreSQL)."""
    database = Database(database_url)
    engine = database.engine
    if not database.is_sqlite:  # the fixture's schema is migrated already: start again from 0003
        downgrade_to_0003(engine)
    else:
        with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(text(f'DROP TABLE IF EXISTS "{table.name}"'))
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(engine, "0003")
    services = Services.build(database, fast_settings(database_url))
    world = build_world(services)
    with engine.begin() as connection:
        connection.execute(
            text("insert into share_links (blueprint_id, token, created_at) values (:b, :t, :c)"),
            {"b": world.blueprint_id, "t": "old-link-token-0123456789", "c": datetime.now(UTC)},
        )
    upgrade(engine)
    opened = services.sharing.open_link("old-link-token-0123456789")
    assert opened.record.id == world.blueprint_id and opened.link.prefix == "old-li"
    database.dispose()


def downgrade_to_0003(engine: Engine) -> None:
    with engine.begin() as connection:
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        connection.execute(text("ALTER TABLE share_links DROP CONSTRAINT uq_share_links_token_hash"))
        connection.execute(text("ALTER TABLE share_links DROP COLUMN token_hash, DROP COLUMN prefix"))
        connection.execute(text("ALTER TABLE share_links ADD COLUMN token VARCHAR(64) NOT NULL"))
        connection.execute(text("ALTER TABLE share_links ADD CONSTRAINT uq_share_links_token UNIQUE (token)"))
        connection.execute(text("UPDATE alembic_version SET version_num = '0003'"))
