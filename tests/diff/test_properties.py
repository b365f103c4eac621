"""Whatever the operations did, the diff accounts for every element exactly once."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.blueprints import small_blueprint
from helpers.operations import operation
from helpers.strategies import blueprints
from stageline.analysis.diff import diff
from stageline.analysis.diff.visual import merged_blueprint
from stageline.model import Blueprint, check_integrity
from stageline.model.operations import OperationError


def ids(bp: Blueprint) -> dict[str, set[str]]:
    index = bp.index
    return {
        "card": set(index.cards), "step": set(index.steps), "stage": set(index.stages),
        "lane": set(index.lanes), "opportunity": set(index.opportunities), "link": set(index.links),
    }  # fmt: skip


@st.composite
def edited(draw: st.DrawFn) -> tuple[Blueprint, Blueprint]:
    old = draw(st.one_of(st.just(small_blueprint()), blueprints()))
    new = old.copy_deep()
    for _ in range(draw(st.integers(0, 8))):
        with contextlib.suppress(OperationError):
            draw(operation(new)).apply(new)
    return old, new


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints())
def test_a_blueprint_equals_itself(bp: Blueprint) -> None:
    assert not diff(bp, bp.copy_deep(), metrics=False)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edited())
def test_every_element_is_matched_added_or_removed_exactly_once(pair: tuple[Blueprint, Blueprint]) -> None:
    old, new = pair
    result = diff(old, new, metrics=False)
    before, after = ids(old), ids(new)
    for kind in before:
        matches = result.matches[kind]  # type: ignore[index]
        removed = {e.id for e in result.removed if e.kind == kind}
        added = {e.id for e in result.added if e.kind == kind}
        assert len(set(matches.values())) == len(matches), "matching must be one to one"
        assert set(matches) | removed == before[kind] and not set(matches) & removed
        assert set(matches.values()) | added == after[kind] and not set(matches.values()) & added
    for change in result.changed:
        if change.kind != "blueprint":
            assert change.id in after[change.kind] and change.old_id in before[change.kind]
            assert result.matches[change.kind][change.old_id] == change.id  # type: ignore[index]
            assert change.fields
    for move in result.moved:
        assert result.matches[move.kind][move.old_id] == move.id  # type: ignore[index]
    assert len({(m.kind, m.id) for m in result.moved}) == len(result.moved)
    json.dumps(result.to_json())
    if old == new:
        assert not result


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edited())
def test_the_merged_drawing_is_a_valid_blueprint_showing_removed_cards(pair: tuple[Blueprint, Blueprint]) -> None:
    old, new = pair
    result = diff(old, new, metrics=False)
    merged, highlights = merged_blueprint(result)
    assert check_integrity(merged) == []
    present = set().union(*ids(merged).values())
    assert set(highlights) <= present
    assert set(highlights.values()) <= {"added", "removed", "changed"}
    # Every removed card whose step and lane survive (or are put back) is drawn.
    removed_cards = [e for e in result.removed if e.kind == "card"]
    drawn = sum(
        1 for element_id, status in highlights.items() if status == "removed" and element_id in merged.index.cards
    )
    assert drawn <= len(removed_cards)
    lanes_kept = {e.id for e in result.removed if e.kind == "lane"}
    if not lanes_kept:
        assert drawn == len(removed_cards)
    # The new blueprint itself is untouched.
    assert new == pair[1]
