"""A real Stageline server in a subprocess (`stageline serve`), for tests that
kill it, restart it or run two of them, plus the world it serves."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Page
from sqlalchemy import create_engine, text

from helpers.server import POSTGRES, World, build_world, fast_settings
from stageline.server.db import Database, upgrade
from stageline.server.db.models import BlueprintRecord
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.services.live import current_document

# Deadlines for a server starting or stopping on a busy machine: generous, because
# waiting is cut short as soon as it is up (or gone).
STARTUP = 180.0
LAUNCH = "import sys; from stageline.cli import main; sys.exit(main(sys.argv[1:]))"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def app_in_thread(app: FastAPI, port: int) -> Iterator[str]:
    """`app` served by uvicorn on a thread of this process at `port`; yields its URL once it answers."""
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=STARTUP)


@dataclass
class ServerProcess:
    database_url: str
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = STARTUP) -> ServerProcess:
        command = [sys.executable, "-c", LAUNCH, "serve", "--db", self.database_url, "--port", str(self.port)]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/signin", timeout=10).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not start in {timeout} s: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """kill -9: no shutdown, no checkpoint, nothing flushed by the server."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(STARTUP)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(STARTUP)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Instance:
    """A database with a populated world, and browser sessions for its people."""

    database_url: str
    services: Services
    world: World
    cookies: dict[str, str]

    def actor(self, role: str) -> Actor:
        return self.world.people[role]


def populate(database_url: str) -> Instance:
    database = Database(database_url)
    upgrade(database.engine)
    services = Services.build(database, fast_settings(database_url))
    world = build_world(services)
    cookies = {
        role: services.accounts.start_session(services.accounts.user(actor.id)).token
        for role, actor in world.people.items()
    }
    return Instance(database_url, services, world, cookies)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server; its URL selects it."""
    admin = create_engine(POSTGRES)
    schema = f"live_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def cookie(instance: Instance, role: str, server: ServerProcess) -> dict[str, Any]:
    """The session cookie of `role` for a Playwright context."""
    return {"name": "stageline_session", "value": instance.cookies[role], "url": server.url}


# -- the editor page in Chromium, against a ServerProcess ------------------------------------
SETTLED = "() => window.connection.welcomed && window.doc.pending.length === 0"
# Settled, and nothing on its way that redraws the cells: the findings and metrics of the
# latest change, and the comment threads. Wait for this before pointing at a card.
QUIET = """() => window.connection && window.connection.welcomed && window.doc.pending.length === 0
  && !window.editor.panel.insights.pending && !window.editor.commentsLoading
  && (!window.editor.comments || window.editor.comments.loaded)"""


def open_page(browser: Browser, instance: Instance, server: ServerProcess, role: str, path: str) -> Page:
    """A page of the server for `role`, signed in, collecting script errors in `page.errors`."""
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    context.add_cookies([cookie(instance, role, server)])  # type: ignore[list-item]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(f"{server.url}{path}")
    return page


def open_editor(
    browser: Browser, instance: Instance, server: ServerProcess, role: str, blueprint_id: int | None = None
) -> Page:
    page = open_page(browser, instance, server, role, f"/b/{blueprint_id or instance.world.blueprint_id}/edit")
    page.wait_for_function("() => window.connection && window.connection.welcomed")
    return page


def apply(page: Page, *ops: dict[str, Any]) -> None:
    """Edit through the editor, as its controls do (all at once, without waiting)."""
    page.evaluate("(ops) => { for (const op of ops) window.editor.apply(op); }", list(ops))


def stored(instance: Instance, blueprint_id: int | None = None) -> dict[str, Any]:
    """The blueprint as the server stores it (live edits included), in its JSON form. Read
    without writing: opening it would store the live edits from this process, beside the server's."""
    services = instance.services
    with services.db.read() as session:
        record = session.get(BlueprintRecord, blueprint_id or instance.world.blueprint_id)
        assert record is not None
        blueprint = current_document(session, record, services.blueprints.cache)
    return json.loads(blueprint.model_dump_json(by_alias=True, exclude_none=True))  # type: ignore[no-any-return]


def card_in(document: dict[str, Any], card_id: str) -> dict[str, Any]:
    cards = (
        card
        for stage in document["stages"]
        for step in stage["steps"]
        for cell in step["cells"].values()
        for card in cell
    )
    return next(card for card in cards if card["id"] == card_id)
