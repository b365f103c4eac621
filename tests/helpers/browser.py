"""Headless Chromium for tests: Debian's build, driven by Playwright, never downloaded."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

# A busy two-core machine (a CPU hog, the other xdist worker, other jobs) can take
# seconds to lay out a page: every `expect(...)` waits for its condition for up to
# WAIT_MS, and every action and `wait_for_function` for up to ACTION_MS. These are
# deadlines for things that do happen, never a measure of speed (that is benchmarks/).
WAIT_MS = 60_000
ACTION_MS = 120_000
expect.set_options(timeout=WAIT_MS)

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
T = TypeVar("T")


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=ACTION_MS)
        browser.new_context = _patient(browser.new_context)  # type: ignore[method-assign]
        browser.new_page = _patient(browser.new_page)  # type: ignore[method-assign]
        try:
            yield browser
        finally:
            browser.close()


def _patient(make: Callable[..., T]) -> Callable[..., T]:
    """`browser.new_context`/`new_page`, with generous default timeouts on what they make."""

    def made(*args: Any, **kwargs: Any) -> T:
        thing = make(*args, **kwargs)
        thing.set_default_timeout(ACTION_MS)  # type: ignore[attr-defined]
        return thing

    return made


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
