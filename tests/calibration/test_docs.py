"""docs/calibration.md stays true: its files load, its commands print what it shows, its
Python runs and its JSON has the keys and values of the real report."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

import stageline
from stageline.cli import main
from stageline.environment import Environment

DOC = Path(__file__).resolve().parents[2] / "docs" / "calibration.md"
TEXT = DOC.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", TEXT, re.S)


def block(kind: str, index: int = 0) -> str:
    return [body for language, body in BLOCKS if language == kind][index]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "counter.yaml").write_text(block("yaml"), encoding="utf-8")
    (tmp_path / "counter-log.csv").write_text(block("csv"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(line: str) -> int:
    return main(shlex.split(line.removeprefix("$ stageline ")))


def test_the_worked_example_prints_what_the_doc_shows(console: Environment, folder: Path) -> None:
    assert run(block("console", 0).strip()) == 0
    printed = [line.rstrip() for line in console.stdout.getvalue().splitlines()]  # type: ignore[attr-defined]
    shown = [line.rstrip() for line in block("text").strip("\n").splitlines()]
    assert printed[: len(shown)] == shown


def test_the_calibrated_file_keeps_comments_and_simulates(console: Environment, folder: Path) -> None:
    assert run(block("console", 1).strip()) == 0
    text = (folder / "measured.yaml").read_text(encoding="utf-8")
    assert "actor: Counter clerk  # two clerks at lunchtime" in text
    bp = stageline.load(folder / "measured.yaml")
    weigh = bp.card("weigh")
    assert weigh.basis == "observed" and weigh.fail is not None and weigh.fail.p == 0.2
    assert weigh.source == "Measured from counter-log.csv: 4 cases, on 2024-05-06"
    assert bp.simulation is not None and bp.simulation.resources["Counter clerk"].hours == "11:00-13:00"
    assert main(["simulate", "measured.yaml", "--customers", "50"]) == 0


def test_the_python_runs(folder: Path) -> None:
    exec(compile(block("python"), str(DOC), "exec"), {})


def keys(value: object, prefix: str = "") -> set[str]:
    if not isinstance(value, dict):
        return set()
    found = set()
    for key, inner in value.items():
        if prefix.endswith(("cards", "by_hour", "by_weekday", "schedule", "resources", "failures")):
            key = "*"
        found.add(f"{prefix}.{key}")
        found |= keys(inner, f"{prefix}.{key}")
    return found


def test_the_json_shape_and_values_are_the_reports(folder: Path) -> None:
    shown = json.loads(block("json"))
    real = stageline.calibrate(stageline.load("counter.yaml"), ["counter-log.csv"], columns={"resource": "clerk"})
    data = json.loads(real.to_json())
    assert keys(shown) - {k for k in keys(shown) if ".warnings" in k} <= keys(data)
    for key in ("cases", "events", "period", "unmatched_activities", "unobserved_cards"):
        assert shown[key] == data[key], key
    weigh = data["cards"]["weigh"]
    for key in ("designed", "observed", "gap_before", "drift", "events", "cases", "extra_per_case", "fail"):
        assert shown["cards"]["weigh"][key] == weigh[key], key
    assert shown["resources"] == data["resources"]
    assert shown["conformance"]["fitting_share"] == data["conformance"]["fitting_share"]
    assert shown["conformance"]["rework"] == data["conformance"]["rework"]
    assert shown["arrivals"]["rate_per_hour"] == data["arrivals"]["rate_per_hour"]
