"""Random sequences of operations keep a blueprint valid, and every one undoes exactly."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.blueprints import small_blueprint
from helpers.operations import operation
from stageline.model import Blueprint, check_integrity
from stageline.model.blueprint import Index
from stageline.model.operations import Operation, OperationError, apply_all, copy_for, parse_operation


def _snapshot(bp: Blueprint) -> dict[str, Any]:
    return bp.model_dump()


def _assert_index_current(bp: Blueprint) -> None:
    """The cached lookups (operations keep them when nothing structural changed) match a fresh build."""
    cached, fresh = bp.index, Index(bp)
    for table in ("stages", "steps", "cards", "lanes", "opportunities", "links", "step_order"):
        assert getattr(cached, table) == getattr(fresh, table), f"stale index: {table}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_operations_keep_blueprints_valid_and_undo_exactly(data: st.DataObject) -> None:
    bp = small_blueprint()
    history: list[tuple[dict[str, Any], Operation]] = []
    for _ in range(data.draw(st.integers(1, 12))):
        op = data.draw(operation(bp))
        before = _snapshot(bp)
        try:
            inverse = op.apply(bp)
        except OperationError:
            assert _snapshot(bp) == before, f"failed {op!r} changed the blueprint"
            continue
        assert check_integrity(bp) == []
        _assert_index_current(bp)
        # Operations and their inverses survive the wire.
        assert parse_operation(op.to_json()).to_json() == op.to_json()
        history.append((before, parse_operation(inverse.to_json())))
    # Undo everything, newest first: each step restores the exact earlier state.
    for before, inverse in reversed(history):
        inverse.apply(bp)
        assert _snapshot(bp) == before
        _assert_index_current(bp)
    assert bp == small_blueprint()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_operations_on_a_structural_copy_leave_the_original_as_it_was(data: st.DataObject) -> None:
    """`copy_for` shares what the operations do not change: applying them (as a batch,
    failing or not, and undoing them) to the copy never reaches the original, and the
    copy ends exactly as a deep copy would."""
    original = small_blueprint()
    for _ in range(data.draw(st.integers(1, 4))):
        ops: list[Operation] = []
        scratch = original.copy_deep()
        for _ in range(data.draw(st.integers(1, 5))):
            op = data.draw(operation(scratch))
            ops.append(op)
            with contextlib.suppress(OperationError):
                op.apply(scratch)
        before = _snapshot(original)
        deep = original.copy_deep()
        copy = copy_for(original, ops)
        assert copy == original
        try:
            inverse = apply_all(copy, [parse_operation(op.to_json()) for op in ops])
        except OperationError:
            assert _snapshot(copy) == before
            assert _snapshot(original) == before
            continue
        apply_all(deep, [parse_operation(op.to_json()) for op in ops])  # applies to a deep copy just the same
        assert _snapshot(original) == before, "an operation on the copy changed the original"
        assert _snapshot(copy) == _snapshot(deep)
        _assert_index_current(copy)
        assert check_integrity(copy) == []
        undo = copy_for(copy, [inverse])
        inverse.apply(undo)
        assert _snapshot(undo) == before
        assert _snapshot(copy) == _snapshot(deep), "undoing on a copy of the copy changed it"
        original = copy  # the next round starts from the changed blueprint, sharing with the last
