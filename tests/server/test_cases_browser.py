"""The Opportunities board in headless Chromium against a real uvicorn server:
a version still being costed shows that it is, and the page fills in with the
computed effects by itself once they are ready."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.browser import chromium
from helpers.live_server import app_in_thread, free_port
from helpers.server import World, build_world, fast_settings
from stageline.model.operations import SetProperty
from stageline.server import create_app
from stageline.server.auth import SESSION_COOKIE
from stageline.server.services import Services

pytestmark = pytest.mark.browser


@dataclass
class Running:
    url: str
    world: World
    services: Services
    session: str


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    port = free_port()
    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'cases.db'}", port=port))
    services = app.state.services
    world = build_world(services)
    session = services.accounts.start_session(services.accounts.user(world.people["viewer"].id)).token
    with app_in_thread(app, port) as url:
        yield Running(url, world, services, session)


def test_the_board_fills_in_when_the_costing_is_done(server: Running) -> None:
    from playwright.sync_api import expect

    # Hold the costing back until the page is open, so the page sees "computing".
    release = threading.Event()
    server.services.cases._pool.submit(release.wait)
    try:
        server.services.blueprints.apply(
            server.world.blueprint_id,
            [
                SetProperty(
                    field="simulation",
                    value={"arrivals": {"rate": 6.0}, "resources": {"Front desk clerk": {"capacity": 1}}},
                ),
                SetProperty(target="mobile-key", field="change", value="registration.duration=*0.5"),
            ],
            server.world.owner,
        )
        with chromium() as browser:
            context = browser.new_context(viewport={"width": 1360, "height": 1000})
            context.add_cookies([{"name": SESSION_COOKIE, "value": server.session, "url": server.url}])
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{server.url}/b/{server.world.blueprint_id}/board?opportunity=mobile-key")
            panel = page.locator("[data-cases]")
            expect(panel).to_have_attribute("data-cases", "computing")
            expect(panel.get_by_role("status")).to_contain_text("Simulating the opportunities")
            release.set()
            expect(page.locator("[data-cases]")).to_have_attribute("data-cases", "ready", timeout=120_000)
            expect(page.locator("svg.effect-chart")).to_be_visible()
            expect(page.locator(".cases-table tbody tr")).to_have_count(1)
            detail = page.locator("#opportunity-mobile-key")
            expect(detail.get_by_role("table")).to_contain_text("Mean customer time")
            assert errors == []
    finally:
        release.set()  # never leave the costing thread waiting
