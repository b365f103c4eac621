"""The Simulate page in headless Chromium against a real uvicorn server: a viewer
switches arrival modes, fixes a refused input, runs a simulation and sees the
charts and the blueprint drawn as a heat map.

Set STAGELINE_SCREENSHOTS=<dir> to keep a screenshot of the results."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.browser import chromium
from helpers.live_server import app_in_thread, free_port
from helpers.server import World, build_world, fast_settings
from stageline.render.heat import halo_colour
from stageline.render.themes import THEMES
from stageline.server import create_app
from stageline.server.auth import SESSION_COOKIE

pytestmark = pytest.mark.browser


@dataclass
class Running:
    url: str
    world: World
    sessions: dict[str, str]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    port = free_port()
    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'simulate.db'}", port=port))
    services = app.state.services
    world = build_world(services)
    sessions = {
        role: services.accounts.start_session(services.accounts.user(actor.id)).token
        for role, actor in world.people.items()
    }
    with app_in_thread(app, port) as url:
        yield Running(url, world, sessions)


def test_a_viewer_runs_a_simulation_and_sees_charts_and_the_heat_map(server: Running) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1360, "height": 1000})
        context.add_cookies([{"name": SESSION_COOKIE, "value": server.sessions["viewer"], "url": server.url}])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))  # the page's script must not fail

        page.goto(f"{server.url}/b/{server.world.blueprint_id}")
        page.get_by_role("navigation", name="Blueprint").get_by_role("link", name="Simulate").click()
        expect(page.get_by_role("heading", name="Inputs")).to_be_visible()

        # One arrival mode at a time; the schedule grows a row on demand.
        rate = page.get_by_label("Customers per hour", exact=True)
        expect(rate).to_be_visible()
        page.get_by_label("By time of day").check()
        expect(rate).to_be_hidden()
        rows = page.locator("#sim-schedule tbody tr")
        expect(rows).to_have_count(2)
        page.get_by_role("button", name="Add a time").click()
        expect(rows).to_have_count(3)
        expect(page.locator("#sim-schedule-time-2")).to_be_focused()
        page.get_by_label("At a steady rate").check()
        expect(rate).to_be_visible()
        expect(page.get_by_role("button", name="Save inputs to the blueprint")).to_have_count(0)

        # A refused input: the problems take the focus and link to the field.
        rate.fill("fast")
        page.get_by_role("button", name="Run simulation").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("'fast' is not a rate")
        expect(alert).to_be_focused()
        alert.get_by_role("link", name="Arrival rate").click()
        expect(page.get_by_label("Customers per hour", exact=True)).to_be_focused()

        page.get_by_label("Customers per hour", exact=True).fill("12/h")
        page.get_by_label("Units of Front desk clerk").fill("1")
        page.get_by_label("Units of Bellhop").fill("")
        page.get_by_label("Units of Housekeeping").fill("")
        page.get_by_label("Customers", exact=True).fill("300")
        page.get_by_label("Seed").fill("5")
        page.get_by_role("button", name="Run simulation").click()

        results = page.locator("#results")
        expect(results.get_by_role("heading", name="Results")).to_be_visible()
        expect(results).to_contain_text("300 customers, arrivals 12/h")
        for name in ("Utilisation per resource", "Wait per step", "Time from arrival to leaving"):
            chart = results.get_by_role("img", name=name)
            expect(chart).to_be_visible()
        utilisation = results.locator("#chart-utilisation")
        expect(utilisation).to_contain_text("Front desk clerk (1)")
        expect(results.locator("#chart-waits")).to_contain_text("Check in")
        time_chart = results.locator("#chart-total-time")
        expect(time_chart.locator("line.tolerance")).to_have_count(1)
        expect(time_chart).to_contain_text("of customers took longer than the tolerance of 2h 00m")
        expect(time_chart.locator("rect.bin")).to_have_count(24)

        heat_map = results.get_by_role("img", name="Overnight hotel stay")
        heat_map.scroll_into_view_if_needed()
        expect(heat_map).to_be_visible()
        hottest = heat_map.locator('g.sl-card[data-id="registration"]')
        expect(hottest).to_have_attribute("data-heat", "1")
        expect(hottest.locator("rect.sl-heat-halo")).to_have_attribute("fill", halo_colour(THEMES["light"], 1.0))
        expect(heat_map.locator('g.sl-card[data-id="room.frontstage"] rect.sl-heat-halo')).to_have_count(0)
        expect(heat_map).to_contain_text("Queueing per customer, from little to the most of any card")
        expect(results.get_by_role("table", name="Where customers queue, hottest first")).to_contain_text(
            "registration"
        )
        # The inputs stay as typed for the next run.
        expect(page.get_by_label("Units of Front desk clerk")).to_have_value("1")
        expect(page.get_by_label("Seed")).to_have_value("5")
        folder = os.environ.get("STAGELINE_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / "simulate.png"), full_page=True)
        assert errors == []
