"""Readable at any size: checked on the display list, geometrically."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.blueprints import small_blueprint
from helpers.strategies import blueprints
from stageline.model import Blueprint
from stageline.render import drawing
from stageline.render.primitives import Box, Drawing, Group, Path, Text
from stageline.render.text import font_metrics

Segment = tuple[float, float, float, float]


def segments(path: Path) -> list[Segment]:
    return [(*a, *b) for a, b in zip(path.points, path.points[1:], strict=False)]


def crosses_interior(seg: Segment, box: Box) -> bool:
    x1, y1, x2, y2 = seg
    if abs(y1 - y2) < 1e-6:
        return box.y < y1 < box.bottom and max(min(x1, x2), box.x) < min(max(x1, x2), box.right)
    assert abs(x1 - x2) < 1e-6, f"connector segment {seg} is not orthogonal"
    return box.x < x1 < box.right and max(min(y1, y2), box.y) < min(max(y1, y2), box.bottom)


def card_boxes(picture: Drawing) -> dict[str, Box]:
    return {str(g.element_id): g.box for g in picture.groups("card") if g.box is not None}


def assert_no_card_overlap(picture: Drawing) -> None:
    by_column: dict[float, list[Box]] = defaultdict(list)
    for box in card_boxes(picture).values():
        by_column[box.x].append(box)
    xs = sorted(by_column)
    for left, right in itertools.pairwise(xs):
        assert left + by_column[left][0].w <= right, "cards of neighbouring columns overlap"
    for boxes in by_column.values():
        boxes.sort(key=lambda b: b.y)
        for upper, lower in itertools.pairwise(boxes):
            assert upper.bottom <= lower.y, f"cards overlap: {upper} and {lower}"


def assert_connectors_avoid_cards(picture: Drawing) -> None:
    boxes = sorted(card_boxes(picture).values(), key=lambda b: b.x)
    columns: dict[float, list[Box]] = defaultdict(list)
    for box in boxes:
        columns[box.x].append(box)
    for link in picture.groups("link"):
        for item in link.items:
            if not (isinstance(item, Path) and item.role == "connector"):
                continue
            for seg in segments(item):
                low, high = min(seg[0], seg[2]), max(seg[0], seg[2])
                for x, column in columns.items():
                    if x + column[0].w <= low or (x >= high and abs(high - low) > 1e-6):
                        continue
                    for box in column:
                        assert not crosses_interior(seg, box), f"link {link.element_id} passes through a card at {box}"


def assert_parallel_segments_apart(picture: Drawing) -> None:
    horizontal: dict[float, list[tuple[float, float, str]]] = defaultdict(list)
    vertical: dict[float, list[tuple[float, float, str]]] = defaultdict(list)
    for link in picture.groups("link"):
        for item in link.items:
            if isinstance(item, Path) and item.role == "connector":
                for x1, y1, x2, y2 in segments(item):
                    if abs(y1 - y2) < 1e-6:
                        horizontal[round(y1, 1)].append((min(x1, x2), max(x1, x2), str(link.element_id)))
                    else:
                        vertical[round(x1, 1)].append((min(y1, y2), max(y1, y2), str(link.element_id)))
    for table in (horizontal, vertical):
        for spans in table.values():
            spans.sort()
            reach, owner = float("-inf"), ""
            for start, end, key in spans:
                if key != owner:
                    assert start >= reach - 0.5, f"links {owner} and {key} run on top of each other"
                if end > reach:
                    reach, owner = end, key


def text_extent(text: Text) -> tuple[float, float]:
    width = font_metrics(text.bold).width(text.text, text.size)
    start = {"start": text.x, "middle": text.x - width / 2, "end": text.x - width}[text.anchor]
    return start, start + width


def assert_text_fits(picture: Drawing) -> None:
    checked = 0
    for item, parents in picture.walk():
        if not isinstance(item, Text):
            continue
        owner = next((g for g in reversed(parents) if g.box is not None), None)
        if owner is None or owner.box is None:
            continue
        start, end = text_extent(item)
        box = owner.box
        assert box.x - 0.5 <= start and end <= box.right + 0.5, (
            f"{owner.role} text {item.text!r} ({start:.1f}..{end:.1f}) overflows its box {box.x}..{box.right}"
        )
        assert box.y - 0.5 <= item.y <= box.bottom + 0.5, f"{owner.role} text {item.text!r} is outside its box"
        checked += 1
    assert checked


def assert_stage_headers_span_steps(picture: Drawing) -> None:
    steps: dict[str, list[Box]] = defaultdict(list)
    for group in picture.groups("step"):
        assert group.box is not None
        steps[group.data["stage"]].append(group.box)
    for group in picture.groups("stage"):
        assert group.box is not None
        mine = steps[str(group.element_id)]
        if not mine:
            continue
        assert abs(group.box.x - min(b.x for b in mine)) < 0.01
        assert abs(group.box.right - max(b.right for b in mine)) < 0.01


CHECKS: list[Callable[[Drawing], None]] = [
    assert_no_card_overlap,
    assert_connectors_avoid_cards,
    assert_parallel_segments_apart,
    assert_text_fits,
    assert_stage_headers_span_steps,
]


def assert_readable(picture: Drawing) -> None:
    for check in CHECKS:
        check(picture)


def test_hotel_is_readable() -> None:
    assert_readable(drawing(small_blueprint()))


def test_a_hundred_steps_render_without_overlap(wide: Blueprint) -> None:
    picture = drawing(wide)
    assert len(picture.groups("step")) == 100
    assert len(picture.groups("link")) == 200
    assert_readable(picture)


def test_every_theme_and_filter_stays_readable(wide: Blueprint) -> None:
    for theme in ("dark", "print"):
        assert_readable(drawing(wide, theme=theme, stages=["stage-0", "stage-3"]))
    assert_readable(drawing(wide, lanes=["customer", "backstage"]))


def test_connectors_are_orthogonal_and_start_and_end_at_their_cards(wide: Blueprint) -> None:
    picture = drawing(wide, stages=["stage-1", "stage-2"])
    boxes = card_boxes(picture)
    for link in picture.groups("link"):
        path = next(i for i in link.items if isinstance(i, Path) and i.role == "connector")
        heads = [i for i in link.items if isinstance(i, Path) and i.role == "arrowhead"]
        tip = heads[0].points[0]
        target = boxes[link.data["target"]]
        on_edge = (
            abs(tip[0] - target.x) < 0.02
            or abs(tip[0] - target.right) < 0.02
            or abs(tip[1] - target.y) < 0.02
            or abs(tip[1] - target.bottom) < 0.02
        )
        assert on_edge, f"arrow of {link.element_id} does not touch its target card"
        assert len(heads) == (2 if link.data["kind"] == "two-way" else 1)
        for x1, y1, x2, y2 in segments(path):
            assert abs(x1 - x2) < 1e-6 or abs(y1 - y2) < 1e-6


def test_back_edges_leave_to_the_left(make_wide: Callable[..., Blueprint]) -> None:
    picture = drawing(make_wide(30, seed=3))
    boxes = card_boxes(picture)
    back = 0
    for link in picture.groups("link"):
        source, target = boxes[link.data["source"]], boxes[link.data["target"]]
        if target.right < source.x:
            path = next(i for i in link.items if isinstance(i, Path) and i.role == "connector")
            assert path.points[0][0] <= source.x + 0.01, "a right-to-left link leaves its card on the left side"
            back += 1
    assert back > 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bp=blueprints(max_stages=3, max_steps=3, max_cards=3), theme=st.sampled_from(["light", "dark", "print"]))
def test_any_blueprint_is_readable(bp: Blueprint, theme: str) -> None:
    picture = drawing(bp, theme=theme)
    assert_readable(picture)
    assert {g.element_id for g in picture.groups("card")} == {card.id for _, card in bp.cards()}
    drawn_links = {g.element_id for g in picture.groups("link")}
    assert drawn_links == {link.key for link in bp.links if link.source != link.target}


def test_group_boxes_hold_their_shapes() -> None:
    picture = drawing(small_blueprint())
    for group in picture.groups("card"):
        assert group.box is not None
        rects = [i for i in group.items if not isinstance(i, Group | Text) and getattr(i, "role", "") == "card-box"]
        assert rects and rects[0].box == group.box  # type: ignore[union-attr]


def test_the_checks_catch_a_connector_through_a_card() -> None:
    picture = drawing(small_blueprint())
    card = picture.groups("card")[0]
    assert card.box is not None
    box = card.box
    through = Path(((box.x - 10, box.y + box.h / 2), (box.right + 10, box.y + box.h / 2)), "#000", role="connector")
    picture.items.append(Group("link", [through], element_id="x->y", data={"source": "x", "target": "y"}))
    try:
        assert_connectors_avoid_cards(picture)
    except AssertionError:
        return
    raise AssertionError("a connector through a card went unnoticed")


def test_the_checks_catch_text_wider_than_its_box() -> None:
    picture = drawing(small_blueprint())
    card = picture.groups("card")[0]
    assert card.box is not None
    card.items.append(Text(card.box.x + 12, card.box.y + 20, "x" * 60, 12.5, "#000"))
    try:
        assert_text_fits(picture)
    except AssertionError:
        return
    raise AssertionError("overflowing text went unnoticed")
