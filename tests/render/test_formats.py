"""One drawing, four formats: SVG, PNG, PDF and HTML agree and are deterministic."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import sys
import types
import xml.etree.ElementTree as ET
from typing import Any

import pypdf
import pytest

import stageline
from helpers.blueprints import small_blueprint
from stageline import render as api_render
from stageline.model import Blueprint, BlueprintBuilder
from stageline.render import RenderError, drawing, render
from stageline.render.png import MAX_PIXELS, effective_scale
from stageline.render.primitives import Rect, Text
from stageline.render.themes import THEMES, contrast

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(text: str) -> ET.Element:
    return ET.fromstring(text.encode())


def test_svg_is_valid_xml_with_the_font_embedded(hotel: Blueprint) -> None:
    svg = render(hotel)
    assert isinstance(svg, str)
    root = parse_svg(svg)
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}title") == "Overnight hotel stay"
    style = root.find(f"{SVG}defs/{SVG}style")
    assert style is not None and "data:font/ttf;base64," in (style.text or "")
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"Check in", "Process registration", "Line of interaction".upper()} <= texts
    cards = [g for g in root.iter(f"{SVG}g") if "sl-card" in g.get("class", "").split()]
    assert {g.get("data-id") for g in cards} == {card.id for _, card in hotel.cards()}


def test_output_is_deterministic(hotel: Blueprint) -> None:
    for fmt in ("svg", "html", "pdf", "png"):
        assert render(hotel, fmt) == render(small_blueprint(), fmt), fmt


def test_the_public_api_uses_the_renderer(hotel: Blueprint) -> None:
    assert api_render(hotel, format="svg") == render(hotel)


def test_a_notebook_shows_a_blueprint_as_its_drawing(hotel: Blueprint, monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("IPython") is not None:
        pytest.skip("IPython is installed: the stub would hide the real one")
    registered: list[tuple[str, str, Any]] = []

    class Formatter:
        def for_type_by_name(self, module: str, name: str, show: Any) -> None:
            registered.append((module, name, show))

    shell = types.SimpleNamespace(display_formatter=types.SimpleNamespace(formatters={"image/svg+xml": Formatter()}))
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    stageline._register_notebook_display()
    [(module, name, show)] = registered
    assert (module, name) == (type(hotel).__module__, type(hotel).__name__)
    assert show(hotel) == render(hotel)


def test_outside_a_notebook_nothing_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: None))
    stageline._register_notebook_display()  # a plain Python session with IPython imported: no shell, no error


def test_png_has_the_drawing_size_and_scales(hotel: Blueprint) -> None:
    one = render(hotel, "png", scale=1)
    two = render(hotel, "png", scale=2)
    assert isinstance(one, bytes) and one[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(one[16:20], "big")
    height = int.from_bytes(one[20:24], "big")
    picture = drawing(hotel)
    assert (width, height) == (round(picture.width), round(picture.height))
    assert int.from_bytes(two[16:20], "big") == 2 * width


def _pixel(png: bytes, x: float, y: float) -> tuple[int, ...]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return tuple(image.convert("RGB").getpixel((round(x), round(y))))


def _rgb(hex_colour: str) -> tuple[int, ...]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_png_paints_the_display_list(hotel: Blueprint, theme: str) -> None:
    picture = drawing(hotel, theme=theme)
    png = render(hotel, "png", theme=theme, scale=1)
    assert isinstance(png, bytes)
    assert _pixel(png, 2, 2) == _rgb(picture.background)
    items = [item for item, _ in picture.walk()]
    box = next(i for i in items if isinstance(i, Rect) and i.role == "card-box")
    assert box.fill is not None
    # Inside a card, clear of its text and accent bar: the card's own fill.
    assert _pixel(png, box.box.right - 3, box.box.bottom - 3) == _rgb(box.fill)
    title = next(i for i in items if isinstance(i, Text) and i.role == "title")
    # The title's glyphs are painted: its first letter's stem is not background.
    row = [_pixel(png, title.x + dx, title.y - title.size * 0.35) for dx in range(0, 12)]
    assert any(pixel != _rgb(picture.background) for pixel in row)


def test_huge_png_requests_are_scaled_down(wide: Blueprint) -> None:
    picture = drawing(wide)
    scale = effective_scale(picture, 8)
    assert picture.width * picture.height * scale * scale <= MAX_PIXELS * 1.0001
    with pytest.raises(ValueError):
        effective_scale(picture, 0)


def test_pdf_keeps_text_selectable(hotel: Blueprint) -> None:
    pdf = render(hotel, "pdf")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("Overnight hotel stay", "Process registration", "Room not ready", "LINE OF VISIBILITY"):
        assert expected in text
    assert reader.metadata is not None and reader.metadata.title == "Overnight hotel stay"


def test_pdf_pages_stay_within_viewer_limits(wide: Blueprint) -> None:
    pdf = render(wide, "pdf", stages=["stage-0", "stage-1", "stage-2", "stage-3", "stage-4", "stage-5"])
    assert isinstance(pdf, bytes)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert max(float(page.mediabox.width), float(page.mediabox.height)) <= 14_400.01


def test_stage_and_lane_filters(hotel: Blueprint) -> None:
    picture = drawing(hotel, stages=["stay"], lanes=["customer", "backstage"])
    assert [g.element_id for g in picture.groups("step")] == ["room"]
    assert {g.data["lane"] for g in picture.groups("card")} == {"customer", "backstage"}
    assert not picture.groups("link")  # both links of `room` reach lanes that are hidden


def test_unknown_ids_suggest_the_closest(hotel: Blueprint) -> None:
    with pytest.raises(RenderError, match=r"unknown stage 'arival' \(did you mean 'arrival'\?\)"):
        render(hotel, stages=["arival"])
    with pytest.raises(RenderError, match=r"unknown lane 'backstag'.*did you mean 'backstage'"):
        render(hotel, lanes=["backstag"])
    with pytest.raises(RenderError, match="unknown format"):
        render(hotel, "gif")
    with pytest.raises(ValueError, match="unknown theme"):
        render(hotel, theme="neon")


def test_header_states_scenario_state_and_tolerance() -> None:
    bp = BlueprintBuilder("Future clinic", state="future", tolerance="45m", scenario="New patient").build()
    texts = {t.text for t in parse_svg(str(render(bp))).iter(f"{SVG}text")}
    assert {"Future clinic", "New patient", "FUTURE STATE", "TOLERANCE 45M", "Generated by Stageline"} <= texts


def test_custom_lanes_are_drawn_in_their_order() -> None:
    bp = (
        BlueprintBuilder("Custom")
        .lane("partner", "Partner courier", visible=False)
        .stage("s", "Stage")
        .step("a", customer="Order", partner="Pick up the parcel")
        .build()
    )
    lanes = [g.element_id for g in drawing(bp).groups("lane")]
    assert lanes == bp.lane_ids()


def test_badges_show_fail_points_waits_durations_and_emotion(hotel: Blueprint) -> None:
    root = parse_svg(str(render(hotel)))
    card = next(g for g in root.iter(f"{SVG}g") if g.get("data-id") == "registration")
    texts = [t.text for t in card.iter(f"{SVG}text")]
    assert "F4" in texts and "◷ 4m" in texts and "FRONT DESK CLERK" in texts and "⚠ Room not ready" in texts
    customer = next(g for g in root.iter(f"{SVG}g") if g.get("data-id") == "check-in.customer")
    assert {"W 8m", "☹ −1"} <= {t.text for t in customer.iter(f"{SVG}text")}
    assert [g for g in root.iter(f"{SVG}g") if g.get("class") == "sl-emotion-curve"]


def test_findings_mark_cards_cells_steps_and_stages(hotel: Blueprint, make_finding: type) -> None:
    findings = [
        make_finding("SL1", "fail-recovery", "error", "No recovery", card="registration"),
        make_finding("SL2", "x", "warning", "Second", card="registration"),
        make_finding("SL3", "evidence", "info", "No evidence here", step="room", lane="management"),
        make_finding("SL4", "empty-cell", "warning", "Nothing backstage", step="room", lane="evidence"),
        make_finding("SL5", "step", "info", "Step finding", step="check-in"),
        make_finding("SL6", "stage", "warning", "Stage finding", stage="stay"),
        make_finding("SL7", "global", "info", "Blueprint finding"),
    ]
    picture = drawing(hotel, findings=findings)
    card = next(g for g in picture.groups("card") if g.element_id == "registration")
    assert "has-findings" in card.classes and card.data["findings"] == "2"
    counts = [i.text for i, _ in picture.walk() if getattr(i, "role", "") == "finding-count"]
    assert counts.count("2") == 1
    marked_step = next(g for g in picture.groups("step") if g.element_id == "check-in")
    assert any(getattr(i, "role", "") == "finding-corner" for i in marked_step.items)
    marked_stage = next(g for g in picture.groups("stage") if g.element_id == "stay")
    assert any(getattr(i, "role", "") == "finding-corner" for i in marked_stage.items)
    # A finding on a cell with cards marks its first card.
    room_evidence = next(g for g in picture.groups("card") if g.element_id == "room.evidence")
    assert room_evidence.data["findings"] == "1"
    header = [i.text for i, _ in picture.walk() if getattr(i, "role", "") == "chip-text"]
    assert "7 FINDINGS" in header


def test_findings_on_an_empty_cell_draw_a_placeholder(make_finding: type) -> None:
    bp = BlueprintBuilder("Gap").stage("s", "S").step("a", customer="Order").build()
    picture = drawing(
        bp, findings=[make_finding("SL9", "no-support", "warning", "No support", step="a", lane="support")]
    )
    cells = picture.groups("cell")
    assert [(c.data["step"], c.data["lane"]) for c in cells] == [("a", "support")]


def test_findings_true_runs_the_checks(hotel: Blueprint) -> None:
    from stageline.analysis.checks import check

    expected = len(check(hotel))
    picture = drawing(hotel, findings=stageline.check(hotel))
    assert sum(1 for i, _ in picture.walk() if getattr(i, "role", "") == "chip-text" and "FINDING" in i.text) == (
        1 if expected else 0
    )


def test_highlights_tint_cards_steps_stages_and_links(hotel: Blueprint) -> None:
    highlights = {
        "registration": "added",
        "room": "changed",
        "arrival": "removed",
        "registration->check-in.backstage": "changed",
    }
    picture = drawing(hotel, highlights=highlights)
    theme = THEMES["light"]
    card = next(g for g in picture.groups("card") if g.element_id == "registration")
    box = next(i for i in card.items if getattr(i, "role", "") == "card-box")
    assert "is-added" in card.classes and box.fill == theme.highlights["added"][0]  # type: ignore[union-attr]
    assert "is-changed" in next(g for g in picture.groups("step") if g.element_id == "room").classes
    assert "is-removed" in next(g for g in picture.groups("stage") if g.element_id == "arrival").classes
    link = next(g for g in picture.groups("link") if g.element_id == "registration->check-in.backstage")
    assert "is-changed" in link.classes
    legend = {g.data["label"] for g in picture.groups("legend-entry")}
    assert {"Added", "Changed", "Removed"} <= legend
    with pytest.raises(RenderError, match="must be one of"):
        drawing(hotel, highlights={"room": "moved"})


@pytest.mark.parametrize("name", sorted(THEMES))
def test_theme_text_meets_contrast(name: str) -> None:
    theme = THEMES[name]
    pairs = [
        (theme.text, theme.background),
        (theme.muted, theme.background),
        (theme.card_text, theme.card_fill),
        (theme.stage_text, theme.stage_fills[0]),
        (theme.stage_text, theme.stage_fills[1]),
        (theme.step_text, theme.step_fill),
        (theme.muted, theme.step_fill),
        (theme.muted, theme.label_fill),
    ]
    pairs += [(ink, fill) for fill, ink in theme.badges.values()]
    for lane_id in ("evidence", "customer", "frontstage", "backstage", "support", "management", "custom"):
        colours = theme.lane(lane_id, 0)
        pairs += [(colours.title, colours.band), (theme.muted, colours.band)]
    for ink, fill in pairs:
        assert contrast(ink, fill) >= 4.5, f"{name}: {ink} on {fill} is {contrast(ink, fill):.2f}:1"


def test_dark_and_print_themes_change_colours_not_geometry(hotel: Blueprint) -> None:
    light, dark, paper = (drawing(hotel, theme=t) for t in ("light", "dark", "print"))
    assert (light.width, light.height) == (dark.width, dark.height) == (paper.width, paper.height)
    assert light.background != dark.background
    svg = str(render(hotel, theme="print"))
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg))
    greys = {c for c in colours if c[1:3] == c[3:5] == c[5:7]}
    assert colours - greys == set(), f"print theme uses colours {colours - greys}"


def test_html_embeds_card_details_as_json(hotel: Blueprint) -> None:
    html = str(render(hotel, "html"))
    data = json.loads(re.search(r'<script type="application/json" id="sl-data">(.*?)</script>', html, re.S)[1])
    card = data["cards"]["registration"]
    fields = dict(card["fields"])
    assert fields["Actor"] == "Front desk clerk" and fields["Recovery"] == "Offer lounge access"
    assert fields["Duration"] == "4m" and fields["Severity"] == "4"
    assert {link["other"] for link in card["links"]} == {"check-in.customer", "check-in.backstage"}
    assert data["cards"]["check-in.customer"]["fields"][-1] == ["Opportunities", "Mobile check-in"]
    assert [lane["id"] for lane in data["lanes"]] == hotel.lane_ids()
    assert data["actors"] == ["Bellhop", "Front desk clerk", "Housekeeping"]
