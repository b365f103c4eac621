"""/api/docs works offline: Swagger UI's assets come from the package, not a CDN,
and the page lists the API's operations in headless Chromium with every other
host unreachable."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Route, expect

from helpers.browser import chromium
from helpers.live_server import app_in_thread, free_port
from helpers.server import fast_settings
from stageline.server import create_app

pytestmark = pytest.mark.browser


def test_the_api_docs_render_offline(tmp_path: Path) -> None:
    port = free_port()
    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'docs.db'}", port=port))
    elsewhere: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith(f"http://127.0.0.1:{port}/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort("internetdisconnected")

    with app_in_thread(app, port) as url, chromium() as browser:
        page = browser.new_page()
        page.route("**/*", offline)
        page.goto(f"{url}/api/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Stageline")
        operations = page.locator(".opblock")
        expect(operations.first).to_be_visible()
        assert operations.count() > 20
        simulate = page.locator(".opblock-summary-path", has_text="/api/blueprints/{blueprint_id}/simulate")
        expect(simulate.first).to_be_visible()
    assert elsewhere == []
    app.state.services.db.dispose()
