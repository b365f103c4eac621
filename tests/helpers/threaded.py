"""A real uvicorn server in a thread of the test process, serving a populated world, for
browser tests that drive one page; and a signed-in TestClient for page tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from helpers.server import World, build_world, fast_settings
from stageline.server import create_app
from stageline.server.auth import SESSION_COOKIE
from stageline.server.services.base import Actor


@dataclass
class Running:
    url: str
    world: World
    sessions: dict[str, str]  # role -> session token


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield Running(f"http://127.0.0.1:{port}", world, sessions)
    finally:
        running.should_exit = True
        thread.join(timeout=10)


def browse(client: TestClient, app: FastAPI, actor: Actor) -> str:
    """Sign `actor` in with a browser session; returns the session's CSRF token."""
    accounts = app.state.services.accounts
    started = accounts.start_session(accounts.user(actor.id))
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, started.token)
    return str(started.csrf_token)
