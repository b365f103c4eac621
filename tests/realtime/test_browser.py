"""The live editor end to end: headless Chromium against a real `stageline
serve` process on a fresh SQLite file.

Set STAGELINE_SCREENSHOTS=<dir> to keep screenshots of two people editing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from helpers.live import eventually
from helpers.live_server import QUIET, SETTLED, Instance, ServerProcess, apply, card_in, open_editor, stored

pytestmark = pytest.mark.browser


def shoot(page: Page, name: str) -> None:
    folder = os.environ.get("STAGELINE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def test_two_people_edit_at_once_and_end_identical(browser: Browser, instance: Instance, server: ServerProcess) -> None:
    ana = open_editor(browser, instance, server, "owner")
    ben = open_editor(browser, instance, server, "editor")
    # Presence: each sees the other, and what they have selected.
    expect(ana.locator('.sl-person[title="Editor"]')).to_be_visible()
    expect(ben.locator('.sl-person[title="Owner"]')).to_be_visible()
    ben.locator('[data-card="registration"]').click()
    expect(ana.locator('[data-card="registration"].is-remote-selected')).to_be_visible()
    expect(ana.locator('[data-card="registration"] .sl-remote-tag')).to_have_text("Editor")

    # The same card, through the UI, at the same time: Ana retypes its text
    # in place while Ben changes its actor in the side panel.
    ana.wait_for_function(QUIET)
    ana.locator('[data-card="registration"]').dblclick()
    expect(ana.locator(".sl-inline")).to_be_focused()  # typing before the box has the keys would lose them
    ana.keyboard.press("Control+A")
    ana.keyboard.type("Register the guest")
    ben.get_by_label("Actor").fill("Night clerk")
    ana.keyboard.press("Enter")
    ben.get_by_label("Actor").press("Enter")
    # And a burst from both on shared elements, interleaved.
    for n in range(10):
        apply(ana, {"op": "set", "target": "registration", "field": "wait", "value": f"{n + 1}m"})
        apply(ben, {"op": "set", "target": "registration", "field": "wait", "value": f"{n + 20}m"})
        apply(
            ben, {"op": "add_card", "step": "check-in", "lane": "support", "card": {"id": f"b{n}", "text": f"Ben {n}"}}
        )
    apply(ana, {"op": "remove_card", "id": "b0"}, {"op": "move_card", "id": "b1", "step": "room", "lane": "support"})
    for page in (ana, ben):
        page.wait_for_function(SETTLED)
    eventually(lambda: _same_seq(ana, ben))
    view = ana.evaluate("window.doc.view")
    assert view == ben.evaluate("window.doc.view")
    card = card_in(view, "registration")
    assert card["text"] == "Register the guest" and card["actor"] == "Night clerk"
    assert card["wait"] in (600, 29 * 60)  # whoever's last edit the server ordered last
    shoot(ana, "live-ana")
    shoot(ben, "live-ben")
    assert ana.errors == [] and ben.errors == []  # type: ignore[attr-defined]
    ana.context.close()
    ben.context.close()
    eventually(lambda: _stored_is(instance, view))


def _same_seq(a: Page, b: Page) -> None:
    assert a.evaluate("window.doc.seq") == b.evaluate("window.doc.seq")


def _stored_is(instance: Instance, view: dict[str, Any]) -> None:
    assert stored(instance) == view


def test_a_viewer_cannot_edit(browser: Browser, instance: Instance, server: ServerProcess) -> None:
    before = stored(instance)
    page = open_editor(browser, instance, server, "viewer")
    expect(page.locator(".sl-readonly")).to_have_text("View only")
    assert page.locator('[data-action="undo"], [data-action="add-stage"]').count() == 0
    page.locator('[data-card="registration"]').dblclick()
    assert page.locator(".sl-inline").count() == 0
    page.evaluate(
        """() => window.connection.socket.send(JSON.stringify({type: "op", id: "forced:1",
           op: {op: "set", target: "registration", field: "text", value: "Hijacked"}}))"""
    )
    expect(page.locator(".sl-message")).to_contain_text("you are a viewer of this blueprint")
    assert page.evaluate("window.doc.seq") == 1
    page.context.close()
    assert stored(instance) == before


def test_a_killed_server_loses_no_acknowledged_edit_and_the_page_reconnects(
    browser: Browser, instance: Instance, server: ServerProcess
) -> None:
    page = open_editor(browser, instance, server, "owner")
    apply(page, {"op": "set", "target": "registration", "field": "text", "value": "Acknowledged"})
    page.wait_for_function(SETTLED)
    acknowledged = page.evaluate("window.doc.seq")
    server.kill()
    expect(page.locator(".sl-status.is-offline")).to_be_visible()
    apply(page, {"op": "set", "target": "registration", "field": "actor", "value": "Made offline"})
    expect(page.locator(".sl-status")).to_contain_text("1 change kept")
    server.start()
    page.wait_for_function(SETTLED)
    expect(page.locator(".sl-status")).to_have_text("All changes saved")
    assert page.evaluate("window.doc.seq") == acknowledged + 1  # seq carries on after the restart
    card = card_in(page.evaluate("window.doc.view"), "registration")
    assert (card["text"], card["actor"]) == ("Acknowledged", "Made offline")
    page.context.close()

    def both_stored() -> None:
        card = card_in(stored(instance), "registration")
        assert (card["text"], card["actor"]) == ("Acknowledged", "Made offline")

    eventually(both_stored)
