"""End to end in headless Chromium against a real uvicorn server: the first
admin signs up, creates a blueprint from a template, views it, shares it
read-only, and a second browser opens the link and cannot edit.

Set STAGELINE_SCREENSHOTS=<dir> to keep screenshots of the main pages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

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
