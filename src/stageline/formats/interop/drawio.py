"""draw.io / diagrams.net: an uncompressed `.drawio` file people can edit.

Lanes are swimlane containers holding their cards (rounded rectangles), links
are orthogonal edges (an arrow at both ends for a codependency), the lines of
interaction, visibility and internal interaction are dashed lines, and stage and
step headers run across the top.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from stageline.model.blueprint import Blueprint
from stageline.model.elements import Card

from .layout import Box, layout

LANE_FILL = {
    "evidence": "#EDE7F6",
    "customer": "#FFF3C4",
    "frontstage": "#DCEEFB",
    "backstage": "#E3F4E1",
    "support": "#F1F1F1",
    "management": "#FBE3E3",
}
LINE_STROKE = {
    "Line of interaction": "#1F6FB2",
    "Line of visibility": "#C0392B",
    "Line of internal interaction": "#6B6B6B",
    "Line of implementation": "#8E44AD",
}


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(text: str) -> str:
    """HTML-escaped label text without the control characters XML 1.0 cannot hold."""
    return html.escape(_NOT_XML.sub("", text)).replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def _label(card: Card) -> str:
    """The card's text as a draw.io HTML label: text escaped, details on a second line."""
    parts = [_escape(card.text)]
    details = [_escape(d) for d in (card.actor, card.channel) if d]
    if details:
        parts.append(f'<font style="font-size:10px" color="#555555">{" · ".join(details)}</font>')
    if card.fail is not None:
        parts.append(f'<font style="font-size:10px" color="#C0392B">⚠ {_escape(card.fail.text)}</font>')
    return "<br>".join(parts)


def _cell(
    root: ET.Element, cell_id: str, value: str, style: str, parent: str, box: Box | None = None, *, vertex: bool = True
) -> ET.Element:
    cell = ET.SubElement(root, "mxCell", {"id": cell_id, "value": value, "style": style, "parent": parent})
    cell.set("vertex" if vertex else "edge", "1")
    if box is not None:
        ET.SubElement(
            cell,
            "mxGeometry",
            {"x": str(box.x), "y": str(box.y), "width": str(box.width), "height": str(box.height), "as": "geometry"},
        )
    return cell


def card_cell_id(card_id: str) -> str:
    return f"card:{card_id}"


def write_drawio(bp: Blueprint) -> str:
    grid = layout(bp)
    mxfile = ET.Element("mxfile", {"host": "Stageline", "type": "device"})
    diagram = ET.SubElement(mxfile, "diagram", {"id": "blueprint", "name": _NOT_XML.sub("", bp.title)})
    model = ET.SubElement(
        diagram,
        "mxGraphModel",
        {
            "dx": "1200",
            "dy": "800",
            "grid": "1",
            "gridSize": "10",
            "guides": "1",
            "tooltips": "1",
            "connect": "1",
            "arrows": "1",
            "fold": "1",
            "page": "0",
            "pageScale": "1",
            "math": "0",
            "shadow": "0",
        },
    )
    root = ET.SubElement(model, "root")
    ET.SubElement(root, "mxCell", {"id": "0"})
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    header = "rounded=0;whiteSpace=wrap;html=1;fillColor=#2F3B52;fontColor=#FFFFFF;strokeColor=#FFFFFF;fontStyle=1;"
    for stage in bp.stages:
        if stage.id in grid.stages:
            _cell(root, f"stage:{stage.id}", _escape(stage.title), header, "1", grid.stages[stage.id])
        for step in stage.steps:
            _cell(
                root,
                f"step:{step.id}",
                _escape(step.display_title),
                "rounded=0;whiteSpace=wrap;html=1;fillColor=#D9DEE8;strokeColor=#FFFFFF;fontStyle=1;",
                "1",
                grid.steps[step.id],
            )
    for lane in bp.lanes:
        box = grid.lanes[lane.id]
        fill = LANE_FILL.get(lane.id, "#F6F0E6")
        _cell(
            root,
            f"lane:{lane.id}",
            _escape(lane.title),
            f"swimlane;horizontal=0;whiteSpace=wrap;html=1;startSize=40;fillColor={fill};swimlaneFillColor={fill};"
            "strokeColor=#B0B0B0;",
            "1",
            box,
        )
    for place, card in bp.cards():
        box = grid.cards[card.id]
        row = grid.lanes[place.lane]
        stroke = "#C0392B" if card.fail is not None else "#7A7A7A"
        _cell(
            root,
            card_cell_id(card.id),
            _label(card),
            f"rounded=1;whiteSpace=wrap;html=1;fillColor=#FFFFFF;strokeColor={stroke};arcSize=12;",
            f"lane:{place.lane}",
            Box(box.x - row.x, box.y - row.y, box.width, box.height),
        )
    for i, link in enumerate(bp.links):
        start = "startArrow=block;startFill=1;" if link.two_way else "startArrow=none;"
        edge = _cell(
            root,
            f"link:{i}",
            _escape(link.label or ""),
            f"edgeStyle=orthogonalEdgeStyle;rounded=0;html=1;endArrow=block;endFill=1;{start}strokeColor=#333333;",
            "1",
            vertex=False,
        )
        edge.set("source", card_cell_id(link.source))
        edge.set("target", card_cell_id(link.target))
        ET.SubElement(edge, "mxGeometry", {"relative": "1", "as": "geometry"})
    for i, (title, y) in enumerate(grid.lines):
        line = _cell(
            root,
            f"line:{i}",
            _escape(title),
            f"endArrow=none;dashed=1;html=1;strokeWidth=2;strokeColor={LINE_STROKE.get(title, '#555555')};"
            "fontSize=10;align=left;verticalAlign=bottom;labelBackgroundColor=none;",
            "1",
            vertex=False,
        )
        geometry = ET.SubElement(line, "mxGeometry", {"relative": "1", "as": "geometry"})
        ET.SubElement(geometry, "mxPoint", {"x": "0", "y": str(y), "as": "sourcePoint"})
        ET.SubElement(geometry, "mxPoint", {"x": str(grid.width), "y": str(y), "as": "targetPoint"})
    ET.indent(mxfile)
    return ET.tostring(mxfile, encoding="unicode", xml_declaration=False) + "\n"
