"""A person builds and edits a blueprint in the editor, in headless Chromium."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from helpers.blueprints import small_blueprint
from helpers.editor import BLANK, open_editor
from stageline.model import Blueprint

pytestmark = pytest.mark.browser


def settled(page: Page) -> dict[str, Any]:
    """The document once every edit has come back from the server."""
    page.wait_for_function("window.doc.pending.length === 0")
    view = page.evaluate("window.doc.view")
    assert view == page.evaluate("window.server.doc")
    return view


def card_texts(doc: dict[str, Any], step: str, lane: str) -> list[str]:
    for stage in doc["stages"]:
        for s in stage["steps"]:
            if s["id"] == step:
                return [card["text"] for card in s["cells"].get(lane, [])]
    raise AssertionError(f"no step {step}")


def test_a_person_builds_a_blueprint_from_blank(browser_: Browser) -> None:
    page = open_editor(browser_, copy.deepcopy(BLANK))
    # Double-click a cell, type, Enter: a card.
    page.dblclick('.sl-cell[data-step="step-1"][data-lane="customer"]')
    expect(page.locator(".sl-inline")).to_be_focused()
    page.keyboard.type("Arrive at the hotel")
    page.keyboard.press("Enter")
    expect(page.locator(".sl-card", has_text="Arrive at the hotel")).to_be_visible()
    # The keyboard moves to the frontstage cell; Enter starts a card there.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(".sl-inline")).to_be_focused()
    page.keyboard.type("Greet the guest")
    page.keyboard.press("Enter")
    # Add a second step from the stage header; its customer card opens for typing.
    page.hover('.sl-stage[data-stage="stage-1"]')
    page.click('[data-action="add-step"][data-stage="stage-1"]')
    expect(page.locator(".sl-inline")).to_be_focused()
    page.keyboard.type("Check in")
    page.keyboard.press("Enter")
    # Rename the stage in place: select it, then click its title.
    page.click('.sl-stage[data-stage="stage-1"] .sl-title')
    page.click('.sl-stage[data-stage="stage-1"] .sl-title')
    expect(page.locator(".sl-inline")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Arrival")
    page.keyboard.press("Enter")
    # Link the customer card to the frontstage card by dragging its handle.
    source = page.locator('[data-card="step-1.customer"]')
    source.click()
    handle = source.locator(".sl-handle").bounding_box()
    target = page.locator('[data-card="step-1.frontstage"]').bounding_box()
    assert handle and target
    page.mouse.move(handle["x"] + 6, handle["y"] + 6)
    page.mouse.down()
    page.mouse.move(target["x"] + 20, target["y"] + 10, steps=8)
    page.mouse.up()
    expect(page.locator('[data-link="step-1.customer->step-1.frontstage"]')).to_have_count(1)
    # Details in the side panel.
    page.click('[data-card="step-1.frontstage"]')
    page.get_by_label("Actor").fill("Front desk clerk")
    page.get_by_label("Actor").press("Enter")
    page.get_by_label("Duration").fill("4m")
    page.get_by_label("Duration").press("Enter")
    doc = settled(page)
    assert doc["stages"][0]["title"] == "Arrival"
    assert card_texts(doc, "step-1", "customer") == ["Arrive at the hotel"]
    assert card_texts(doc, "step-1", "frontstage") == ["Greet the guest"]
    assert doc["stages"][0]["steps"][1]["cells"]["customer"][0]["text"] == "Check in"
    frontstage = doc["stages"][0]["steps"][0]["cells"]["frontstage"][0]
    assert frontstage["actor"] == "Front desk clerk" and frontstage["duration"] == 240
    assert doc["links"] == [{"from": "step-1.customer", "to": "step-1.frontstage"}]
    # Undo the duration with the keyboard, then redo it.
    page.locator(".sl-viewport").focus()
    page.keyboard.press("Control+z")
    assert "duration" not in settled(page)["stages"][0]["steps"][0]["cells"]["frontstage"][0]
    page.keyboard.press("Control+Shift+z")
    assert settled(page)["stages"][0]["steps"][0]["cells"]["frontstage"][0]["duration"] == 240
    # What the editor built is a valid blueprint for the model.
    Blueprint.model_validate(doc)
    assert page.errors == []  # type: ignore[attr-defined]


def wire() -> dict[str, Any]:
    return json.loads(small_blueprint().model_dump_json(by_alias=True, exclude_none=True))


def test_cards_move_between_cells_and_reorder_by_dragging(browser_: Browser) -> None:
    page = open_editor(browser_, wire())
    card = page.locator('[data-card="check-in.evidence.2"]')
    box = card.bounding_box()
    first = page.locator('[data-card="check-in.evidence"]').bounding_box()
    assert box and first
    page.mouse.move(box["x"] + 30, box["y"] + 8)
    page.mouse.down()
    page.mouse.move(first["x"] + 30, first["y"] + 3, steps=6)
    page.mouse.up()
    assert card_texts(settled(page), "check-in", "evidence") == ["Key card", "Desk"]
    cell = page.locator('.sl-cell[data-step="room"][data-lane="evidence"]').bounding_box()
    box = page.locator('[data-card="check-in.evidence.2"]').bounding_box()
    assert cell and box
    page.mouse.move(box["x"] + 30, box["y"] + 8)
    page.mouse.down()
    page.mouse.move(cell["x"] + 40, cell["y"] + cell["height"] - 4, steps=6)
    page.mouse.up()
    doc = settled(page)
    assert card_texts(doc, "room", "evidence") == ["Room", "Key card"]
    assert card_texts(doc, "check-in", "evidence") == ["Desk"]


def test_select_copy_paste_delete_and_undo(browser_: Browser) -> None:
    page = open_editor(browser_, wire())
    page.click('[data-card="check-in.evidence"]')
    page.click('[data-card="check-in.evidence.2"]', modifiers=["Shift"])
    page.keyboard.press("Control+c")
    page.click('.sl-cell[data-step="room"][data-lane="support"]', position={"x": 100, "y": 50})
    page.keyboard.press("Control+v")
    page.wait_for_function("window.doc.pending.length === 0 && window.server.seq >= 1")
    assert card_texts(settled(page), "room", "support") == ["Housekeeping schedule", "Desk", "Key card"]
    page.click('[data-card="registration"]')
    page.keyboard.press("Delete")
    doc = settled(page)
    assert card_texts(doc, "check-in", "frontstage") == []
    assert all("registration" not in (link["from"], link["to"]) for link in doc["links"])
    page.keyboard.press("Control+z")
    doc = settled(page)
    assert card_texts(doc, "check-in", "frontstage") == ["Process registration"]
    assert any(link["to"] == "registration" for link in doc["links"])


def test_stages_and_lanes_collapse_search_filter_and_zoom(browser_: Browser) -> None:
    page = open_editor(browser_, wire())
    page.click('[data-action="toggle-stage"][data-stage="stay"]')
    expect(page.locator('[data-card="room.customer"]')).to_have_count(0)
    expect(page.locator(".sl-step.is-collapsed")).to_have_text("1 step")
    page.click('[data-action="toggle-stage"][data-stage="stay"]')
    page.click('[data-action="toggle-lane"][data-lane="backstage"]')
    expect(page.locator('[data-card="check-in.backstage"]')).to_have_count(0)
    page.click('[data-action="toggle-lane"][data-lane="backstage"]')
    page.fill(".sl-search", "key")
    expect(page.locator(".sl-card:not(.is-dimmed)")).to_have_count(2)  # "Key card", "Prepare key card"
    page.fill(".sl-search", "")
    page.select_option(".sl-filter", "actor:Bellhop")
    expect(page.locator(".sl-card:not(.is-dimmed) .sl-card-text")).to_have_text(["Bellhop carries bags"])
    page.click('[data-action="zoom-in"]')
    expect(page.locator(".sl-zoom")).to_have_text("110%")
    page.click('[data-action="fit"]')
    assert page.evaluate("window.editor.zoom") <= 1


def test_a_viewer_sees_no_editing_controls_and_cannot_edit(browser_: Browser) -> None:
    page = open_editor(browser_, wire(), role="viewer")
    expect(page.locator(".sl-readonly")).to_have_text("View only")
    expect(page.locator('[data-action="undo"]')).to_have_count(0)
    expect(page.locator(".sl-handle")).to_have_count(0)
    page.dblclick('.sl-cell[data-step="room"][data-lane="support"]')
    expect(page.locator(".sl-inline")).to_have_count(0)
    page.click('[data-card="registration"]')
    page.keyboard.press("Delete")
    assert page.evaluate("window.server.seq") == 0
    expect(page.get_by_label("Actor")).to_have_attribute("readonly", "")


def test_opportunities_are_added_retitled_and_retargeted(browser_: Browser) -> None:
    page = open_editor(browser_, wire())
    page.click('[data-card="registration"]')
    page.get_by_role("tab", name="Opportunities").click()
    page.get_by_label("New opportunity title").fill("Pre-assign rooms")
    page.get_by_label("New opportunity title").press("Enter")
    added = page.locator(".sl-opportunity", has_text="Targets: Process registration")
    expect(added).to_have_count(1)
    title = added.get_by_label("Title")
    title.fill("Pre-assign rooms the night before")
    title.press("Enter")
    page.click('[data-card="check-in.backstage"]')
    page.get_by_role("tab", name="Opportunities").click()
    page.locator('.sl-opportunity[data-opportunity="pre-assign-rooms"] [data-retarget]').click()
    doc = settled(page)
    opportunity = next(o for o in doc["opportunities"] if o["id"] == "pre-assign-rooms")
    assert opportunity["title"] == "Pre-assign rooms the night before"
    assert opportunity["targets"] == ["check-in.backstage"]


COPY_AND_PASTE = """() => {
  const viewport = document.querySelector('.sl-viewport');
  const copied = new DataTransfer();
  viewport.dispatchEvent(new ClipboardEvent('copy', { clipboardData: copied, bubbles: true, cancelable: true }));
  return { cards: copied.getData('application/x-stageline-cards'), text: copied.getData('text/plain') };
}"""
PASTE = """([type, data]) => {
  const clipboard = new DataTransfer();
  clipboard.setData(type, data);
  document.querySelector('.sl-viewport').dispatchEvent(
    new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
}"""


def test_the_system_clipboard_carries_cards_and_lines_of_text(browser_: Browser) -> None:
    page = open_editor(browser_, wire())
    page.click('[data-card="check-in.evidence"]')
    page.click('[data-card="check-in.evidence.2"]', modifiers=["Shift"])
    copied = page.evaluate(COPY_AND_PASTE)
    assert copied["text"] == "Desk\nKey card"
    assert [card["text"] for card in json.loads(copied["cards"])] == ["Desk", "Key card"]
    # Cards copied in another editor (another tab, another blueprint) keep their details.
    other = open_editor(browser_, wire())
    other.click('.sl-cell[data-step="room"][data-lane="support"]', position={"x": 100, "y": 50})
    other.evaluate(PASTE, ["application/x-stageline-cards", copied["cards"]])
    assert card_texts(settled(other), "room", "support") == ["Housekeeping schedule", "Desk", "Key card"]
    # Plain text from anywhere: a card per line.
    other.evaluate(PASTE, ["text/plain", "Call the guest\n\n  Send a text  \n"])
    assert card_texts(settled(other), "room", "support")[-2:] == ["Call the guest", "Send a text"]


def test_the_workload_leads_to_an_actors_cards_by_name_or_alias(browser_: Browser) -> None:
    """The Metrics tab's workload names each actor as the checks do (declared name, an
    alias read as it, case and punctuation aside, a department when a card names no actor);
    clicking one selects exactly the cards `stageline metrics` counts for it."""
    from stageline.analysis.metrics import metrics

    document: dict[str, Any] = copy.deepcopy(BLANK)
    document["title"] = "Clinic"
    document["actors"] = [{"name": "ED physician", "aliases": ["Doctor"]}]
    document["stages"] = [
        {
            "id": "visit",
            "title": "Visit",
            "steps": [
                {
                    "id": "see",
                    "title": "See",
                    "cells": {
                        "customer": [{"id": "wait", "text": "Wait", "actor": "Doctor"}],
                        "frontstage": [
                            {"id": "exam", "text": "Examine", "actor": "ED physician", "duration": 600},
                            {"id": "ask", "text": "Ask", "actor": "doctor.", "duration": 120},
                            {"id": "triage", "text": "Triage", "actor": "Nurse", "duration": 300},
                        ],
                        "backstage": [{"id": "file", "text": "File", "department": "Records", "duration": 60}],
                    },
                }
            ],
        }
    ]
    page = open_editor(browser_, document)
    expected = {a.actor: a.cards for a in metrics(Blueprint.model_validate(document)).workload}
    assert expected == {"ED physician": 2, "Nurse": 1, "Records": 1}
    for actor, cards in expected.items():
        found = page.evaluate("(name) => window.editor.panel.cardsOf(name)", actor)
        assert len(found) == cards, (actor, found)
    assert sorted(page.evaluate("() => window.editor.panel.cardsOf('ED physician')")) == ["ask", "exam"]
    assert page.errors == []  # type: ignore[attr-defined]
    page.close()
