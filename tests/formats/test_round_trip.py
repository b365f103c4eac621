"""load → dump → load is lossless and the canonical form is a fixed point."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from helpers.strategies import blueprints
from stageline.formats.yaml_format import dumps, loads
from stageline.model import Blueprint, check_integrity


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(blueprints())
def test_dump_is_lossless_and_idempotent(bp: Blueprint) -> None:
    assert check_integrity(bp) == []  # the strategy makes valid blueprints only
    text = dumps(bp)
    again = loads(text)
    assert again == bp, text
    assert dumps(again) == text
