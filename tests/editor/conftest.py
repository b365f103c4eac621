from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from helpers.browser import STATIC_ORIGIN, chromium, serve_directory

STATIC = Path(__file__).resolve().parents[2] / "src" / "stageline" / "server" / "static"


@pytest.fixture(scope="module")
def js_page() -> Iterator[Page]:
    """A blank page that can import the editor's ES modules from /editor/."""
    with chromium() as browser:
        page = browser.new_page()
        serve_directory(page, STATIC)
        page.route(
            f"{STATIC_ORIGIN}/blank.html",
            lambda route: route.fulfill(body="<!doctype html><title>t</title>", content_type="text/html"),
        )
        page.goto(f"{STATIC_ORIGIN}/blank.html")
        yield page


@pytest.fixture(scope="module")
def browser_() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser
