"""Fixtures for the live editor's server side: an app on a fresh SQLite file
with a populated world, and WebSocket clients for its people."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

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
