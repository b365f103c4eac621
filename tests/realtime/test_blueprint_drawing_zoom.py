"""The Blueprint tab's drawing zooms like Compare's and Simulate's: −, + and
Fit in a toolbar over it, Ctrl + wheel at the pointer, and the SVG drawn at
the new size (sharp text), on a real server in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from helpers.live_server import Instance, ServerProcess, open_page

pytestmark = pytest.mark.browser


def test_the_blueprint_tab_drawing_zooms_and_fits(browser: Browser, instance: Instance, server: ServerProcess) -> None:
    page = open_page(browser, instance, server, "viewer", f"/b/{instance.world.blueprint_id}")
    figure = page.locator("figure.drawing")
    tools = figure.get_by_role("toolbar", name="Zoom the drawing")
    expect(tools).to_be_visible()
    level = tools.locator(".drawing-zoom-level")
    expect(level).to_have_text("100%")
    width = page.locator("figure.drawing svg").first.bounding_box()
    assert width
    tools.get_by_role("button", name="Zoom in").click()
    expect(level).to_have_text("125%")
    wider = page.locator("figure.drawing svg").first.bounding_box()
    assert wider and abs(wider["width"] - width["width"] * 1.25) < 2
    tools.get_by_role("button", name="Zoom out").click()
    tools.get_by_role("button", name="Zoom out").click()
    expect(level).to_have_text("80%")
    # Fit: the whole width in the pane.
    tools.get_by_role("button", name="Fit to width").click()
    pane = page.locator("figure.drawing .drawing-scroll")
    page.wait_for_function(
        "(() => { const p = document.querySelector('figure.drawing .drawing-scroll');"
        " return p.scrollWidth <= p.clientWidth + 1; })()"
    )
    # Ctrl + wheel zooms in at the pointer.
    tools.get_by_role("button", name="Actual size").click()
    expect(level).to_have_text("100%")
    box = pane.bounding_box()
    assert box
    page.mouse.move(box["x"] + 200, box["y"] + 100)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -100)
    page.keyboard.up("Control")
    expect(level).to_have_text("110%")
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()
