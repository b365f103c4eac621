"""The model of the service: branches, fail points, opening hours, the
customer's path, observed waits, costs and arrivals behave as documented."""

from __future__ import annotations

from typing import Any

import pytest

from stageline.analysis.simulation import simulate
from stageline.model import Blueprint, BlueprintBuilder


def helpdesk(p: float = 0.2, **simulation: Any) -> Blueprint:
    settings = {"arrivals": {"rate": "30/h"}, "resources": {"Helper": {"capacity": 3}}, "customers": 20_000}
    return (
        BlueprintBuilder("Help desk", simulation=settings | simulation)
        .stage("s", "Support")
        .step(
            "ask",
            customer={"id": "ask-help", "text": "Ask for help", "duration": "1m"},
            frontstage={"id": "help-desk", "text": "Help desk answers", "actor": "Helper", "duration": "4m"},
            backstage={"id": "log-ticket", "text": "Log the ticket", "duration": "2m"},
        )
        .link("ask-help", "help-desk", p=p)
        .link("help-desk", "log-ticket")
        .build()
    )


def test_a_branch_with_p_is_taken_by_that_share_of_customers() -> None:
    report = simulate(helpdesk(0.2), seed=5)
    assert report.cards["help-desk"].share == pytest.approx(0.2, abs=0.01)
    assert report.cards["ask-help"].share == 1.0
    # The ticket is only logged behind the help desk: skipped with it.
    assert report.cards["log-ticket"].share == pytest.approx(report.cards["help-desk"].share)
    assert report.resources["Helper"].visits == pytest.approx(20_000 * report.cards["help-desk"].share)


def test_branches_change_with_p() -> None:
    low, high = simulate(helpdesk(0.1), seed=1), simulate(helpdesk(0.6), seed=1)
    assert low.cards["help-desk"].share == pytest.approx(0.1, abs=0.01)
    assert high.cards["help-desk"].share == pytest.approx(0.6, abs=0.015)
    assert high.resources["Helper"].utilization > low.resources["Helper"].utilization


def fail_blueprint(p: float) -> Blueprint:
    return (
        BlueprintBuilder("Printing", currency="EUR", simulation={"arrivals": {"rate": "10/h"}, "customers": 20_000})
        .stage("s", "Print")
        .step(
            "print",
            customer={"id": "order", "text": "Order prints", "duration": "2m", "cost": 1.5},
            frontstage={
                "id": "print-card",
                "text": "Print",
                "duration": "10m",
                "cost": 4.0,
                "fail": {"text": "Paper jam", "p": p, "recovery_time": "5m", "recovery_cost": 20},
            },
        )
        .build()
    )


def test_fail_points_occur_at_their_rate_and_add_time_and_cost() -> None:
    report = simulate(fail_blueprint(0.1), seed=2)
    fail = report.cards["print-card"].fail
    assert fail is not None
    assert fail.rate == pytest.approx(0.1, abs=0.01)
    assert fail.occurrences == pytest.approx(2_000, rel=0.1)
    assert fail.time == pytest.approx(fail.occurrences * 300)
    assert fail.cost == pytest.approx(fail.occurrences * 20)
    assert report.cards["print-card"].service.mean == pytest.approx(600 + 300 * fail.rate)
    assert report.customers.cost.mean == pytest.approx(1.5 + 4.0 + 20 * fail.rate)
    # The customer's 2 minutes run alongside the printing (docs/time-model.md).
    assert report.customers.total_time.mean == pytest.approx(600 + 300 * fail.rate)


def test_fail_points_without_p_are_listed_as_not_simulated() -> None:
    bp = fail_blueprint(0.1)
    bp.card("print-card").fail.p = None  # type: ignore[union-attr]
    report = simulate(bp, customers=100)
    assert report.cards["print-card"].fail is None
    assert any("not simulated" in note and "print-card" in note for note in report.notes)


def test_opening_hours_block_service_until_opening() -> None:
    # Customers come between 08:00 and 09:00; the desk opens at 09:00 and has
    # room for everyone, so each waits exactly until nine.
    simulation = {
        "arrivals": {"schedule": {"08:00": "60/h", "09:00": "0/h"}},
        "resources": {"Clerk": {"capacity": 500, "hours": "09:00-17:00"}},
        "horizon": "1h",
    }
    bp = (
        BlueprintBuilder("Early birds", simulation=simulation)
        .stage("s", "S")
        .step("desk", frontstage={"id": "desk-card", "text": "Serve", "actor": "Clerk", "duration": "1m"})
        .build()
    )
    report = simulate(bp, seed=4)
    wait = report.cards["desk-card"].wait
    assert 0 < (wait.max or 0) <= 3600
    assert wait.mean == pytest.approx(1800, rel=0.1)  # arrivals are uniform over the hour
    assert report.cards["desk-card"].closed == pytest.approx(wait.mean)
    clerk = report.resources["Clerk"]
    assert clerk.closed_per_customer == pytest.approx(clerk.wait_per_customer)
    assert report.customers.total_time.mean == pytest.approx(1800 + 60, rel=0.1)
    assert report.settings.start == "08:00"


def test_service_started_before_closing_finishes_and_later_arrivals_wait_for_the_next_day() -> None:
    simulation = {
        "arrivals": {"schedule": {"16:00": "6/h"}},
        "resources": {"Clerk": {"capacity": 1, "hours": "09:00-17:00"}},
        "horizon": "2h",
    }
    bp = (
        BlueprintBuilder("Late", simulation=simulation)
        .stage("s", "S")
        .step("desk", frontstage={"id": "desk-card", "text": "Serve", "actor": "Clerk", "duration": "1m"})
        .build()
    )
    report = simulate(bp, seed=0)
    # Whoever came after 17:00 waited until 09:00 the next day: at least 15 hours.
    assert (report.cards["desk-card"].wait.max or 0) >= 15 * 3600
    assert report.cards["desk-card"].closed > 0


def path_blueprint(*, wait_on_customer: str = "8m", constrained: bool) -> Blueprint:
    resources = {"Clerk": {"capacity": 1}} if constrained else {}
    resources["Housekeeping"] = {"capacity": 1}
    simulation = {"arrivals": {"rate": "4/h"}, "resources": resources, "customers": 3_000}
    return (
        BlueprintBuilder("Hotel", simulation=simulation)
        .stage("s", "S")
        .step(
            "check-in",
            customer={"id": "arrive", "text": "Check in", "wait": wait_on_customer},
            frontstage={"id": "register", "text": "Register", "actor": "Clerk", "duration": "3m"},
            backstage=[
                {"id": "key", "text": "Prepare key", "actor": "Clerk", "duration": "1m"},
                {"id": "clean", "text": "Clean a room", "actor": "Housekeeping", "duration": "12m"},
            ],
        )
        .link("arrive", "register", two_way=True)
        .link("register", "key", two_way=True)  # the clerk hands the key over: the guest waits for it
        .build()
    )


def test_off_path_work_uses_capacity_but_the_customer_does_not_wait_for_it() -> None:
    report = simulate(path_blueprint(constrained=True), seed=0)
    assert report.cards["key"].on_path and not report.cards["clean"].on_path
    assert report.resources["Housekeeping"].utilization == pytest.approx(4 * 12 / 60, rel=0.05)
    clerk_time = (report.cards["register"].wait.mean or 0) + 3 * 60 + 60
    assert report.customers.total_time.mean == pytest.approx(clerk_time, rel=1e-6)


def test_the_same_unit_serves_consecutive_cards_of_a_step() -> None:
    report = simulate(path_blueprint(constrained=True), seed=0)
    clerk = report.resources["Clerk"]
    assert clerk.visits == 3_000  # one visit per customer, not one per card
    assert report.cards["key"].wait.max == 0
    assert clerk.utilization == pytest.approx(4 * 4 / 60, rel=0.05)


def test_observed_waits_are_replaced_by_queueing_where_a_resource_serves_the_step() -> None:
    queued = simulate(path_blueprint(constrained=True), seed=0)
    assert queued.cards["arrive"].wait.mean == 0
    assert any("observed waits replaced" in note and "arrive" in note for note in queued.notes)
    unqueued = simulate(path_blueprint(constrained=False), seed=0)
    # No scarce resource on the customer's path: the observed 8 minutes stay.
    assert unqueued.cards["arrive"].wait.mean == 480
    assert unqueued.customers.total_time.mean == pytest.approx(480 + 180 + 60)


def test_scheduled_arrivals_follow_the_rate_by_clock_time() -> None:
    simulation = {"arrivals": {"schedule": {"08:00": "120/h", "10:00": "30/h"}}, "horizon": "4h"}
    bp = (
        BlueprintBuilder("Rush", simulation=simulation)
        .stage("s", "S")
        .step("come", customer={"id": "come-in", "text": "Come in", "duration": "1m"})
        .build()
    )
    report = simulate(bp, seed=0, replications=5)
    assert report.customers.arrived == pytest.approx(2 * 120 + 2 * 30, rel=0.05)


def test_horizon_and_customers_both_limit_the_run(make_queue: Any) -> None:
    by_horizon = simulate(make_queue(rate=60, service="30s", customers=None, horizon="10h"), seed=0)
    assert by_horizon.customers.arrived == pytest.approx(600, rel=0.1)
    both = simulate(make_queue(rate=60, service="30s", customers=100, horizon="10h"), seed=0)
    assert both.customers.arrived == 100
    assert both.customers.completed == 100


def test_costs_are_summed_per_customer() -> None:
    report = simulate(fail_blueprint(0.0), seed=0, customers=500)
    assert report.customers.cost.mean == pytest.approx(5.5)
    assert report.customers.cost.p99 == pytest.approx(5.5)


def test_the_busiest_clock_hour_is_found() -> None:
    simulation = {
        "arrivals": {"schedule": {"08:00": "4/h", "09:00": "18/h", "10:00": "4/h"}},
        "resources": {"Clerk": {"capacity": 2, "hours": "08:00-18:00"}},
        "horizon": "6h",
    }
    bp = (
        BlueprintBuilder("Monday morning", simulation=simulation)
        .stage("s", "S")
        .step("desk", frontstage={"id": "desk-card", "text": "Serve", "actor": "Clerk", "duration": "6m"})
        .build()
    )
    report = simulate(bp, seed=0, replications=10)
    clerk = report.resources["Clerk"]
    assert clerk.peak_hour == "09:00-10:00"
    assert clerk.peak_utilization == pytest.approx(18 * 6 / 60 / 2, abs=0.1)
    assert clerk.peak_utilization > clerk.utilization + 0.2
    assert clerk.hourly_start == "08:00"
    assert clerk.hourly[0] == pytest.approx(4 * 6 / 60 / 2, abs=0.1)
    assert "at its busiest (09:00-10:00)" in report.bottlenecks[0].explanation


def test_hours_closed_have_no_utilisation() -> None:
    simulation = {
        "arrivals": {"schedule": {"08:00": "6/h"}},
        "resources": {"Clerk": {"capacity": 1, "hours": "10:00-12:00"}},
        "horizon": "4h",
    }
    bp = (
        BlueprintBuilder("Late opening", simulation=simulation)
        .stage("s", "S")
        .step("desk", frontstage={"id": "desk-card", "text": "Serve", "actor": "Clerk", "duration": "1m"})
        .build()
    )
    clerk = simulate(bp, seed=0).resources["Clerk"]
    assert clerk.hourly[0] is None and clerk.hourly[1] is None  # 08:00 and 09:00: closed
    assert clerk.hourly[2] is not None and clerk.hourly[2] > 0


def test_a_long_run_is_profiled_as_an_average_day(make_queue: Any) -> None:
    bp = make_queue(rate=2, service="6m", customers=None, horizon="10d")
    clerk = simulate(bp, seed=0).resources["Clerk"]
    assert clerk.hourly_by == "hour of day"
    assert len(clerk.hourly) == 24 and clerk.hourly_start == "00:00"
    assert all(v == pytest.approx(0.2, abs=0.1) for v in clerk.hourly if v is not None)
    assert "day" not in (clerk.peak_hour or "day")
