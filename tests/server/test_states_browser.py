"""End to end in headless Chromium: an editor creates the future state of the
hotel stay, edits it (a new YAML version and an opportunity moved on the
board), sees the comparison with the current state, and selects an
opportunity on the board to see the cards it targets light up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.browser import chromium
from helpers.live_server import app_in_thread, free_port
from helpers.server import PASSWORD, build_world, fast_settings
from stageline.server import create_app

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hotel-stay.yaml"
OLD_TEXT = "Check ID, take a card pre-authorisation, explain breakfast and Wi-Fi"
NEW_TEXT = "Welcome the guest; the room key is already on their phone"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """A running server with the hotel stay (current state) in the team's workspace."""
    port = free_port()
    app = create_app(fast_settings(f"sqlite:///{tmp_path / 'states.db'}", port=port))
    world = build_world(app.state.services)
    hotel = app.state.services.blueprints.create_from_yaml(
        world.owner, world.workspace_id, EXAMPLE.read_text(encoding="utf-8"), "hotel-stay.yaml"
    )
    with app_in_thread(app, port) as base:
        yield base, hotel.id


def test_future_state_edit_compare_and_board(site: tuple[str, int]) -> None:
    from playwright.sync_api import expect

    base, current_id = site
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/signin")
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        # Create the future state from the current state's page.
        page.goto(f"{base}/b/{current_id}")
        page.get_by_role("button", name="Create the future state").click()
        expect(page.locator(".notice[role=status]")).to_contain_text("Future state created")
        future_url = page.url.split("?")[0]
        future_id = int(future_url.rsplit("/", 1)[1])
        assert future_id != current_id
        expect(page.locator("p.meta .badge")).to_have_text("Future state")
        expect(page.get_by_role("link", name="Compare with the current state")).to_be_visible()

        # Edit it: a new YAML version that rewords a card …
        document = page.request.get(f"{future_url}/download.yaml").text()
        assert OLD_TEXT in document and "state: future" in document
        page.get_by_role("link", name="Manage").click()
        page.get_by_label("File").set_input_files(
            files=[
                {
                    "name": "hotel-future.yaml",
                    "mimeType": "application/yaml",
                    "buffer": document.replace(OLD_TEXT, NEW_TEXT).encode(),
                }
            ]
        )
        page.get_by_role("button", name="Upload").click()
        expect(page.locator(".notice[role=status]")).to_contain_text("New version saved")

        # … and, on the board, mobile check-in marked done.
        page.get_by_role("link", name="Opportunities", exact=True).click()
        page.locator('.opportunity-chip[data-id="mobile-check-in"]').click()
        panel = page.locator('.opportunity-detail[data-id="mobile-check-in"]')
        expect(panel).to_be_visible()
        panel.get_by_label("Status").select_option("done")
        panel.get_by_role("button", name="Save").click()
        expect(page.locator(".notice[role=status]")).to_contain_text("Opportunity updated")
        expect(page.locator('.opportunity-chip[data-id="mobile-check-in"]')).to_have_attribute("data-status", "done")

        # The comparison: current state → future state, side by side with the diff's highlights.
        page.get_by_role("link", name="Compare", exact=True).click()
        expect(page.locator(".compare-summary")).to_contain_text("Current state")
        expect(page.locator(".compare-summary")).to_contain_text("Future state")
        new_side = page.locator('figure[data-side="new"]')
        old_side = page.locator('figure[data-side="old"]')
        expect(new_side.locator('g.sl-card.is-changed[data-id="registration"]')).to_have_count(1)
        expect(old_side.locator('g.sl-card.is-changed[data-id="registration"]')).to_have_count(1)
        expect(new_side.locator('g.sl-card[data-id="registration"]')).to_contain_text("room key is already")
        change = page.locator('.changes li[data-id="registration"]')
        expect(change).to_contain_text(f'text: "{OLD_TEXT}" → "{NEW_TEXT}"')
        expect(page.locator('.changes li[data-id="mobile-check-in"]')).to_contain_text('status: "planned" → "done"')
        expect(page.locator(".changes li.diff-changed", has_text="properties")).to_contain_text(
            'state: "current" → "future"'
        )
        for metric in ("Customer-facing time", "Cost per customer", "Fail-point risk", "Handoffs", "Moments of truth"):
            expect(page.locator(".metric-deltas").first).to_contain_text(metric)
        # A change in the list points at its card on the drawing.
        change.click()
        expect(new_side.locator('g.sl-card[data-id="registration"]')).to_have_class(re.compile(r"\bis-pointed\b"))

        # The board of the current state: select an opportunity, its cards light up.
        page.goto(f"{base}/b/{current_id}")
        page.get_by_role("link", name="Opportunities", exact=True).click()
        drawing = page.locator("[data-board-drawing] svg")
        expect(drawing).not_to_have_class(re.compile("has-selection"))
        page.locator('.opportunity-chip[data-id="wifi-single-login"]').click()
        expect(drawing).to_have_class(re.compile(r"\bhas-selection\b"))
        targeted = page.locator("[data-board-drawing] g.sl-card.is-targeted")
        expect(targeted).to_have_count(2)
        ids = sorted(targeted.evaluate_all("cards => cards.map(card => card.dataset.id)"))
        assert ids == ["settle-in.customer", "wifi-portal"]
        expect(page.locator('.opportunity-detail[data-id="wifi-single-login"]')).to_be_visible()
        expect(page.locator('.opportunity-detail[data-id="wifi-single-login"] h2')).to_have_text(
            "One Wi-Fi login per stay"
        )
        assert "opportunity=wifi-single-login" in page.url
        # Another opportunity moves the highlight; the status filter hides what is not asked for.
        page.locator('.opportunity-chip[data-id="express-check-out"]').click()
        expect(page.locator('[data-board-drawing] g.sl-card.is-targeted[data-id="wifi-portal"]')).to_have_count(0)
        expect(page.locator('[data-board-drawing] g.sl-card.is-targeted[data-id="settle-bill"]')).to_have_count(1)
        page.locator('.status-filter input[value="planned"]').uncheck()
        expect(page.locator('.opportunity-chip[data-id="mobile-check-in"]')).to_be_hidden()
        expect(page.locator('.opportunity-chip[data-id="wifi-single-login"]')).to_be_visible()
        assert errors == []
