"""`stageline simulate`: exit codes, formats, files and messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from stageline.cli import main
from stageline.environment import Environment

COUNTER = """\
stageline: 1
title: Post office counter
tolerance: 20m
stages:
  - id: visit
    title: Visit
    steps:
      - id: serve
        customer: {id: ask, text: Ask at the counter, wait: 5m}
        frontstage:
          id: answer
          text: Answer the question
          actor: Clerk
          duration: {dist: exponential, mean: 4m}
links:
  - {from: ask, to: answer, two_way: true}
"""
SIMULATION = """\
simulation:
  arrivals: {rate: 12/h}
  resources:
    Clerk: 1
  customers: 500
"""


@pytest.fixture
def counter_file(tmp_path: Path) -> Path:
    path = tmp_path / "counter.yaml"
    path.write_text(COUNTER + SIMULATION, encoding="utf-8")
    return path


@pytest.fixture
def bare_file(tmp_path: Path) -> Path:
    path = tmp_path / "bare.yaml"
    path.write_text(COUNTER, encoding="utf-8")
    return path


def out(console: Environment) -> str:
    return console.stdout.getvalue()  # type: ignore[attr-defined]


def err(console: Environment) -> str:
    return console.stderr.getvalue()  # type: ignore[attr-defined]


def test_text_report(console: Environment, counter_file: Path) -> None:
    assert main(["simulate", str(counter_file)]) == 0
    text = out(console)
    assert "Simulation of Post office counter" in text
    assert "500 served of 500 arrived" in text
    assert "Bottlenecks" in text and "Clerk (1 unit)" in text
    assert err(console) == ""  # no progress bar when stderr is not a terminal


def test_json_report(console: Environment, counter_file: Path) -> None:
    assert main(["simulate", str(counter_file), "--format", "json", "--seed", "4", "-r", "2"]) == 0
    data = json.loads(out(console))
    assert data["settings"] == {
        "seed": 4,
        "replications": 2,
        "customers": 500,
        "horizon": None,
        "start": "00:00",
        "arrivals": "12/h",
    }
    assert data["customers"]["completed"] == 500
    assert set(data["cards"]["answer"]["wait"]) >= {"mean", "p50", "p90", "p99"}


def test_customers_and_horizon_replace_the_files_run_length(console: Environment, counter_file: Path) -> None:
    assert main(["simulate", str(counter_file), "-f", "json", "--customers", "50"]) == 0
    assert json.loads(out(console))["customers"]["arrived"] == 50
    console.stdout.truncate(0)  # type: ignore[attr-defined]
    console.stdout.seek(0)  # type: ignore[attr-defined]
    assert main(["simulate", str(counter_file), "-f", "json", "--horizon", "10h"]) == 0
    data = json.loads(out(console))
    assert data["settings"]["horizon"] == 36000 and data["settings"]["customers"] is None
    assert 80 < data["customers"]["arrived"] < 160


def test_what_if_variants(console: Environment, counter_file: Path) -> None:
    args = [
        "simulate",
        str(counter_file),
        "-f",
        "json",
        "-r",
        "3",
        "--what-if",
        "Clerk=+1",
        "-w",
        "answer.duration=*0.5",
    ]
    assert main(args) == 0
    variants = json.loads(out(console))["variants"]
    assert [v["name"] for v in variants] == ["Clerk=+1", "answer.duration=*0.5"]


def test_bad_what_if_exits_2_naming_the_resource(console: Environment, counter_file: Path) -> None:
    assert main(["simulate", str(counter_file), "--what-if", "Clerck=+1"]) == 2
    message = err(console)
    assert "there is no resource 'Clerck' (did you mean 'Clerk'?)" in message
    assert "Traceback" not in message
    assert out(console) == ""


def test_missing_simulation_block_exits_2_with_the_block_to_add(console: Environment, bare_file: Path) -> None:
    assert main(["simulate", str(bare_file)]) == 2
    message = err(console)
    assert "has no simulation block" in message
    assert "simulation:\n  arrivals: {rate: 10/h}\n  resources:\n    Clerk: 1" in message


def test_rate_and_resource_options_stand_in_for_the_block(console: Environment, bare_file: Path) -> None:
    args = ["simulate", str(bare_file), "--rate", "12/h", "--resource", "Clerk=2", "-n", "300", "-f", "json"]
    assert main(args) == 0
    data = json.loads(out(console))
    assert data["resources"]["Clerk"]["capacity"] == 2
    assert data["settings"]["arrivals"] == "12/h"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate", "fast"], "is not a rate"),
        (["--rate", "10/h", "--resource", "Clerk"], "is not NAME=UNITS"),
        (["--rate", "10/h", "--resource", "Clark=2"], "(did you mean 'Clerk'?)"),
        (["--rate", "10/h", "--horizon", "soon"], "is not a duration"),
    ],
)
def test_bad_options_exit_2(console: Environment, bare_file: Path, args: list[str], message: str) -> None:
    assert main(["simulate", str(bare_file), *args]) == 2
    assert message in err(console)


def test_missing_file_exits_2(console: Environment, tmp_path: Path) -> None:
    assert main(["simulate", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml: error: no such file; check the path" in err(console)


def test_html_to_a_file(console: Environment, counter_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    assert main(["simulate", str(counter_file), "--format", "html", "--output", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Post office counter" in page
    assert f"wrote {target}" in err(console).replace("\n", "")


def test_text_to_a_file(console: Environment, counter_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    assert main(["simulate", str(counter_file), "-o", str(target)]) == 0
    assert "Bottlenecks" in target.read_text(encoding="utf-8")


def test_unwritable_output_exits_3(console: Environment, counter_file: Path, tmp_path: Path) -> None:
    assert main(["simulate", str(counter_file), "-f", "json", "-o", str(tmp_path / "no" / "such" / "dir.json")]) == 3


def test_progress_bar_when_asked(console: Environment, counter_file: Path) -> None:
    assert main(["simulate", str(counter_file), "--progress", "-f", "json"]) == 0
    json.loads(out(console))  # the bar went to stderr, not into the JSON


def test_long_card_ids_are_never_cut_at_80_columns(tmp_path: Path) -> None:
    """A narrow terminal folds a long id onto a second line; it never ends it with …"""
    from io import StringIO

    from stageline import environment

    long_id = "registration-at-the-front-desk-with-a-long-id"
    hotel = Path(__file__).resolve().parents[2] / "examples" / "hotel-stay.yaml"
    path = tmp_path / "long.yaml"
    path.write_text(hotel.read_text(encoding="utf-8").replace("registration", long_id), encoding="utf-8")
    narrow = environment.Environment(stdout=StringIO(), stderr=StringIO(), stdin=StringIO(), width=80)
    environment.use(narrow)
    try:
        assert main(["simulate", str(path), "--customers", "100"]) == 0
    finally:
        environment.use(None)
    lines = narrow.stdout.getvalue().splitlines()  # type: ignore[attr-defined]
    assert max(len(line) for line in lines) <= 80
    assert not any("registration" in line and "…" in line for line in lines)
    at = next(n for n, line in enumerate(lines) if line.startswith("│ registration"))
    folded = lines[at].split("│")[1].strip() + lines[at + 1].split("│")[1].strip()
    assert folded == long_id


@pytest.mark.parametrize(
    ("start", "end", "marks"),
    [
        (0, 2953, ["0s", "10m", "20m", "30m", "40m"]),  # not 24m 36s, 49m 13s
        (0, 5400, ["0s", "15m", "30m", "45m", "1h", "1h 15m", "1h 30m"]),
        (0, 3 * 86400, ["0s", "12h", "1d", "1d 12h", "2d", "2d 12h", "3d"]),
        (125, 400, ["3m", "4m", "5m", "6m"]),
    ],
)
def test_time_axes_are_marked_at_round_times(start: float, end: float, marks: list[str]) -> None:
    from stageline.analysis.simulation.display import round_ticks, tick

    ticks = round_ticks(start, end)
    assert [tick(at) for at in ticks] == marks
    assert all(start <= at <= end for at in ticks) and len(ticks) <= 9


def test_piped_reports_keep_each_sentence_on_one_line(tmp_path: Path) -> None:
    """Redirected to a file or a pipe (no terminal, no width asked for), a report's
    sentences are never cut at 80 columns in the middle of a figure, and no line
    is padded with spaces; its tables are still drawn to the width."""
    from io import StringIO

    from stageline import environment

    hotel = Path(__file__).resolve().parents[2] / "examples" / "hotel-stay.yaml"
    piped = environment.Environment(stdout=StringIO(), stderr=StringIO(), stdin=StringIO())
    environment.use(piped)
    try:
        assert main(["simulate", str(hotel)]) == 0
    finally:
        environment.use(None)
    lines = piped.stdout.getvalue().splitlines()  # type: ignore[attr-defined]
    bottleneck = next(line for line in lines if line.lstrip().startswith("1. "))
    assert len(bottleneck) > 80 and bottleneck.rstrip().endswith("in the queue."), bottleneck
    assert re.search(r"time from arrival to leaving: .*, p99 [^,]+$", "\n".join(lines), re.MULTILINE)
    assert all(line == line.rstrip() for line in lines if not line.startswith(("┃", "│", "┏", "┡", "└")))
    assert max(len(line) for line in lines if line.startswith("│")) <= 80
