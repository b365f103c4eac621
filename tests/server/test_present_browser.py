"""Presentation mode in headless Chromium: stage by stage with the keyboard, full
screen, the stage's feelings and findings beside it, and a share link that
opens straight on a stage without an account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers.browser import chromium, sign_in
from helpers.live_server import app_in_thread, free_port
from helpers.server import PASSWORD, build_world, fast_settings
from stageline.server import create_app

pytestmark = pytest.mark.browser

# The template has a finding in its first stage (a backstage card nobody does) and three stages.
EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "stageline" / "templates" / "hotel-stay.yaml"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, int, str]]:
    """A running server with the hotel stay and a read-only share link to it."""
    port = free_port()
    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'present.db'}", port=port))
    services: Any = app.state.services
    world = build_world(services)
    hotel = services.blueprints.create_from_yaml(
        world.owner, world.workspace_id, EXAMPLE.read_text(encoding="utf-8"), "hotel-stay.yaml"
    )
    link = services.sharing.create_link(world.owner, hotel.id, "Steering group")
    with app_in_thread(app, port) as base:
        yield base, hotel.id, link.token


def test_presenting_stage_by_stage_with_the_keyboard(site: tuple[str, int, str]) -> None:
    from playwright.sync_api import expect

    base, hotel_id, _ = site
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(page, base, "viewer", PASSWORD)
        page.goto(f"{base}/b/{hotel_id}")
        page.get_by_role("link", name="Present").click()
        expect(page).to_have_url(f"{base}/b/{hotel_id}/present#stage-1")
        current = page.locator(".slide.current")
        expect(current).to_have_count(1)
        expect(current.locator("h2")).to_have_text("Arrival")
        expect(page.locator(".slide:not(.current)").first).to_be_hidden()
        expect(page.locator("[data-position]")).to_have_text("Stage 1 of 3")
        # The current stage is large: its grid fills most of the screen, cards in projector-sized type.
        grid = current.locator(".slide-grid table").bounding_box()
        assert grid is not None and grid["width"] > 1000
        card = current.locator(".present-card", has_text="Check in at the desk")
        expect(card).to_be_visible()
        size = card.evaluate("element => parseFloat(getComputedStyle(element).fontSize)")
        assert size >= 20
        expect(current.locator(".present-card.failing")).to_contain_text(["Room not ready"])
        # Beside it: the emotion curve with this stage's steps marked, and this stage's findings.
        expect(current.locator("svg.curve circle.here")).not_to_have_count(0)
        expect(current.locator(".slide-findings li")).to_contain_text(["Tag and store the bags"])

        page.keyboard.press("ArrowRight")
        expect(page).to_have_url(f"{base}/b/{hotel_id}/present#stage-2")
        expect(page.locator(".slide.current h2")).to_have_text("Stay")
        expect(page.locator(".slide.current .slide-side")).to_contain_text("Nothing to fix in this stage.")
        page.keyboard.press("End")
        expect(page.locator(".slide.current h2")).to_have_text("Departure")
        page.keyboard.press("ArrowRight")  # past the last stage: stays there
        expect(page.locator("[data-position]")).to_have_text("Stage 3 of 3")
        page.keyboard.press("ArrowLeft")
        expect(page.locator(".slide.current h2")).to_have_text("Stay")
        page.keyboard.press("Home")
        expect(page.locator(".slide.current h2")).to_have_text("Arrival")

        page.keyboard.press("f")
        page.wait_for_function("document.fullscreenElement !== null")
        page.keyboard.press("f")
        page.wait_for_function("document.fullscreenElement === null")
        assert errors == []


def test_a_share_link_opens_straight_into_the_presentation(site: tuple[str, int, str]) -> None:
    from playwright.sync_api import expect

    base, _, token = site
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/s/{token}/present#stage-3")  # no account, straight onto the third stage
        expect(page.locator(".slide.current h2")).to_have_text("Departure")
        expect(page.locator("[data-position]")).to_have_text("Stage 3 of 3")
        page.get_by_role("button", name="Previous stage").click()
        expect(page).to_have_url(f"{base}/s/{token}/present#stage-2")
        page.get_by_role("link", name="Leave").click()
        expect(page).to_have_url(f"{base}/s/{token}")
        expect(page.get_by_role("link", name="Present")).to_be_visible()
