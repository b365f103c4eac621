"""The example blueprints are the showcase and the other areas' test data:
each must load, meet the bar the issue sets, and check clean."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import stageline
from stageline import environment
from stageline.analysis.checks import Severity
from stageline.cli import main
from stageline.exit_status import ExitStatus
from stageline.model import Blueprint, Card
from stageline.model.elements import DEFAULT_LANES, Distribution

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CURRENT_STATE = ["hotel-stay", "ecommerce-order-return", "clinic-appointment", "saas-onboarding"]
ALL_EXAMPLES = [*CURRENT_STATE, "hotel-stay-future"]


@cache
def _load(name: str) -> Blueprint:
    return stageline.load(EXAMPLES / f"{name}.yaml")


def example(name: str) -> Blueprint:
    # Cached for speed; hand out copies so no test can change another's data.
    return _load(name).copy_deep()


def cards_in(bp: Blueprint, lane: str) -> list[Card]:
    return [card for place, card in bp.cards() if place.lane == lane]


def test_every_example_file_is_covered() -> None:
    assert sorted(path.stem for path in EXAMPLES.glob("*.yaml")) == sorted(ALL_EXAMPLES)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_size_meets_the_bar(name: str) -> None:
    bp = example(name)
    steps = [step for _, step in bp.steps()]
    assert len(bp.stages) >= 4
    assert len(steps) >= 12
    assert all(stage.steps for stage in bp.stages)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_all_five_lanes_are_used_in_most_steps(name: str) -> None:
    bp = example(name)
    steps = [step for _, step in bp.steps()]
    for lane in DEFAULT_LANES:
        used = sum(1 for step in steps if step.cards(lane))
        assert used >= 0.9 * len(steps), f"{lane} is used in only {used} of {len(steps)} steps"
    # Evidence at every customer step (Bitner et al. 2008 add it last, but everywhere).
    assert all(step.cards("evidence") and step.cards("customer") for step in steps)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_links_cross_every_line(name: str) -> None:
    bp = example(name)
    lane_of = {card.id: place.lane for place, card in bp.cards()}
    pairs = {(lane_of[link.source], lane_of[link.target]) for link in bp.links}
    crossings = {frozenset(pair) for pair in pairs}
    assert frozenset({"customer", "frontstage"}) in crossings  # moments of truth
    assert frozenset({"frontstage", "backstage"}) in crossings  # line of visibility
    assert frozenset({"backstage", "support"}) in crossings  # line of internal interaction
    assert any(link.two_way for link in bp.links)
    assert any(not link.two_way for link in bp.links)
    assert len(bp.links) >= len(list(bp.steps())) * 2


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_fail_points_are_scored_and_recovered(name: str) -> None:
    bp = example(name)
    fails = [card.fail for _, card in bp.cards() if card.fail]
    assert len(fails) >= 5
    for fail in fails:
        assert fail.recovery and fail.severity and fail.likelihood, fail.text


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_time_is_annotated(name: str) -> None:
    bp = example(name)
    assert bp.tolerance
    customers = cards_in(bp, "customer")
    assert any(card.wait for card in customers) or bp.state == "future"
    contact = cards_in(bp, "frontstage") + cards_in(bp, "backstage")
    assert sum(1 for card in contact if card.duration is not None) >= 0.9 * len(contact)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_every_contact_card_has_an_owner(name: str) -> None:
    bp = example(name)
    for card in cards_in(bp, "frontstage") + cards_in(bp, "backstage"):
        assert card.actor and card.department, card.id
    assert all(card.channel for card in cards_in(bp, "frontstage"))


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_customer_experience_is_annotated(name: str) -> None:
    bp = example(name)
    customers = cards_in(bp, "customer")
    assert all(card.emotion is not None for card in customers)
    expected_bases = {"observed", "assumed"} if bp.state == "current" else {"proposed"}
    assert {card.basis for _, card in bp.cards()} >= expected_bases
    assert bp.currency
    assert sum(1 for _, card in bp.cards() if card.cost is not None) >= 5
    if bp.state == "current":
        assert sum(1 for card in customers if card.pain) >= 3
        assert any(card.emotion is not None and card.emotion <= -1 for card in customers)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_opportunities_are_complete(name: str) -> None:
    bp = example(name)
    assert len(bp.opportunities) >= 5
    for opportunity in bp.opportunities:
        assert opportunity.targets and opportunity.owner and opportunity.description, opportunity.id
        assert opportunity.value and opportunity.effort, opportunity.id
    assert len({opportunity.status for opportunity in bp.opportunities}) >= (2 if bp.state == "current" else 1)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_checks_clean(name: str) -> None:
    findings = stageline.check(example(name))
    serious = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert serious == [], "\n".join(f"{f.rule} {f.message}" for f in serious)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_canonical_form_round_trips(name: str) -> None:
    bp = example(name)
    assert stageline.loads(stageline.dumps(bp)) == bp


def test_hotel_carries_a_simulation_matching_its_actors() -> None:
    bp = example("hotel-stay")
    assert bp.simulation is not None
    assert bp.simulation.arrivals.schedule and bp.simulation.horizon
    actors = {card.actor for _, card in bp.cards() if card.actor}
    assert set(bp.simulation.resources) <= actors
    assert sum(1 for _, card in bp.cards() if isinstance(card.duration, Distribution)) >= 5
    assert sum(1 for _, card in bp.cards() if card.fail and card.fail.p is not None) >= 5
    assert any(link.p is not None for link in bp.links)


def test_clinic_shows_a_hidden_custom_lane_below_support() -> None:
    bp = example("clinic-appointment")
    assert bp.lane_ids()[-2:] == ["support", "policies"]
    assert not bp.is_visible("policies")
    assert len(cards_in(bp, "policies")) >= 5


def test_future_hotel_keeps_the_ids_of_what_persists() -> None:
    current, future = example("hotel-stay"), example("hotel-stay-future")
    assert (current.state, future.state) == ("current", "future")
    current_steps = {step.id for _, step in current.steps()}
    future_steps = {step.id for _, step in future.steps()}
    assert current_steps < future_steps  # every step persists; one is added
    current_cards = {card.id for _, card in current.cards()}
    future_cards = {card.id for _, card in future.cards()}
    assert len(current_cards & future_cards) >= 0.85 * len(current_cards)
    assert current_cards - future_cards and future_cards - current_cards  # some removed, some added
    assert {o.id for o in current.opportunities} <= {o.id for o in future.opportunities}
    assert all(o.status == "done" for o in future.opportunities if o.id in {c.id for c in current.opportunities})
    # What the programme promises: the queues go and the pain points are treated.
    assert all(not card.pain for card in cards_in(future, "customer"))
    assert stageline.metrics(future).totals.customer_time < stageline.metrics(current).totals.customer_time


def test_future_hotel_diff_shows_the_programme() -> None:
    result = stageline.diff(example("hotel-stay"), example("hotel-stay-future"))
    added = {(entry.kind, entry.id) for entry in result.added}
    removed = {(entry.kind, entry.id) for entry in result.removed}
    changed = {(change.kind, change.id) for change in result.changed}
    assert ("step", "check-in-online") in added
    assert ("card", "take-order") in removed and ("card", "reissue-invoice") in removed
    assert ("card", "check-in.customer") in changed and ("card", "registration") in changed


def test_examples_are_in_canonical_form(console: environment.Environment) -> None:
    # The showcase is what people copy: it should look like `stageline fmt` output.
    files = [str(EXAMPLES / f"{name}.yaml") for name in ALL_EXAMPLES]
    assert main(["fmt", "--check", *files]) == ExitStatus.OK, console.stdout.getvalue()


def test_simulation_tells_the_hotel_story() -> None:
    # The current state's check-in queue pushes guests past the tolerance; the
    # future state's mobile check-in takes most of them back under it.
    current = stageline.simulate(example("hotel-stay"), seed=1)
    future = stageline.simulate(example("hotel-stay-future"), seed=1)
    assert current.bottlenecks[0].resource == "Front desk clerk"
    assert current.customers.over_tolerance > 0.3
    assert future.customers.over_tolerance < current.customers.over_tolerance / 3
