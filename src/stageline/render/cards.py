"""What a card shows and how tall that makes it, measured with the shipped font."""

from __future__ import annotations

from dataclasses import dataclass

from stageline.model.elements import Card
from stageline.model.quantities import humanize_duration
from stageline.render.text import font_metrics

CARD_PAD_X = 12.0
CARD_PAD_Y = 10.0
TEXT_SIZE = 12.5
TEXT_LINE = 16.0
META_SIZE = 9.0
META_LINE = 14.0
FAIL_SIZE = 10.5
FAIL_LINE = 14.0
BADGE_SIZE = 10.0
BADGE_HEIGHT = 17.0
BADGE_PAD = 6.0
BADGE_GAP = 4.0
SECTION_GAP = 6.0
MIN_HEIGHT = 40.0


@dataclass(frozen=True)
class Badge:
    kind: str  # fail, wait, duration, cost, emotion+, emotion-, emotion0, channel
    text: str
    width: float
    title: str  # what the badge means, for tooltips and the legend


@dataclass(frozen=True)
class CardContent:
    card: Card
    meta: str | None
    lines: list[str]
    fail_lines: list[str]
    badge_rows: list[list[Badge]]
    height: float


def emotion_text(value: int) -> str:
    face = "☺" if value > 0 else "☹" if value < 0 else "○"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{face} {sign}{abs(value)}"


def _badge(kind: str, text: str, title: str) -> Badge:
    return Badge(kind, text, font_metrics(True).width(text, BADGE_SIZE) + 2 * BADGE_PAD, title)


def card_badges(card: Card, currency: str | None) -> list[Badge]:
    badges: list[Badge] = []
    if card.fail is not None:
        severity = f"{card.fail.severity}" if card.fail.severity is not None else ""
        title = f"Fail point, severity {card.fail.severity}" if severity else "Fail point"
        badges.append(_badge("fail", f"F{severity}", title))
    if card.wait:
        badges.append(_badge("wait", f"W {humanize_duration(card.wait)}", "Customer waits before this"))
    if card.duration is not None:
        seconds = card.duration if isinstance(card.duration, float) else card.duration.mean_seconds
        approx = "" if isinstance(card.duration, float) else "~"
        badges.append(_badge("duration", f"◷ {approx}{humanize_duration(seconds)}", "Duration"))
    if card.cost is not None:
        badges.append(_badge("cost", f"{card.cost:g} {currency or ''}".strip(), "Cost"))
    if card.emotion is not None:
        kind = "emotion+" if card.emotion > 0 else "emotion-" if card.emotion < 0 else "emotion0"
        badges.append(_badge(kind, emotion_text(card.emotion), "Customer emotion"))
    if card.channel:
        badges.append(_badge("channel", card.channel, "Channel"))
    return badges


def _rows(badges: list[Badge], width: float) -> list[list[Badge]]:
    rows: list[list[Badge]] = []
    used = 0.0
    for badge in badges:
        if rows and used + BADGE_GAP + badge.width <= width:
            rows[-1].append(badge)
            used += BADGE_GAP + badge.width
        else:
            rows.append([badge])
            used = badge.width
    return rows


def measure_card(card: Card, width: float, currency: str | None) -> CardContent:
    """Wrap the card's text to `width` (the card's outer width) and total its height."""
    inner = width - 2 * CARD_PAD_X
    regular, bold = font_metrics(False), font_metrics(True)
    who = card.actor or card.department
    meta = bold.clip(who.upper(), META_SIZE, inner) if who else None
    lines = regular.wrap(card.text, TEXT_SIZE, inner)
    fail_lines = regular.wrap(f"⚠ {card.fail.text}", FAIL_SIZE, inner) if card.fail else []
    badges = card_badges(card, currency)
    # A badge wider than the card (a very long channel name) is clipped to fit.
    fitted = [
        b if b.width <= inner else _badge(b.kind, bold.clip(b.text, BADGE_SIZE, inner - 2 * BADGE_PAD), b.title)
        for b in badges
    ]
    rows = _rows(fitted, inner)
    height = 2 * CARD_PAD_Y + len(lines) * TEXT_LINE
    if meta:
        height += META_LINE
    if fail_lines:
        height += SECTION_GAP + len(fail_lines) * FAIL_LINE
    if rows:
        height += SECTION_GAP + len(rows) * BADGE_HEIGHT + (len(rows) - 1) * BADGE_GAP
    return CardContent(card, meta, lines, fail_lines, rows, max(height, MIN_HEIGHT))
