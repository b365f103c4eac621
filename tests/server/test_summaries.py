"""History summaries derived from operations."""

from __future__ import annotations

import pytest

from helpers.blueprints import small_blueprint
from stageline.model import Card
from stageline.model.operations import AddCard, Batch, MoveCard, OperationError, RemoveCard, RemoveLink, SetProperty
from stageline.server.services.summaries import apply_summarised, compare, describe, summarise


def test_each_operation_reads_as_a_sentence() -> None:
    bp = small_blueprint()
    ops = [AddCard(step="check-in", lane="customer", card=Card(id="wave", text="Wave at the clerk"))]
    assert summarise(ops, bp.copy_deep()) == "Added card 'Wave at the clerk' to check-in / Customer actions"
    assert summarise([RemoveCard(id="registration")], bp.copy_deep()) == (
        "Removed card 'Process registration' from check-in / Frontstage actions"
    )
    assert summarise([MoveCard(id="registration", step="room", lane="frontstage")], bp.copy_deep()) == (
        "Moved card 'Process registration' to room / Frontstage actions"
    )
    assert summarise([SetProperty(field="title", value="Hotel")], bp.copy_deep()) == "Renamed the blueprint to 'Hotel'"


def test_batches_follow_their_own_changes_and_long_lists_are_shortened() -> None:
    bp = small_blueprint()
    batch = Batch(
        ops=[
            AddCard(step="room", lane="customer", card=Card(id="a", text="A")),
            SetProperty(target="a", field="emotion", value=1),
        ]
    )
    assert summarise([batch], bp.copy_deep()) == (
        "Added card 'A' to room / Customer actions; Changed emotion of card 'A'"
    )
    many = [SetProperty(field="goal", value=str(n)) for n in range(6)]
    assert summarise(many, bp.copy_deep()).endswith("; and 4 more changes")


def test_replacement_summary_counts_what_changed() -> None:
    before = small_blueprint()
    after = before.copy_deep()
    RemoveLink(source="room.backstage", target="room.support").apply(after)
    SetProperty(target="registration", field="duration", value=300).apply(after)
    assert compare(before, after) == "1 link removed, 1 card changed"
    assert compare(before, before.copy_deep()) == "no changes"


def test_applying_with_a_summary_is_all_or_nothing_and_describing_changes_nothing() -> None:
    bp = small_blueprint()
    batch = Batch(
        ops=[
            AddCard(step="room", lane="customer", card=Card(id="a", text="A")),
            SetProperty(target="a", field="emotion", value=1),
        ]
    )
    # Described against the blueprint as it is: the card is not there yet.
    assert describe(batch, bp) == ["Added card 'A' to room / Customer actions", "Changed emotion of link a"]
    assert bp == small_blueprint()  # describing applies nothing
    failing = [batch, RemoveCard(id="no-such-card")]
    with pytest.raises(OperationError):
        apply_summarised(failing, bp)
    assert bp == small_blueprint()
    inverse, phrases = apply_summarised([batch], bp)
    assert phrases == ["Added card 'A' to room / Customer actions", "Changed emotion of card 'A'"]
    assert bp.card("a").emotion == 1
    inverse.apply(bp)
    assert bp == small_blueprint()
