"""The browser's operations (static/editor/ops.js) agree with the model's, op for op.

Python drives random operation sequences (the same generator as the model's own
property test); Chromium replays them with the JS mirror. Both must accept and
reject the same operations, end with the same document, and undo to the start.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page

from helpers.blueprints import small_blueprint
from helpers.operations import operation
from stageline.model import Blueprint
from stageline.model.operations import OperationError

pytestmark = pytest.mark.browser

RUN = """async ([doc, ops]) => {
  const { applyOp, OpError } = await import('/editor/ops.js');
  const accepted = [];
  const undo = [];
  for (const op of ops) {
    try { undo.push(applyOp(doc, op)); accepted.push(true); }
    catch (error) { if (!(error instanceof OpError)) throw error; accepted.push(false); }
  }
  const final = JSON.parse(JSON.stringify(doc));
  for (const inverse of undo.reverse()) applyOp(doc, inverse);
  return { accepted, final, undone: doc };
}"""


def wire(bp: Blueprint) -> dict[str, Any]:
    """The blueprint's JSON form, as the server sends it to the browser."""
    return json.loads(bp.model_dump_json(by_alias=True, exclude_none=True))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_js_operations_match_the_model(js_page: Page, data: st.DataObject) -> None:
    bp = small_blueprint()
    start = wire(bp)
    ops: list[dict[str, Any]] = []
    accepted: list[bool] = []
    for _ in range(data.draw(st.integers(1, 10))):
        op = data.draw(operation(bp))
        ops.append(op.to_json())
        try:
            op.apply(bp)
            accepted.append(True)
        except OperationError:
            accepted.append(False)
    result = js_page.evaluate(RUN, [start, ops])
    assert result["accepted"] == accepted, list(zip(ops, accepted, result["accepted"], strict=True))
    assert result["final"] == wire(bp)
    assert result["undone"] == start


def test_js_normalises_values_like_the_server(js_page: Page) -> None:
    doc = wire(small_blueprint())
    ops = [
        {"op": "set", "target": "registration", "field": "duration", "value": "1h30m"},
        {"op": "set", "target": "registration", "field": "wait", "value": "PT5M"},
        {
            "op": "set",
            "target": "registration",
            "field": "duration",
            "value": {"dist": "uniform", "min": "2m", "max": "4m"},
        },
        {"op": "set", "target": "registration", "field": "emotion", "value": "2"},
    ]
    out = js_page.evaluate(
        """async ([doc, ops]) => { const { applyOp } = await import('/editor/ops.js');
             for (const op of ops) applyOp(doc, op); return [ops, doc]; }""",
        [doc, ops],
    )
    normalised, final = out
    assert [op["value"] for op in normalised][:2] == [5400, 300]
    card = final["stages"][0]["steps"][0]["cells"]["frontstage"][0]
    assert card["duration"] == {"dist": "uniform", "min": 120, "max": 240}
    assert card["emotion"] == 2
