"""The grid a blueprint is drawn on: columns (steps), rows (lanes) and the
gutters between them, where connectors run on numbered tracks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from stageline.model.blueprint import Line
from stageline.model.elements import Lane, Stage, Step
from stageline.render.cards import CardContent
from stageline.render.primitives import Box

COLUMN_WIDTH = 212.0
CARD_INSET = 10.0
CARD_WIDTH = COLUMN_WIDTH - 2 * CARD_INSET
STACK_GAP = 14.0
ROW_PAD = 12.0  # space between a lane's band edge and its cards

COLUMN_GUTTER = 26.0
STAGE_GUTTER = 38.0
V_TRACK = 7.0
V_TRACK_PAD = 10.0

LABEL_ROW = 17.0
H_TRACK = 8.0


@dataclass
class Column:
    index: int
    stage: Stage
    step: Step
    x: float = 0.0

    @property
    def centre(self) -> float:
        return self.x + COLUMN_WIDTH / 2


@dataclass
class Row:
    index: int
    kind: Literal["lane", "emotion"]
    lane: Lane | None
    content_height: float = 0.0
    y: float = 0.0  # top of the cards' area

    @property
    def bottom(self) -> float:
        return self.y + self.content_height


@dataclass
class LaneGutter:
    """The horizontal gutter above row `index` (the last one is below every row)."""

    index: int
    line: Line | None = None
    label_rows: int = 0
    tracks: int = 0
    y: float = 0.0

    @property
    def _inner(self) -> float:
        return 6.0 + self.label_rows * LABEL_ROW + self.tracks * H_TRACK + 6.0 if self.label_rows or self.tracks else 0

    @property
    def height(self) -> float:
        return ROW_PAD + max(ROW_PAD, self._inner + 4.0)

    @property
    def band_edge(self) -> float:
        """Where the lane above ends and the lane below begins (the line's y)."""
        return self.y + ROW_PAD

    def label_y(self, row: int) -> float:
        """Centre of label row `row`."""
        return self.band_edge + 6.0 + row * LABEL_ROW + LABEL_ROW / 2

    def track_y(self, track: int) -> float:
        return self.band_edge + 6.0 + self.label_rows * LABEL_ROW + track * H_TRACK + H_TRACK / 2


@dataclass
class ColumnGutter:
    """The vertical gutter left of column `index` (the last one is right of every column)."""

    index: int
    base: float
    tracks: int = 0
    x: float = 0.0

    @property
    def width(self) -> float:
        return max(self.base, 2 * V_TRACK_PAD + self.tracks * V_TRACK)

    def track_x(self, track: int) -> float:
        used = self.tracks * V_TRACK
        return self.x + (self.width - used) / 2 + track * V_TRACK + V_TRACK / 2


@dataclass
class PlacedCard:
    content: CardContent
    column: int
    row: int
    stack: int  # position in the column, top to bottom across lanes
    y: float = 0.0
    x: float = 0.0

    @property
    def id(self) -> str:
        return self.content.card.id

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, CARD_WIDTH, self.content.height)


@dataclass
class Grid:
    columns: list[Column]
    rows: list[Row]
    lane_gutters: list[LaneGutter]
    column_gutters: list[ColumnGutter]
    cards: dict[str, PlacedCard]
    stacks: list[list[PlacedCard]] = field(default_factory=list)  # per column, top to bottom
    left: float = 0.0  # x of the first column gutter
    top: float = 0.0  # y of the first lane gutter

    def unit_x(self, unit: float) -> float:
        """x of a position in gutter units: g is the centre of gutter g, c + 0.5 the centre of column c."""
        whole = int(unit)
        if unit == whole:
            gutter = self.column_gutters[whole]
            return gutter.x + gutter.width / 2
        return self.columns[whole].centre

    @property
    def right(self) -> float:
        last = self.column_gutters[-1]
        return last.x + last.width

    @property
    def bottom(self) -> float:
        last = self.lane_gutters[-1]
        return last.y + last.height
