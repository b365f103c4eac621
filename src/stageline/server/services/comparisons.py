"""Comparing two stored blueprints, or two versions of one, with the diff
library (`stageline.analysis.diff`): the changes, the metric deltas, and the
drawings of both sides with the highlights `stageline diff` uses.

A version never changes, so results are cached by the content of both sides.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from stageline.analysis.diff import BlueprintDiff, diff
from stageline.analysis.diff.html_report import inline_svg
from stageline.model import Blueprint
from stageline.render import render
from stageline.render.diff import draw_svg
from stageline.server.db.models import BlueprintRecord
from stageline.server.services.access import Role
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Blueprints
from stageline.server.services.errors import Invalid, ServiceError
from stageline.server.services.recent import Recent

T = TypeVar("T")
Status = Literal["added", "removed", "changed"]
View = Literal["old", "new", "merged"]


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a blueprint at one version."""

    record: BlueprintRecord
    role: Role
    number: int
    blueprint: Blueprint
    digest: str
    version_name: str | None = None

    @property
    def is_latest(self) -> bool:
        return self.number == self.record.version

    @property
    def ref(self) -> str:
        """How pages name it: `12@3` (the version) or `12` (whatever is current)."""
        return f"{self.record.id}@{self.number}"

    @property
    def label(self) -> str:
        latest = " (current version)" if self.is_latest else ""
        name = f" · {self.version_name}" if self.version_name else ""
        return f"{self.record.title} — v{self.number}{name}{latest}"

    def to_json(self) -> dict[str, Any]:
        return {
            "blueprint_id": self.record.id,
            "version": self.number,
            "latest": self.is_latest,
            "title": self.blueprint.title,
            "state": self.blueprint.state,
        }


def side_highlights(result: BlueprintDiff) -> tuple[dict[str, Status], dict[str, Status]]:
    """Element id → status for drawing each side on its own: the old blueprint
    with what was removed (red) and what changed or moved (amber), by old ids;
    the new one with what was added (green) and what changed or moved, by new
    ids. The merged drawing (`stageline.render.diff`) shows both at once."""
    old: dict[str, Status] = {}
    new: dict[str, Status] = {}
    for entry in result.removed:
        old[entry.id] = "removed"
    for entry in result.added:
        new[entry.id] = "added"
    for change in result.changed:
        if change.id is not None:
            new[change.id] = "changed"
        if change.old_id is not None:
            old[change.old_id] = "changed"
    for move in result.moved:
        new.setdefault(move.id, "changed")
        old.setdefault(move.old_id, "changed")
    return old, new


@dataclass(frozen=True)
class Comparison:
    old: Side
    new: Side
    result: BlueprintDiff

    @property
    def key(self) -> tuple[str, str]:
        return (self.old.digest, self.new.digest)

    def to_json(self) -> dict[str, Any]:
        """The diff's JSON contract (docs/diff.md), with where each side comes
        from and the highlights for drawing each side."""
        data = self.result.to_json()
        data["old"] = {**(data.get("old") or {}), **self.old.to_json()}
        data["new"] = {**(data.get("new") or {}), **self.new.to_json()}
        old, new = side_highlights(self.result)
        data["highlights"] = {"old": old, "new": new}
        return data


@dataclass(frozen=True)
class Drawing:
    svg: str | None
    error: str | None = None


def _digest(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


class Comparisons:
    def __init__(self, blueprints: Blueprints, size: int = 64) -> None:
        self.blueprints = blueprints
        self._results = Recent(size)
        self._drawings = Recent(size * 2)

    def side(self, actor: Actor, blueprint_id: int, number: int | None = None) -> Side:
        """The blueprint at version `number` (None: its current version); 404
        unless the actor may see it."""
        opened = self.blueprints.open(actor, blueprint_id)
        if number is not None and number < 1:
            raise Invalid(f"version numbers start at 1, not {number}", details={"field": "version"})
        stored, blueprint = self.blueprints.version(actor, blueprint_id, number or opened.record.version)
        return Side(opened.record, opened.role, stored.number, blueprint, _digest(stored.document), stored.name)

    def compare(self, old: Side, new: Side, *, metrics: bool = True) -> Comparison:
        """What changes from `old` to `new`, with the metric deltas."""
        result = self._results.get(
            (old.digest, new.digest, metrics), lambda: diff(old.blueprint, new.blueprint, metrics=metrics)
        )
        return Comparison(old, new, result)

    def drawing(self, comparison: Comparison, view: View) -> Drawing:
        """The old or new side drawn with its highlights, or the merged drawing
        (`stageline diff --format svg`); a drawing problem comes back as text."""

        def make() -> Drawing:
            try:
                return Drawing(self._draw(comparison, view))
            except ServiceError as error:
                return Drawing(None, error.message)
            except Exception as error:  # a drawing problem must not take the page down with it
                return Drawing(None, f"this drawing could not be made ({type(error).__name__})")

        return self._drawings.get((*comparison.key, view), make)

    @staticmethod
    def _draw(comparison: Comparison, view: View) -> str:
        # These drawings sit inside a page whose policy loads fonts from the
        # server only, so embedding the font in them (the slow part of
        # drawing) would only be thrown away.
        if view == "merged":
            return inline_svg(draw_svg(comparison.result, embed_font=False))
        old, new = side_highlights(comparison.result)
        side = comparison.old if view == "old" else comparison.new
        drawn = render(side.blueprint, format="svg", highlights=old if view == "old" else new, embed_font=False)
        svg = inline_svg(drawn if isinstance(drawn, str) else drawn.decode())
        # Both sides sit on one page: keep the ids of their titles apart.
        return svg.replace('"stageline-title"', f'"stageline-title-{view}"')
