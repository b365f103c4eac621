"""docs/format.md stays true: its reference is generated, its examples load."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from stageline.cli import main
from stageline.environment import Environment
from stageline.formats.reader import LINK_KEYS
from stageline.formats.reference import render_into
from stageline.formats.schema import OBJECTS
from stageline.formats.yaml_format import loads
from stageline.model import (
    Arrivals,
    Blueprint,
    Card,
    ChecksConfig,
    Distribution,
    FailPoint,
    Lane,
    Opportunity,
    Resource,
    Simulation,
    Stage,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_generated_reference_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert render_into(text) == text, "regenerate with: .venv/bin/python -m stageline.formats.reference docs/format.md"


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("blueprint", Blueprint.model_fields),
        ("lane", Lane.model_fields),
        ("stage", Stage.model_fields),
        ("card", Card.model_fields),
        ("failPoint", FailPoint.model_fields),
        ("distribution", Distribution.model_fields),
        ("link", LINK_KEYS),
        ("opportunity", Opportunity.model_fields),
        ("checks", ChecksConfig.model_fields),
        ("simulation", Simulation.model_fields),
        ("arrivals", Arrivals.model_fields),
        ("resource", Resource.model_fields),
    ],
)
def test_every_model_field_is_documented_in_model_order(name: str, fields: Iterable[str]) -> None:
    assert [field.name for field in OBJECTS[name][1]] == list(fields)


def test_step_documents_its_fixed_keys() -> None:
    from stageline.formats.reader import STEP_FIXED_KEYS

    assert [field.name for field in OBJECTS["step"][1]] == list(STEP_FIXED_KEYS) == ["id", "title", "present"]


@pytest.mark.parametrize("block", [b for b in YAML_BLOCKS if b.startswith(("stageline:", "# yaml-language"))])
def test_yaml_examples_load(block: str) -> None:
    loads(block, source="docs/format.md")


def test_every_yaml_example_is_a_blueprint() -> None:
    assert len(YAML_BLOCKS) >= 4
    assert all(b.startswith(("stageline:", "# yaml-language")) for b in YAML_BLOCKS)


def test_validate_example_output_is_real(console: Environment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = (
        YAML_BLOCKS[0]
        .replace(
            "duration: 4m\n          fail: {text: Room not ready, recovery: Offer lounge access, severity: 4",
            "duraton: 4m\n          fail: {text: Room not ready, recovery: Offer lounge access, severity: 9",
        )
        .replace("to: registration, two_way", "to: registraton, two_way")
    )
    (tmp_path / "hotel.yaml").write_text(bad, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "hotel.yaml"]) == 2
    documented = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("hotel.yaml:")]
    assert len(documented) == 3
    assert console.stdout.getvalue().splitlines()[:3] == documented
