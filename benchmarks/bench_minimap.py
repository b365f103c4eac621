"""The editor's minimap on a 1,000-card, 600-link board in headless Chromium (the editor
page's modules against a loopback, as tests/editor/harness.html runs them):

- repaint: measuring the grid and drawing the whole board into the map's picture, as after
  an edit or a zoom (at most every 150 ms while edits keep coming), ten times a sample;
- scrolled frames: what a frame costs the map while the board scrolls (the picture copied,
  the view's rectangle drawn), a hundred times a sample.

Each sample is one call from Python, so it includes one DevTools round trip (about a
millisecond). Run: `.venv/bin/python -m benchmarks minimap`."""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Route, sync_playwright

from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "stageline" / "server" / "static"
HARNESS = ROOT / "tests" / "editor" / "harness.html"
ORIGIN = "http://stageline.test"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def _serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN).split("?")[0]
    if path.startswith("/harness.html"):
        route.fulfill(body=HARNESS.read_text(), content_type="text/html")
        return
    file = (STATIC / path.lstrip("/")).resolve()
    if not file.is_relative_to(STATIC) or not file.is_file():
        route.fulfill(status=404)
        return
    route.fulfill(body=file.read_bytes(), content_type=mimetypes.guess_type(file.name)[0] or "text/plain")


_PAGES: list[Page] = []


def _editor() -> Page:
    """One editor page for both benchmarks (one Playwright per process)."""
    if _PAGES:
        return _PAGES[0]
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.route(f"{ORIGIN}/**", _serve)
    document = json.loads(generate_blueprint(cards=1000, links=600).model_dump_json(by_alias=True, exclude_none=True))
    page.add_init_script(f"window.initialDocument = {json.dumps(document)};")
    page.goto(f"{ORIGIN}/harness.html")
    page.wait_for_function("window.ready === true && window.editor.minimap.doc !== null", timeout=120_000)
    _PAGES.append(page)
    return page


def _repaint(page: Page) -> Any:
    return page.evaluate(
        "(() => { const m = window.editor.minimap;"
        " for (let n = 0; n < 10; n += 1) { m.dirty = true; m.painted = -Infinity; m.draw(); } })()"
    )


def _map_frames(page: Page) -> Any:
    return page.evaluate("(() => { for (let n = 0; n < 100; n += 1) window.editor.minimap.draw(); })()")


BENCHMARKS = [
    # Ten repaints per sample (one DevTools round trip): under 10 ms each (and only after a change).
    Benchmark("minimap: 10 repaints, 1,000 cards", _repaint, setup=_editor, target=10 * 0.010, repeat=9),
    # A hundred frames of the map as scrolling draws it: well under a millisecond each.
    Benchmark("minimap: 100 scrolled frames", _map_frames, setup=_editor, target=100 * 0.001, repeat=9),
]
