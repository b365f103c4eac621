"""Fixtures for the live editor's server side: an app on a fresh SQLite file
with a populated world, WebSocket clients for its people; and for the
browser tests a real server process with Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from helpers.browser import chromium
from helpers.live_server import Instance, ServerProcess, populate
from helpers.server import World, build_world, fast_settings
from stageline.server import create_app


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'live.db'}"))
    yield app
    app.state.services.db.dispose()


@pytest.fixture
def live_client(live_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(live_app, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def live_world(live_client: TestClient, live_app: FastAPI) -> World:
    return build_world(live_app.state.services)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def instance(tmp_path: Path) -> Instance:
    return populate(f"sqlite:///{tmp_path / 'live.db'}")


@pytest.fixture
def server(instance: Instance, tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(instance.database_url, tmp_path / "server.log").start()
    yield process
    process.stop()
