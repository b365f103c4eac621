"""The editor in Chromium on a document of our choosing, with a loopback for the server."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Browser, Page

from helpers.browser import STATIC_ORIGIN, serve_directory

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "stageline" / "server" / "static"
HARNESS = ROOT / "tests" / "editor" / "harness.html"

BLANK: dict[str, object] = {
    "stageline": 1,
    "title": "New blueprint",
    "state": "current",
    "lanes": [
        {"id": "evidence", "title": "Physical evidence", "visible": True},
        {"id": "customer", "title": "Customer actions", "visible": True},
        {"id": "frontstage", "title": "Frontstage actions", "visible": True},
        {"id": "backstage", "title": "Backstage actions", "visible": False},
        {"id": "support", "title": "Support processes", "visible": False},
    ],
    "stages": [{"id": "stage-1", "title": "Stage 1", "steps": [{"id": "step-1", "cells": {}}]}],
    "links": [],
    "opportunities": [],
}


def open_editor(browser: Browser, document: dict[str, object], role: str = "editor") -> Page:
    """The editor on `document`, with a loopback standing in for the server."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    serve_directory(page, STATIC)
    page.route(
        f"{STATIC_ORIGIN}/harness.html*",
        lambda route: route.fulfill(body=HARNESS.read_text(), content_type="text/html"),
    )
    page.add_init_script(f"window.initialDocument = {json.dumps(document)};")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{STATIC_ORIGIN}/harness.html?role={role}")
    page.wait_for_function("window.ready === true")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def rect(page: Page, selector: str) -> dict[str, float]:
    """The on-screen box of the first element `selector` finds (it must be there)."""
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not on the page"
    return dict(found)


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two boxes overlap by more than half a pixel."""
    return (
        a["x"] < b["x"] + b["width"] - 0.5
        and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5
        and b["y"] < a["y"] + a["height"] - 0.5
    )
