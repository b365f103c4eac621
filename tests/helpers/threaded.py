"""A real uvicorn server in a thread of the test process, serving a populated world, for
browser tests that drive one page; and a signed-in TestClient for page tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.live_server import app_in_thread, free_port
from helpers.server import World, build_world, fast_settings
from stageline.server import create_app
from stageline.server.auth import SESSION_COOKIE
from stageline.server.services.base import Actor


@dataclass
class Running:
    url: str
    world: World
    sessions: dict[str, str]  # role -> session token


@contextmanager
def serve_world(database: Path) -> Iterator[Running]:
    """A server on a free port over a new SQLite file, with a session for every role."""
    port = free_port()
    app = create_app(fast_settings(f"sqlite:///{database}", port=port))
    services = app.state.services
    world = build_world(services)
    sessions = {
        role: services.accounts.start_session(services.accounts.user(actor.id)).token
        for role, actor in world.people.items()
    }
    with app_in_thread(app, port) as base:
        yield Running(base, world, sessions)


def browse(client: TestClient, app: FastAPI, actor: Actor) -> str:
    """Sign `actor` in with a browser session; returns the session's CSRF token."""
    accounts = app.state.services.accounts
    started = accounts.start_session(accounts.user(actor.id))
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, started.token)
    return str(started.csrf_token)
