"""The editor's layout on a laptop screen: the side panel folds away for a
wider board (and stays folded), and `?` lists the keyboard shortcuts."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, expect

from helpers.editor import open_editor
from stageline.formats.yaml_format import load

pytestmark = pytest.mark.browser


def hotel() -> dict[str, object]:
    return json.loads(load("examples/hotel-stay.yaml").model_dump_json(by_alias=True, exclude_none=True))  # type: ignore[no-any-return]


def test_the_side_panel_folds_away_and_stays_folded(browser_: Browser) -> None:
    page = open_editor(browser_, hotel())
    page.set_viewport_size({"width": 1280, "height": 720})
    viewport = page.locator(".sl-viewport")
    narrow = viewport.bounding_box()
    assert narrow and narrow["width"] < 1050
    page.get_by_role("button", name="Hide or show the side panel").click()
    expect(page.locator(".sl-side")).to_be_hidden()
    wide = viewport.bounding_box()
    assert wide and wide["width"] > 1250
    # The keyboard still works after the button, and the choice survives a reload.
    page.keyboard.press("+")
    expect(page.locator(".sl-zoom")).to_have_text("110%")
    page.reload()
    page.wait_for_function("window.ready === true")
    expect(page.locator(".sl-side")).to_be_hidden()
    page.get_by_role("button", name="Hide or show the side panel").click()
    expect(page.locator(".sl-side")).to_be_visible()
    assert page.errors == []  # type: ignore[attr-defined]
    page.close()


def test_question_mark_lists_the_shortcuts(browser_: Browser) -> None:
    page = open_editor(browser_, hotel())
    page.locator('[data-card="check-in.customer"]').click()
    page.keyboard.press("?")
    help_box = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text("Undo your last change")
    expect(help_box).to_contain_text("Zoom at the pointer")
    page.keyboard.press("Escape")
    expect(help_box).to_have_count(0)
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(help_box).to_be_visible()
    page.keyboard.press("?")
    expect(help_box).to_have_count(0)
    page.close()
