"""Each kind of change, for each kind of element, is found and reported once."""

from __future__ import annotations

import pytest

from helpers.blueprints import small_blueprint
from stageline.analysis.diff import BlueprintDiff, diff
from stageline.model import Blueprint, Card, Lane, Link, Opportunity, Stage, Step
from stageline.model.operations import (
    AddCard,
    AddLane,
    AddLink,
    AddOpportunity,
    AddStage,
    AddStep,
    MoveCard,
    MoveLane,
    MoveOpportunity,
    MoveStage,
    MoveStep,
    Operation,
    RemoveCard,
    RemoveLane,
    RemoveLink,
    RemoveOpportunity,
    RemoveStage,
    RemoveStep,
    SetProperty,
    apply_all,
)


def changed(*ops: Operation, base: Blueprint | None = None) -> BlueprintDiff:
    old = base or small_blueprint()
    new = old.copy_deep()
    apply_all(new, list(ops))
    return diff(old, new, metrics=False)


def kinds(entries: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(entry.kind, entry.id) for entry in entries]


def test_identical_blueprints_have_no_differences() -> None:
    result = diff(small_blueprint(), small_blueprint(), metrics=False)
    assert not result
    assert (result.added, result.removed, result.changed, result.moved) == ([], [], [], [])
    assert result.verdict() == "No differences."


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        (AddStage(stage=Stage(id="departure", title="Departure")), ("stage", "departure")),
        (AddStep(stage="stay", step=Step(id="breakfast", title="Breakfast")), ("step", "breakfast")),
        (AddCard(step="room", lane="customer", card=Card(id="unpack", text="Unpack")), ("card", "unpack")),
        (
            AddLink(link=Link(source="check-in.customer", target="room.customer")),
            ("link", "check-in.customer->room.customer"),
        ),
        (AddOpportunity(opportunity=Opportunity(id="kiosk", title="Self-service kiosk")), ("opportunity", "kiosk")),
        (AddLane(lane=Lane(id="partners", title="Partners", visible=False)), ("lane", "partners")),
    ],
)
def test_additions(operation: Operation, expected: tuple[str, str]) -> None:
    result = changed(operation)
    assert kinds(result.added) == [expected]
    assert not result.removed and not result.changed and not result.moved


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        (RemoveOpportunity(id="mobile-key"), [("opportunity", "mobile-key")]),
        (
            RemoveLink(source="registration", target="check-in.backstage"),
            [("link", "registration->check-in.backstage")],
        ),
        (RemoveCard(id="room.evidence"), [("card", "room.evidence")]),
        (
            RemoveStep(id="room"),
            [
                ("step", "room"),
                ("card", "room.evidence"),
                ("card", "room.customer"),
                ("card", "room.frontstage"),
                ("card", "room.backstage"),
                ("card", "room.support"),
                ("link", "room.backstage->room.support"),
            ],
        ),
    ],
)
def test_removals_list_the_element_and_everything_that_went_with_it(
    operation: Operation, expected: list[tuple[str, str]]
) -> None:
    result = changed(operation)
    assert sorted(kinds(result.removed)) == sorted(expected)
    assert not result.added and not result.moved


def test_removing_a_lane_removes_its_cards_and_their_links() -> None:
    result = changed(RemoveLane(id="support"))
    assert sorted(kinds(result.removed)) == [
        ("card", "check-in.support"),
        ("card", "room.support"),
        ("lane", "support"),
        ("link", "check-in.backstage->check-in.support"),
        ("link", "room.backstage->room.support"),
    ]


def test_removing_a_stage_removes_its_steps_cards_and_links() -> None:
    result = changed(RemoveStage(id="stay"))
    removed = kinds(result.removed)
    assert ("stage", "stay") in removed and ("step", "room") in removed and ("card", "room.support") in removed
    assert ("link", "room.backstage->room.support") in removed


def test_property_changes_report_old_and_new_values() -> None:
    result = changed(
        SetProperty(field="tolerance", value="90m"),
        SetProperty(field="state", value="future"),
        SetProperty(field="title", value="Hotel stay, future"),
    )
    (change,) = result.changed
    assert change.kind == "blueprint" and change.id is None
    assert change.fields == {
        "title": ("Overnight hotel stay", "Hotel stay, future"),
        "state": ("current", "future"),
        "tolerance": (7200.0, 5400.0),
    }


@pytest.mark.parametrize(
    ("operation", "kind", "element", "fields"),
    [
        (
            SetProperty(target="registration", field="duration", value="6m"),
            "card",
            "registration",
            {"duration": (240.0, 360.0)},
        ),
        (SetProperty(target="registration", field="fail", value=None), "card", "registration", None),
        (
            SetProperty(target="check-in", field="title", value="Arrive"),
            "step",
            "check-in",
            {"title": (None, "Arrive")},
        ),
        (
            SetProperty(target="stay", field="title", value="In the room"),
            "stage",
            "stay",
            {"title": ("Stay", "In the room")},
        ),
        (
            SetProperty(target="support", field="title", value="Systems"),
            "lane",
            "support",
            {"title": ("Support processes", "Systems")},
        ),
        (
            SetProperty(target="mobile-key", field="status", value="done"),
            "opportunity",
            "mobile-key",
            {"status": ("idea", "done")},
        ),
    ],
)
def test_changes_name_the_fields(
    operation: Operation, kind: str, element: str, fields: dict[str, tuple[object, object]] | None
) -> None:
    result = changed(operation)
    (change,) = result.changed
    assert (change.kind, change.id, change.old_id) == (kind, element, element)
    if fields is not None:
        assert change.fields == fields
    assert not result.added and not result.removed and not result.moved


def test_nested_fields_are_compared_one_by_one() -> None:
    fail = {"text": "Room not ready", "recovery": "Offer lounge access", "severity": 5, "likelihood": 2}
    result = changed(SetProperty(target="registration", field="fail", value=fail))
    assert result.changed[0].fields == {"fail.severity": (4, 5)}


def test_removing_a_nested_object_reports_it_whole() -> None:
    result = changed(SetProperty(target="registration", field="fail", value=None))
    (old, new) = result.changed[0].fields["fail"]
    assert old["text"] == "Room not ready" and new is None


def test_link_changes_two_way_and_label() -> None:
    key = "check-in.customer->registration"
    result = changed(
        SetProperty(target=key, field="two_way", value=False), SetProperty(target=key, field="label", value=None)
    )
    (change,) = result.changed
    assert (change.kind, change.id) == ("link", key)
    assert change.fields == {"two_way": (True, False), "label": ("Registration details", None)}


def test_a_reversed_arrow_is_the_same_link_with_its_ends_swapped() -> None:
    result = changed(
        RemoveLink(source="registration", target="check-in.backstage"),
        AddLink(link=Link(source="check-in.backstage", target="registration")),
    )
    (change,) = result.changed
    assert change.id == "check-in.backstage->registration" and change.old_id == "registration->check-in.backstage"
    assert change.fields == {
        "from": ("registration", "check-in.backstage"),
        "to": ("check-in.backstage", "registration"),
    }
    assert not result.added and not result.removed


def test_a_card_moved_to_another_cell() -> None:
    result = changed(MoveCard(id="room.evidence", step="check-in", lane="evidence", index=0))
    (move,) = result.moved
    assert (move.kind, move.id) == ("card", "room.evidence")
    assert (str(move.source), str(move.target)) == ("room/evidence[0]", "check-in/evidence[0]")
    assert not result.changed and not result.added


def test_a_card_reordered_in_its_cell_is_moved_but_its_neighbours_are_not() -> None:
    result = changed(MoveCard(id="check-in.evidence.2", step="check-in", lane="evidence", index=0))
    assert [m.id for m in result.moved] == ["check-in.evidence.2"]
    assert str(result.moved[0].target) == "check-in/evidence[0]"


def test_inserting_a_card_does_not_move_the_ones_after_it() -> None:
    result = changed(AddCard(step="check-in", lane="evidence", card=Card(id="sign", text="Sign"), index=0))
    assert kinds(result.added) == [("card", "sign")]
    assert not result.moved


def test_steps_and_stages_moved() -> None:
    base = small_blueprint()
    apply_all(base, [AddStep(stage="arrival", step=Step(id="park", title="Park the car"))])
    result = changed(MoveStep(id="park", stage="stay", index=0), MoveStage(id="stay", index=0), base=base)
    moves = {(m.kind, m.id): (str(m.source), str(m.target)) for m in result.moved}
    assert moves == {("stage", "stay"): ("stages[1]", "stages[0]"), ("step", "park"): ("arrival[1]", "stay[0]")}


def test_lanes_and_opportunities_reordered() -> None:
    base = small_blueprint()
    apply_all(
        base,
        [
            AddLane(lane=Lane(id="partners", title="Partners", visible=False)),
            AddOpportunity(opportunity=Opportunity(id="late-checkout", title="Late check-out")),
        ],
    )
    result = changed(MoveLane(id="partners", index=3), MoveOpportunity(id="late-checkout", index=0), base=base)
    assert sorted((m.kind, m.id) for m in result.moved) == [("lane", "partners"), ("opportunity", "late-checkout")]


def test_a_card_both_moved_and_changed_is_reported_as_both() -> None:
    result = changed(
        MoveCard(id="registration", step="room", lane="frontstage"),
        SetProperty(target="registration", field="actor", value="Lobby host"),
    )
    assert [(m.kind, m.id) for m in result.moved] == [("card", "registration")]
    assert [(c.id, c.fields) for c in result.changed] == [
        ("registration", {"actor": ("Front desk clerk", "Lobby host")})
    ]


def test_a_step_moved_to_another_stage_does_not_move_its_cards() -> None:
    result = changed(MoveStep(id="room", stage="arrival", index=1))
    assert [(m.kind, m.id) for m in result.moved] == [("step", "room")]
