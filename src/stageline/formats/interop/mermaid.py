"""Mermaid flowcharts (`.mmd`): a subgraph per lane, cards in step order, links as arrows.

Mermaid has no swimlane grid; a top-to-bottom chart of left-to-right lanes,
with invisible links keeping each lane's cards in step order, reads closest to
a blueprint. Ids are sanitised and labels entity-escaped so that any card text
is safe inside `["…"]`.
"""

from __future__ import annotations

import itertools
import json
import re

from stageline.model.blueprint import Blueprint

# Characters with a meaning in Mermaid syntax, written as its #code; entities.
_ENTITIES = {
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    "#": "#35;",
    ";": "#59;",
    "`": "#96;",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _ENTITIES))
# Everything Python (and editors) treat as a line break; a label must stay on one line.
_LINE_BREAKS = re.compile(r"\s*(?:\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])\s*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def escape_label(text: str) -> str:
    escaped = _SPECIAL.sub(lambda m: _ENTITIES[m.group(0)], text)
    broken = _LINE_BREAKS.sub("<br>", escaped)
    return _CONTROL.sub(" ", broken)


class _Ids:
    """Mermaid node ids from element ids: letters, digits and `_`, unique, never a keyword."""

    def __init__(self) -> None:
        self.given: dict[str, str] = {}
        self.used: set[str] = set()

    def __call__(self, prefix: str, element_id: str) -> str:
        key = f"{prefix}:{element_id}"
        if key not in self.given:
            base = f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', element_id)}"
            candidate, n = base, 2
            while candidate in self.used:
                candidate, n = f"{base}_{n}", n + 1
            self.used.add(candidate)
            self.given[key] = candidate
        return self.given[key]


def write_mermaid(bp: Blueprint) -> str:
    ids = _Ids()
    lines = ["---", f"title: {json.dumps(bp.title, ensure_ascii=False)}", "---", "flowchart TB"]
    stage_of = {step.id: stage.title for stage, step in bp.steps()}
    for lane in bp.lanes:
        cards = [(place, card) for place, card in bp.cards() if place.lane == lane.id]
        if not cards:
            continue
        lines.append(f'  subgraph {ids("lane", lane.id)}["{escape_label(lane.title)}"]')
        lines.append("    direction LR")
        for place, card in cards:
            label = escape_label(card.text)
            if place.position == 0 and stage_of.get(place.step.id):
                label = f"{label}<br><small>{escape_label(place.step.display_title)}</small>"
            lines.append(f'    {ids("card", card.id)}["{label}"]')
        order = [ids("card", card.id) for _, card in cards]
        lines.extend(f"    {a} ~~~ {b}" for a, b in itertools.pairwise(order))
        lines.append("  end")
    for link in bp.links:
        arrow = "<-->" if link.two_way else "-->"
        label = f'|"{escape_label(link.label)}"|' if link.label else ""
        lines.append(f"  {ids('card', link.source)} {arrow}{label} {ids('card', link.target)}")
    failing = [ids("card", card.id) for _, card in bp.cards() if card.fail is not None]
    if failing:
        lines.append("  classDef fail stroke:#c0392b,stroke-width:3px")
        lines.append(f"  class {','.join(failing)} fail")
    for line in bp.lines():
        lines.append(f"  %% {line.title}: between {line.above} and {line.below}")
    return "\n".join(lines) + "\n"
