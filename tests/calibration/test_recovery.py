"""Logs generated from known distributions and arrival rates come back out of a calibration:
means within 5 %, rates within 10 %, and the drift and conformance figures they imply."""

from __future__ import annotations

from pathlib import Path

import pytest

import stageline
from helpers.eventlogs import FRONT_DESK, front_desk_log, write_csv
from stageline.analysis.calibration import CalibrationResult, calibrated
from stageline.model import Blueprint


@pytest.fixture(scope="module")
def front_desk() -> Blueprint:
    return stageline.loads(FRONT_DESK)


@pytest.fixture(scope="module")
def steady(tmp_path_factory: pytest.TempPathFactory, front_desk: Blueprint) -> CalibrationResult:
    truth = front_desk_log(days=30, seed=11)
    path = write_csv(tmp_path_factory.mktemp("logs") / "front-desk.csv", truth.rows)
    return stageline.calibrate(front_desk, [path])


def close(value: float | None, expected: float, within: float) -> bool:
    assert value is not None
    return abs(value - expected) <= within * expected


def test_durations_and_gaps_come_back_within_five_percent(steady: CalibrationResult) -> None:
    cards = steady.cards
    assert close(cards["give-name"].observed.mean, 60.0, 0.05)  # type: ignore[union-attr]
    assert close(cards["register"].observed.mean, 300.0, 0.05)  # type: ignore[union-attr]
    assert close(cards["take-key"].observed.mean, 30.0, 0.05)  # type: ignore[union-attr]
    assert close(cards["register"].gap_before.mean, 120.0, 0.05)  # type: ignore[union-attr]
    assert close(cards["take-key"].gap_before.mean, 5.0, 0.05)  # type: ignore[union-attr]
    assert cards["give-name"].gap_before is None  # the first event of a case has nothing before it


def test_the_fitted_shape_is_the_generating_one(steady: CalibrationResult) -> None:
    fits = {card_id: card.fit for card_id, card in steady.cards.items()}
    assert fits["give-name"] is not None and fits["give-name"].dist == "exponential"
    assert fits["register"] is not None and fits["register"].dist == "lognormal"
    assert close(fits["register"].params["sd"], 150.0, 0.05)
    assert fits["take-key"] is not None and fits["take-key"].dist == "uniform"
    assert close(fits["take-key"].params["min"], 20.0, 0.05) and close(fits["take-key"].params["max"], 40.0, 0.05)


def test_drift_is_observed_over_designed(steady: CalibrationResult) -> None:
    register = steady.cards["register"]
    assert register.designed == 240.0
    assert register.drift == pytest.approx(register.observed.mean / 240.0)  # type: ignore[union-attr]
    assert close(register.drift, 1.25, 0.05)
    assert [c.id for c in steady.drifting(0.2)] == ["register"]
    assert steady.drifting(0.3) == []
    # Ranked by what the drift costs the customer: register costs about a minute a case.
    assert steady.ranked()[0].id == "register"
    assert close(register.extra_per_case, 60.0, 0.1)


def test_arrival_rate_within_ten_percent(steady: CalibrationResult) -> None:
    arrivals = steady.arrivals
    assert close(arrivals.rate_per_hour, 12.0, 0.10)
    for hour in range(24):
        assert close(arrivals.by_hour[str(hour)], 12.0, 0.25)  # one hour of 30 days: ~360 cases
    for day, rate in arrivals.by_weekday.items():
        assert close(rate, 12.0, 0.15), day
    assert list(arrivals.schedule) == ["00:00"] and close(arrivals.schedule["00:00"], 12.0, 0.10)


def test_arrivals_by_hour_follow_a_daily_pattern(tmp_path: Path, front_desk: Blueprint) -> None:
    rates = [4.0] * 24
    for hour in range(9, 12):
        rates[hour] = 30.0
    truth = front_desk_log(days=60, rate_by_hour=rates, seed=3)
    result = stageline.calibrate(front_desk, write_csv(tmp_path / "log.csv", truth.rows))
    by_hour = result.arrivals.by_hour
    for hour in range(9, 12):
        assert close(by_hour[str(hour)], 30.0, 0.10)
    night = sum(by_hour[str(h)] or 0.0 for h in range(0, 8)) / 8
    assert close(night, 4.0, 0.10)
    schedule = result.arrivals.schedule
    assert list(schedule) == ["00:00", "09:00", "12:00"]  # the rate changes twice a day, and only twice
    assert close(schedule["00:00"], 4.0, 0.10) and close(schedule["09:00"], 30.0, 0.10)
    assert close(schedule["12:00"], 4.0, 0.10)


def test_resources_and_failures(steady: CalibrationResult) -> None:
    clerk = steady.resources["Front desk clerk"]
    assert clerk.units == 3 and sorted(clerk.resources) == ["desk-1", "desk-2", "desk-3"]
    fail = steady.cards["register"].fail
    assert fail is not None and fail["designed"] == 0.05
    assert close(fail["p"], 0.10, 0.15)
    assert steady.conformance["failures"]["register"] == fail


def test_matching_and_what_is_left_over(steady: CalibrationResult) -> None:
    assert steady.matching == {
        "Give name at desk": {"card": "give-name", "how": "similar text"},
        "Take the key!": {"card": "take-key", "how": "text"},
        "register": {"card": "register", "how": "id"},
    }
    assert steady.unobserved == ["encode"]
    assert steady.unmatched == []


def test_conformance_counts_out_of_order_cases_and_rework(tmp_path: Path, front_desk: Blueprint) -> None:
    truth = front_desk_log(days=10, out_of_order=0.2, rework=0.1, seed=5)
    result = stageline.calibrate(front_desk, write_csv(tmp_path / "log.csv", truth.rows))
    c = result.conformance
    assert result.cases == truth.cases
    assert c["fitting_cases"] == truth.cases - truth.out_of_order - truth.rework
    assert c["fitting_share"] == pytest.approx(c["fitting_cases"] / truth.cases, abs=1e-4)
    deviations = {d["deviation"]: d["cases"] for d in c["deviations"]}
    assert deviations["register after take-key"] == truth.out_of_order
    assert deviations["register repeated"] == truth.rework
    assert c["rework"]["cases"] == truth.rework
    assert c["rework"]["cards"] == {"register": {"cases": truth.rework, "repeats": truth.rework}}
    assert c["variants"][0] == {
        "path": ["give-name", "register", "take-key"],
        "cases": c["fitting_cases"],
        "share": pytest.approx(c["fitting_share"], abs=1e-4),
        "fits": True,
    }


def test_the_json_contract(steady: CalibrationResult) -> None:
    data = steady.to_dict()
    assert {"cases", "events", "period", "arrivals", "cards", "resources", "unmatched_activities"} <= set(data)
    assert {"unobserved_cards", "conformance"} <= set(data)
    assert set(data["period"]) == {"from", "to"} and data["period"]["from"].startswith("2024-03-04T")
    assert set(data["arrivals"]["by_hour"]) == {str(h) for h in range(24)}
    assert set(data["arrivals"]["by_weekday"]) == {
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    }
    card = data["cards"]["register"]
    assert set(card["observed"]) == {"n", "mean", "p50", "p90"}
    assert set(card["gap_before"]) == {"n", "mean", "p50", "p90"}
    assert card["designed"] == 240.0 and card["fit"]["dist"] == "lognormal"
    assert data["resources"]["Front desk clerk"]["units"] == 3
    assert {"fitting_share", "variants", "rework"} <= set(data["conformance"])
    assert data["events"] == sum(c["observed"]["n"] for c in data["cards"].values())


def test_the_calibrated_blueprint_validates_and_simulates(steady: CalibrationResult, front_desk: Blueprint) -> None:
    better = calibrated(front_desk, steady)
    again = stageline.loads(stageline.dumps(better))
    register = again.card("register")
    assert register.basis == "observed"
    assert register.source is not None and "front-desk.csv" in register.source and "cases" in register.source
    assert register.fail is not None and register.fail.p == pytest.approx(steady.cards["register"].fail["p"])  # type: ignore[index]
    assert again.card("encode").basis == "assumed"  # nothing observed, nothing changed
    assert again.simulation is not None and again.simulation.resources["Front desk clerk"].capacity == 3
    report = stageline.simulate(again, customers=200)
    assert report.customers.completed == 200
    # The calibrated blueprint measured against the same log drifts no more.
    assert stageline.calibrate(again, steady_log_path(steady)).drifting(0.05) == []


def steady_log_path(result: CalibrationResult) -> str:
    return result.sources[0]
