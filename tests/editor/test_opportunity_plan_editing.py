"""An opportunity's plan fields edited in the editor's Opportunities tab, in
headless Chromium: what it changes, its measure, target and due date."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from helpers.blueprints import small_blueprint
from helpers.editor import open_editor

pytestmark = pytest.mark.browser


def test_plan_fields_are_edited_in_the_opportunities_tab(browser_: Browser) -> None:
    doc = json.loads(small_blueprint().model_dump_json(by_alias=True, exclude_none=True))
    page = open_editor(browser_, doc)
    page.get_by_role("tab", name="Opportunities").click()
    item = page.locator('.sl-opportunity[data-opportunity="mobile-key"]')
    change = item.get_by_label("Change")
    change.fill("Front desk clerk=+1; registration.duration=*0.5")
    change.press("Enter")
    for label, value in (("Measure", "Minutes at the desk"), ("Target", "Under 5 minutes")):
        box = item.get_by_label(label)
        box.fill(value)
        box.press("Enter")
    item.get_by_label("Due").fill("2027-03-31")
    item.get_by_label("Due").press("Enter")
    item.get_by_label("Status").select_option("testing")
    page.wait_for_function("window.doc.pending.length === 0")
    view: dict[str, Any] = page.evaluate("window.doc.view")
    assert view == page.evaluate("window.server.doc")
    (opportunity,) = view["opportunities"]
    assert opportunity["change"] == ["Front desk clerk=+1", "registration.duration=*0.5"]
    assert (opportunity["measure"], opportunity["target"], opportunity["due"]) == (
        "Minutes at the desk",
        "Under 5 minutes",
        "2027-03-31",
    )
    assert opportunity["status"] == "testing"
    expect(item.get_by_label("Change")).to_have_value("Front desk clerk=+1; registration.duration=*0.5")
