"""An actor's units are how many of its resources work at the same time, not how many the log
names: clerks in rotating shifts, all-day staff, a single clerk, logs with one time per event,
and generated rotas whose peak is known."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stageline
from helpers.eventlogs import FRONT_DESK, write_csv
from stageline.analysis.calibration import CalibrationResult, calibrated
from stageline.analysis.calibration.format_html import html_report
from stageline.cli import main
from stageline.environment import Environment
from stageline.model import Blueprint

MONDAY = dt.datetime(2024, 3, 4)
MINUTE = 60.0
SHIFTS = ((6, 14), (14, 22), (22, 30))  # the night shift ends at 06:00 the next day
HEADINGS = ["case", "activity", "start", "end", "resource"]
ONE_TIME = ["case", "activity", "timestamp", "resource"]


@pytest.fixture(scope="module")
def bp() -> Blueprint:
    return stageline.loads(FRONT_DESK)


def stamp(seconds: float) -> str:
    return (MONDAY + dt.timedelta(seconds=seconds)).isoformat(sep=" ", timespec="seconds")


def spell(rng: np.random.Generator, who: str, begin: float, finish: float) -> list[tuple[str, float, float]]:
    """A clerk at work from `begin` to `finish`: registrations of 3-12 minutes, up to 10 minutes
    apart, the last one running over the end by up to 12 minutes (as a shift's last case does)."""
    events = []
    t = begin + rng.uniform(0, 5 * MINUTE)
    while t < finish:
        length = rng.uniform(3 * MINUTE, 12 * MINUTE)
        events.append((who, t, t + length))
        t += length + rng.uniform(0, 10 * MINUTE)
    return events


def rows_of(events: list[tuple[str, float, float]], one_time: bool = False) -> list[list[str]]:
    if one_time:
        return [[f"c{i}", "register", stamp(end), who] for i, (who, _, end) in enumerate(events)]
    return [[f"c{i}", "register", stamp(start), stamp(end), who] for i, (who, start, end) in enumerate(events)]


def rotating_shifts(days: int = 5, seed: int = 1) -> list[tuple[str, float, float]]:
    """Nine clerks in three teams of three; each day every team takes the shift before the one
    it took the day before (early, then night, then late), so every clerk works every shift."""
    rng = np.random.default_rng(seed)
    events: list[tuple[str, float, float]] = []
    for day in range(days):
        for team in range(3):
            begin, finish = SHIFTS[(team - day) % 3]
            for member in range(3):
                who = f"clerk-{3 * team + member + 1}"
                events += spell(rng, who, day * 86400 + begin * 3600, day * 86400 + finish * 3600)
    return events


def calibrate(
    bp: Blueprint, tmp_path: Path, events: list[tuple[str, float, float]], one_time: bool = False
) -> CalibrationResult:
    path = write_csv(tmp_path / "log.csv", rows_of(events, one_time), ONE_TIME if one_time else HEADINGS)
    return stageline.calibrate(bp, path)


def test_rotating_shifts_are_three_at_once_of_nine(tmp_path: Path, bp: Blueprint) -> None:
    result = calibrate(bp, tmp_path, rotating_shifts())
    clerk = result.resources["Front desk clerk"]
    assert clerk.units == 3 and clerk.seen == 9
    assert sorted(clerk.resources) == [f"clerk-{i}" for i in range(1, 10)]
    data = json.loads(result.to_json())["resources"]["Front desk clerk"]
    assert data["units"] == 3 and data["seen"] == 9
    # -o writes the units, not the clerks seen, as the capacity the simulation gets.
    measured = calibrated(bp, result)
    assert measured.simulation is not None and measured.simulation.resources["Front desk clerk"].capacity == 3


def test_rotating_shifts_with_one_time_per_event(tmp_path: Path, bp: Blueprint) -> None:
    result = calibrate(bp, tmp_path, rotating_shifts(seed=2), one_time=True)
    assert result.one_timestamp
    clerk = result.resources["Front desk clerk"]
    assert (clerk.units, clerk.seen) == (3, 9)


def test_all_day_staff_are_all_at_once(tmp_path: Path, bp: Blueprint) -> None:
    rng = np.random.default_rng(3)
    events = [
        event
        for day in range(5)
        for who in ("anna", "bo", "cai", "dee")
        for event in spell(rng, who, day * 86400 + 9 * 3600, day * 86400 + 17 * 3600)
    ]
    clerk = calibrate(bp, tmp_path, events).resources["Front desk clerk"]
    assert (clerk.units, clerk.seen) == (4, 4)


def test_a_single_clerk_is_one_unit(tmp_path: Path, bp: Blueprint) -> None:
    rng = np.random.default_rng(4)
    events = [
        event for day in range(3) for event in spell(rng, "solo", day * 86400 + 8 * 3600, day * 86400 + 20 * 3600)
    ]
    clerk = calibrate(bp, tmp_path, events).resources["Front desk clerk"]
    assert (clerk.units, clerk.seen) == (1, 1)
    one = calibrate(bp, tmp_path, events[:1], one_time=True).resources["Front desk clerk"]
    assert (one.units, one.seen) == (1, 1)  # a single moment is still one at work


def test_one_time_per_event_counts_clerks_whose_events_interleave(tmp_path: Path, bp: Blueprint) -> None:
    # Two clerks stamping a registration every 20 minutes from 09:00 to 12:00, ten minutes apart.
    events = [
        (who, 0.0, 9 * 3600 + offset + k * 20 * MINUTE) for who, offset in (("a", 0), ("b", 600)) for k in range(10)
    ]
    clerk = calibrate(bp, tmp_path, events, one_time=True).resources["Front desk clerk"]
    assert (clerk.units, clerk.seen) == (2, 2)
    # The same clerks an hour and a half apart, each a moment: never two at work at once.
    apart = [("a", 0.0, 9 * 3600.0), ("b", 0.0, 10.5 * 3600)]
    clerk = calibrate(bp, tmp_path, apart, one_time=True).resources["Front desk clerk"]
    assert (clerk.units, clerk.seen) == (1, 2)


def test_a_stray_late_event_adds_no_unit(tmp_path: Path, bp: Blueprint) -> None:
    rng = np.random.default_rng(5)
    events = [
        event
        for day in range(5)
        for who, begin, finish in (("early-1", 6, 14), ("early-2", 6, 14), ("late-1", 14, 22), ("late-2", 14, 22))
        for event in spell(rng, who, day * 86400 + begin * 3600, day * 86400 + finish * 3600)
    ]
    events.append(("early-1", 2 * 86400 + 15 * 3600, 2 * 86400 + 15.5 * 3600))  # stays on one afternoon
    clerk = calibrate(bp, tmp_path, events).resources["Front desk clerk"]
    assert (clerk.units, clerk.seen) == (2, 4)


def test_the_reports_show_units_at_once_and_clerks_seen(tmp_path: Path, bp: Blueprint, console: Environment) -> None:
    result = calibrate(bp, tmp_path, rotating_shifts())
    page = html_report(result)
    assert "<th class=n>Units at once</th><th class=n>Seen</th>" in page
    assert "<td>Front desk clerk</td><td class=n>3</td><td class=n>9</td>" in page
    blueprint = tmp_path / "front-desk.yaml"
    blueprint.write_text(FRONT_DESK, encoding="utf-8")
    assert main(["calibrate", str(blueprint), str(tmp_path / "log.csv")]) == 0
    text = console.stdout.getvalue()  # type: ignore[attr-defined]
    assert "Front desk clerk: 3 units at once, 9 seen (clerk-" in text


SLOT = 2 * 3600.0  # a day of 12 two-hour slots


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rota=st.lists(st.sets(st.integers(0, 11), max_size=12), min_size=1, max_size=6).filter(lambda rota: any(rota)),
    days=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_units_are_the_peak_of_a_rota(
    tmp_path: Path, bp: Blueprint, rota: list[set[int]], days: int, seed: int
) -> None:
    """Each clerk works the two-hour slots of the day the rota gives it, every day, busy from the
    slot's first second to its last (slots side by side join). Every staffing level of the day
    then lasts at least one slot of at most twelve worked, over 5 % of the working time, so the
    units are exactly the rota's peak: the most clerks in one slot."""
    rng = np.random.default_rng(seed)
    events: list[tuple[str, float, float]] = []
    for index, slots in enumerate(rota):
        for day in range(days):
            for slot in sorted(slots):
                t, finish = day * 86400 + slot * SLOT, day * 86400 + (slot + 1) * SLOT
                while t < finish:  # back to back, or up to half an hour apart, ending on the slot's end
                    end = min(finish, t + rng.uniform(5 * MINUTE, 40 * MINUTE))
                    events.append((f"clerk-{index}", t, end))
                    t = finish if finish - end < MINUTE else end + rng.uniform(0, min(30 * MINUTE, finish - end - 1))
    path = write_csv(tmp_path / "rota.csv", rows_of(events), HEADINGS)
    clerk = stageline.calibrate(bp, path).resources["Front desk clerk"]
    peak = max(sum(slot in slots for slots in rota) for slot in range(12))
    assert clerk.seen == sum(1 for slots in rota if slots)
    assert 1 <= clerk.units <= clerk.seen
    assert clerk.units == peak
