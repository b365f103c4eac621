"""A large board keeps only the cells near the view in the page (issue 16, item 5):
the far cards are drawn when the view gets there, rows keep their heights, links
reach cards that were never drawn, and the keyboard, find and selection work on
cards that were off-screen."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from helpers.editor import BLANK, open_editor

pytestmark = pytest.mark.browser

STAGES, STEPS = 20, 10  # 200 columns, 2,000 cards

CARDS_IN_PAGE = "document.querySelectorAll('.sl-canvas [data-card]').length"
LANE_HEIGHTS = "[...document.querySelectorAll('.sl-lane-head[data-lane]')].map((e) => e.offsetHeight)"

# Every drawn link whose two cards are in the page starts on the one and ends on the other.
LINKS_ON_THEIR_CARDS = """() => {
  const editor = window.editor;
  const canvas = editor.canvas;
  const at = (element) => {
    let x = 0, y = 0;
    for (let node = element; node && node !== canvas; node = node.offsetParent) {
      x += node.offsetLeft;
      y += node.offsetTop;
    }
    return {x, y, w: element.offsetWidth, h: element.offsetHeight};
  };
  const on = ([x, y], b) => x >= b.x - 1.5 && x <= b.x + b.w + 1.5 && y >= b.y - 1.5 && y <= b.y + b.h + 1.5;
  let checked = 0;
  const wrong = [];
  for (const [key, item] of editor.layer.drawn) {
    const [from, to] = key.split('->');
    const a = canvas.querySelector(`[data-card="${from}"]`);
    const b = canvas.querySelector(`[data-card="${to}"]`);
    if (!a || !b) continue;
    checked += 1;
    const points = item.line.getAttribute('d').slice(1).split(' L').map((p) => p.split(',').map(Number));
    if (!on(points[0], at(a)) || !on(points[points.length - 1], at(b))) wrong.push(key);
  }
  return {checked, wrong};
}"""


def wide_board() -> dict[str, Any]:
    """STAGES × STEPS columns, one to three cards in each cell of three lanes, and
    links from each card to cards a few steps on (and some back)."""
    document = copy.deepcopy(BLANK)
    lanes = ["customer", "frontstage", "backstage"]
    for lane in document["lanes"]:  # type: ignore[attr-defined]
        lane["visible"] = True
    cards: list[str] = []
    document["stages"] = []
    for s in range(STAGES):
        steps = []
        for t in range(STEPS):
            cells = {
                lane: [
                    {"id": f"c{s}-{t}-{lane}-{n}", "text": f"Card {s}.{t} {lane} {n}"}
                    for n in range(1 + (s + t + i) % 3)
                ]
                for i, lane in enumerate(lanes)
            }
            if (s + t) % 4 == 0:  # badges (two rows of them) and an actor: their height is estimated too
                cells["customer"][0].update(actor="Front desk", wait=900, duration=300, emotion=-1, pain="Slow")
            cards += [card["id"] for cell in cells.values() for card in cell]
            steps.append({"id": f"t{s}-{t}", "title": f"Step {s}.{t}", "cells": cells})
        document["stages"].append({"id": f"s{s}", "title": f"Stage {s}", "steps": steps})  # type: ignore[attr-defined]
    links = {}
    for n in range(600):
        source = cards[(n * 7) % len(cards)]
        target = cards[(n * 7 + [5, 17, 40, -9][n % 4]) % len(cards)]
        if source != target:
            links[(source, target)] = {"from": source, "to": target, "label": ["yes", "no", "then"][n % 3]}
    document["links"] = list(links.values())
    return document


@pytest.fixture(scope="module")
def board() -> dict[str, Any]:
    document = wide_board()
    # Some cards far longer than others: their rows must be as tall before they are drawn.
    far = document["stages"][-1]["steps"][-1]["cells"]["backstage"]
    far[0]["text"] = "A long card at the far end of the board, " * 6
    return document


@pytest.fixture
def page(browser_: Browser, board: dict[str, Any]) -> Iterator[Page]:
    opened = open_editor(browser_, board)
    opened.wait_for_function("window.editor.layer.drawn && window.editor.layer.drawn.size > 0")
    yield opened
    assert opened.errors == []  # type: ignore[attr-defined]
    opened.close()


def card_count(board: dict[str, Any]) -> int:
    return sum(len(cards) for stage in board["stages"] for step in stage["steps"] for cards in step["cells"].values())


def in_view(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            """(selector) => {
              const element = document.querySelector(selector);
              if (!element) return false;
              const box = element.getBoundingClientRect();
              const view = document.querySelector('.sl-viewport').getBoundingClientRect();
              return box.right > view.left && box.left < view.right && box.bottom > view.top && box.top < view.bottom;
            }""",
            selector,
        )
    )


def test_only_the_cards_near_the_view_are_in_the_page_and_the_far_ones_come_with_the_view(
    page: Page, board: dict[str, Any]
) -> None:
    total = card_count(board)
    first = page.evaluate(CARDS_IN_PAGE)
    assert 0 < first < total / 5, (first, total)
    far = f"c{STAGES - 1}-{STEPS - 1}-backstage-0"
    assert page.locator(f'[data-card="{far}"]').count() == 0
    heights = page.evaluate(LANE_HEIGHTS)
    # Across the board a screen at a time: every column drawn in turn, no row ever moves.
    seen = page.evaluate(
        """async (heights) => {
          const v = document.querySelector('.sl-viewport');
          const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
          const moved = [];
          const seen = new Set();
          for (let x = 0; x < v.scrollWidth; x += v.clientWidth) {
            v.scrollLeft = x;
            await frame();
            await frame();
            for (const card of document.querySelectorAll('.sl-canvas [data-card]')) seen.add(card.dataset.card);
            const now = [...document.querySelectorAll('.sl-lane-head[data-lane]')].map((e) => e.offsetHeight);
            if (now.join() !== heights.join()) moved.push([x, now]);
          }
          return {moved, seen: seen.size};
        }""",
        heights,
    )
    assert seen["moved"] == [] and seen["seen"] == total, seen
    page.evaluate("(() => { const v = document.querySelector('.sl-viewport'); v.scrollLeft = v.scrollWidth; })()")
    page.wait_for_function(f"document.querySelector('[data-card=\"{far}\"]') !== null")
    assert in_view(page, f'[data-card="{far}"]')
    # The cards left behind are gone: the page holds about as many as before.
    assert page.evaluate(CARDS_IN_PAGE) < total / 5
    assert page.locator('[data-card="c0-5-customer-0"]').count() == 0
    # The far end's long card was counted in its row's height before it was drawn: nothing moved.
    assert page.evaluate(LANE_HEIGHTS) == heights
    # Links from cards drawn now to cards drawn before were routed to where the cards are.
    result = page.evaluate(LINKS_ON_THEIR_CARDS)
    assert result["checked"] > 10 and result["wrong"] == [], result


def test_links_to_cards_not_drawn_end_where_those_cards_are_drawn_later(page: Page) -> None:
    page.evaluate("(() => { const v = document.querySelector('.sl-viewport'); v.scrollLeft = v.scrollWidth / 2; })()")
    page.wait_for_function("document.querySelector('[data-card^=\"c10-\"]') !== null")
    result = page.evaluate(LINKS_ON_THEIR_CARDS)
    assert result["checked"] > 10 and result["wrong"] == [], result
    # Routed once at the start, before any card there was drawn.
    assert page.evaluate("window.editor.layer.drawn.size") >= 590


def test_arrow_keys_to_an_off_screen_cell_draw_it_and_bring_it_into_view(page: Page) -> None:
    page.locator('[data-card="c0-0-customer-0"]').click()
    page.keyboard.press("Escape")
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.sl-cell.is-cursor[data-step=\"t4-0\"]') !== null")
    assert in_view(page, '.sl-cell.is-cursor[data-step="t4-0"]')
    selected = page.evaluate("[...window.editor.view.selection]")
    assert selected == ["c4-0-customer-0"]
    assert page.locator('[data-card="c4-0-customer-0"].is-selected').count() == 1


def test_find_reaches_a_card_that_was_never_drawn(page: Page) -> None:
    far = f"c{STAGES - 1}-5-frontstage-0"
    assert page.locator(f'[data-card="{far}"]').count() == 0
    page.locator(".sl-search").fill(f"Card {STAGES - 1}.5 frontstage 0")
    page.locator(".sl-search").press("Enter")
    page.wait_for_function(f"document.querySelector('[data-card=\"{far}\"].is-selected') !== null")
    page.wait_for_function(
        """(id) => {
          const b = document.querySelector(`[data-card="${id}"]`).getBoundingClientRect();
          const r = document.querySelector('.sl-viewport').getBoundingClientRect();
          return b.left >= r.left && b.right <= r.right;
        }""",
        arg=far,
    )


def test_double_click_on_a_far_cell_after_scrolling_adds_a_card_there(page: Page) -> None:
    page.evaluate("(() => { const v = document.querySelector('.sl-viewport'); v.scrollLeft = v.scrollWidth; })()")
    # One card in a row three cards tall: room below it.
    cell = page.locator('.sl-cell[data-step="t19-8"][data-lane="customer"]')
    cell.wait_for()
    box = cell.bounding_box()
    assert box
    cell.dblclick(position={"x": 100, "y": box["height"] - 12})
    typing = page.locator(".sl-inline")
    typing.fill("Far new card")
    typing.press("Enter")
    page.wait_for_function("window.doc.pending.length === 0")
    texts = page.evaluate("window.doc.view.stages.at(-1).steps.at(-2).cells.customer.map((c) => c.text)")
    assert texts[-1] == "Far new card"
    page.locator('.sl-cell[data-step="t19-8"][data-lane="customer"] [data-card]', has_text="Far new card").wait_for()


def test_zooming_out_draws_the_columns_that_come_into_view_and_links_follow_the_new_sizes(page: Page) -> None:
    at_full_size = page.evaluate(CARDS_IN_PAGE)
    page.locator(".sl-viewport").focus()
    for _ in range(3):  # 100 % -> 90 % -> 80 % -> 67 %
        page.keyboard.press("-")
    page.wait_for_function("window.editor.view.zoom === 0.67")
    # Text wraps differently when zoomed: the cards are measured again and the links routed anew.
    page.wait_for_function(f"{CARDS_IN_PAGE} > {at_full_size}")
    page.evaluate("(() => { const v = document.querySelector('.sl-viewport'); v.scrollLeft = v.scrollWidth / 3; })()")
    page.wait_for_function("document.querySelector('[data-card^=\"c7-\"]') !== null")
    page.wait_for_function(
        f"(() => {{ const r = ({LINKS_ON_THEIR_CARDS})(); return r.checked > 10 && r.wrong.length === 0; }})()"
    )


def test_a_box_across_the_board_selects_the_cards_whose_columns_were_never_drawn(page: Page) -> None:
    # Start on the background of a customer cell holding one card (room below it).
    step = page.evaluate("window.doc.view.stages[0].steps.find((s) => (s.cells.customer || []).length === 1).id")
    cell = page.locator(f'.sl-cell[data-step="{step}"][data-lane="customer"]')
    start = cell.bounding_box()
    assert start
    page.keyboard.down("Shift")
    page.mouse.move(start["x"] + 20, start["y"] + start["height"] - 8)
    page.mouse.down()
    page.mouse.move(start["x"] + 60, start["y"] + start["height"] - 8, steps=3)
    page.locator(".sl-marquee").wait_for()
    # While boxing, the view jumps twelve stages on: the columns between are never drawn.
    page.evaluate(
        """() => {
          const head = document.querySelector('.sl-step[data-step="t12-0"]');
          document.querySelector('.sl-viewport').scrollLeft = head.offsetLeft;
        }"""
    )
    page.wait_for_function("document.querySelector('[data-card^=\"c12-0-\"]') !== null")
    assert page.locator('[data-card^="c6-"]').count() == 0
    end = page.locator('.sl-cell[data-step="t12-0"][data-lane="customer"]').bounding_box()
    assert end
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 4, steps=3)  # the box spans the customer row
    page.mouse.up()
    page.keyboard.up("Shift")
    selected = set(page.evaluate("[...window.editor.view.selection]"))
    customers_between = set(
        page.evaluate(
            """() => window.doc.view.stages.slice(1, 12).flatMap((stage) =>
                 stage.steps.flatMap((s) => (s.cells.customer || []).map((c) => c.id)))"""
        )
    )
    # Every customer card of the stages between is chosen, and nothing outside the customer lane.
    assert customers_between <= selected, sorted(customers_between - selected)[:5]
    assert all("-customer-" in card for card in selected)
    drawn_and_chosen = page.locator('[data-card^="c12-0-customer-"].is-selected')
    drawn_and_chosen.first.wait_for()  # and the drawn ones show it
