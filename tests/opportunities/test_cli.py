"""`stageline opportunities` and `stageline plan`: formats, files, exit codes, messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from stageline.cli import main
from stageline.environment import Environment

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HOTEL = str(EXAMPLES / "hotel-stay.yaml")
FUTURE = str(EXAMPLES / "hotel-stay-future.yaml")


def out(console: Environment) -> str:
    return console.stdout.getvalue()  # type: ignore[attr-defined]


def err(console: Environment) -> str:
    return console.stderr.getvalue()  # type: ignore[attr-defined]


def test_opportunities_text(console: Environment) -> None:
    assert main(["opportunities", HOTEL, "-n", "200", "-r", "2", "--seed", "2"]) == 0
    text = out(console)
    assert "Opportunities of Overnight hotel stay" in text
    assert "Bottleneck: Front desk clerk" in text
    assert "Mean customer time" in text
    assert "Not costed: One Wi-Fi login per stay (wifi-single-login)" in text


def test_opportunities_json_and_html_files(console: Environment, tmp_path: Path) -> None:
    target = tmp_path / "cases.json"
    assert main(["opportunities", HOTEL, "-n", "200", "-r", "2", "-f", "json", "-o", str(target)]) == 0
    data = json.loads(target.read_text())
    assert data["settings"] == {"seed": 0, "replications": 2, "customers": 200, "horizon": None}
    ranked = sorted((row["rank"], row["id"]) for row in data["opportunities"] if row["costed"])
    assert [rank for rank, _ in ranked] == [1, 2, 3]
    page = tmp_path / "cases.html"
    assert main(["opportunities", HOTEL, "-n", "200", "-r", "2", "-f", "html", "-o", str(page)]) == 0
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "Mobile check-in and digital key" in html


def test_opportunities_bad_change_is_an_error_naming_it(console: Environment, tmp_path: Path) -> None:
    text = (EXAMPLES / "hotel-stay.yaml").read_text().replace("settle-bill.duration=*0.3", "settle-bil.duration=*0.3")
    path = tmp_path / "hotel.yaml"
    path.write_text(text)
    (tmp_path / "hotel-stay-future.yaml").write_text(Path(FUTURE).read_text())
    target = tmp_path / "out.json"
    assert main(["opportunities", str(path), "-r", "2", "-f", "json", "-o", str(target)]) == 2
    message = err(console)
    wanted = "opportunity 'express-check-out': change 'settle-bil.duration=*0.3': there is no card 'settle-bil'"
    assert wanted in message
    assert "Traceback" not in message
    assert not target.exists()  # nothing written when a run fails


def test_opportunities_need_a_simulation_section(console: Environment, tmp_path: Path) -> None:
    text = (EXAMPLES / "hotel-stay.yaml").read_text()
    path = tmp_path / "hotel.yaml"
    path.write_text(text[: text.index("\n# Arrivals and staffing")] + "\n")
    assert main(["opportunities", str(path)]) == 2
    assert "has no simulation section" in err(console) and "'room-service-status'" in err(console)


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "md"])
def test_plan_formats(console: Environment, fmt: str) -> None:
    assert main(["plan", HOTEL, FUTURE, "-f", fmt]) == 0
    text = out(console)
    if fmt == "json":
        teams = json.loads(text)["teams"]
        assert teams["Finance"]["removed"] == ["reissue-invoice"]
        assert set(teams["Finance"]) >= {"department", "added", "removed", "changed", "handoffs", "time_per_customer"}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {"Summary", "Description", "Component/Team", "Labels", "Due"} == set(rows[0])
        assert rows[0]["Due"] == "2027-06-30"  # the due date of the opportunity this future realises
    else:
        assert "Finance" in text and "Time per customer" in text


def test_plan_of_one_team(console: Environment) -> None:
    assert main(["plan", HOTEL, FUTURE, "--team", "Finance", "-f", "json"]) == 0
    assert list(json.loads(out(console))["teams"]) == ["Finance"]


def test_plan_refuses_another_service_and_unknown_team(console: Environment) -> None:
    assert main(["plan", HOTEL, str(EXAMPLES / "clinic-appointment.yaml")]) == 2
    assert "to be a future state of the same service" in err(console)
    assert main(["plan", HOTEL, FUTURE, "--team", "Nobody"]) == 2
    assert "no team 'Nobody'" in err(console)


def test_plan_bad_file_is_located(console: Environment, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("stageline: 1\ntitle: T\nopportunities:\n  - {id: o, title: O, due: 2027-13-01}\n")
    assert main(["plan", HOTEL, str(bad)]) == 2
    assert f"{bad}:4:" in err(console) and "due" in err(console)
