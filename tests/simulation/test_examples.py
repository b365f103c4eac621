"""Every example and template with a simulation block simulates end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import stageline
from stageline.cli import main
from stageline.environment import Environment

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    path
    for path in [*ROOT.glob("examples/*.yaml"), *ROOT.glob("src/stageline/templates/*.yaml")]
    if "\nsimulation:" in path.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_simulates(path: Path) -> None:
    bp = stageline.load(path)
    report = stageline.simulate(bp, seed=0, customers=300)
    assert report.customers.completed == 300
    assert report.resources, "a simulation block names at least one scarce resource"
    json.loads(report.to_json())


def test_hotel_stay_end_to_end(console: Environment, tmp_path: Path) -> None:
    path = ROOT / "examples" / "hotel-stay.yaml"
    target = tmp_path / "hotel.html"
    assert main(["simulate", str(path), "-r", "2", "-w", "Front desk clerk=+1", "-f", "html", "-o", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert "Overnight hotel stay" in page and "Front desk clerk" in page
    assert main(["simulate", str(path), "-f", "json"]) == 0
    data = json.loads(console.stdout.getvalue())  # type: ignore[attr-defined]
    assert data["settings"]["start"] == "00:00"
    assert data["customers"]["completed"] == data["customers"]["arrived"] > 0
    assert "Front desk clerk" in data["resources"]
