"""Headless Chromium for tests: Debian's build, driven by Playwright, never downloaded."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
STATIC_ORIGIN = "http://stageline.test"


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def serve_directory(page: Page, root: Path, origin: str = STATIC_ORIGIN) -> None:
    """Answer every request to `origin` from files under `root`, with no server and no network."""

    def handle(route: Route) -> None:
        relative = route.request.url.removeprefix(origin).split("?")[0].lstrip("/") or "index.html"
        path = (root / relative).resolve()
        if root.resolve() not in path.parents or not path.is_file():
            route.fulfill(status=404, body="not found")
            return
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".js":
            content_type = "text/javascript"
        route.fulfill(status=200, body=path.read_bytes(), content_type=content_type)

    page.route(f"{origin}/**", handle)


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    """Sign in through the sign-in page, as a person does."""
    page.goto(f"{base}/signin")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
