"""The hotel stay, current state against future state: the facts a reader relies on."""

from __future__ import annotations

import pytest

import stageline
from conftest import EXAMPLES
from stageline.analysis.diff import BlueprintDiff, diff
from stageline.analysis.diff.visual import merged_blueprint
from stageline.model import check_integrity


@pytest.fixture(scope="module")
def result() -> BlueprintDiff:
    return diff(stageline.load(EXAMPLES / "hotel-stay.yaml"), stageline.load(EXAMPLES / "hotel-stay-future.yaml"))


def test_the_redesign_adds_online_check_in_and_drops_key_cards(result: BlueprintDiff) -> None:
    added = {(e.kind, e.id) for e in result.added}
    removed = {(e.kind, e.id) for e in result.removed}
    assert ("step", "check-in-online") in added
    assert ("card", "key-encoder") in removed
    assert ("card", "check-in-online.customer") in added


def test_the_state_changes_to_future(result: BlueprintDiff) -> None:
    (properties,) = [c for c in result.changed if c.kind == "blueprint"]
    assert properties.fields["state"] == ("current", "future")


def test_kept_ids_are_matched_not_replaced(result: BlueprintDiff) -> None:
    # The future state keeps the ids of the elements it keeps: none of them may
    # appear as both removed and added.
    removed = {e.id for e in result.removed}
    added = {e.id for e in result.added}
    assert not {i for i in removed & added if "->" not in i}
    assert result.matches["card"]["registration"] == "registration"


def test_the_future_state_is_faster_and_cheaper(result: BlueprintDiff) -> None:
    for name in ("customer_time", "wait_time", "cost", "fail_point_risk"):
        delta = result.metric(name)
        assert delta is not None and delta.verdict == "better", name
    assert "metrics better" in result.verdict()


def test_the_merged_drawing_keeps_what_was_removed(result: BlueprintDiff) -> None:
    merged, highlights = merged_blueprint(result)
    assert check_integrity(merged) == []
    assert highlights["key-encoder"] == "removed" and "key-encoder" in merged.index.cards
    assert highlights["check-in-online"] == "added"
    assert highlights["registration"] == "changed"
    assert "assign-room->key-encoder" in merged.index.links
