"""Pure geometry: where every stage, step, lane, card and connector goes.

The layout is computed in passes because each pass needs the previous one:
cards are measured (row heights), links are planned (lane-gutter tracks and
label rows), rows get their y, card sides get their attachment slots,
column gutters get their tracks (widths), and finally columns get their x.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from stageline.model.blueprint import Blueprint, Line
from stageline.model.elements import CUSTOMER_LANE, Card, Lane, Link, Stage
from stageline.model.integrity import suggest
from stageline.model.quantities import humanize_duration
from stageline.render.cards import measure_card
from stageline.render.findings import FindingMarks
from stageline.render.grid import (
    CARD_INSET,
    CARD_WIDTH,
    COLUMN_GUTTER,
    COLUMN_WIDTH,
    STACK_GAP,
    STAGE_GUTTER,
    Column,
    ColumnGutter,
    Grid,
    LaneGutter,
    PlacedCard,
    Row,
)
from stageline.render.primitives import Point
from stageline.render.routing import Plan, assign_column_tracks, assign_slots, plan_routes, route
from stageline.render.text import font_metrics

MARGIN = 36.0
LABEL_WIDTH = 184.0
LABEL_PAD = 16.0
TITLE_SIZE = 24.0
TITLE_LINE = 30.0
SUBTITLE_SIZE = 12.5
SUBTITLE_LINE = 18.0
CHIP_SIZE = 10.0
CHIP_HEIGHT = 22.0
STAGE_SIZE = 13.0
STAGE_LINE = 17.0
STAGE_PAD = 10.0
STEP_SIZE = 11.5
STEP_LINE = 15.0
STEP_PAD = 10.0
STEP_NUMBER_SIZE = 8.5
STEP_NUMBER_LINE = 14.0
HEADER_GAP = 6.0
LANE_TITLE_SIZE = 12.5
LANE_TITLE_LINE = 16.0
LANE_MIN_HEIGHT = 56.0
LANE_NOTE_SIZE = 9.0
LANE_NOTE_LINE = 16.0
EMOTION_HEIGHT = 84.0
LINK_LABEL_SIZE = 10.0
EMPTY_CELL_HEIGHT = 40.0


class RenderError(ValueError):
    """A render request that cannot be met (an unknown stage or lane id)."""


@dataclass
class Header:
    title_lines: list[str]
    subtitle_lines: list[str]
    chips: list[tuple[str, str]]  # (kind, text)
    height: float


@dataclass
class Layout:
    blueprint: Blueprint
    grid: Grid
    plans: list[Plan]
    routes: dict[int, list[Point]]
    header: Header
    stage_lines: dict[str, list[str]]
    step_lines: dict[str, list[str]]
    lane_lines: dict[str, list[str]]
    stage_top: float
    stage_height: float
    step_top: float
    step_height: float
    width: float
    body_bottom: float
    emotions: list[tuple[int, float]]  # (column, mean emotion)
    marks: FindingMarks
    lines: dict[int, Line] = field(default_factory=dict)  # lane gutter index -> line drawn in it

    def stage_columns(self) -> list[tuple[Stage, list[Column]]]:
        groups: list[tuple[Stage, list[Column]]] = []
        for column in self.grid.columns:
            if groups and groups[-1][0] is column.stage:
                groups[-1][1].append(column)
            else:
                groups.append((column.stage, [column]))
        return groups


def _pick(kind: str, wanted: Sequence[str] | None, known: list[str]) -> list[str]:
    if wanted is None:
        return known
    for item in wanted:
        if item not in known:
            choices = ", ".join(known) or "none"
            raise RenderError(f"unknown {kind} {item!r}{suggest(item, known)}; the {kind}s are: {choices}")
    chosen = set(wanted)
    return [item for item in known if item in chosen]


def select(bp: Blueprint, stages: Sequence[str] | None, lanes: Sequence[str] | None) -> tuple[list[Stage], list[Lane]]:
    """The stages and lanes to draw, in blueprint order; unknown ids raise RenderError."""
    stage_ids = _pick("stage", stages, [stage.id for stage in bp.stages])
    lane_ids = _pick("lane", lanes, bp.lane_ids())
    return [bp.stage(i) for i in stage_ids], [bp.lane(i) for i in lane_ids]


def _header(bp: Blueprint, width: float) -> Header:
    bold, regular = font_metrics(True), font_metrics(False)
    title_lines = bold.wrap(bp.title, TITLE_SIZE, width)
    facts = [
        text
        for text in (
            bp.scenario,
            f"Persona: {bp.persona}" if bp.persona else None,
            f"Goal: {bp.goal}" if bp.goal else None,
        )
        if text
    ]
    subtitle_lines = regular.wrap("  ·  ".join(facts), SUBTITLE_SIZE, width) if facts else []
    chips = [("state", f"{bp.state.upper()} STATE")]
    if bp.tolerance:
        chips.append(("tolerance", f"TOLERANCE {humanize_duration(bp.tolerance).upper()}"))
    height = len(title_lines) * TITLE_LINE + len(subtitle_lines) * SUBTITLE_LINE + 10 + CHIP_HEIGHT + 24
    return Header(title_lines, subtitle_lines, chips, height)


def _step_emotion(lanes: list[Lane], cells: dict[str, list[Card]]) -> float | None:
    """The customer's emotion at a step: their own cards' mean, else any drawn card's."""
    customer = [c.emotion for c in cells.get(CUSTOMER_LANE, []) if c.emotion is not None]
    if customer:
        return sum(customer) / len(customer)
    others = [c.emotion for lane in lanes for c in cells.get(lane.id, []) if c.emotion is not None]
    return sum(others) / len(others) if others else None


def build_layout(
    bp: Blueprint,
    *,
    stages: Sequence[str] | None = None,
    lanes: Sequence[str] | None = None,
    marks: FindingMarks | None = None,
) -> Layout:
    chosen_stages, chosen_lanes = select(bp, stages, lanes)
    marks = marks or FindingMarks()
    bold, regular = font_metrics(True), font_metrics(False)

    columns = [Column(0, stage, step) for stage in chosen_stages for step in stage.steps]
    for i, column in enumerate(columns):
        column.index = i
    emotions: list[tuple[int, float]] = []
    for column in columns:
        value = _step_emotion(chosen_lanes, column.step.cells)
        if value is not None:
            emotions.append((column.index, value))

    rows: list[Row] = []
    for lane in chosen_lanes:
        if lane.id == CUSTOMER_LANE and emotions:
            rows.append(Row(len(rows), "emotion", None, EMOTION_HEIGHT))
        rows.append(Row(len(rows), "lane", lane))
    row_of_lane = {row.lane.id: row.index for row in rows if row.lane is not None}

    # Cards: measured once, stacked per cell, rows as tall as their tallest cell.
    lane_lines = {lane.id: bold.wrap(lane.title, LANE_TITLE_SIZE, LABEL_WIDTH - 2 * LABEL_PAD) for lane in chosen_lanes}
    for row in rows:
        if row.lane is not None:
            row.content_height = max(LANE_MIN_HEIGHT, len(lane_lines[row.lane.id]) * LANE_TITLE_LINE + LANE_NOTE_LINE)
    cards: dict[str, PlacedCard] = {}
    stacks: list[list[PlacedCard]] = []
    cell_offsets: dict[tuple[int, str], list[float]] = {}
    for column in columns:
        stack: list[PlacedCard] = []
        for row in rows:
            if row.lane is None:
                continue
            offset = 0.0
            offsets = []
            for card in column.step.cells.get(row.lane.id, []):
                placed = PlacedCard(measure_card(card, CARD_WIDTH, bp.currency), column.index, row.index, len(stack))
                stack.append(placed)
                cards[card.id] = placed
                offsets.append(offset)
                offset += placed.content.height + STACK_GAP
            cell_offsets[(column.index, row.lane.id)] = offsets
            height = offset - STACK_GAP if offsets else 0.0
            if (column.step.id, row.lane.id) in marks.cells:
                height = max(height, EMPTY_CELL_HEIGHT)
            row.content_height = max(row.content_height, height)
        stacks.append(stack)

    lines = bp.lines()
    line_at: dict[int, Line] = {}
    for line in lines:
        if line.above in row_of_lane and line.below in row_of_lane:
            lower = row_of_lane[line.below]
            if lower == row_of_lane[line.above] + 1:
                line_at[lower] = line
    lane_gutters = [LaneGutter(i, line_at.get(i)) for i in range(len(rows) + 1)]
    column_gutters = []
    for g in range(len(columns) + 1):
        boundary = 0 < g < len(columns) and columns[g].stage is not columns[g - 1].stage
        column_gutters.append(ColumnGutter(g, STAGE_GUTTER if boundary else COLUMN_GUTTER))
    grid = Grid(columns, rows, lane_gutters, column_gutters, cards, stacks)

    # Links among the drawn cards, with their labels' widths for label rows.
    links: list[Link] = [link for link in bp.links if link.source in cards and link.target in cards]
    label_width = {
        link.label: regular.width(" ".join(link.label.split()), LINK_LABEL_SIZE) + 12 for link in links if link.label
    }
    plans = plan_routes(grid, links, label_width)

    # Headers, sized from the narrowest the columns can be.
    min_width = MARGIN * 2 + LABEL_WIDTH + len(columns) * (COLUMN_WIDTH + COLUMN_GUTTER) + COLUMN_GUTTER
    header = _header(bp, max(min_width, 720.0) - 2 * MARGIN)
    stage_lines: dict[str, list[str]] = {}
    for stage in chosen_stages:
        span = len(stage.steps) * COLUMN_WIDTH + max(len(stage.steps) - 1, 0) * COLUMN_GUTTER
        stage_lines[stage.id] = bold.wrap(stage.title, STAGE_SIZE, max(span, COLUMN_WIDTH) - 2 * STAGE_PAD)
    step_lines = {
        column.step.id: bold.wrap(column.step.display_title, STEP_SIZE, COLUMN_WIDTH - 2 * STEP_PAD)
        for column in columns
    }
    stage_height = max((len(v) for v in stage_lines.values()), default=1) * STAGE_LINE + 2 * STAGE_PAD
    step_height = max((len(v) for v in step_lines.values()), default=1) * STEP_LINE + STEP_NUMBER_LINE + 2 * STEP_PAD

    # Vertical positions.
    stage_top = MARGIN + header.height
    step_top = stage_top + stage_height + HEADER_GAP
    y = step_top + step_height
    for row in rows:
        gutter = lane_gutters[row.index]
        gutter.y = y
        y += gutter.height
        row.y = y
        y += row.content_height
    lane_gutters[-1].y = y
    for column in columns:
        for row in rows:
            if row.lane is None:
                continue
            offsets = cell_offsets[(column.index, row.lane.id)]
            for card, offset in zip(column.step.cells.get(row.lane.id, []), offsets, strict=True):
                cards[card.id].y = row.y + offset

    assign_slots(grid, plans)
    assign_column_tracks(grid, plans)

    # Horizontal positions.
    x = MARGIN + LABEL_WIDTH
    grid.left = x
    for column in columns:
        column_gutter = column_gutters[column.index]
        column_gutter.x = x
        x += column_gutter.width
        column.x = x
        x += COLUMN_WIDTH
    column_gutters[-1].x = x
    for placed in cards.values():
        placed.x = columns[placed.column].x + CARD_INSET
    grid.top = lane_gutters[0].y

    routes = {plan.index: route(grid, plan) for plan in plans}
    width = max(grid.right + MARGIN, min_width, 720.0)
    return Layout(
        blueprint=bp,
        grid=grid,
        plans=plans,
        routes=routes,
        header=header,
        stage_lines=stage_lines,
        step_lines=step_lines,
        lane_lines=lane_lines,
        stage_top=stage_top,
        stage_height=stage_height,
        step_top=step_top,
        step_height=step_height,
        width=width,
        body_bottom=grid.bottom,
        emotions=emotions,
        marks=marks,
        lines=line_at,
    )
