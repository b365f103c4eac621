"""What a comparison of two blueprints found, as plain data.

Everything here serialises to JSON (`BlueprintDiff.to_json`) so that the
command line, the web app and scripts read the same result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from stageline.model import Blueprint

Kind = Literal["blueprint", "lane", "stage", "step", "card", "link", "opportunity"]
KINDS: tuple[Kind, ...] = ("blueprint", "lane", "stage", "step", "card", "link", "opportunity")
Direction = Literal["lower", "higher"]


@dataclass(frozen=True)
class Location:
    """Where an element sits in one of the two blueprints (ids as in that file).

    Cards read `step/lane[index]`, steps `stage[index]`, and stages, lanes,
    links and opportunities `stages[index]` etc.; indexes count from 0."""

    kind: Kind
    index: int
    stage: str | None = None
    step: str | None = None
    lane: str | None = None

    def __str__(self) -> str:
        if self.kind == "card":
            return f"{self.step}/{self.lane}[{self.index}]"
        if self.kind == "step":
            return f"{self.stage}[{self.index}]"
        plural = {"opportunity": "opportunities"}.get(self.kind, f"{self.kind}s")
        return f"{plural}[{self.index}]"

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "step": self.step, "lane": self.lane, "index": self.index}


@dataclass(frozen=True)
class Entry:
    """An element only one of the blueprints has (added: new id; removed: old id)."""

    kind: Kind
    id: str
    label: str
    at: Location | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "label": self.label, "at": self.at.to_json() if self.at else None}


@dataclass(frozen=True)
class Change:
    """An element both have, with the fields that differ as (old, new).

    `id` is the id in the new blueprint (None for the blueprint itself); when
    the element was matched by similarity, `old_id` differs and `fields`
    holds `"id": (old_id, id)`."""

    kind: Kind
    id: str | None
    old_id: str | None
    label: str
    fields: dict[str, tuple[Any, Any]]
    at: Location | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "old_id": self.old_id, "kind": self.kind, "label": self.label,
            "fields": {name: [old, new] for name, (old, new) in self.fields.items()},
        }  # fmt: skip


@dataclass(frozen=True)
class Move:
    """An element both have that sits elsewhere: another cell, stage or position
    (relative to the elements around it, so inserting a card does not move the
    ones after it)."""

    kind: Kind
    id: str
    old_id: str
    label: str
    source: Location
    target: Location

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "old_id": self.old_id, "kind": self.kind, "label": self.label,
            "from": str(self.source), "to": str(self.target),
            "from_place": self.source.to_json(), "to_place": self.target.to_json(),
        }  # fmt: skip


@dataclass(frozen=True)
class MetricDelta:
    """One headline number before and after; `better` says which way is good."""

    name: str
    old: float | None
    new: float | None
    better: Direction | None = None
    unit: Literal["seconds", "money", "count", "ratio", "number"] = "number"

    @property
    def delta(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    @property
    def verdict(self) -> Literal["better", "worse", "same", "neutral"]:
        delta = self.delta
        if delta is None or abs(delta) < 1e-9:
            return "same" if delta is not None else "neutral"
        if self.better is None:
            return "neutral"
        improved = delta < 0 if self.better == "lower" else delta > 0
        return "better" if improved else "worse"


@dataclass
class BlueprintDiff:
    """Differences from `old` to `new`. Empty (falsy) when they describe the same blueprint."""

    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    metrics: list[MetricDelta] = field(default_factory=list)
    matches: dict[Kind, dict[str, str]] = field(default_factory=dict)
    """Old id → new id of every element found in both, by kind (links by key)."""
    old: Blueprint | None = field(default=None, repr=False, compare=False)
    new: Blueprint | None = field(default=None, repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.moved)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added), "removed": len(self.removed),
            "changed": len(self.changed), "moved": len(self.moved),
        }  # fmt: skip

    def metric(self, name: str) -> MetricDelta | None:
        return next((m for m in self.metrics if m.name == name), None)

    def renamed(self) -> dict[str, str]:
        """Old id → new id of every element found in both whose id differs
        (links, whose ids are `from->to`, follow their renamed cards)."""
        return {old: new for table in self.matches.values() for old, new in table.items() if old != new}

    def verdict(self) -> str:
        """One line: how much changed and whether the headline numbers improved."""
        from stageline.analysis.diff.summary import verdict

        return verdict(self)

    def highlights(self) -> dict[str, str]:
        """Element id → "added" | "removed" | "changed" for the merged blueprint
        that `stageline.analysis.diff.visual.merged_blueprint` draws."""
        from stageline.analysis.diff.visual import merged_blueprint

        return merged_blueprint(self)[1]

    def to_json(self) -> dict[str, Any]:
        """The JSON contract documented in docs/diff.md."""
        return {
            "added": [entry.id for entry in self.added],
            "removed": [entry.id for entry in self.removed],
            "changed": [change.to_json() for change in self.changed],
            "moved": [move.to_json() for move in self.moved],
            "metrics": {m.name: [m.old, m.new] for m in self.metrics},
            "metric_details": {
                m.name: {"old": m.old, "new": m.new, "delta": m.delta, "better": m.better,
                         "unit": m.unit, "verdict": m.verdict}
                for m in self.metrics
            },
            "details": {
                "added": [entry.to_json() for entry in self.added],
                "removed": [entry.to_json() for entry in self.removed],
            },
            "renamed": self.renamed(),
            "summary": {**self.counts, "verdict": self.verdict()},
            "old": _identity(self.old),
            "new": _identity(self.new),
        }  # fmt: skip


def _identity(bp: Blueprint | None) -> dict[str, Any] | None:
    if bp is None:
        return None
    return {"title": bp.title, "state": bp.state}
