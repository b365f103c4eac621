"""`stageline calibrate`: formats, the calibrated blueprint, exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import stageline
from helpers.eventlogs import FRONT_DESK, front_desk_log, write_csv
from stageline.cli import main
from stageline.environment import Environment


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("calibrate")
    blueprint = folder / "front-desk.yaml"
    blueprint.write_text(FRONT_DESK, encoding="utf-8")
    truth = front_desk_log(days=7, seed=2)
    truth.rows.append(["guest-000000", "Coffee at the bar", "2024-03-04 00:30:00", "2024-03-04 00:35:00", "", ""])
    return blueprint, write_csv(folder / "front-desk.csv", truth.rows)


def out(console: Environment) -> str:
    return console.stdout.getvalue()  # type: ignore[attr-defined]


def err(console: Environment) -> str:
    return console.stderr.getvalue()  # type: ignore[attr-defined]


def test_text_report(console: Environment, files: tuple[Path, Path]) -> None:
    blueprint, log = files
    assert main(["calibrate", str(blueprint), str(log)]) == 0
    text = out(console)
    assert "Calibration of Front desk" in text
    lines = text.splitlines()
    ranked = [line.split()[0] for line in lines[lines.index(next(row for row in lines if "Per case" in row)) + 2 :][:3]]
    assert ranked[0] == "register"  # the card whose drift costs the customer most comes first
    assert "{dist: lognormal" in text
    assert "Coffee at the bar" in text and "Cards no event matched: encode" in text
    assert "follow the blueprint's order" in text
    assert "Front desk clerk: 3 units" in text
    assert err(console) == ""


def test_json_report(console: Environment, files: tuple[Path, Path]) -> None:
    blueprint, log = files
    assert main(["calibrate", str(blueprint), str(log), "--format", "json"]) == 0
    data = json.loads(out(console))
    assert data["unmatched_activities"] == [{"activity": "Coffee at the bar", "events": 1, "cases": 1}]
    assert data["unobserved_cards"] == ["encode"]
    assert data["cards"]["register"]["designed"] == 240.0


def test_html_report_to_a_file(console: Environment, files: tuple[Path, Path], tmp_path: Path) -> None:
    blueprint, log = files
    target = tmp_path / "report.html"
    assert main(["calibrate", str(blueprint), str(log), "-f", "html", "--report", str(target)]) == 0
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Observed against designed" in html
    assert "Arrivals by hour of the day" in html and html.count("<svg") == 2
    assert out(console) == ""


def test_calibrated_blueprint_keeps_comments_validates_and_simulates(
    console: Environment, files: tuple[Path, Path], tmp_path: Path
) -> None:
    blueprint, log = files
    target = tmp_path / "calibrated.yaml"
    assert main(["calibrate", str(blueprint), str(log), "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "# The hotel's front desk, drawn in the workshop." in text
    assert "actor: Front desk clerk  # whoever is on shift" in text
    assert "basis: observed" in text and "Measured from front-desk.csv:" in text
    assert "duration: {dist: lognormal, mean:" in text
    assert f"wrote {target}" in err(console)
    bp = stageline.load(target)
    assert bp.card("encode").duration == 60.0  # not observed: as designed
    assert bp.simulation is not None and bp.simulation.arrivals.schedule
    assert main(["simulate", str(target), "--customers", "100"]) == 0
    assert main(["validate", str(target)]) == 0


def test_fail_on_drift(console: Environment, files: tuple[Path, Path]) -> None:
    blueprint, log = files
    assert main(["calibrate", str(blueprint), str(log), "--fail-on-drift", "50%"]) == 0
    assert main(["calibrate", str(blueprint), str(log), "--fail-on-drift", "20%"]) == 1
    assert "1 card drift more than 20% from the design: register (+2" in err(console)
    assert main(["calibrate", str(blueprint), str(log), "--fail-on-drift", "lots"]) == 2
    assert "--fail-on-drift 'lots' is not a percentage" in err(console)


def test_bad_log_writes_nothing(console: Environment, files: tuple[Path, Path], tmp_path: Path) -> None:
    blueprint, _ = files
    bad = tmp_path / "bad.csv"
    bad.write_text("case,activity,when\ng1,register,yesterday\ng1,take-key,today\n", encoding="utf-8")
    target = tmp_path / "out.yaml"
    assert main(["calibrate", str(blueprint), str(bad), "-o", str(target), "--report", str(tmp_path / "r.json")]) == 2
    assert f"{bad}, column 'when': error: 'yesterday' is not a date and time" in err(console)
    assert "Traceback" not in err(console)
    assert not target.exists() and not (tmp_path / "r.json").exists()


def test_nothing_matches_and_bad_options(console: Environment, files: tuple[Path, Path], tmp_path: Path) -> None:
    blueprint, _ = files
    log = write_csv(tmp_path / "log.csv", [["g1", "Dance", "2024-03-04 09:00", "2024-03-04 09:05", "", ""]])
    assert main(["calibrate", str(blueprint), str(log)]) == 2
    assert "no activity of the log matches a card of 'Front desk'" in err(console)
    assert main(["calibrate", str(blueprint), str(log), "--map", "nonsense"]) == 2
    assert "--map 'nonsense' is not ACTIVITY=CARD" in err(console)
    assert main(["calibrate", str(blueprint), str(log), "--column", "who=Resource"]) == 2
    assert "'who=Resource' is not ROLE=HEADING" in err(console)
    assert main(["calibrate", str(blueprint), str(log), "--map", "Dance=register"]) == 0


def test_warnings_go_to_stderr(console: Environment, files: tuple[Path, Path], tmp_path: Path) -> None:
    blueprint, _ = files
    log = write_csv(
        tmp_path / "log.csv",
        [
            ["g1", "register", "2024-03-04 09:05", "2024-03-04 09:00", "", ""],
            ["g1", "take-key", "2024-03-04 09:06", "2024-03-04 09:07", "", ""],
        ],
    )
    assert main(["calibrate", str(blueprint), str(log), "-f", "json"]) == 0
    assert f"{log}, row 2, column 'End Time': warning: the end is before the start" in err(console)
    assert json.loads(out(console))["warnings"][0]["row"] == 2
