"""The interactive HTML page in headless Chromium: offline, pan/zoom, hover,
details, filters, findings, and no script from user text ever runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from helpers.blueprints import small_blueprint
from helpers.browser import chromium
from stageline.model import BlueprintBuilder
from stageline.render import render

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def open_page(browser: Browser, html: str, tmp_path: Path) -> tuple[Page, list[str], list[str]]:
    path = tmp_path / "blueprint.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("window.stageline !== undefined")
    return page, requests, dialogs


def test_page_works_offline_and_explains_cards(browser: Browser, tmp_path: Path, make_finding: type) -> None:
    findings = [
        make_finding(
            "SL301", "fail-recovery", "warning", "Add a recovery", card="check-in.backstage", fix="Write what staff do"
        )
    ]
    page, requests, dialogs = open_page(browser, str(render(small_blueprint(), "html", findings=findings)), tmp_path)
    try:
        # Hover a card: its links and neighbours light up, the rest dims.
        page.hover('g.sl-card[data-id="registration"]')
        related = page.eval_on_selector_all("g.sl-link.is-related", "els => els.map(e => e.dataset.id)")
        assert sorted(related) == ["check-in.customer->registration", "registration->check-in.backstage"]
        assert page.eval_on_selector("svg.stageline-blueprint", "svg => svg.classList.contains('has-hover')")
        page.mouse.move(5, 5)
        assert page.eval_on_selector_all("g.sl-link.is-related", "els => els.length") == 0

        # Click: the side panel shows every field of the card.
        page.click('g.sl-card[data-id="registration"]')
        details = page.inner_text("#sl-details")
        for expected in ("Process registration", "Front desk clerk", "Room not ready", "Offer lounge access", "4m"):
            assert expected in details
        assert page.eval_on_selector('g.sl-card[data-id="registration"]', "g => g.classList.contains('is-selected')")
        page.click("#sl-details .sl-close")
        assert page.is_hidden("#sl-details")

        # Findings are listed; clicking one selects its card.
        assert "Add a recovery" in page.inner_text("#sl-findings")
        page.click("#sl-findings li button")
        assert page.eval_on_selector("body", "b => b.dataset.selected") == "check-in.backstage"

        # Filters: a lane chip and the actor list dim the other cards.
        page.click('#sl-lanes button[data-lane="evidence"]')
        filtered = page.eval_on_selector_all("g.sl-card.is-filtered", "els => els.map(e => e.dataset.lane)")
        assert filtered and set(filtered) == {"evidence"}
        page.click('#sl-lanes button[data-lane="evidence"]')
        page.select_option("#sl-actor", "Bellhop")
        kept = page.eval_on_selector_all("g.sl-card:not(.is-filtered)", "els => els.map(e => e.dataset.id)")
        assert kept == ["room.frontstage"]

        # Zoom buttons and the wheel change the camera; fit brings it back.
        page.click("#sl-fit")
        before = page.get_attribute("svg.stageline-blueprint", "viewBox")
        page.click("#sl-zoom-in")
        after = page.get_attribute("svg.stageline-blueprint", "viewBox")
        assert before and after and float(after.split()[2]) < float(before.split()[2])
        page.mouse.move(700, 400)
        page.mouse.wheel(0, 400)
        page.click("#sl-fit")
        assert page.get_attribute("svg.stageline-blueprint", "viewBox") == before
        # Dragging pans.
        page.mouse.move(700, 400)
        page.mouse.down()
        page.mouse.move(600, 350, steps=5)
        page.mouse.up()
        panned = page.get_attribute("svg.stageline-blueprint", "viewBox")
        assert panned and panned.split()[:2] != before.split()[:2]

        assert all(url.startswith("file://") for url in requests), requests
        assert len(requests) == 1
        assert dialogs == []
    finally:
        page.close()


def test_user_text_never_runs_as_script(browser: Browser, tmp_path: Path) -> None:
    nasty = "<script>alert(1)</script>"
    bp = (
        BlueprintBuilder(nasty, scenario='"><img src=x onerror=alert(2)>')
        .stage("s", "</script><script>alert(3)</script>")
        .step(
            "a",
            customer={"id": "c", "text": '"><img src=x onerror=alert(4)>', "actor": nasty},
            frontstage={"id": "f", "text": "<svg onload=alert(5)>"},
        )
        .link("c", "f", label="<img src=x onerror=alert(6)>")
        .build()
    )
    page, requests, dialogs = open_page(browser, str(render(bp, "html")), tmp_path)
    try:
        page.click('g.sl-card[data-id="c"]')
        page.hover('g.sl-card[data-id="f"]')
        page.select_option("#sl-actor", nasty)
        assert '"><img src=x onerror=alert(4)>' in page.inner_text("#sl-details")
        assert page.eval_on_selector_all("img", "els => els.length") == 0
        assert page.eval_on_selector_all("script", "els => els.length") == 2
        assert dialogs == []
        assert len(requests) == 1
    finally:
        page.close()
