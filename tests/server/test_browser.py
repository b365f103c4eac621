"""End to end in headless Chromium against a real uvicorn server: the first
admin signs up, creates a blueprint from a template, views it, shares it
read-only, and a second browser opens the link and cannot edit.

Set STAGELINE_SCREENSHOTS=<dir> to keep screenshots of the main pages."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers.browser import chromium
from helpers.live_server import app_in_thread, free_port
from helpers.server import fast_settings
from stageline.server import create_app

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    with app_in_thread(create_app(fast_settings(f"sqlite:///{tmp_path / 'e2e.db'}", port=port)), port) as url:
        yield url


def shoot(page: object, name: str) -> None:
    folder = os.environ.get("STAGELINE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_sign_up_create_view_share_and_open_read_only(server: str) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        admin = browser.new_context(viewport={"width": 1280, "height": 900})
        page = admin.new_page()
        problems: list[str] = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.goto(server)
        expect(page).to_have_url(f"{server}/setup")
        shoot(page, "01-setup")
        page.get_by_label("Username").fill("ada")
        page.get_by_label("Your name").fill("Ada Lovelace")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Workspace name").fill("Service design")
        page.get_by_role("button", name="Create admin account").click()
        expect(page.get_by_role("heading", name="Blueprints", exact=True)).to_be_visible()

        page.get_by_role("link", name="New blueprint").click()
        page.get_by_role("radio", name="Hotel stay").check()
        page.get_by_role("button", name="Create from template").click()
        expect(page.get_by_role("status")).to_contain_text("Blueprint created")
        blueprint_url = page.url.split("?")[0]
        expect(page.locator("figure.drawing svg").first).to_be_visible()
        expect(page.get_by_role("heading", name="Findings")).to_be_visible()
        # The drawing is measured in DejaVu Sans: the page must really draw with it.
        assert page.evaluate("document.fonts.load('12px \"DejaVu Sans\"').then((faces) => faces.length)") >= 1
        assert page.evaluate("document.fonts.check('bold 12px \"DejaVu Sans\"')")
        assert problems == []  # no refused font or script
        shoot(page, "03-blueprint")

        page.get_by_role("link", name="Sharing").click()
        page.get_by_role("button", name="Create read-only link").click()
        link = page.get_by_label("Share link").input_value()
        assert "/s/" in link
        shoot(page, "04-sharing")
        page.goto(server + "/w/service-design")
        shoot(page, "02-list")
        page.goto(blueprint_url + "/history")
        shoot(page, "05-history")

        visitor = browser.new_context(viewport={"width": 1280, "height": 900})
        shared = visitor.new_page()
        shared.goto(link)
        expect(shared.get_by_role("heading", name="Hotel stay", exact=True)).to_be_visible()
        expect(shared.locator("figure.drawing svg").first).to_be_visible()
        assert shared.locator("form").count() == 0  # nothing to submit: read-only
        shoot(shared, "06-shared")
        # Editing needs an account: the blueprint page sends a visitor to sign in.
        shared.goto(blueprint_url + "/manage")
        expect(shared).to_have_url(f"{server}/signin?next=/b/{blueprint_url.rsplit('/', 1)[1]}/manage")
        refused = visitor.request.post(blueprint_url + "/rename", form={"title": "Hijacked"}, max_redirects=0)
        assert refused.status in (303, 403)
        assert page.goto(blueprint_url) and "Hijacked" not in page.content()


def _set_up_demo(page: Any, url: str) -> None:
    page.goto(f"{url}/setup")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Workspace name").fill("Service design")
    page.get_by_role("button", name="Create admin account").click()


def test_thumbnails_that_fail_at_first_are_asked_for_again(tmp_path: Path) -> None:
    """A workspace just set up shows every thumbnail without a reload, even when the first
    request for each drawing fails (the server still busy); one that never comes is marked."""
    from playwright.sync_api import Route, expect

    port = free_port()
    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'thumbs.db'}", port=port, demo=True))
    with app_in_thread(app, port) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        asked: dict[str, int] = {}
        never = "/b/1/"  # this one's drawing never comes

        def flaky(route: Route) -> None:
            path = route.request.url.split("?")[0]
            asked[path] = asked.get(path, 0) + 1
            if asked[path] == 1 or never in path:
                route.fulfill(status=503, body="busy")
            else:
                route.continue_()

        page.route("**/download.svg?*", flaky)
        _set_up_demo(page, url)
        images = page.locator(".thumb img")
        expect(images.first).to_be_attached()
        count = images.count()
        assert count >= 4  # the demo's examples
        page.wait_for_function(
            "() => [...document.querySelectorAll('.thumb img')].every((image) =>"
            " image.naturalWidth > 0 || image.closest('.thumb').classList.contains('unavailable'))",
            timeout=120_000,
        )
        loaded = page.evaluate("[...document.querySelectorAll('.thumb img')].map((image) => image.naturalWidth > 0)")
        assert loaded.count(False) == 1 and count - 1 == loaded.count(True)
        expect(page.locator(".thumb.unavailable")).to_have_count(1)
        expect(page.locator(".thumb.unavailable")).to_have_attribute("title", re.compile("reload"))
        assert asked[f"{url}/b/1/download.svg"] == 6  # the first request and five more, then it gave up
        assert all(times == 2 for path, times in asked.items() if never not in path)
