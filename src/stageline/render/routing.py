"""Orthogonal connectors routed through the gutters, never through a card.

A link leaves its card on the side facing its target, runs vertically in the
column gutter next to it and, when the target is further than the next
column, along a lane gutter to the gutter next to the target. Each gutter
gives every segment its own track (see `tracks.assign_tracks`), so parallel
segments never overlap and routing stays O(n log n) in the number of links.
Links between neighbours in one column drop straight down (or up) between
them. Back-edges (right to left) use the gutter on the other side of the
lane, so they travel around the forward flow rather than along it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from stageline.model.elements import Link
from stageline.render.grid import CARD_WIDTH, COLUMN_GUTTER, COLUMN_WIDTH, Grid, PlacedCard
from stageline.render.primitives import Point
from stageline.render.tracks import assign_tracks

Side = Literal["left", "right", "top", "bottom"]
SIDE_SLOT = 12.0
SIDE_FIRST = {"right": 15.0, "left": 21.0}  # offset so that stubs entering and leaving a gutter never coincide
TOP_SLOT = 14.0
LABEL_MAX = COLUMN_WIDTH * 1.5
LABEL_GAP = 10.0
UNIT = COLUMN_WIDTH + COLUMN_GUTTER  # the narrowest distance between two gutters


@dataclass
class Plan:
    link: Link
    index: int
    kind: Literal["column", "gutter", "channel"]
    source: PlacedCard
    target: PlacedCard
    exit: Side
    entry: Side
    gutters: tuple[int, ...] = ()
    channel: int | None = None
    h_track: int = 0
    label: str | None = None
    label_width: float = 0.0
    label_gutter: int | None = None
    label_anchor: float = 0.0
    label_row: int = 0
    exit_offset: float = 0.0
    entry_offset: float = 0.0
    v_tracks: list[int] = field(default_factory=list)

    def channel_y(self, grid: Grid) -> float:
        assert self.channel is not None
        return grid.lane_gutters[self.channel].track_y(self.h_track)


def _choose(index: int, link: Link, a: PlacedCard, b: PlacedCard) -> Plan:
    ca, cb, ra, rb = a.column, b.column, a.row, b.row
    if ca == cb:
        if abs(a.stack - b.stack) == 1:
            down = a.stack < b.stack
            return Plan(link, index, "column", a, b, "bottom" if down else "top", "top" if down else "bottom")
        return Plan(link, index, "gutter", a, b, "right", "right", gutters=(ca + 1,))
    if cb == ca + 1:
        return Plan(link, index, "gutter", a, b, "right", "left", gutters=(cb,))
    if cb == ca - 1:
        return Plan(link, index, "gutter", a, b, "left", "right", gutters=(ca,))
    if cb > ca:
        channel = ra + 1 if ra == rb else min(ra, rb) + 1
        return Plan(link, index, "channel", a, b, "right", "left", gutters=(ca + 1, cb), channel=channel)
    channel = ra if ra == rb else max(ra, rb)
    return Plan(link, index, "channel", a, b, "left", "right", gutters=(ca, cb + 1), channel=channel)


def _label_place(plan: Plan) -> tuple[int, float]:
    """The lane gutter that holds the link's label and the label's centre, in gutter units."""
    a, b = plan.source, plan.target
    crossed = min(a.row, b.row) + 1 if a.row != b.row else a.row + 1
    if plan.kind == "channel":
        assert plan.channel is not None
        g1, g2 = plan.gutters
        return plan.channel, round(g1 + g2) / 2
    if plan.kind == "gutter":
        return crossed, float(plan.gutters[0])
    return crossed, a.column + 0.5


def plan_routes(grid: Grid, links: list[Link], label_width: dict[str, float]) -> list[Plan]:
    """Decide every link's path through the grid and give each lane-gutter
    segment and label a track; sets the track counts on the lane gutters."""
    plans: list[Plan] = []
    for index, link in enumerate(links):
        a, b = grid.cards.get(link.source), grid.cards.get(link.target)
        if a is None or b is None or a is b:
            continue
        plan = _choose(index, link, a, b)
        if link.label:
            plan.label = link.label
            plan.label_width = min(label_width[link.label], LABEL_MAX)
            plan.label_gutter, plan.label_anchor = _label_place(plan)
        plans.append(plan)

    channel_intervals: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    label_intervals: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    last_unit = float(len(grid.columns))
    for plan in plans:
        if plan.channel is not None:
            g1, g2 = plan.gutters
            channel_intervals[plan.channel].append((min(g1, g2), max(g1, g2), plan.index))
        if plan.label_gutter is not None:
            half = (plan.label_width + LABEL_GAP) / 2 / UNIT
            start = min(max(plan.label_anchor - half, 0.0), max(last_unit - 2 * half, 0.0))
            plan.label_anchor = start + half
            label_intervals[plan.label_gutter].append((start, start + 2 * half, plan.index))
    by_index = {plan.index: plan for plan in plans}
    for gutter_index, intervals in channel_intervals.items():
        tracks, count = assign_tracks(intervals)
        grid.lane_gutters[gutter_index].tracks = count
        for key, track in tracks.items():
            by_index[int(str(key))].h_track = track
    for gutter_index, intervals in label_intervals.items():
        rows, count = assign_tracks(intervals)
        grid.lane_gutters[gutter_index].label_rows = count
        for key, row in rows.items():
            by_index[int(str(key))].label_row = row
    return plans


def _card_y(card: PlacedCard) -> float:
    return card.y + card.content.height / 2


def _side_offsets(count: int, first: float, height: float) -> list[float]:
    room = height - first - 8.0
    step = SIDE_SLOT if count <= 1 or room >= SIDE_SLOT * (count - 1) else max(room / (count - 1), 2.0)
    return [first + k * step for k in range(count)]


def assign_slots(grid: Grid, plans: list[Plan]) -> None:
    """Spread the links on each side of each card, ordered by where they go, so
    they leave the card without crossing one another."""
    sides: dict[tuple[str, Side], list[tuple[float, float, int, bool]]] = defaultdict(list)
    for plan in plans:
        a, b = plan.source, plan.target
        if plan.kind == "column":
            sides[(a.id, plan.exit)].append((float(b.stack), 0.0, plan.index, True))
            sides[(b.id, plan.entry)].append((float(a.stack), 0.0, plan.index, False))
            continue
        exit_to = plan.channel_y(grid) if plan.channel is not None else _card_y(b)
        entry_from = plan.channel_y(grid) if plan.channel is not None else _card_y(a)
        sides[(a.id, plan.exit)].append((exit_to, float(b.column), plan.index, True))
        sides[(b.id, plan.entry)].append((entry_from, float(a.column), plan.index, False))
    by_index = {plan.index: plan for plan in plans}
    for (card_id, side), entries in sides.items():
        card = grid.cards[card_id]
        if side in ("top", "bottom"):
            # A straight drop joins a card to its neighbour in the column; both
            # ends list the same links, so one order gives matching x offsets.
            entries.sort(key=lambda e: e[2])
            half = (len(entries) - 1) / 2
            limit = CARD_WIDTH / 2 - 8
            offsets = [max(min((k - half) * TOP_SLOT, limit), -limit) for k in range(len(entries))]
        else:
            entries.sort(key=lambda e: (e[0], e[1], e[2], e[3]))
            offsets = _side_offsets(len(entries), SIDE_FIRST[side], card.content.height)
        for (_, _, index, is_exit), offset in zip(entries, offsets, strict=True):
            if is_exit:
                by_index[index].exit_offset = offset
            else:
                by_index[index].entry_offset = offset


def assign_column_tracks(grid: Grid, plans: list[Plan]) -> None:
    """Give each vertical segment in a column gutter its own track; sets the gutters' track counts."""
    intervals: dict[int, list[tuple[float, float, tuple[int, int]]]] = defaultdict(list)
    for plan in plans:
        if plan.kind == "column":
            continue
        ya = plan.source.y + plan.exit_offset
        yb = plan.target.y + plan.entry_offset
        plan.v_tracks = [0] * len(plan.gutters)
        if plan.kind == "gutter":
            intervals[plan.gutters[0]].append((min(ya, yb), max(ya, yb), (plan.index, 0)))
        else:
            yc = plan.channel_y(grid)
            intervals[plan.gutters[0]].append((min(ya, yc), max(ya, yc), (plan.index, 0)))
            intervals[plan.gutters[1]].append((min(yb, yc), max(yb, yc), (plan.index, 1)))
    by_index = {plan.index: plan for plan in plans}
    for gutter_index, spans in intervals.items():
        tracks, count = assign_tracks(spans, gap=4.0)
        grid.column_gutters[gutter_index].tracks = count
        for key, track in tracks.items():
            assert isinstance(key, tuple)
            by_index[key[0]].v_tracks[key[1]] = track


def _attach(card: PlacedCard, side: Side, offset: float) -> Point:
    box = card.box
    if side == "left":
        return (box.x, box.y + offset)
    if side == "right":
        return (box.right, box.y + offset)
    centre = box.x + box.w / 2 + offset
    return (centre, box.y if side == "top" else box.bottom)


def route(grid: Grid, plan: Plan) -> list[Point]:
    """The connector's corner points, from the source card's edge to the target's."""
    start = _attach(plan.source, plan.exit, plan.exit_offset)
    end = _attach(plan.target, plan.entry, plan.entry_offset)
    if plan.kind == "column":
        return [start, end]
    if plan.kind == "gutter":
        x = grid.column_gutters[plan.gutters[0]].track_x(plan.v_tracks[0])
        points = [start, (x, start[1]), (x, end[1]), end]
    else:
        x1 = grid.column_gutters[plan.gutters[0]].track_x(plan.v_tracks[0])
        x2 = grid.column_gutters[plan.gutters[1]].track_x(plan.v_tracks[1])
        y = plan.channel_y(grid)
        points = [start, (x1, start[1]), (x1, y), (x2, y), (x2, end[1]), end]
    return _simplify(points)


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and the middle of straight runs."""
    kept: list[Point] = []
    for point in points:
        if kept and abs(kept[-1][0] - point[0]) < 1e-6 and abs(kept[-1][1] - point[1]) < 1e-6:
            continue
        if len(kept) >= 2:
            (x0, y0), (x1, y1) = kept[-2], kept[-1]
            if (abs(x0 - x1) < 1e-6 and abs(x1 - point[0]) < 1e-6) or (
                abs(y0 - y1) < 1e-6 and abs(y1 - point[1]) < 1e-6
            ):
                kept[-1] = point
                continue
        kept.append(point)
    return kept
