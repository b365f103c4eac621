"""The Calibrate page in headless Chromium against a real uvicorn server: an editor uploads
a log (the upload's progress bar and the page that answers it), sees the columns, the drift
drawn as a heat map with the table beside it, and saves the calibrated blueprint.

Set STAGELINE_SCREENSHOTS=<dir> to keep a screenshot of the results."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from helpers.browser import chromium
from helpers.eventlogs import hotel_log_text
from helpers.server import World, build_world, fast_settings
from stageline.server import create_app
from stageline.server.auth import SESSION_COOKIE

pytestmark = pytest.mark.browser


@dataclass
class Running:
    url: str
    world: World
    sessions: dict[str, str]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    port = free_port()
    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'calibrate.db'}", port=port))
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
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield Running(f"http://127.0.0.1:{port}", world, sessions)
    running.should_exit = True
    thread.join(timeout=10)


def test_an_editor_uploads_a_log_sees_the_drift_and_saves(server: Running, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    log = tmp_path / "checkins.csv"
    log.write_text(hotel_log_text(), encoding="utf-8")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1360, "height": 1000})
        context.add_cookies([{"name": SESSION_COOKIE, "value": server.sessions["editor"], "url": server.url}])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        page.goto(f"{server.url}/b/{server.world.blueprint_id}")
        page.get_by_role("navigation", name="Blueprint").get_by_role("link", name="Calibrate").click()
        expect(page.get_by_role("heading", name="Upload an event log")).to_be_visible()
        page.get_by_label("Log file").set_input_files(str(log))
        page.get_by_role("button", name="Upload and read").click()

        expect(page.get_by_role("heading", name="checkins.csv")).to_be_visible()
        expect(page.get_by_label("Ticket")).to_have_value("case")
        page.get_by_label("Desk").select_option("resource")
        page.get_by_role("button", name="Calibrate with these columns").click()

        results = page.locator("#results")
        expect(results.get_by_role("heading", name="Measured")).to_be_visible()
        table = results.get_by_role("table", name="Drift, ranked by what it costs the customer")
        expect(table.locator("tbody tr").first).to_contain_text("registration")
        heat_map = results.get_by_role("img", name="Overnight hotel stay")
        expect(heat_map.locator('g.sl-card[data-id="registration"]')).to_have_attribute("data-heat", "1")
        expect(results).to_contain_text("Front desk clerk: 2 units")
        folder = os.environ.get("STAGELINE_SCREENSHOTS")
        if folder:
            page.screenshot(path=str(Path(folder) / "calibrate.png"), full_page=True)

        page.get_by_role("button", name="Save the calibrated blueprint").click()
        expect(page.get_by_role("status")).to_contain_text("The calibrated blueprint is saved as a new version")
        assert errors == []
