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

from helpers.editor import BLANK, open_editor, overlap, rect
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
  // Links far from the view are not displayed (culled); their labels are placed all
  // the same, so show every link while measuring, then put the culling back.
  const culled = [...document.querySelectorAll('[data-link]')].filter((g) => g.style.display === 'none');
  for (const g of culled) g.style.display = '';
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
  for (const g of culled) g.style.display = 'none';
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


# -- the minimap -------------------------------------------------------------------------------------
def view_at(page: Page) -> dict[str, float]:
    return page.evaluate(  # type: ignore[no-any-return]
        "(() => { const v = document.querySelector('.sl-viewport');"
        " return {left: v.scrollLeft, top: v.scrollTop, width: v.clientWidth, height: v.clientHeight,"
        " scrollWidth: v.scrollWidth, scrollHeight: v.scrollHeight}; })()"
    )


# Where the map draws the left and right edges of the view's rectangle: the strongly blue
# pixels along the middle of the (empty) evidence lane, in CSS pixels of the map.
VIEW_EDGES = """() => {
  const map = document.querySelector('.sl-minimap-map');
  const view = document.querySelector('.sl-viewport');
  const lane = document.querySelector('.sl-cell[data-lane="evidence"]').getBoundingClientRect();
  const box = view.getBoundingClientRect();
  const boardY = lane.top + lane.height / 2 - box.top - view.clientTop + view.scrollTop;
  const ratio = map.width / map.getBoundingClientRect().width;
  const y = Math.round(boardY * window.editor.minimap.scale.y * ratio);
  const row = map.getContext('2d').getImageData(0, y, map.width, 1).data;
  const blue = [];
  for (let x = 0; x < map.width; x += 1) {
    if (row[4 * x + 2] - row[4 * x] > 60) blue.push(x / ratio);
  }
  return blue.length ? [Math.min(...blue), Math.max(...blue)] : null;
}"""


def expect_view_edges(page: Page) -> None:
    """The map's rectangle is where the view is (within two pixels of the map)."""
    at = view_at(page)
    scale = page.evaluate("window.editor.minimap.scale.x")
    expected = [at["left"] * scale, (at["left"] + at["width"]) * scale]
    page.wait_for_function(
        f"(() => {{ const e = ({VIEW_EDGES})(); return e && Math.abs(e[0] - {expected[0]}) < 2"
        f" && Math.abs(e[1] - {expected[1]}) < 2; }})()"
    )


def test_the_minimap_shows_a_big_board_and_moves_the_view(big_page: Page) -> None:
    page = big_page
    minimap = page.locator(".sl-minimap-map")
    expect(minimap).to_be_visible()
    # It sits over the view's bottom right corner, inside the view.
    where, view = rect(page, ".sl-minimap"), rect(page, ".sl-viewport")
    assert (
        where["x"] + where["width"] <= view["x"] + view["width"]
        and where["y"] + where["height"] <= view["y"] + view["height"]
    )
    assert where["width"] <= view["width"] / 3 + 40
    expect_view_edges(page)

    # Clicking a place on the map brings that place to the middle of the view.
    box = rect(page, ".sl-minimap-map")
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
    page.wait_for_function("document.querySelector('.sl-viewport').scrollLeft > 1000")
    at = view_at(page)
    middle = at["left"] + at["width"] / 2
    assert abs(middle - at["scrollWidth"] * 0.6) < at["scrollWidth"] / box["width"] * 2
    expect_view_edges(page)
    # The card in the middle of the view is one of that part of the board.
    found = page.evaluate(
        "(() => { const v = document.querySelector('.sl-viewport').getBoundingClientRect();"
        " const hit = document.elementFromPoint(v.x + v.width / 2, v.y + v.height / 2);"
        " return hit.closest('[data-step]')?.dataset.step; })()"
    )
    stage = int(found.split("-")[0][1:])
    assert 5 <= stage <= 6, found

    # Dragging along the map moves the view with the pointer.
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5, steps=5)
    page.mouse.up()
    at = view_at(page)
    assert abs(at["left"] + at["width"] / 2 - at["scrollWidth"] * 0.3) < at["scrollWidth"] / box["width"] * 2

    # The rectangle follows the view when the board scrolls some other way.
    page.evaluate("document.querySelector('.sl-viewport').scrollBy(2500, 0)")
    page.wait_for_function(f"document.querySelector('.sl-viewport').scrollLeft > {at['left'] + 2000}")
    expect_view_edges(page)
    # And when it zooms.
    page.evaluate("window.editor.setZoom(0.67)")
    expect_view_edges(page)


def test_the_minimap_folds_away_and_stays_folded(big_page: Page) -> None:
    page = big_page
    expect(page.locator(".sl-minimap-map")).to_be_visible()
    page.get_by_role("button", name="Hide the map").click()
    expect(page.locator(".sl-minimap-map")).to_be_hidden()
    page.reload()
    page.wait_for_function("window.ready === true")
    expect(page.get_by_role("button", name="Show the map of the board")).to_be_visible()
    expect(page.locator(".sl-minimap-map")).to_be_hidden()
    page.get_by_role("button", name="Show the map of the board").click()
    expect(page.locator(".sl-minimap-map")).to_be_visible()
    expect_view_edges(page)


def test_no_minimap_when_the_whole_board_is_in_view(browser_: Browser) -> None:
    page = open_editor(browser_, BLANK)
    expect(page.locator(".sl-card, .sl-cell").first).to_be_attached()
    page.wait_for_function("window.editor.minimap.doc !== null")
    expect(page.locator(".sl-minimap")).to_be_hidden()
    # A board that grows past the view gets one.
    for n in range(12):
        step = {"id": f"more-{n}", "title": f"More {n}", "cells": {}}
        page.evaluate(
            "(op) => window.editor.apply(op)", {"op": "add_step", "stage": "stage-1", "step": step, "index": n + 1}
        )
    expect(page.locator(".sl-minimap-map")).to_be_visible()
    assert page.errors == []  # type: ignore[attr-defined]
    page.close()


# Pixels of the map in a lane's accent colour, along the middle of that lane's row.
ACCENT_PIXELS = """([lane, accent]) => {
  const map = document.querySelector('.sl-minimap-map');
  const view = document.querySelector('.sl-viewport');
  const head = document.querySelector(`.sl-lane-head[data-lane="${lane}"]`).getBoundingClientRect();
  const box = view.getBoundingClientRect();
  const boardY = head.top + Math.min(head.height / 2, 20) - box.top - view.clientTop + view.scrollTop;
  const ratio = map.width / map.getBoundingClientRect().width;
  const y = Math.round(boardY * window.editor.minimap.scale.y * ratio);
  const row = map.getContext('2d').getImageData(0, y, map.width, 1).data;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16));
  let found = 0;
  for (let x = 0; x < map.width; x += 1) {
    if (Math.abs(row[4 * x] - r) + Math.abs(row[4 * x + 1] - g) + Math.abs(row[4 * x + 2] - b) < 40) found += 1;
  }
  return found;
}"""


def test_the_minimap_draws_cards_in_their_lane_colours_and_follows_edits(big_page: Page) -> None:
    page = big_page
    expect(page.locator(".sl-minimap-map")).to_be_visible()
    evidence = ["evidence", "#7c3aed"]  # the drawing's evidence accent (model.js)
    page.wait_for_function(f"({ACCENT_PIXELS})({evidence!r}) === 0 && ({ACCENT_PIXELS})(['customer', '#2563eb']) > 20")
    # A card in the (empty) evidence lane shows on the map in that lane's colour.
    card = {"id": "new-evidence", "text": "A receipt"}
    page.evaluate(
        "(card) => window.editor.apply({op: 'add_card', step: 't5-5', lane: 'evidence', card, index: 0})", card
    )
    page.wait_for_function(f"({ACCENT_PIXELS})({evidence!r}) > 0")
