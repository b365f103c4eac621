"""What-if variants: parsing, errors that name the resource, and comparisons
over common random numbers."""

from __future__ import annotations

from typing import Any

import pytest

from stageline.analysis.simulation import SimulationError, simulate
from stageline.model import Blueprint


@pytest.fixture
def busy(make_queue: Any) -> Blueprint:
    return make_queue(rate=8, service={"dist": "exponential", "mean": "6m"}, customers=4_000, tolerance="30m")


def delta(report: Any, variant: int, metric: str) -> Any:
    return next(d for d in report.variants[variant].deltas if d.metric == metric)


def test_adding_capacity_reduces_the_wait(busy: Blueprint) -> None:
    report = simulate(busy, seed=0, replications=3, what_if=["Clerk=+1"])
    variant = report.variants[0]
    assert variant.outcome.resources["Clerk"].capacity == 2
    change = delta(report, 0, "Clerk: mean wait")
    assert change.difference < 0
    assert change.ci is not None and change.difference + change.ci < 0  # significantly better
    assert variant.outcome.resources["Clerk"].wait.mean < report.resources["Clerk"].wait.mean
    assert delta(report, 0, "customers: share over tolerance").difference < 0


@pytest.mark.parametrize(("spec", "units"), [("Clerk=+2", 3), ("Clerk=4", 4), ("clerk = 2", 2), ("Clerk=-0", 1)])
def test_capacity_changes(busy: Blueprint, spec: str, units: int) -> None:
    report = simulate(busy, customers=200, what_if=spec)
    assert report.variants[0].outcome.resources["Clerk"].capacity == units


def test_removing_capacity_reduces_units(make_queue: Any) -> None:
    bp = make_queue(rate=8, service="6m", servers=3, customers=200)
    report = simulate(bp, what_if=["Clerk=-1"])
    assert report.variants[0].outcome.resources["Clerk"].capacity == 2


def test_an_unchanged_variant_differs_by_exactly_nothing(busy: Blueprint) -> None:
    """Common random numbers: the same seeds per replication in every variant."""
    report = simulate(busy, seed=3, replications=2, what_if=["Clerk=1"])
    for change in report.variants[0].deltas:
        assert change.difference == 0
        assert change.ci == 0


@pytest.mark.parametrize(
    ("spec", "mean"),
    [
        ("answer.duration=*0.5", 180),
        ("answer.duration=3m", 180),
        ("answer.duration=-3m", 180),
        ("answer.duration=+1m", 420),
    ],
)
def test_duration_changes(busy: Blueprint, spec: str, mean: float) -> None:
    report = simulate(busy, seed=0, what_if=[spec])
    assert report.variants[0].outcome.cards["answer"].service.mean == pytest.approx(mean, rel=0.05)
    assert report.variants[0].changes == (spec.strip(),)


def test_several_changes_form_one_variant(busy: Blueprint) -> None:
    report = simulate(busy, customers=300, what_if=["Clerk=+1; answer.duration=*0.5"])
    assert len(report.variants) == 1
    outcome = report.variants[0].outcome
    assert outcome.resources["Clerk"].capacity == 2
    assert outcome.cards["answer"].service.mean == pytest.approx(180, rel=0.15)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("Clerks=+1", "there is no resource 'Clerks' (did you mean 'Clerk'?)"),
        ("Clerk=-1", "'Clerk' would have 0 units"),
        ("Clerk=lots", "'lots' is not a capacity change"),
        ("Clerk", "is not a change"),
        ("answr.duration=*2", "there is no card 'answr' (did you mean 'answer'?)"),
        ("answer.duration=*x", "'*x' is not a duration change"),
        ("answer.duration=-1h", "would be negative"),
        ("", "is empty"),
    ],
)
def test_bad_what_ifs_say_what_is_wrong(busy: Blueprint, spec: str, message: str) -> None:
    with pytest.raises(SimulationError) as caught:
        simulate(busy, customers=10, what_if=[spec])
    assert message in str(caught.value)


def test_a_what_if_on_staff_that_is_not_a_resource_says_how_to_add_it(make_queue: Any) -> None:
    bp = make_queue(rate=8, service="6m", customers=10)
    bp.card("ask").actor = "Guest"
    bp.invalidate()
    with pytest.raises(SimulationError) as caught:
        simulate(bp, what_if="Guest=+1")
    assert "not a resource" in str(caught.value)
    assert "simulation.resources" in str(caught.value)
