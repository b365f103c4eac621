"""Field-by-field comparison of two versions of one element.

Values are compared in their JSON form (durations in seconds, nested models
as objects) and reported under the names the YAML format uses; nested
objects present on both sides are compared field by field (`fail.severity`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

# Fields that are compared structurally (children, order, identity), not as values.
STRUCTURAL: dict[str, set[str]] = {
    "blueprint": {"stageline", "lanes", "stages", "links", "opportunities"},
    "lane": {"id"},
    "stage": {"id", "steps"},
    "step": {"id", "cells"},
    "card": {"id"},
    "link": {"source", "target"},
    "opportunity": {"id"},
}

# Fields whose values are seconds, for people-facing output.
DURATION_FIELDS = frozenset(
    {"duration", "wait", "tolerance", "recovery_time", "horizon", "mean", "sd", "min", "mode", "max"}
)


def values(element: BaseModel, kind: str) -> dict[str, Any]:
    return element.model_dump(mode="json", by_alias=True, exclude=STRUCTURAL[kind], exclude_none=True)


def _flatten(prefix: str, old: Any, new: Any, out: dict[str, tuple[Any, Any]]) -> None:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for name in [*old, *(key for key in new if key not in old)]:
            _flatten(f"{prefix}.{name}" if prefix else name, old.get(name), new.get(name), out)
    elif old != new:
        out[prefix] = (old, new)


def compare(
    old: BaseModel, new: BaseModel, kind: str, *, old_values: dict[str, Any] | None = None
) -> dict[str, tuple[Any, Any]]:
    """Every field that differs, as name → (old, new); `old_values` overrides
    the old side (e.g. card references already translated to new ids)."""
    if old_values is None and old == new:
        return {}  # the common case, without serialising either side
    changes: dict[str, tuple[Any, Any]] = {}
    _flatten("", old_values if old_values is not None else values(old, kind), values(new, kind), changes)
    return changes
