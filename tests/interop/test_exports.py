"""draw.io, JSON Canvas, Mermaid and Markdown exports are structurally valid for any blueprint."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings

from helpers.blueprints import small_blueprint
from helpers.strategies import blueprints
from stageline.analysis.insights import insights
from stageline.formats.interop.canvas import canvas_document, write_canvas
from stageline.formats.interop.drawio import card_cell_id, write_drawio
from stageline.formats.interop.insights import Insights
from stageline.formats.interop.markdown import write_markdown
from stageline.formats.interop.mermaid import escape_label, write_mermaid
from stageline.model import Blueprint

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- draw.io -----------------------------------------------------------------------
def _check_drawio(bp: Blueprint) -> ET.Element:
    root = ET.fromstring(write_drawio(bp))
    assert root.tag == "mxfile"
    cells = root.findall("./diagram/mxGraphModel/root/mxCell")
    ids = [cell.get("id") for cell in cells]
    assert len(ids) == len(set(ids)), "cell ids must be unique"
    by_id = {cell.get("id"): cell for cell in cells}
    for cell in cells:
        parent = cell.get("parent")
        if cell.get("id") != "0":
            assert parent in by_id, f"{cell.get('id')} has a missing parent"
        if cell.get("edge") == "1" and cell.get("source") is not None:
            assert cell.get("source") in by_id and cell.get("target") in by_id
            assert by_id[cell.get("source")].get("vertex") == "1"
    for _, card in bp.cards():
        assert card_cell_id(card.id) in by_id
    return root


def test_drawio_has_swimlanes_holding_cards_edges_and_dashed_lines() -> None:
    bp = small_blueprint()
    root = _check_drawio(bp)
    cells = {cell.get("id"): cell for cell in root.iter("mxCell")}
    lane = cells["lane:customer"]
    assert lane.get("style", "").startswith("swimlane;")
    card = cells[card_cell_id("check-in.customer")]
    assert card.get("parent") == "lane:customer" and "rounded=1" in card.get("style", "")
    two_way = [c for c in cells.values() if c.get("source") == card_cell_id("check-in.customer")]
    assert len(two_way) == 1 and "startArrow=block" in two_way[0].get("style", "")
    assert "orthogonalEdgeStyle" in two_way[0].get("style", "")
    lines = [c for c in cells.values() if (c.get("id") or "").startswith("line:")]
    assert {c.get("value") for c in lines} == {
        "Line of interaction",
        "Line of visibility",
        "Line of internal interaction",
    }
    assert all("dashed=1" in (c.get("style") or "") for c in lines)
    assert cells["stage:arrival"].get("value") == "Arrival"


def test_drawio_escapes_markup_in_text() -> None:
    bp = small_blueprint()
    bp.card("check-in.customer").text = '<script>alert("x")</script> & "more"\nsecond line'
    root = _check_drawio(bp)
    value = next(c.get("value") for c in root.iter("mxCell") if c.get("id") == card_cell_id("check-in.customer"))
    assert value is not None
    assert "<script>" not in value and "&lt;script&gt;" in value and "<br>second line" in value


@FAST
@given(blueprints())
def test_drawio_is_valid_for_any_blueprint(bp: Blueprint) -> None:
    _check_drawio(bp)


# -- JSON Canvas ---------------------------------------------------------------------
NODE_TYPES = {"text": {"text"}, "file": {"file"}, "link": {"url"}, "group": set()}
COLOURS = re.compile(r"^([1-6]|#[0-9A-Fa-f]{6})$")


def _check_canvas(document: dict[str, object]) -> None:
    """The required fields and value sets of the JSON Canvas 1.0 spec."""
    assert set(document) <= {"nodes", "edges"}
    nodes = document["nodes"]
    edges = document["edges"]
    assert isinstance(nodes, list) and isinstance(edges, list)
    ids: set[str] = set()
    seen_text = False
    for node in nodes:
        for key in ("id", "type", "x", "y", "width", "height"):
            assert key in node, f"node lacks {key}"
        for key in ("x", "y", "width", "height"):
            assert isinstance(node[key], int)
        assert node["type"] in NODE_TYPES and NODE_TYPES[node["type"]] <= set(node)
        assert node["id"] not in ids
        ids.add(node["id"])
        if "color" in node:
            assert COLOURS.match(node["color"])
        # Groups first: nodes are listed in ascending z-order.
        seen_text = seen_text or node["type"] != "group"
        assert not (seen_text and node["type"] == "group")
    for edge in edges:
        for key in ("id", "fromNode", "toNode"):
            assert key in edge
        assert edge["fromNode"] in ids and edge["toNode"] in ids
        for key in ("fromSide", "toSide"):
            assert edge.get(key, "top") in {"top", "right", "bottom", "left"}
        for key in ("fromEnd", "toEnd"):
            assert edge.get(key, "none") in {"none", "arrow"}
        assert edge["id"] not in ids
        ids.add(edge["id"])


def test_canvas_cards_lanes_stages_and_arrows() -> None:
    bp = small_blueprint()
    document = json.loads(write_canvas(bp))
    _check_canvas(document)
    nodes = {node["id"]: node for node in document["nodes"]}
    assert nodes["lane:customer"]["type"] == "group" and nodes["lane:customer"]["label"] == "Customer actions"
    assert nodes["stage:arrival"]["type"] == "group"
    assert nodes["card:registration"]["color"] == "1"  # it has a fail point
    edges = {(e["fromNode"], e["toNode"]): e for e in document["edges"]}
    two_way = edges[("card:check-in.customer", "card:registration")]
    assert (two_way["fromEnd"], two_way["toEnd"], two_way["label"]) == ("arrow", "arrow", "Registration details")
    assert edges[("card:registration", "card:check-in.backstage")]["fromEnd"] == "none"
    assert (two_way["fromSide"], two_way["toSide"]) == ("bottom", "top")


@FAST
@given(blueprints())
def test_canvas_is_valid_for_any_blueprint(bp: Blueprint) -> None:
    _check_canvas(json.loads(json.dumps(canvas_document(bp))))


# -- Mermaid ---------------------------------------------------------------------------
NODE = re.compile(r'^\s+([A-Za-z0-9_]+)\["(.*)"\]$')


def _check_mermaid(text: str, bp: Blueprint) -> None:
    lines = text.splitlines()
    assert "flowchart TB" in lines
    nodes = [NODE.match(line) for line in lines]
    found = [m for m in nodes if m]
    ids = [m.group(1) for m in found]
    assert len(ids) == len(set(ids)), "node and subgraph ids must be unique"
    assert sum(1 for i in ids if i.startswith("card_")) == len(list(bp.cards()))
    for match in found:
        assert not re.search(r'["\[\]{}()|]', match.group(2)), f"unescaped character in {match.group(2)!r}"
        assert "\n" not in match.group(2)
    defined = set(ids)
    for line in lines:
        edge = re.match(r"^\s+(\w+) (?:-->|<-->|~~~)(?:\|\"[^\"]*\"\|)? (\w+)$", line)
        if edge:
            assert edge.group(1) in defined and edge.group(2) in defined
    assert sum(1 for line in lines if line.strip() == "end") == sum(1 for line in lines if "subgraph" in line)


def test_mermaid_has_a_subgraph_per_lane_and_labelled_arrows() -> None:
    bp = small_blueprint()
    text = write_mermaid(bp)
    _check_mermaid(text, bp)
    assert 'subgraph lane_customer["Customer actions"]' in text
    assert 'card_check_in_customer <-->|"Registration details"| card_registration' in text
    assert "card_registration --> card_check_in_backstage" in text
    assert "class card_registration fail" in text


def test_mermaid_escapes_quotes_brackets_and_newlines() -> None:
    assert (
        escape_label('say "hi" [now] (ok) {x} a|b') == "say #quot;hi#quot; #91;now#93; #40;ok#41; #123;x#125; a#124;b"
    )
    assert escape_label("two\nlines") == "two<br>lines"


def test_mermaid_ids_stay_unique_when_sanitising_collides() -> None:
    from stageline.model import BlueprintBuilder

    bp = (
        BlueprintBuilder("Collide")
        .stage("s", "S")
        .step("a-b", customer={"id": "x-y", "text": "one"}, frontstage={"id": "x_y", "text": "two"})
        .build()
    )
    _check_mermaid(write_mermaid(bp), bp)


@FAST
@given(blueprints())
def test_mermaid_is_valid_for_any_blueprint(bp: Blueprint) -> None:
    _check_mermaid(write_mermaid(bp), bp)


# -- Markdown ---------------------------------------------------------------------------
def test_markdown_report_sections_and_grid() -> None:
    bp = small_blueprint()
    text = write_markdown(bp, insights(bp))
    for heading in (
        "# Overnight hotel stay",
        "## Summary",
        "## Blueprint",
        "## Fail points",
        "## Findings",
        "## Metrics",
        "## Opportunities",
    ):
        assert heading in text.splitlines()
    assert "- 2 stages, 2 steps, 11 cards, 4 links" in text
    assert "| *— line of visibility —* |" in text
    assert "| 8 | Room not ready |" in text
    assert "**Mobile check-in**" in text


def test_markdown_shows_the_findings_and_totals_it_is_given() -> None:
    bp = small_blueprint()
    given = Insights(
        [{"severity": "warning", "rule": "SL999", "message": "handed in", "stage": "arrival", "fix": "none"}],
        [("customer time", "42m")],
    )
    lines = write_markdown(bp, given).splitlines()
    assert "| warning | `SL999` | arrival | handed in | none |" in lines
    assert "| customer time | 42m |" in lines
    plain = write_markdown(bp).splitlines()  # the formats alone: no analysis, no such sections
    assert "## Findings" not in plain and "## Metrics" not in plain


def test_markdown_table_cells_escape_pipes_and_newlines() -> None:
    bp = small_blueprint()
    bp.card("check-in.customer").text = "a | b\nc <b>"
    text = write_markdown(bp)
    row = next(line for line in text.splitlines() if line.startswith("| **Customer actions**"))
    assert "a \\| b<br>c &lt;b&gt;" in row
    header = next(line for line in text.splitlines() if line.startswith("| Lane |"))
    assert len(re.split(r"(?<!\\)\|", row)) == len(re.split(r"(?<!\\)\|", header)) == 5


@FAST
@given(blueprints())
def test_markdown_grid_rows_have_one_cell_per_step(bp: Blueprint) -> None:
    text = write_markdown(bp)
    lines = text.splitlines()
    start = lines.index("## Blueprint") + 2
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append(line)
    widths = {len(re.split(r"(?<!\\)\|", line)) for line in table}
    assert len(widths) == 1
