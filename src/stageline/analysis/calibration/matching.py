"""Which card each activity of a log is: by card id, then by text (tolerant of case,
punctuation and small wording differences); `--map ACTIVITY=CARD` decides the rest
and overrules both."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from stageline.model.blueprint import Blueprint
from stageline.model.integrity import suggest

TEXT_SCORE = 85.0  # rapidfuzz similarity (0-100) a wording difference may cost


class CalibrationError(ValueError):
    """Options or inputs that stop a calibration, said the way a person fixes them."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Match:
    card: str
    how: str  # "id", "text", "similar text" or "map"
    score: float = 100.0


def normalise(text: str) -> str:
    """Lower case, accents off, punctuation and separators as single spaces."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def parse_map(specs: Iterable[str]) -> dict[str, str]:
    """`--map 'Check guest in=check-in'` as {"Check guest in": "check-in"}; the last `=` splits,
    so an activity may contain one."""
    found: dict[str, str] = {}
    for spec in specs:
        activity, sep, card = spec.rpartition("=")
        if not sep or not activity.strip() or not card.strip():
            raise CalibrationError(
                f"--map {spec!r} is not ACTIVITY=CARD", hint="write e.g. --map 'Check guest in=check-in'"
            )
        found[activity.strip()] = card.strip()
    return found


def match_activities(bp: Blueprint, activities: Iterable[str], explicit: Mapping[str, str]) -> dict[str, Match]:
    """The card of every activity that has one."""
    cards = [card for _, card in bp.cards()]
    ids = [card.id for card in cards]
    for card_id in set(explicit.values()):
        if card_id not in bp.index.cards:
            raise CalibrationError(
                f"an activity is matched to the card {card_id!r}, which is not in the blueprint{suggest(card_id, ids)}",
                hint="the card ids are: " + ", ".join(ids[:20]) + ("…" if len(ids) > 20 else ""),
            )
    explicit_by = {normalise(activity): card for activity, card in explicit.items()}
    by_id = {normalise(card.id): card.id for card in cards}
    by_text: dict[str, str] = {}
    for card in cards:
        by_text.setdefault(normalise(card.text), card.id)
    texts = [(normalise(card.text), card.id) for card in cards]
    found: dict[str, Match] = {}
    for activity in activities:
        key = normalise(activity)
        if activity in explicit or key in explicit_by:
            found[activity] = Match(explicit.get(activity) or explicit_by[key], "map")
        elif key in by_id:
            found[activity] = Match(by_id[key], "id")
        elif key in by_text:
            found[activity] = Match(by_text[key], "text")
        elif key:
            similar = _similar(key, texts)
            if similar is not None:
                found[activity] = similar
    return found


def _similar(key: str, texts: list[tuple[str, str]]) -> Match | None:
    """The one card whose text is close enough; none when two different cards tie."""
    scored = sorted(
        ((max(fuzz.ratio(key, text), fuzz.token_sort_ratio(key, text)), card_id) for text, card_id in texts),
        reverse=True,
    )
    if not scored or scored[0][0] < TEXT_SCORE:
        return None
    best, card_id = scored[0]
    if len(scored) > 1 and scored[1][0] == best and scored[1][1] != card_id:
        return None
    return Match(card_id, "similar text", round(best, 1))


def unknown_map_entries(explicit: Mapping[str, str], activities: Iterable[str]) -> list[str]:
    """--map entries whose activity is not in any log."""
    seen = {normalise(a) for a in activities} | set(activities)
    return [a for a in explicit if a not in seen and normalise(a) not in seen]
