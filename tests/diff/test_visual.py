"""The merged blueprint a visual diff draws: the new one, plus what was removed."""

from __future__ import annotations

import stageline
from helpers.blueprints import small_blueprint
from stageline.analysis.diff import diff
from stageline.analysis.diff.visual import merged_blueprint
from stageline.model import Card, Lane, check_integrity
from stageline.model.operations import (
    AddCard,
    AddLane,
    RemoveCard,
    RemoveLane,
    RemoveStage,
    SetProperty,
    apply_all,
)


def test_a_removed_stage_is_drawn_back_in_its_place() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(new, [RemoveStage(id="arrival")])
    merged, highlights = merged_blueprint(diff(old, new, metrics=False))
    assert [stage.id for stage in merged.stages] == ["arrival", "stay"]
    assert highlights["arrival"] == highlights["check-in"] == highlights["registration"] == "removed"
    assert merged.card("registration").fail is not None
    assert "check-in.customer->registration" in merged.index.links
    assert check_integrity(merged) == []


def test_a_removed_card_returns_after_its_old_neighbour() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(
        new,
        [
            RemoveCard(id="check-in.evidence"),
            AddCard(step="check-in", lane="evidence", card=Card(id="app", text="Hotel app"), index=0),
        ],
    )
    merged, highlights = merged_blueprint(diff(old, new, metrics=False))
    assert [card.id for card in merged.step("check-in").cells["evidence"]] == [
        "check-in.evidence", "app", "check-in.evidence.2",
    ]  # fmt: skip
    assert highlights == {"app": "added", "check-in.evidence": "removed"}


def test_a_reused_id_gets_a_fresh_one() -> None:
    # Without ids in the file, the card left after "Desk" is removed inherits its generated id.
    head = "stageline: 1\ntitle: Hotel\nstages:\n- id: arrival\n  title: Arrival\n  steps:\n  - id: check-in\n"
    old = stageline.loads(head + "    evidence: [Desk, Key card]\n    customer: Check in\n")
    new = stageline.loads(head + "    evidence: [Key card]\n    customer: Check in\n")
    result = diff(old, new, metrics=False)
    assert [(e.id, e.label) for e in result.removed] == [("check-in.evidence", "Desk")]
    merged, highlights = merged_blueprint(result)
    assert highlights["check-in.evidence.removed"] == "removed"
    assert [card.text for card in merged.step("check-in").cells["evidence"]] == ["Desk", "Key card"]
    assert merged.card("check-in.evidence").text == "Key card"


def test_a_removed_lane_comes_back_on_its_side_of_the_line_of_visibility() -> None:
    old = small_blueprint()
    apply_all(
        old,
        [
            AddLane(lane=Lane(id="partners", title="Partners", visible=False), index=4),
            AddCard(step="room", lane="partners", card=Card(id="laundry", text="Laundry service")),
        ],
    )
    new = old.copy_deep()
    apply_all(new, [RemoveLane(id="partners")])
    merged, highlights = merged_blueprint(diff(old, new, metrics=False))
    assert merged.lane_ids()[4] == "partners" and highlights["partners"] == "removed"
    assert highlights["laundry"] == "removed"


def test_changed_and_moved_elements_are_amber_and_the_new_blueprint_is_untouched() -> None:
    old = small_blueprint()
    new = old.copy_deep()
    apply_all(new, [SetProperty(target="room", field="title", value="To the room")])
    before = new.copy_deep()
    _, highlights = merged_blueprint(diff(old, new, metrics=False))
    assert highlights == {"room": "changed"}
    assert new == before
