"""What broke under real hands in the editor, each fixed and checked in Chromium:
zoom and the sticky headers, links in the way of cells, the keyboard after a
button, read-only people and Enter, line breaks, untitled steps, labels and
markers clear of what they label, the side panel's fields, and text typed into
a card someone deletes."""

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

ROOT_EXAMPLES = "examples"


def hotel() -> dict[str, Any]:
    return json.loads(load(f"{ROOT_EXAMPLES}/hotel-stay.yaml").model_dump_json(by_alias=True, exclude_none=True))


@pytest.fixture
def page(browser_: Browser) -> Iterator[Page]:
    opened = open_editor(browser_, hotel())
    opened.set_viewport_size({"width": 1280, "height": 720})
    yield opened
    assert opened.errors == []  # type: ignore[attr-defined]
    opened.close()


def settled(page: Page) -> dict[str, Any]:
    page.wait_for_function("window.doc.pending.length === 0")
    return page.evaluate("window.doc.view")  # type: ignore[no-any-return]


# -- zoom ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("zoom", [0.67, 1.25, 2])
def test_headers_and_lane_labels_stay_in_place_at_every_zoom_and_scroll(page: Page, zoom: float) -> None:
    page.set_viewport_size({"width": 1100, "height": 460})  # so that even 67 % scrolls both ways
    page.evaluate(f"window.editor.setZoom({zoom})")
    page.evaluate("document.querySelector('.sl-viewport').scrollTo(400, 300)")
    page.wait_for_function(
        "(() => { const v = document.querySelector('.sl-viewport'); return v.scrollLeft > 40 && v.scrollTop > 40; })()"
    )
    viewport = rect(page, ".sl-viewport")
    stage, step = rect(page, ".sl-stage[data-stage]"), rect(page, ".sl-step[data-step]")
    lane = rect(page, '.sl-lane-head[data-lane="frontstage"]')
    # Scrolled right and down, the stage row is at the top, the step row right under it,
    # and the lane labels at the left edge, at their own row's height.
    assert abs(stage["y"] - viewport["y"]) < 2
    assert abs(step["y"] - (stage["y"] + stage["height"])) < 2
    assert abs(lane["x"] - viewport["x"]) < 2
    cell = rect(page, '.sl-cell[data-lane="frontstage"]')
    assert abs(lane["y"] - cell["y"]) < 2 and abs(lane["height"] - cell["height"]) < 2
    # The scroll area is the board at that size, not a blank half.
    sizes = page.evaluate(
        "(() => { const v = document.querySelector('.sl-viewport'); const g = document.querySelector('.sl-grid');"
        " return [v.scrollWidth, g.getBoundingClientRect().width]; })()"
    )
    assert sizes[0] < sizes[1] + 60


def test_zoom_keeps_the_point_under_the_pointer(page: Page) -> None:
    card = rect(page, '[data-card="check-in.customer"]')
    x, y = card["x"] + 20, card["y"] + 10
    page.mouse.move(x, y)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    page.wait_for_function("window.editor.zoom > 1")
    after = rect(page, '[data-card="check-in.customer"]')
    zoom = page.evaluate("window.editor.zoom")
    # The card's point that was under the pointer is still under it.
    assert abs((after["x"] + 20 * zoom) - x) < 3 and abs((after["y"] + 10 * zoom) - y) < 3


def test_fit_keeps_text_readable(page: Page) -> None:
    page.get_by_role("button", name="Fit to window").click()
    page.wait_for_function("window.editor.zoom !== 1")
    assert page.evaluate("window.editor.zoom") >= 0.67
    # Card text is drawn at a size people can read.
    height = page.evaluate("document.querySelector('.sl-card-text').getBoundingClientRect().height")
    assert height >= 9


# -- links in the way ------------------------------------------------------------------------------
def column_with_a_link_through_an_empty_cell() -> dict[str, Any]:
    document = copy.deepcopy(BLANK)
    cells = {"customer": [{"id": "ask", "text": "Ask"}], "backstage": [{"id": "file", "text": "File it"}]}
    document["stages"] = [{"id": "stage-1", "title": "Stage 1", "steps": [{"id": "step-1", "cells": cells}]}]
    document["links"] = [{"from": "ask", "to": "file"}]
    return document


def test_a_redraw_during_a_double_click_keeps_it(browser_: Browser) -> None:
    """Findings arriving in the middle of a double-click on an empty cell redraw that cell
    (its element is replaced, between the clicks or between the second press and its
    release): the double-click still adds a card there."""
    page = open_editor(browser_, column_with_a_link_through_an_empty_cell())
    cell = '.sl-cell[data-step="step-1"][data-lane="frontstage"]'
    redraw = """(message) => {
      const finding = {severity: "info", message, step: "step-1", lane: "frontstage"};
      window.editor.view.findingsByCell = new Map([["step-1|frontstage", [finding]]]);
      window.editor.render();
    }"""
    box = rect(page, cell)
    page.mouse.move(box["x"] + 24, box["y"] + box["height"] - 12)
    page.mouse.down()
    page.mouse.up()
    first = page.evaluate_handle(f"document.querySelector('{cell}')")
    page.evaluate(redraw, "Who greets the guest?")
    page.mouse.down(click_count=2)
    second = page.evaluate_handle(f"document.querySelector('{cell}')")
    page.evaluate(redraw, "Who greets the guest, and where?")
    assert page.evaluate("([a, b]) => !a.isConnected && !b.isConnected", [first, second]), "a redraw kept the cell"
    page.mouse.up(click_count=2)
    expect(page.locator(f"{cell} .sl-inline")).to_be_focused()
    page.keyboard.type("Greet the guest")
    page.keyboard.press("Enter")
    expect(page.locator(f"{cell} .sl-card")).to_have_text("Greet the guest")
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_link_crossing_an_empty_cell_does_not_block_it(browser_: Browser) -> None:
    page = open_editor(browser_, column_with_a_link_through_an_empty_cell())
    expect(page.locator('[data-link="ask->file"]')).to_have_count(1)
    cell = rect(page, '.sl-cell[data-lane="frontstage"]')
    middle = (cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2)
    # The link runs through the middle of the empty frontstage cell.
    assert page.evaluate("([x, y]) => Boolean(document.elementFromPoint(x, y).closest('[data-link]'))", list(middle))
    page.mouse.dblclick(*middle)
    expect(page.locator('.sl-cell[data-lane="frontstage"] .sl-inline')).to_be_visible()
    page.keyboard.type("Look it up")
    page.keyboard.press("Enter")
    expect(page.locator('.sl-cell[data-lane="frontstage"] .sl-card')).to_have_text("Look it up")
    # Dropping a card there works too.
    page.locator(".sl-cell", has_text="Look it up").locator(".sl-card").click()
    page.keyboard.press("Delete")
    expect(page.locator('.sl-cell[data-lane="frontstage"] .sl-card')).to_have_count(0)
    source = rect(page, '[data-card="file"]')
    page.mouse.move(source["x"] + 20, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(*middle, steps=10)
    page.mouse.up()
    expect(page.locator('.sl-cell[data-lane="frontstage"] [data-card="file"]')).to_have_count(1)
    assert settled(page)["stages"][0]["steps"][0]["cells"]["frontstage"] == [{"id": "file", "text": "File it"}]
    page.close()


# -- the keyboard after a button -------------------------------------------------------------------
def test_shortcuts_keep_working_after_toolbar_and_header_buttons(page: Page) -> None:
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator(".sl-zoom")).to_have_text("110%")
    page.keyboard.press("-")
    expect(page.locator(".sl-zoom")).to_have_text("100%")
    # Delete a step with its header's ×, then undo it with the keyboard.
    steps = page.locator(".sl-step[data-step]")
    count = steps.count()
    page.on("dialog", lambda dialog: dialog.accept())
    page.hover('.sl-step[data-step="check-in"]')
    page.get_by_role("button", name="Delete step Check in").click()
    expect(steps).to_have_count(count - 1)
    page.keyboard.press("Control+z")
    expect(steps).to_have_count(count)
    expect(page.locator('.sl-step[data-step="check-in"]')).to_be_visible()
    # A selected step goes with Delete as well, and comes back with Ctrl+Z.
    page.locator('.sl-step[data-step="check-in"] .sl-title').click()
    page.keyboard.press("Delete")
    expect(steps).to_have_count(count - 1)
    page.keyboard.press("Control+z")
    expect(steps).to_have_count(count)


# -- read-only people ------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["viewer", "commenter"])
def test_enter_and_f2_give_read_only_people_a_message_not_a_box(browser_: Browser, role: str) -> None:
    page = open_editor(browser_, hotel(), role=role)
    page.locator('[data-card="check-in.customer"]').click()
    for key in ("Enter", "F2"):
        page.keyboard.press(key)
        expect(page.locator(".sl-inline")).to_have_count(0)
        expect(page.locator(".sl-message")).to_be_visible()
        expect(page.locator(".sl-message")).to_contain_text("not edit it")
    page.close()


# -- text ------------------------------------------------------------------------------------------
def test_line_breaks_show_as_typed(page: Page) -> None:
    page.dblclick('[data-card="check-in.customer"]')
    page.keyboard.press("Control+A")
    page.keyboard.type("Queue")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("at the desk")
    page.keyboard.press("Enter")
    text = page.locator('[data-card="check-in.customer"] .sl-card-text')
    expect(text).to_have_text("Queue\nat the desk")
    lines = page.evaluate(
        "(() => { const el = document.querySelector('[data-card=\"check-in.customer\"] .sl-card-text');"
        " return el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight); })()"
    )
    assert lines > 1.8


def test_a_new_stage_step_is_not_titled_with_its_id(browser_: Browser) -> None:
    page = open_editor(browser_, copy.deepcopy(BLANK))
    page.get_by_role("button", name="Add a stage").click()
    page.keyboard.type("Stay")
    page.keyboard.press("Enter")
    stage = page.locator(".sl-stage[data-stage]", has_text="Stay")
    expect(stage).to_be_visible()
    step_id = page.evaluate("window.doc.view.stages[1].steps[0].id")
    title = page.locator(f'.sl-step[data-step="{step_id}"] .sl-title')
    expect(title).to_have_text("Untitled step")
    expect(title).to_have_class("sl-title is-placeholder")
    page.close()


# -- labels and markers ----------------------------------------------------------------------------
def test_line_labels_sit_in_their_lane_label_above_the_line(page: Page) -> None:
    labels = page.locator(".sl-line-label")
    expect(labels).to_have_count(3)
    for n in range(labels.count()):
        label = labels.nth(n).bounding_box()
        head = labels.nth(n).locator("xpath=..").bounding_box()
        assert label and head
        assert label["x"] >= head["x"] and label["x"] + label["width"] <= head["x"] + head["width"] + 0.5
        # Above the line (the head's bottom border), not crossed by it.
        assert label["y"] + label["height"] <= head["y"] + head["height"] - 3


def test_link_labels_overlap_neither_each_other_nor_the_linked_cards(page: Page) -> None:
    page.evaluate("window.editor.setZoom(1)")
    boxes = page.evaluate(
        "[...document.querySelectorAll('.sl-link-label')].map((t) => { const r = t.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height, text: t.textContent}; })"
    )
    assert len(boxes) >= 5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not overlap(a, b), (a["text"], b["text"])


def test_finding_markers_leave_card_corners_clear(page: Page) -> None:
    page.evaluate(
        """() => {
          const finding = {severity: "warning", message: "Why -1?"};
          window.editor.view.findingsByCell = new Map([["check-in|customer", [finding]]]);
          window.editor.render();
        }"""
    )
    marker = rect(page, '.sl-cell[data-step="check-in"][data-lane="customer"] .sl-marker')
    card = rect(page, '[data-card="check-in.customer"]')
    assert not overlap(marker, card)


def test_the_side_panel_shows_hints_as_hints_and_whole_values(page: Page) -> None:
    page.locator('[data-card="check-in.customer"]').click()
    duration = page.get_by_label("Duration")
    assert duration.get_attribute("placeholder").startswith("e.g. ")  # type: ignore[union-attr]
    page.get_by_role("tab", name="Opportunities").click()
    status = page.get_by_label("Status", exact=True).first
    status.select_option("planned")  # among the longest of the statuses
    fits = status.evaluate(
        """(select) => {
          const probe = document.createElement('span');
          probe.style.font = getComputedStyle(select).font;
          probe.textContent = select.selectedOptions[0].textContent;
          document.body.append(probe);
          const needed = probe.getBoundingClientRect().width + 34; // text, padding and the arrow
          probe.remove();
          return select.getBoundingClientRect().width >= needed;
        }"""
    )
    assert fits


# -- someone deletes the card you are typing in ----------------------------------------------------
def test_text_typed_into_a_card_someone_deletes_is_kept_and_restored(page: Page) -> None:
    page.dblclick('[data-card="check-in.customer"]')
    page.keyboard.press("Control+A")
    page.keyboard.type("Queue, then hand over the passport")
    # Someone else deletes the card meanwhile.
    page.evaluate(
        """async () => {
          const { applyOp } = await import('/editor/ops.js');
          const op = {op: 'remove_card', id: 'check-in.customer'};
          applyOp(window.server.doc, structuredClone(op));
          window.server.seq += 1;
          window.doc.receive({seq: window.server.seq, op, client_op_id: null});
          window.editor.changed();
        }"""
    )
    box = page.locator(".sl-inline")
    expect(box).to_have_value("Queue, then hand over the passport")
    expect(page.locator(".sl-message")).to_contain_text("Someone deleted the card you are typing in")
    page.keyboard.press("Enter")
    card = page.locator('[data-card="check-in.customer"] .sl-card-text')
    expect(card).to_have_text("Queue, then hand over the passport")
    document = settled(page)
    step = next(s for stage in document["stages"] for s in stage["steps"] if s["id"] == "check-in")
    assert step["cells"]["customer"][0]["text"] == "Queue, then hand over the passport"
    assert step["cells"]["customer"][0]["wait"] == 480
