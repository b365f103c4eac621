"""The JSON Schema describes the file format: it accepts every valid file and its
shorthands, and flags what the loader refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from ruamel.yaml import YAML

from helpers.strategies import blueprints
from stageline.formats.reader import plain
from stageline.formats.schema import DURATION_PATTERN, RATE_PATTERN, json_schema, schema_text, shipped_schema
from stageline.formats.yaml_format import dumps, loads
from stageline.model import Blueprint
from stageline.model.quantities import parse_duration, parse_rate

jsonschema_rs = pytest.importorskip("jsonschema_rs")

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted([*ROOT.glob("examples/*.yaml"), *ROOT.glob("src/stageline/templates/*.yaml")])
VALIDATOR = jsonschema_rs.validator_for(json_schema())


def data_of(text: str) -> Any:
    return plain(YAML(typ="rt").load(text))


def errors(text: str) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(data_of(text))]


def test_shipped_schema_file_is_current() -> None:
    assert shipped_schema() == schema_text(), (
        "regenerate with: .venv/bin/stageline schema -o src/stageline/formats/stageline.schema.json"
    )
    assert json.loads(schema_text())["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_examples_and_templates_load_and_match_the_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    loads(text, source=str(path))
    assert errors(text) == []


def test_shipped_fixtures_exist() -> None:
    assert FIXTURES, "examples/*.yaml should exist"


SHORTHANDS = """\
stageline: 1
title: T
tolerance: 90
lanes: [evidence, customer, {id: policies, title: Policies, visible: false}, {id: frontstage}]
stages:
  - id: s
    title: S
    steps:
      - id: a
        evidence: [Desk, {text: Key card, basis: observed}]
        customer: Check in
        frontstage:
          text: Serve
          duration: {dist: triangular, min: 1, mode: 2m, max: PT5M}
          wait: 1h30m
          fail: Room not ready
        policies:
simulation:
  arrivals: {schedule: {"08:00": 40/h, "10:00": 12}}
  resources: {Clerk: 2, Desk: {capacity: 3, hours: 07:00-23:00}}
"""


def test_schema_accepts_the_shorthands() -> None:
    assert errors(SHORTHANDS) == []


@pytest.mark.parametrize(
    "change",
    [
        ("title: T\n", ""),
        ("stageline: 1", "stageline: 2"),
        ("text: Serve", "text: Serve\n          duraton: 4m"),
        ("wait: 1h30m", "wait: soon"),
        ("wait: 1h30m", "wait: -4"),
        ("fail: Room not ready", "fail: {text: Room not ready, severity: 9}"),
        ("customer: Check in", "customer: {text: Check in, emotion: 3}"),
        ("- id: a", "- id: Bad Id"),
        ("{id: policies, title: Policies, visible: false}", "{id: policies, title: Policies}"),
        ("dist: triangular", "dist: gaussian"),
        ("Clerk: 2", "Clerk: 0"),
        ("hours: 07:00-23:00", "hours: all day"),
    ],
)
def test_schema_flags_what_the_loader_refuses(change: tuple[str, str]) -> None:
    old, new = change
    assert old in SHORTHANDS
    broken = SHORTHANDS.replace(old, new, 1)
    assert errors(broken), broken
    with pytest.raises(ValueError):
        loads(broken)


@pytest.mark.parametrize(
    "text", ["45s", "5m", "1h30m", "2d", "1.5h", "5 min", "2D 3H", "PT5M", "pt1h30m", "P1DT2H", "P2D", "90", " 7m "]
)
def test_duration_pattern_accepts_what_the_reader_reads(text: str) -> None:
    parse_duration(text)
    assert jsonschema_rs.validator_for({"pattern": DURATION_PATTERN}).is_valid(text)


@pytest.mark.parametrize("text", ["", "m", "5x", "soon", "P", "PT", "5m5h", "-5m", "1h 30"])
def test_duration_pattern_refuses_what_the_reader_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)
    assert not jsonschema_rs.validator_for({"pattern": DURATION_PATTERN}).is_valid(text)


@pytest.mark.parametrize(
    ("text", "valid"),
    [("10/h", True), ("2/m", True), ("300/d", True), ("12", True), ("10 per hour", False), ("/h", False)],
)
def test_rate_pattern_matches_the_reader(text: str, valid: bool) -> None:
    assert jsonschema_rs.validator_for({"pattern": RATE_PATTERN}).is_valid(text) is valid
    if valid:
        parse_rate(text)
    else:
        with pytest.raises(ValueError):
            parse_rate(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(blueprints())
def test_every_canonical_file_matches_the_schema(bp: Blueprint) -> None:
    text = dumps(bp)
    assert errors(text) == [], text
