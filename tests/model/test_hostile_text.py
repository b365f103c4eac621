"""Hostile text through every operation: whatever a client sends (NUL,
control characters, lone surrogates, right-to-left marks, megabyte strings,
in any field or id), an operation that gets past `parse_operation` and
applies leaves a document that serialises to UTF-8 YAML and reads back the
same. The rest is refused with the field named."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.blueprints import small_blueprint
from helpers.operations import operation
from stageline.formats.yaml_format import dumps, loads
from stageline.model import Blueprint, OperationError, parse_operation
from stageline.model.text import find_bad_text, safe, text_problem

HOSTILE = (
    "a\x00b",
    "x\ud800y",
    "\udfff",
    "bell\x07",
    "esc\x1b[31m",
    "\u202eevil\u202c",
    "\u200f\u200eRTL mark",
    "\ufeffBOM",
    "\uffff",
    "line\u2028sep",
    "nbsp\xa0",
    "x" * 1_000_000,
    "\u05d0" * 1000 + "\x00",
)

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=20),
)


@st.composite
def poisoned(draw: st.DrawFn, data: Any) -> Any:
    """`data` (an operation's JSON) with some of its strings replaced by hostile text."""
    if isinstance(data, str):
        return draw(hostile_text) if draw(st.integers(0, 3)) == 0 else data
    if isinstance(data, dict):
        return {key: (data[key] if key == "op" else draw(poisoned(data[key]))) for key in data}
    if isinstance(data, list):
        return [draw(poisoned(item)) for item in data]
    return data


@st.composite
def hostile_edits(draw: st.DrawFn) -> tuple[Blueprint, list[Any]]:
    bp = small_blueprint()
    sent = []
    for _ in range(draw(st.integers(1, 6))):
        op = draw(operation(bp))
        data = draw(poisoned(op.to_json()))
        sent.append(data)
        with contextlib.suppress(OperationError):
            parse_operation(data).apply(bp)
    return small_blueprint(), sent


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(hostile_edits())
def test_whatever_gets_through_serialises_and_reads_back(case: tuple[Blueprint, list[Any]]) -> None:
    bp, sent = case
    for data in sent:
        try:
            op = parse_operation(data)
        except OperationError as error:
            assert find_bad_text(data) is None or "invalid operation" in str(error)
            str(error).encode("utf-8")  # the message itself is always encodable
            continue
        assert find_bad_text(data) is None, "hostile text got past parse_operation"
        try:
            op.apply(bp)
        except OperationError as error:
            str(error).encode("utf-8")
            continue
        text = dumps(bp)
        text.encode("utf-8")
        assert loads(text) == bp
        bp.model_dump_json().encode("utf-8")


@pytest.mark.parametrize("bad", ["a\x00b", "x\ud800y", "c\x01"])
def test_refusals_name_the_field_and_are_encodable(bad: str) -> None:
    with pytest.raises(OperationError) as refused:
        parse_operation({"op": "set", "target": "registration", "field": "text", "value": ["ok", bad]})
    assert "value.1" in str(refused.value)
    str(refused.value).encode("utf-8")
    problem = text_problem(bad)
    assert problem is not None and "U+" in problem
    assert safe(bad).encode("utf-8")
    with pytest.raises(ValueError, match=r"stages\.0\.title"):
        Blueprint.model_validate({"title": "ok", "stages": [{"id": "s", "title": bad}]})


def test_deep_values_are_refused_without_recursion() -> None:
    deep: Any = "x"
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(OperationError, match="levels deep"):
        parse_operation({"op": "set", "target": "registration", "field": "text", "value": deep})
