"""Comment pins: a card's comment badge opens its threads beside the card,
where one reads, replies and resolves without leaving the board (Chromium
against a real server)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from helpers.live_server import Instance, ServerProcess, open_editor

pytestmark = pytest.mark.browser


def test_a_pin_opens_the_thread_in_place(browser: Browser, instance: Instance, server: ServerProcess) -> None:
    comments = instance.services.comments
    comments.start(instance.actor("commenter"), instance.world.blueprint_id, "registration", "Who offers the lounge?")
    page = open_editor(browser, instance, server, "owner")
    pin = page.locator('[data-card="registration"] .sl-talk')
    expect(pin).to_have_text("1")
    pin.click()
    dialog = page.get_by_role("dialog", name="Comments on Process registration")
    expect(dialog).to_contain_text("Who offers the lounge?")
    # Reply in place: the thread grows there.
    dialog.locator(".sl-reply").fill("The duty manager.")
    dialog.get_by_role("button", name="Reply").click()
    expect(dialog.locator(".sl-comment")).to_have_count(2)
    # Resolve it there: the pin goes; Escape closes the thread and the keys work again.
    dialog.get_by_role("button", name="Resolve").click()
    expect(pin).to_have_count(0)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.keyboard.press("+")
    expect(page.locator(".sl-zoom")).to_have_text("110%")
    threads = comments.threads(instance.actor("owner"), instance.world.blueprint_id)
    assert [(t.thread.resolved_at is not None, [c.body for c in t.thread.comments]) for t in threads] == [
        (True, ["Who offers the lounge?", "The duty manager."])
    ]
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()
