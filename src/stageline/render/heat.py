"""A heat map over the drawing: cards framed and tinted by a value from 0 to 1.

The simulation reports a `heat` per card (its queueing per customer against
the worst card's); `stageline.render(bp, heat={card_id: value})` lays it over
the blueprint. A card with heat gets a halo in the colour of its heat (pale
yellow through orange to red; light grey to black in the print theme) and a
tint of that colour as its fill. The tint stops where every text colour on a
card still meets WCAG 2.1 contrast (4.5:1), so the card stays readable. A card
without heat, or with heat 0, is drawn as usual.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from stageline.model.blueprint import Blueprint
from stageline.model.integrity import suggest
from stageline.render.layout import RenderError
from stageline.render.primitives import Box, Item, Rect
from stageline.render.themes import Theme, contrast, mix

HEAT_LEGEND = "Queueing heat, from little to most"
# Halo colours at heat 0, 0.5 and 1, by theme.
STOPS: dict[str, tuple[str, str, str]] = {
    "light": ("#fcd34d", "#f97316", "#dc2626"),
    "dark": ("#eab308", "#f97316", "#f87171"),
    "print": ("#c8c8c8", "#777777", "#000000"),
}
HALO_MIN = 2.5  # halo width at the faintest heat
HALO_GROWTH = 3.0  # added at heat 1
MIN_CONTRAST = 4.5


@dataclass(frozen=True)
class HeatPaint:
    halo: str  # the colour of the frame around the card
    fill: str  # the card's tinted fill
    width: float  # how far the halo reaches beyond the card


def check_heat(bp: Blueprint, heat: Mapping[str, float] | None) -> dict[str, float]:
    """The heat by card id; unknown cards and values outside 0-1 raise RenderError."""
    checked: dict[str, float] = {}
    cards = bp.index.cards
    for card_id, value in (heat or {}).items():
        if card_id not in cards:
            raise RenderError(f"heat for {card_id!r}: no card has this id{suggest(card_id, list(cards))}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise RenderError(f"heat for {card_id!r} must be a number from 0 to 1, not {value!r}")
        if not 0 <= value <= 1:
            raise RenderError(f"heat for {card_id!r} must be from 0 to 1, not {value}")
        checked[card_id] = float(value)
    return checked


def halo_colour(theme: Theme, value: float) -> str:
    """The colour of `value` (0-1) on the theme's scale."""
    low, middle, high = STOPS.get(theme.name, STOPS["light"])
    value = min(max(value, 0.0), 1.0)
    if value <= 0.5:
        return mix(middle, low, value / 0.5)
    return mix(high, middle, (value - 0.5) / 0.5)


def card_text_colours(theme: Theme) -> tuple[str, ...]:
    """Every colour a card draws its own text in (badges bring their own fills)."""
    fail = theme.badges["fail"][0] if theme.name != "dark" else theme.findings["error"]
    return (theme.card_text, theme.muted, fail)


_TINTS: dict[str, float] = {}


def _tint_limit(theme: Theme) -> float:
    """The most of a heat colour a card's fill may take with its text still readable."""
    if theme.name not in _TINTS:
        _TINTS[theme.name] = _strongest_readable_tint(theme)
    return _TINTS[theme.name]


def _strongest_readable_tint(theme: Theme) -> float:

    def readable(amount: float) -> bool:
        for step in range(11):
            fill = mix(halo_colour(theme, step / 10), theme.card_fill, amount * step / 10)
            if any(contrast(ink, fill) < MIN_CONTRAST for ink in card_text_colours(theme)):
                return False
        return True

    low, high = 0.0, 0.6
    if readable(high):
        return high
    for _ in range(20):
        middle = (low + high) / 2
        low, high = (middle, high) if readable(middle) else (low, middle)
    return round(low, 3)


def paint(theme: Theme, value: float) -> HeatPaint:
    colour = halo_colour(theme, value)
    return HeatPaint(
        halo=colour,
        fill=mix(colour, theme.card_fill, _tint_limit(theme) * value),
        width=round(HALO_MIN + HALO_GROWTH * value, 2),
    )


def halo(box: Box, painted: HeatPaint) -> Rect:
    """The frame drawn behind a card: the card's box grown by the halo's width."""
    w = painted.width
    return Rect(
        Box(round(box.x - w, 2), round(box.y - w, 2), round(box.w + 2 * w, 2), round(box.h + 2 * w, 2)),
        painted.halo,
        radius=6 + w,
        role="heat-halo",
    )


def legend_symbols(theme: Theme) -> list[Item]:
    """Four swatches from faint to hot, 28 units wide like every legend symbol."""
    return [
        Rect(Box(i * 7.0, -7, 7.0, 14), halo_colour(theme, value), role="legend-symbol")
        for i, value in enumerate((0.0, 1 / 3, 2 / 3, 1.0))
    ]
