"""The Calibrate page in headless Chromium against a real uvicorn server: an editor uploads
a log (the upload's progress bar and the page that answers it), sees the columns, the drift
drawn as a heat map with the table beside it, and saves the calibrated blueprint.

Set STAGELINE_SCREENSHOTS=<dir> to keep a screenshot of the results."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.browser import chromium
from helpers.eventlogs import hotel_log_text
from helpers.threaded import Running, serve_world
from stageline.server.auth import SESSION_COOKIE

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    with serve_world(tmp_path / "calibrate.db") as running:
        yield running


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
        expect(results).to_contain_text("Front desk clerk: 1 unit at once, 2 seen")
        folder = os.environ.get("STAGELINE_SCREENSHOTS")
        if folder:
            page.screenshot(path=str(Path(folder) / "calibrate.png"), full_page=True)

        page.get_by_role("button", name="Save the calibrated blueprint").click()
        expect(page.get_by_role("status")).to_contain_text("The calibrated blueprint is saved as a new version")
        assert errors == []
