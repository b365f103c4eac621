"""Whiteboard handling in the editor, in Chromium: a box (Shift + drag) selects
cards, dragging one of several selected cards moves them all, a field edited
with several cards selected is set on each, and dragging near an edge scrolls."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from helpers.editor import BLANK, open_editor

pytestmark = pytest.mark.browser


def board(steps: int = 3) -> dict[str, Any]:
    document = copy.deepcopy(BLANK)
    document["stages"] = [
        {
            "id": "stage-1",
            "title": "Stage 1",
            "steps": [
                {
                    "id": f"step-{n}",
                    "title": f"Step {n}",
                    "cells": {"customer": [{"id": f"c{n}", "text": f"Customer {n}"}]} if n <= 2 else {},
                }
                for n in range(1, steps + 1)
            ],
        }
    ]
    return document


def settled(page: Page) -> dict[str, Any]:
    page.wait_for_function("window.doc.pending.length === 0")
    return page.evaluate("window.doc.view")  # type: ignore[no-any-return]


def cell_of(document: dict[str, Any], step_id: str, lane: str) -> list[str]:
    steps = [step for stage in document["stages"] for step in stage["steps"]]
    return [card["id"] for card in next(s for s in steps if s["id"] == step_id)["cells"].get(lane, [])]


def customer_cards(document: dict[str, Any]) -> list[dict[str, Any]]:
    steps = [step for stage in document["stages"] for step in stage["steps"]]
    return [card for step in steps for card in step["cells"].get("customer", [])]


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).bounding_box()
    assert found, selector
    return dict(found)


def test_a_box_selects_cards_and_a_field_is_set_on_all_of_them(browser_: Browser) -> None:
    page = open_editor(browser_, board())
    start = box(page, '.sl-cell[data-step="step-1"][data-lane="frontstage"]')
    end = box(page, '[data-card="c2"]')
    page.keyboard.down("Shift")
    page.mouse.move(start["x"] + 10, start["y"] + start["height"] - 8)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 4, steps=10)
    expect(page.locator(".sl-marquee")).to_be_visible()
    page.mouse.up()
    page.keyboard.up("Shift")
    expect(page.locator(".sl-marquee")).to_have_count(0)
    expect(page.locator(".sl-card.is-selected")).to_have_count(2)
    assert page.evaluate("[...window.editor.view.selection].sort()") == ["c1", "c2"]
    # One field for both.
    expect(page.locator(".sl-bulk h3")).to_have_text("2 cards")
    page.get_by_label("Actor").fill("Guest")
    page.get_by_label("Actor").press("Enter")
    document = settled(page)
    cards = customer_cards(document)
    assert [card.get("actor") for card in cards] == ["Guest", "Guest"]
    # One undo takes it back from both.
    page.locator(".sl-viewport").focus()
    page.keyboard.press("Control+z")
    document = settled(page)
    cards = customer_cards(document)
    assert [card.get("actor") for card in cards] == [None, None]
    assert page.errors == []  # type: ignore[attr-defined]
    page.close()


def test_dragging_one_of_several_selected_cards_moves_them_all(browser_: Browser) -> None:
    page = open_editor(browser_, board())
    page.locator('[data-card="c1"]').click()
    page.locator('[data-card="c2"]').click(modifiers=["Shift"])
    expect(page.locator(".sl-card.is-selected")).to_have_count(2)
    source = box(page, '[data-card="c2"]')
    target = box(page, '.sl-cell[data-step="step-3"][data-lane="backstage"]')
    page.mouse.move(source["x"] + 20, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2, steps=10)
    expect(page.locator(".sl-ghost-count")).to_have_text("2 cards")
    page.mouse.up()
    document = settled(page)
    assert cell_of(document, "step-3", "backstage") == ["c1", "c2"]
    assert cell_of(document, "step-1", "customer") == cell_of(document, "step-2", "customer") == []
    assert page.errors == []  # type: ignore[attr-defined]
    page.close()


def test_dragging_near_an_edge_scrolls_the_board(browser_: Browser) -> None:
    page = open_editor(browser_, board(steps=14))
    page.set_viewport_size({"width": 1000, "height": 700})
    viewport = box(page, ".sl-viewport")
    source = box(page, '[data-card="c1"]')
    assert page.evaluate("document.querySelector('.sl-viewport').scrollLeft") == 0
    page.mouse.move(source["x"] + 20, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(viewport["x"] + viewport["width"] - 10, source["y"] + source["height"] / 2, steps=10)
    # Held still at the edge, the board keeps scrolling.
    page.wait_for_function("document.querySelector('.sl-viewport').scrollLeft > 200")
    page.mouse.up()
    assert page.errors == []  # type: ignore[attr-defined]
    page.close()


def test_a_right_click_offers_what_can_be_done_there(browser_: Browser) -> None:
    document = board()
    document["links"] = [{"from": "c1", "to": "c2"}]
    page = open_editor(browser_, document)
    # On a card: edit, copy, delete.
    page.locator('[data-card="c1"]').click(button="right")
    menu = page.get_by_role("menu")
    expect(menu.get_by_role("menuitem")).to_have_text(["Edit text", "Copy", "Delete"])
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    # On an empty cell: add a card there.
    page.locator('.sl-cell[data-step="step-3"][data-lane="frontstage"]').click(button="right")
    menu.get_by_role("menuitem", name="Add a card here").click()
    page.keyboard.type("Wave")
    page.keyboard.press("Enter")
    expect(page.locator('.sl-cell[data-step="step-3"][data-lane="frontstage"] .sl-card')).to_have_text("Wave")
    # On a link: two-way, then delete; the keyboard still works afterwards.
    page.locator('[data-link="c1->c2"] .sl-link-hit').click(button="right", force=True)
    menu.get_by_role("menuitem", name="Make two-way").click()
    page.wait_for_function("window.doc.view.links[0].two_way === true")
    page.locator('[data-link="c1->c2"] .sl-link-hit').click(button="right", force=True)
    menu.get_by_role("menuitem", name="Delete link").click()
    expect(page.locator('[data-link="c1->c2"]')).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(page.locator('[data-link="c1->c2"]')).to_have_count(1)
    settled(page)
    assert page.errors == []  # type: ignore[attr-defined]
    page.close()


def test_read_only_people_get_a_menu_without_edits(browser_: Browser) -> None:
    page = open_editor(browser_, board(), role="viewer")
    page.locator('[data-card="c1"]').click(button="right")
    expect(page.get_by_role("menu").get_by_role("menuitem")).to_have_text(["Copy"])
    page.close()


def test_others_pointers_and_typing_show_on_the_board(browser_: Browser) -> None:
    page = open_editor(browser_, board())
    page.evaluate(
        """() => {
          window.editor.setPresence([{client_id: "ben", name: "Ben", color: "#d1495b", selection: []}]);
          window.editor.showCursor({client_id: "ben", pointer: [300, 120], typing: "c1"});
        }"""
    )
    cursor = page.locator('.sl-cursor[data-client="ben"]')
    expect(cursor).to_contain_text("Ben")
    expect(page.locator('[data-card="c1"] .sl-typing')).to_have_text("Ben is typing…")
    # Drawn at that point of the board, whatever the zoom.
    canvas = box(page, ".sl-canvas")
    at = box(page, '.sl-cursor[data-client="ben"]')
    assert abs(at["x"] - (canvas["x"] + 300)) < 2 and abs(at["y"] - (canvas["y"] + 120)) < 2
    # A redraw keeps the marks; leaving removes them.
    page.locator('[data-card="c2"]').click()
    expect(page.locator('[data-card="c1"] .sl-typing')).to_have_count(1)
    page.evaluate("window.editor.setPresence([])")
    expect(cursor).to_have_count(0)
    expect(page.locator(".sl-typing")).to_have_count(0)
    # This person's own pointer and typing go out for the others.
    cell = box(page, '.sl-cell[data-step="step-3"][data-lane="frontstage"]')
    page.mouse.move(cell["x"] + 30, cell["y"] + 20)
    page.wait_for_function("window.cursorsSent.some(([pointer]) => pointer !== null)")
    page.mouse.dblclick(cell["x"] + 30, cell["y"] + 20)
    page.wait_for_function("window.cursorsSent.some(([, typing]) => typing === 'step-3|frontstage')")
    page.keyboard.press("Escape")
    page.wait_for_function("window.cursorsSent.at(-1)[1] === null")
    assert page.errors == []  # type: ignore[attr-defined]
    page.close()
