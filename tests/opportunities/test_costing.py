"""Opportunities costed by simulation: against answers known from queueing
theory, on the hotel example, and with clear errors for changes that cannot run."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from stageline.analysis.opportunities import OpportunityError, cost_opportunities, future_loader
from stageline.formats.yaml_format import load, loads

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# An M/M/1 counter: 30 customers an hour, one clerk serving in 90 s on average
# (exponential), so the clerk is 75 % busy and a customer spends
# W = 1 / (mu - lambda) = 1 / (40/h - 30/h) = 6 minutes at the counter.
COUNTER = """\
stageline: 1
title: Counter
tolerance: 10m
currency: EUR
stages:
  - id: visit
    title: Visit
    steps:
      - id: serve
        customer: Ask at the counter
        frontstage:
          id: answer
          text: Answer the question
          actor: Clerk
          duration: {dist: exponential, mean: 90s}
          cost: 2
          fail: {text: Wrong answer, p: 0.1, severity: 3}
opportunities:
  - {id: second-clerk, title: A second clerk, change: Clerk=+1, effort: 3}
  - {id: script, title: Answer from a script, change: answer.duration=*0.5, effort: 2}
  - {id: poster, title: A poster, effort: 1}
"""
SIMULATION = """\
simulation:
  arrivals: {rate: 30/h}
  resources: {Clerk: 1}
  customers: 20000
"""
LAMBDA, MU = 30 / 3600, 40 / 3600


def mm1_time(arrival: float, service: float) -> float:
    return 1 / (service - arrival)


def mm2_time(arrival: float, service: float) -> float:
    """Mean time in an M/M/2 system (Erlang C)."""
    a, rho = arrival / service, arrival / (2 * service)
    p0 = 1 / (1 + a + a**2 / (2 * (1 - rho)))
    queue = p0 * a**2 * rho / (2 * (1 - rho) ** 2)
    return queue / arrival + 1 / service


@pytest.fixture(scope="module")
def counter_report() -> dict[str, dict[str, object]]:
    report = cost_opportunities(loads(COUNTER + SIMULATION), seed=3, replications=5)
    return {row["id"]: row for row in report.to_dict()["opportunities"]}


def close(effect: dict[str, float], expected: float, *, slack: float = 0.05) -> bool:
    """The simulated difference agrees with the analytic one within its own 95 %
    interval (tripled: several assertions share one seed) or 5 %."""
    return abs(effect["difference"] - expected) <= max(3 * effect["ci95"], slack * abs(expected))


def test_halving_the_service_time_saves_what_mm1_says(counter_report: dict) -> None:
    effect = counter_report["script"]["effect"]
    base, halved = mm1_time(LAMBDA, MU), mm1_time(LAMBDA, 2 * MU)  # 360 s and 72 s
    assert close(effect["total_time_mean"], halved - base)
    assert effect["total_time_mean"]["base"] == pytest.approx(base, rel=0.1)
    # the time in an M/M/1 system is exponential: p90 = ln 10 × W
    assert close(effect["total_time_p90"], math.log(10) * (halved - base))
    # P(W > 10 min) = exp(-(mu - lambda) t)
    tolerance = 600
    over = math.exp(-(2 * MU - LAMBDA) * tolerance) - math.exp(-(MU - LAMBDA) * tolerance)
    assert close(effect["over_tolerance"], over)
    assert close(effect["bottleneck_utilisation"], LAMBDA / (2 * MU) - LAMBDA / MU)


def test_a_second_server_saves_what_erlang_c_says(counter_report: dict) -> None:
    effect = counter_report["second-clerk"]["effect"]
    assert close(effect["total_time_mean"], mm2_time(LAMBDA, MU) - mm1_time(LAMBDA, MU))  # about −255 s
    assert close(effect["bottleneck_utilisation"], LAMBDA / (2 * MU) - LAMBDA / MU)


def test_what_a_change_does_not_touch_does_not_move(counter_report: dict) -> None:
    for row in ("script", "second-clerk"):
        effect = counter_report[row]["effect"]
        # common random numbers: the same customers fail at the same cards
        assert effect["cost"]["difference"] == 0 and effect["cost"]["base"] == pytest.approx(2 + 0)
        assert effect["fail_risk"]["difference"] == 0
        assert effect["fail_risk"]["base"] == pytest.approx(0.1, abs=0.01)


def test_ranked_by_time_saved_per_point_of_effort(counter_report: dict) -> None:
    script, clerk = counter_report["script"], counter_report["second-clerk"]
    assert (script["rank"], clerk["rank"]) == (1, 2)  # ~288 s for 2 points beats ~255 s for 3
    assert script["effect_per_effort"] == pytest.approx(-script["effect"]["total_time_mean"]["difference"] / 2)
    assert script["changes"] == ["answer.duration=*0.5"] and script["simulated"] == "change"
    poster = counter_report["poster"]
    assert (poster["costed"], poster["rank"], poster["effect"]) == (False, None, None)
    assert "neither what it changes" in poster["reason"]


def test_the_json_contract_holds_every_effect(counter_report: dict) -> None:
    row = counter_report["script"]
    assert set(row) >= {"id", "title", "effort", "effect", "rank"}
    assert set(row["effect"]) == {
        "total_time_mean", "total_time_p90", "over_tolerance", "cost", "bottleneck_utilisation", "fail_risk",
    }  # fmt: skip
    for effect in row["effect"].values():
        assert set(effect) == {"base", "variant", "difference", "ci95"}


def test_same_seed_same_report_and_workers_change_nothing() -> None:
    bp = loads(COUNTER + SIMULATION.replace("20000", "800"))
    one = cost_opportunities(bp, seed=5, replications=3).to_dict()
    two = cost_opportunities(bp, seed=5, replications=3, workers=2).to_dict()
    assert one == two


def test_hotel_opportunities_are_costed_from_changes_and_the_future_state() -> None:
    path = EXAMPLES / "hotel-stay.yaml"
    report = cost_opportunities(
        load(path), seed=1, replications=3, customers=400, load_future=future_loader(path)
    ).to_dict()
    rows = {row["id"]: row for row in report["opportunities"]}
    assert report["bottleneck"] == "Front desk clerk"
    mobile = rows["mobile-check-in"]
    assert mobile["simulated"] == "future" and mobile["changes"] == ["hotel-stay-future.yaml"]
    # the future state takes registration away from the desk: far less time and a far idler desk
    assert mobile["effect"]["total_time_mean"]["difference"] < 0
    assert mobile["effect"]["bottleneck_utilisation"]["difference"] < 0
    express = rows["express-check-out"]
    assert express["effect"]["total_time_mean"]["difference"] < 0
    assert express["effect"]["cost"]["difference"] == 0
    assert sorted(r["rank"] for r in rows.values() if r["costed"]) == [1, 2, 3]
    assert {r["id"] for r in rows.values() if not r["costed"]} == {
        "wifi-single-login", "company-invoice", "live-room-release",
    }  # fmt: skip
    assert mobile["measure"] and mobile["due"] == "2027-06-30"


@pytest.mark.parametrize(
    ("opportunity", "message"),
    [
        ("{id: o, title: O, change: nobody=+1}", "opportunity 'o': change 'nobody=+1': there is no resource 'nobody'"),
        ("{id: o, title: O, change: ansewr.duration=*0.5}", "there is no card 'ansewr' (did you mean 'answer'?)"),
        ("{id: o, title: O, change: answer.colour=red}", "changes a card's duration, not its 'colour'"),
        ("{id: o, title: O, change: Clerk=-1}", "'Clerk' would have 0 units"),
        ("{id: o, title: O, change: answer.duration=soon}", "'soon' is not a duration change"),
        ("{id: o, title: O, future: missing.yaml}", "opportunity 'o': cannot read its future state"),
    ],
)
def test_bad_changes_name_the_opportunity(tmp_path: Path, opportunity: str, message: str) -> None:
    head = COUNTER[: COUNTER.index("opportunities:")]
    path = tmp_path / "counter.yaml"
    path.write_text(head + f"opportunities:\n  - {opportunity}\n" + SIMULATION, encoding="utf-8")
    with pytest.raises(OpportunityError) as caught:
        cost_opportunities(load(path), replications=2, load_future=future_loader(path))
    assert message in str(caught.value)
    # not strict: listed as not costed, with the same reason
    report = cost_opportunities(load(path), replications=2, load_future=future_loader(path), strict=False)
    assert message in report.not_costed[0].reason


def test_a_future_of_another_service_is_refused(tmp_path: Path) -> None:
    (tmp_path / "clinic.yaml").write_text((EXAMPLES / "clinic-appointment.yaml").read_text(), encoding="utf-8")
    head = COUNTER[: COUNTER.index("opportunities:")]
    path = tmp_path / "counter.yaml"
    path.write_text(head + "opportunities:\n  - {id: o, title: O, future: clinic.yaml}\n" + SIMULATION)
    with pytest.raises(OpportunityError, match=r"opportunity 'o': its future state 'clinic\.yaml'.*same service"):
        cost_opportunities(load(path), replications=2, load_future=future_loader(path))


def test_no_simulation_section_names_the_opportunities() -> None:
    with pytest.raises(OpportunityError) as caught:
        cost_opportunities(loads(COUNTER), replications=2)
    assert "'second-clerk', 'script'" in str(caught.value) and "no simulation section" in str(caught.value)
    assert caught.value.hint and "simulation:" in caught.value.hint


def test_nothing_to_cost_needs_no_simulation() -> None:
    head = COUNTER[: COUNTER.index("opportunities:")]
    report = cost_opportunities(loads(head + "opportunities:\n  - {id: o, title: O}\n"), replications=2)
    assert report.costed == [] and [n.opportunity.id for n in report.not_costed] == ["o"]
