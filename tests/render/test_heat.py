"""The heat map overlay: cards framed and tinted by their heat, with a legend entry,
readable text on every tint, and clear errors for heat that cannot be drawn."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

import stageline
from helpers.blueprints import small_blueprint
from stageline.render import RenderError, drawing
from stageline.render.heat import HEAT_LEGEND, card_text_colours, halo_colour, paint
from stageline.render.themes import THEMES, contrast, luminance

SVG = "{http://www.w3.org/2000/svg}"
HEAT = {"check-in.customer": 0.1, "check-in.backstage": 0.5, "registration": 1.0, "room.frontstage": 0.0}


def cards_of(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg.encode())
    return {
        group.get("data-id", ""): group
        for group in root.iter(f"{SVG}g")
        if "sl-card" in (group.get("class") or "").split()
    }


def rect(group: ET.Element, role: str) -> ET.Element | None:
    return next((r for r in group.iter(f"{SVG}rect") if r.get("class") == f"sl-{role}"), None)


def redness(colour: str) -> int:
    value = colour.lstrip("#")
    return int(value[0:2], 16) - int(value[2:4], 16)


def test_cards_are_coloured_by_their_heat() -> None:
    svg = stageline.render(small_blueprint(), heat=HEAT, embed_font=False)
    assert isinstance(svg, str)
    cards = cards_of(svg)
    hot = sorted((value, card) for card, value in HEAT.items() if value > 0)
    halos = [rect(cards[card], "heat-halo") for _, card in hot]
    assert all(h is not None for h in halos)
    fills = [rect(cards[card], "card-box").get("fill", "") for _, card in hot]  # type: ignore[union-attr]
    colours = [h.get("fill", "") for h in halos]  # type: ignore[union-attr]
    widths = [float(h.get("width", 0)) for h in halos]  # type: ignore[union-attr]
    # Hotter is darker and redder, in the halo and in the card's tint, and the halo is wider.
    assert [luminance(c) for c in colours] == sorted((luminance(c) for c in colours), reverse=True)
    assert len(set(colours)) == len(colours)
    assert [redness(c) for c in colours] == sorted(redness(c) for c in colours)
    assert [luminance(f) for f in fills] == sorted((luminance(f) for f in fills), reverse=True)
    assert len(set(fills)) == len(fills) and "#ffffff" not in fills
    assert widths == sorted(widths) and widths[0] < widths[-1]
    assert colours[-1] == halo_colour(THEMES["light"], 1.0) == paint(THEMES["light"], 1.0).halo
    for value, card in hot:
        group = cards[card]
        assert group.get("data-heat") == f"{value:.4g}"
        assert "has-heat" in (group.get("class") or "")
        title = group.find(f"{SVG}title")
        assert title is not None and f"Queueing heat: {value:.0%}" in (title.text or "")


def test_cold_and_unlisted_cards_are_drawn_as_usual() -> None:
    bp = small_blueprint()
    plain = cards_of(stageline.render(bp, embed_font=False))  # type: ignore[arg-type]
    heated = cards_of(stageline.render(bp, heat=HEAT, embed_font=False))  # type: ignore[arg-type]
    cold = heated["room.frontstage"]
    assert rect(cold, "heat-halo") is None and cold.get("data-heat") == "0"
    assert "has-heat" not in (cold.get("class") or "")
    unlisted = heated["room.backstage"]
    assert unlisted.get("data-heat") is None and rect(unlisted, "heat-halo") is None
    for card in ("room.frontstage", "room.backstage"):
        assert rect(heated[card], "card-box").attrib == rect(plain[card], "card-box").attrib  # type: ignore[union-attr]


def test_the_legend_explains_the_heat_only_when_there_is_some() -> None:
    bp = small_blueprint()
    labels = [g.data.get("label") for g in drawing(bp, heat=HEAT).groups("legend-entry")]
    assert HEAT_LEGEND in labels
    legend = drawing(bp, heat=HEAT, heat_label="Queue per customer").groups("legend-entry")
    custom = [g.data.get("label") for g in legend]
    assert "Queue per customer" in custom and HEAT_LEGEND not in custom
    assert HEAT_LEGEND not in [g.data.get("label") for g in drawing(bp).groups("legend-entry")]


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_text_stays_readable_on_every_heat(theme: str) -> None:
    chosen = THEMES[theme]
    for step in range(21):
        fill = paint(chosen, step / 20).fill
        for ink in card_text_colours(chosen):
            assert contrast(ink, fill) >= 4.5, (theme, step / 20, ink, fill)
    assert paint(chosen, 1.0).fill != chosen.card_fill  # the tint is there, within the limit


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_format_draws_the_heat(theme: str) -> None:
    bp = small_blueprint()
    halos = [item for item, _ in drawing(bp, theme=theme, heat=HEAT).walk() if getattr(item, "role", "") == "heat-halo"]
    assert len(halos) == 3
    png = stageline.render(bp, "png", theme=theme, heat=HEAT, scale=0.5)
    assert isinstance(png, bytes) and png != stageline.render(bp, "png", theme=theme, scale=0.5)


@pytest.mark.parametrize(
    ("heat", "message"),
    [
        ({"registraton": 0.5}, "heat for 'registraton': no card has this id (did you mean 'registration'?)"),
        ({"registration": 1.5}, "heat for 'registration' must be from 0 to 1, not 1.5"),
        ({"registration": -0.1}, "must be from 0 to 1"),
        ({"registration": math.nan}, "must be a number from 0 to 1"),
        ({"registration": True}, "must be a number from 0 to 1"),
        ({"registration": "hot"}, "must be a number from 0 to 1"),
    ],
)
def test_heat_that_cannot_be_drawn_is_refused(heat: dict[str, object], message: str) -> None:
    with pytest.raises(RenderError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        stageline.render(small_blueprint(), heat=heat)  # type: ignore[arg-type]
