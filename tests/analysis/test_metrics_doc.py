"""The worked example in docs/metrics.md: its numbers are what the engine computes."""

from __future__ import annotations

import json
import re

import pytest

import stageline
from conftest import ROOT

DOC = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")


def test_worked_example_headline_matches() -> None:
    yaml = re.search(r"```yaml\n(.*?)```", DOC, flags=re.DOTALL)
    numbers = re.search(r"```json\n(.*?)```", DOC, flags=re.DOTALL)
    assert yaml and numbers
    headline = stageline.metrics(stageline.loads(yaml.group(1))).headline()
    assert headline == pytest.approx(json.loads(numbers.group(1)))


def test_every_headline_number_is_documented() -> None:
    for section in ("Customer-facing time", "Cost", "Moments of truth", "Handoffs", "Fail points", "Who does what",
                    "Single points of failure", "Critical path", "Emotion curve", "Findings"):  # fmt: skip
        assert f"### {section}" in DOC
