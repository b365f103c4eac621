"""JSON Canvas 1.0 (jsoncanvas.org; Obsidian and other canvas apps).

Lanes and stages are group nodes, cards are text nodes (Markdown), links are
edges with an arrow at the target (and at the source for a codependency).
Nodes are listed groups first, since the spec orders nodes by z-index.
"""

from __future__ import annotations

import json
from typing import Any

from stageline.model.blueprint import Blueprint
from stageline.model.elements import Card

from .layout import GAP, LABEL_WIDTH, STAGE_HEIGHT, STEP_HEIGHT, Box, layout

# Canvas preset colours: 1 red, 2 orange, 3 yellow, 4 green, 5 cyan, 6 purple.
LANE_COLOURS = {"evidence": "6", "customer": "3", "frontstage": "5", "backstage": "4", "management": "2"}
FAIL_COLOUR = "1"
SIDES = ("top", "right", "bottom", "left")


def _text(card: Card) -> str:
    lines = [card.text]
    details = [d for d in (card.actor, card.channel) if d]
    if details:
        lines.append(f"*{' · '.join(details)}*")
    if card.fail is not None:
        lines.append(f"⚠ {card.fail.text}" + (f" → {card.fail.recovery}" if card.fail.recovery else ""))
    return "\n\n".join(lines)


def _node(node_id: str, kind: str, box: Box, **extra: Any) -> dict[str, Any]:
    return {"id": node_id, "type": kind, "x": box.x, "y": box.y, "width": box.width, "height": box.height, **extra}


def _sides(source: Box, target: Box) -> tuple[str, str]:
    """Leave and enter on the facing sides: vertical within a column, horizontal across columns."""
    if abs(source.x - target.x) < source.width // 2:
        return ("bottom", "top") if source.y <= target.y else ("top", "bottom")
    return ("right", "left") if source.x < target.x else ("left", "right")


def canvas_document(bp: Blueprint) -> dict[str, Any]:
    grid = layout(bp)
    groups: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    for lane in bp.lanes:
        colour = {"color": LANE_COLOURS[lane.id]} if lane.id in LANE_COLOURS else {}
        groups.append(_node(f"lane:{lane.id}", "group", grid.lanes[lane.id], label=lane.title, **colour))
    for stage in bp.stages:
        if stage.id in grid.stages:
            box = grid.stages[stage.id]
            groups.append(
                _node(
                    f"stage:{stage.id}",
                    "group",
                    Box(box.x, box.y, box.width, STAGE_HEIGHT + STEP_HEIGHT),
                    label=stage.title,
                )
            )
        for step in stage.steps:
            box = grid.steps[step.id]
            texts.append(
                _node(
                    f"step:{step.id}",
                    "text",
                    Box(box.x + GAP, box.y, box.width - 2 * GAP, box.height - 5),
                    text=f"**{step.display_title}**",
                )
            )
    for title, y in grid.lines:
        texts.append(_node(f"line:{title}", "text", Box(0, y - 15, LABEL_WIDTH - GAP, 30), text=f"*{title}*"))
    for _, card in bp.cards():
        colour = {"color": FAIL_COLOUR} if card.fail is not None else {}
        texts.append(_node(f"card:{card.id}", "text", grid.cards[card.id], text=_text(card), **colour))
    edges = []
    for link in bp.links:
        from_side, to_side = _sides(grid.cards[link.source], grid.cards[link.target])
        edge: dict[str, Any] = {
            "id": f"link:{link.key}",
            "fromNode": f"card:{link.source}",
            "fromSide": from_side,
            "fromEnd": "arrow" if link.two_way else "none",
            "toNode": f"card:{link.target}",
            "toSide": to_side,
            "toEnd": "arrow",
        }
        if link.label:
            edge["label"] = link.label
        edges.append(edge)
    return {"nodes": [*groups, *texts], "edges": edges}


def write_canvas(bp: Blueprint) -> str:
    return json.dumps(canvas_document(bp), ensure_ascii=False, indent=2) + "\n"
