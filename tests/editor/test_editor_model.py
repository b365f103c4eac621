"""The editor's knowledge of the model comes from the model: model.js is
generated from it and up to date, the lines the editor draws are the model's
lines for any lane order, and the editor paints lanes in the drawing's colours."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page

from helpers.browser import STATIC_ORIGIN, serve_directory
from helpers.editor import STATIC, open_editor
from stageline.formats.yaml_format import load
from stageline.model import Blueprint
from stageline.model.elements import STANDARD_LANES
from stageline.render.themes import LIGHT
from stageline.server import editor_model

pytestmark = pytest.mark.browser


def test_model_js_is_generated_from_the_model() -> None:
    assert editor_model.TARGET.read_text(encoding="utf-8") == editor_model.module(), (
        "static/editor/model.js is out of date: run python -m stageline.server.editor_model"
    )


LINES = """async (lanes) => {
  const { linesOf } = await import('/editor/grid.js');
  return linesOf({ lanes }).map((line) => [line.name, line.above, line.below]);
}"""


@st.composite
def lane_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    standard = draw(st.lists(st.sampled_from(list(STANDARD_LANES)), unique=True, min_size=1))
    if "customer" not in standard:
        standard.insert(0, "customer")
    lanes = [{"id": lane, "title": STANDARD_LANES[lane][0], "visible": STANDARD_LANES[lane][1]} for lane in standard]
    lanes.sort(key=lambda lane: not lane["visible"])  # visible lanes above the hidden ones
    for n in range(draw(st.integers(0, 3))):
        visible = draw(st.booleans())
        lane = {"id": f"custom-{n}", "title": f"Custom {n}", "visible": visible}
        at = draw(st.integers(0, len(lanes)))
        lanes.insert(at, lane)
    return lanes


@pytest.fixture(scope="module")
def modules_page(browser_: Browser) -> Iterator[Page]:
    """A blank page that imports the editor's modules (from the module's one browser)."""
    page = browser_.new_page()
    serve_directory(page, STATIC)
    blank = "<!doctype html><title>modules</title>"
    page.route(f"{STATIC_ORIGIN}/blank.html", lambda route: route.fulfill(body=blank, content_type="text/html"))
    page.goto(f"{STATIC_ORIGIN}/blank.html")
    yield page
    page.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lanes=lane_lists())
def test_the_editor_draws_the_model_s_lines(modules_page: Page, lanes: list[dict[str, Any]]) -> None:
    document = {"stageline": 1, "title": "Lines", "lanes": lanes, "stages": []}
    try:
        blueprint = Blueprint.model_validate(document)
    except ValueError:
        return  # a lane order the model refuses: nothing to draw
    expected = [[line.name, line.above, line.below] for line in blueprint.lines()]
    assert modules_page.evaluate(LINES, lanes) == expected


def rgb(colour: str) -> str:
    value = colour.lstrip("#")
    return f"rgb({int(value[0:2], 16)}, {int(value[2:4], 16)}, {int(value[4:6], 16)})"


def test_lanes_wear_the_drawing_s_colours(browser_: Browser) -> None:
    document = json.loads(load("examples/hotel-stay.yaml").model_dump_json(by_alias=True, exclude_none=True))
    document["lanes"].insert(2, {"id": "policies", "title": "Policies", "visible": True})
    page = open_editor(browser_, document)
    painted = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.sl-lane-head[data-lane]')].map((head) => {
          const cell = document.querySelector(`.sl-cell[data-lane="${head.dataset.lane}"]`);
          const card = cell.querySelector('.sl-card');
          return [head.dataset.lane, [getComputedStyle(head).backgroundColor, getComputedStyle(cell).backgroundColor,
            card ? getComputedStyle(card).borderLeftColor : null]];
        }))"""
    )
    custom = [lane["id"] for lane in document["lanes"] if lane["id"] not in STANDARD_LANES]
    for lane in document["lanes"]:
        colours = LIGHT.lane(lane["id"], custom.index(lane["id"]) if lane["id"] in custom else 0)
        head, cell, card = painted[lane["id"]]
        assert head == cell == rgb(colours.band), lane["id"]
        assert card in (None, rgb(colours.accent)), lane["id"]
    page.close()
