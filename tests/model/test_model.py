"""The model's promises: durations, derived lines, integrity, cascading removals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stageline.model import Blueprint, BlueprintBuilder, Card, Lane, check_integrity
from stageline.model.elements import Link
from stageline.model.operations import (
    AddLane,
    AddLink,
    MoveCard,
    MoveLane,
    OperationError,
    RemoveCard,
    RemoveLane,
    Rename,
    SetProperty,
)
from stageline.model.quantities import format_duration, format_rate, parse_duration, parse_rate


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("5m", 300),
        ("1h30m", 5400),
        ("2d", 172800),
        ("PT5M", 300),
        ("P1DT2H", 93600),
        (5, 300),
        ("2.5", 150),
        ("1h 30m", 5400),
        ("90min", 5400),
    ],
)
def test_durations_people_write(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["soon", "", "5x", "-5m", -1, True, None, "P", "h"])
def test_bad_durations_say_how_to_write_one(bad: object) -> None:
    with pytest.raises(ValueError, match="45s, 5m, 1h30m"):
        parse_duration(bad)


@given(st.integers(min_value=0, max_value=10**7))
def test_canonical_durations_read_back(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


def test_rates() -> None:
    assert parse_rate("10/h") == 10
    assert parse_rate("2/m") == 120
    assert parse_rate("240/d") == 10
    assert parse_rate(parse_rate("0.5/m") and format_rate(30.0)) == 30
    with pytest.raises(ValueError, match="10/h"):
        parse_rate("lots")


def test_lines_follow_lane_order_including_custom_and_management(hotel: Blueprint) -> None:
    AddLane(lane=Lane.standard_lane("management")).apply(hotel)
    AddLane(lane=Lane(id="policies", title="Policies", visible=False), index=5).apply(hotel)
    lines = {line.name: (line.above, line.below) for line in hotel.lines()}
    assert lines == {
        "interaction": ("customer", "frontstage"),
        "visibility": ("frontstage", "backstage"),
        "internal-interaction": ("backstage", "support"),
        "implementation": ("policies", "management"),
    }


def test_a_blueprint_of_visible_lanes_has_no_line_of_visibility() -> None:
    bp = Blueprint(title="t", lanes=[Lane.standard_lane("customer"), Lane.standard_lane("frontstage")])
    assert [line.name for line in bp.lines()] == ["interaction"]


def test_lane_order_keeps_the_line_of_visibility_meaningful(hotel: Blueprint) -> None:
    with pytest.raises(OperationError, match="below"):
        AddLane(lane=Lane(id="promo", title="Promotions", visible=True)).apply(hotel)
    with pytest.raises(OperationError, match="order"):
        MoveLane(id="evidence", index=1).apply(hotel)
    with pytest.raises(OperationError, match="customer lane cannot be removed"):
        RemoveLane(id="customer").apply(hotel)
    with pytest.raises(OperationError, match="above the line"):
        SetProperty(target="frontstage", field="visible", value=False).apply(hotel)


def test_removing_a_card_removes_its_links_and_targets_and_undo_restores_them(hotel: Blueprint) -> None:
    original = hotel.copy_deep()
    undo = RemoveCard(id="check-in.customer").apply(hotel)
    assert all("check-in.customer" not in (link.source, link.target) for link in hotel.links)
    assert hotel.opportunity("mobile-key").targets == []
    assert check_integrity(hotel) == []
    undo.apply(hotel)
    assert hotel == original


def test_removing_a_lane_removes_its_cards_everywhere(hotel: Blueprint) -> None:
    undo = RemoveLane(id="backstage").apply(hotel)
    assert not any(place.lane == "backstage" for place, _ in hotel.cards())
    assert "check-in.backstage" not in hotel.index.cards
    undo.apply(hotel)
    assert hotel.card("check-in.backstage").text == "Prepare key card"


def test_rename_updates_every_reference(hotel: Blueprint) -> None:
    Rename(id="check-in.customer", new_id="arrive").apply(hotel)
    assert hotel.links[0].source == "arrive"
    assert hotel.opportunity("mobile-key").targets == ["arrive"]
    with pytest.raises(OperationError, match="already used"):
        Rename(id="arrive", new_id="registration").apply(hotel)
    with pytest.raises(OperationError, match="standard lanes keep their ids"):
        Rename(id="support", new_id="systems").apply(hotel)


def test_moving_a_card_keeps_its_identity_and_links(hotel: Blueprint) -> None:
    MoveCard(id="registration", step="room", lane="frontstage", index=0).apply(hotel)
    assert hotel.place("registration").step.id == "room"
    assert [c.id for c in hotel.step("room").cards("frontstage")] == ["registration", "room.frontstage"]
    assert "frontstage" not in hotel.step("check-in").cells  # an emptied cell disappears
    assert any(link.target == "registration" for link in hotel.links)


def test_links_are_unique_per_direction_and_two_way_covers_both(hotel: Blueprint) -> None:
    with pytest.raises(OperationError, match="already linked both ways"):
        AddLink(link=Link(source="registration", target="check-in.customer")).apply(hotel)
    with pytest.raises(OperationError, match="itself"):
        AddLink(link=Link(source="registration", target="registration")).apply(hotel)
    AddLink(link=Link(source="check-in.support", target="registration", label="Rework")).apply(hotel)


def test_set_property_validates_and_reports_the_field(hotel: Blueprint) -> None:
    with pytest.raises(OperationError, match="emotion"):
        SetProperty(target="check-in.customer", field="emotion", value=5).apply(hotel)
    with pytest.raises(OperationError, match="did you mean 'duration'"):
        SetProperty(target="registration", field="duraton", value="5m").apply(hotel)
    SetProperty(
        target="registration", field="duration", value={"dist": "triangular", "min": "2m", "mode": "4m", "max": "10m"}
    ).apply(hotel)
    assert hotel.card("registration").duration.mean_seconds == pytest.approx(320)  # type: ignore[union-attr]


def test_integrity_reports_every_broken_reference() -> None:
    bp = BlueprintBuilder("t").stage("s", "S").step("a", customer="Go").build()
    bp.links.append(Link(source="a.customer", target="a.custmer"))
    bp.stages[0].steps[0].cells["frontstage"] = [Card(id="s", text="dup")]
    bp.invalidate()
    messages = [problem.message for problem in check_integrity(bp)]
    assert any("duplicate id 's'" in m for m in messages)
    assert any("'a.custmer'" in m and "did you mean 'a.customer'" in m for m in messages)


def test_step_title_defaults_to_the_customer_card(hotel: Blueprint) -> None:
    assert hotel.step("check-in").display_title == "Check in"
    SetProperty(target="check-in", field="title", value="Arrive and check in").apply(hotel)
    assert hotel.step("check-in").display_title == "Arrive and check in"


def test_applied_set_operations_carry_the_normalised_value(hotel: Blueprint) -> None:
    op = SetProperty(target="registration", field="duration", value="1h30m")
    op.apply(hotel)
    assert op.to_json() == {"op": "set", "target": "registration", "field": "duration", "value": 5400.0}
    link = SetProperty(target="registration->check-in.backstage", field="two_way", value=True)
    link.apply(hotel)
    assert link.value is True


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False).filter(lambda x: x == 0 or x > 1e-9))
def test_any_duration_or_rate_reads_back_exactly(value: float) -> None:
    assert parse_duration(format_duration(value)) == pytest.approx(value, abs=1e-6) or value <= 0
    assert parse_rate(format_rate(value)) == value
