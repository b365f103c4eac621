"""The editor's overview aids in Chromium: the minimap of a big board, link labels that
keep clear of each other and of the cards they do not connect, and findings markers
that the sticky header rows never cover."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from helpers.editor import BLANK, open_editor
from stageline.formats.yaml_format import load

pytestmark = pytest.mark.browser


def hotel() -> dict[str, Any]:
    return json.loads(load("examples/hotel-stay.yaml").model_dump_json(by_alias=True, exclude_none=True))


def big_board(stages: int = 10, steps: int = 10, per_cell: int = 2, links: int = 300) -> dict[str, Any]:
    """A generated board: stages × steps columns, `per_cell` cards in each visible lane, and
    labelled links from cards to cards a few steps on (some in the same step, some back)."""
    document = copy.deepcopy(BLANK)
    lanes = ["customer", "frontstage", "backstage"]
    for lane in document["lanes"]:  # type: ignore[attr-defined]
        lane["visible"] = True
    cards: list[str] = []
    document["stages"] = []
    for s in range(stages):
        stage: dict[str, Any] = {"id": f"s{s}", "title": f"Stage {s}", "steps": []}
        for t in range(steps):
            # Uneven, as on real boards: from none to per_cell + 1 cards a cell.
            counts = {lane: [per_cell, 0, 1, per_cell + 1, 1][(s * steps + t + i) % 5] for i, lane in enumerate(lanes)}
            cells = {
                lane: [{"id": f"c{s}-{t}-{lane}-{n}", "text": f"Card {s}.{t} {lane} {n}"} for n in range(counts[lane])]
                for lane in lanes
            }
            cards += [card["id"] for cell in cells.values() for card in cell]
            stage["steps"].append({"id": f"t{s}-{t}", "title": f"Step {s}.{t}", "cells": cells})
        document["stages"].append(stage)  # type: ignore[attr-defined]
    made = []
    for n in range(links):
        source = cards[(n * 11) % len(cards)]
        target = cards[(n * 11 + [1, 3, 7, 13, 2][n % 5]) % len(cards)]
        if source != target:
            label = ["yes", "no", "then", "on failure", "hand over"][n % 5]
            made.append({"from": source, "to": target, "label": label})
    document["links"] = list({(m["from"], m["to"]): m for m in made}.values())
    return document


@pytest.fixture
def hotel_page(browser_: Browser) -> Iterator[Page]:
    opened = open_editor(browser_, hotel())
    opened.set_viewport_size({"width": 1280, "height": 720})
    yield opened
    assert opened.errors == []  # type: ignore[attr-defined]
    opened.close()


@pytest.fixture
def big_page(browser_: Browser) -> Iterator[Page]:
    opened = open_editor(browser_, big_board())
    opened.set_viewport_size({"width": 1280, "height": 720})
    yield opened
    assert opened.errors == []  # type: ignore[attr-defined]
    opened.close()


def rect(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not on the page"
    return dict(found)


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - 0.5
        and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5
        and b["y"] < a["y"] + a["height"] - 0.5
    )


def scroll_to(page: Page, left: float, top: float) -> None:
    page.evaluate(f"document.querySelector('.sl-viewport').scrollTo({left}, {top})")
    page.wait_for_function(
        f"(() => {{ const v = document.querySelector('.sl-viewport');"
        f" return Math.abs(v.scrollLeft - Math.min({left}, v.scrollWidth - v.clientWidth)) < 1"
        f" && Math.abs(v.scrollTop - Math.min({top}, v.scrollHeight - v.clientHeight)) < 1; }})()"
    )


# -- findings markers --------------------------------------------------------------------------------
FULLY_VISIBLE = """(selector) => {
  const marker = document.querySelector(selector);
  const r = marker.getBoundingClientRect();
  const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
  // Its centre and the middles of its edges (its corners are rounded off).
  const points = [[cx, cy], [cx, r.y + 1], [cx, r.bottom - 1], [r.x + 1, cy], [r.right - 1, cy]];
  return points.map(([x, y]) => document.elementFromPoint(x, y) === marker);
}"""


def test_a_findings_marker_in_the_first_lane_is_never_under_the_header_rows(hotel_page: Page) -> None:
    page = hotel_page
    first = page.evaluate("document.querySelector('.sl-cell[data-lane]').dataset.lane")
    page.evaluate(
        """(lane) => {
          const finding = {severity: "warning", message: "Why?"};
          const cells = ["check-in", "settle-in"].map((step) => [step + "|" + lane, [finding]]);
          window.editor.view.findingsByCell = new Map(cells);
          window.editor.render();
        }""",
        first,
    )
    for step in ("check-in", "settle-in"):
        marker = f'.sl-cell[data-step="{step}"][data-lane="{first}"] .sl-marker'
        expect(page.locator(marker)).to_be_visible()
        # At the top, and scrolled a little down and to the right: all of the marker is
        # the marker, not the step header row above it.
        page.locator(marker).scroll_into_view_if_needed()
        scroll_to(page, page.evaluate("document.querySelector('.sl-viewport').scrollLeft"), 0)
        assert page.evaluate(FULLY_VISIBLE, marker) == [True] * 5
        left = page.evaluate("document.querySelector('.sl-viewport').scrollLeft")
        scroll_to(page, left + 20, 12)
        assert page.evaluate(FULLY_VISIBLE, marker) == [True] * 5
        # And it still covers no card of its own cell.
        for card in page.locator(f'.sl-cell[data-step="{step}"][data-lane="{first}"] .sl-card').all():
            found = card.bounding_box()
            assert found and not overlap(rect(page, marker), dict(found))


# -- link labels -------------------------------------------------------------------------------------
LABELS_AND_CARDS = """() => {
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
  };
  const labels = [...document.querySelectorAll('[data-link]')].flatMap((group) => {
    const text = group.querySelector('.sl-link-label');
    if (!text) return [];
    const [from, to] = group.dataset.link.split('->');
    const shown = getComputedStyle(text).display !== 'none';
    return [{from, to, text: text.textContent, shown, ...(shown ? box(text) : {})}];
  });
  const cards = [...document.querySelectorAll('[data-card]')].map((c) => ({id: c.dataset.card, ...box(c)}));
  return {labels, cards};
}"""


def check_labels(page: Page) -> tuple[int, int]:
    """Every shown label clear of the cards its link does not connect and of every
    other label; returns how many labels are shown, of how many."""
    found = page.evaluate(LABELS_AND_CARDS)
    shown = [label for label in found["labels"] if label["shown"]]
    for label in shown:
        assert label["width"] > 0 and label["height"] > 0
        for card in found["cards"]:
            if card["id"] not in (label["from"], label["to"]):
                assert not overlap(label, card), (label["text"], label["from"], label["to"], card["id"])
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            assert not overlap(a, b), (a["text"], a["from"], b["text"], b["from"])
    return len(shown), len(found["labels"])


def test_link_labels_keep_clear_of_each_other_and_of_other_cards_on_the_hotel(hotel_page: Page) -> None:
    page = hotel_page
    expect(page.locator(".sl-link-label").first).to_be_attached()
    shown, labels = check_labels(page)
    assert labels >= 20 and shown >= labels * 0.8, (shown, labels)
    # A label with no room on the board still says itself: the link's tooltip.
    assert page.evaluate("document.querySelectorAll('[data-link] > title').length") == labels


def test_link_labels_keep_clear_on_a_dense_board(big_page: Page) -> None:
    page = big_page
    expect(page.locator(".sl-link-label").first).to_be_attached()
    shown, labels = check_labels(page)
    assert labels >= 250 and shown >= labels * 0.5, (shown, labels)
    # Still so after an edit moves cards about.
    page.evaluate(
        "window.editor.apply({op: 'set', target: 'c0-0-customer-0', field: 'text', value: 'A much longer text "
        "that wraps over several lines and so makes its row taller than before'})"
    )
    page.wait_for_function("window.doc.pending.length === 0")
    check_labels(page)


def test_a_label_with_no_room_shows_while_its_link_is_selected(big_page: Page) -> None:
    page = big_page
    expect(page.locator(".sl-link-label.is-unplaced").first).to_be_attached()
    key = page.evaluate("document.querySelector('.sl-link-label.is-unplaced').closest('[data-link]').dataset.link")
    label = page.locator(f'[data-link="{key}"] .sl-link-label')
    expect(label).to_be_hidden()
    page.evaluate("(key) => window.editor.select([key])", key)
    expect(label).to_be_visible()
    page.evaluate("window.editor.select([])")
    expect(label).to_be_hidden()
