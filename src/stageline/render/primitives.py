"""The display list: what a drawing is made of, in absolute pixel coordinates.

Layout produces it once; the SVG, HTML, PNG and PDF backends each draw the
same list, so every format shows exactly the same picture. Tests inspect it
directly to prove geometric properties (no overlaps, text fits).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        """True when the interiors intersect (touching edges do not count)."""
        return (
            self.x < other.right - margin
            and other.x < self.right - margin
            and self.y < other.bottom - margin
            and other.y < self.bottom - margin
        )

    def contains(self, other: Box, tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )


@dataclass(frozen=True, slots=True)
class Rect:
    box: Box
    fill: str | None
    stroke: str | None = None
    stroke_width: float = 1.0
    radius: float = 0.0
    dash: str | None = None
    role: str = ""


@dataclass(frozen=True, slots=True)
class Text:
    """One line of text; `y` is the baseline."""

    x: float
    y: float
    text: str
    size: float
    fill: str
    bold: bool = False
    anchor: Literal["start", "middle", "end"] = "start"
    role: str = ""


@dataclass(frozen=True, slots=True)
class Path:
    """A polyline (or a closed polygon when `closed`)."""

    points: tuple[Point, ...]
    stroke: str | None
    width: float = 1.0
    fill: str | None = None
    dash: str | None = None
    closed: bool = False
    corner_radius: float = 0.0  # rounds the corners of a polyline
    role: str = ""


@dataclass(frozen=True, slots=True)
class Corner:
    """A rounded corner of a polyline: straight to `start`, then a quadratic curve
    with control point `apex` (the original vertex) to `end`."""

    start: Point
    apex: Point
    end: Point


def rounded(points: tuple[Point, ...], radius: float) -> list[Point | Corner]:
    """The vertices after the first, each inner one rounded by up to `radius`
    (never more than half of either leg, so neighbouring corners cannot overlap).
    Every backend draws a Path's corners from this, so they agree to the pixel."""
    out: list[Point | Corner] = []
    for i in range(1, len(points)):
        x1, y1 = points[i]
        if radius and i < len(points) - 1:
            (x0, y0), (x2, y2) = points[i - 1], points[i + 1]
            before = max(abs(x1 - x0), abs(y1 - y0))
            after = max(abs(x2 - x1), abs(y2 - y1))
            r = min(radius, before / 2, after / 2)
            if r > 0.01:
                start = (x1 - (x1 - x0) / before * r, y1 - (y1 - y0) / before * r)
                out.append(Corner(start, (x1, y1), (x1 + (x2 - x1) / after * r, y1 + (y2 - y1) / after * r)))
                continue
        out.append((x1, y1))
    return out


@dataclass(frozen=True, slots=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str | None
    stroke: str | None = None
    stroke_width: float = 1.0
    role: str = ""


@dataclass(slots=True)
class Group:
    """Items that belong to one element of the blueprint (a card, a link, a
    step...). `box` is the area the group's text must stay inside."""

    role: str
    items: list[Item] = field(default_factory=list)
    element_id: str | None = None
    box: Box | None = None
    data: dict[str, str] = field(default_factory=dict)
    classes: tuple[str, ...] = ()
    tooltip: str | None = None


Item = Rect | Text | Path | Circle | Group


@dataclass
class Drawing:
    width: float
    height: float
    background: str
    title: str
    theme: str
    items: list[Item] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[Item, tuple[Group, ...]]]:
        """Every item with the groups it sits in, outermost first."""
        stack: list[tuple[list[Item], tuple[Group, ...]]] = [(self.items, ())]
        while stack:
            items, parents = stack.pop()
            pending: list[tuple[list[Item], tuple[Group, ...]]] = []
            for item in items:
                yield item, parents
                if isinstance(item, Group):
                    pending.append((item.items, (*parents, item)))
            stack.extend(reversed(pending))

    def groups(self, role: str) -> list[Group]:
        return [item for item, _ in self.walk() if isinstance(item, Group) and item.role == role]

    def characters(self, bold: bool) -> str:
        """Every character the regular (or bold) text uses, sorted: what an embedded font must hold."""
        chars: set[str] = set()
        for item, _ in self.walk():
            if isinstance(item, Text) and item.bold == bold:
                chars.update(item.text)
        return "".join(sorted(chars))
