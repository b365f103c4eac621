"""Reading the values people type into journey maps: feelings, times, channels."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from stageline.model.quantities import parse_duration

from .tables import Cell, cell_text

# Words and emoji on the -2..+2 scale of the model (NN/g's emotion line, mapped
# to five steps). Matching is on whole words, so "unhappy" is not "happy".
EMOTION_WORDS: dict[int, tuple[str, ...]] = {
    -2: (
        "angry",
        "furious",
        "frustrated",
        "frustrating",
        "hate",
        "hates",
        "terrible",
        "awful",
        "upset",
        "despair",
        "desperate",
        "panic",
        "panicked",
        "outraged",
        "miserable",
        "horrible",
        "very negative",
        "very bad",
        "very unhappy",
        "😡",
        "😠",
        "😤",
        "😭",
        "😫",
        "😩",
        "🤬",
    ),
    -1: (
        "annoyed",
        "confused",
        "worried",
        "anxious",
        "nervous",
        "unhappy",
        "sad",
        "bored",
        "impatient",
        "uncertain",
        "unsure",
        "disappointed",
        "stressed",
        "irritated",
        "uneasy",
        "negative",
        "bad",
        "meh",
        "tired",
        "lost",
        "🙁",
        "☹️",
        "☹",
        "😕",
        "😟",
        "😞",
        "😒",
        "😔",
        "😣",
    ),
    0: ("neutral", "ok", "okay", "fine", "indifferent", "calm", "so-so", "so so", "mixed", "😐", "😶", "🙂‍↔️"),
    1: (
        "happy",
        "pleased",
        "satisfied",
        "relieved",
        "good",
        "content",
        "hopeful",
        "curious",
        "interested",
        "confident",
        "positive",
        "reassured",
        "glad",
        "comfortable",
        "🙂",
        "😊",
        "😌",
        "👍",
    ),
    2: (
        "delighted",
        "excited",
        "thrilled",
        "love",
        "loves",
        "great",
        "ecstatic",
        "amazing",
        "joyful",
        "elated",
        "very happy",
        "very positive",
        "very good",
        "wow",
        "😀",
        "😃",
        "😄",
        "😁",
        "😍",
        "🤩",
        "🥰",
        "🎉",
        "❤️",
    ),
}
_EMOTION_LOOKUP = {word: score for score, words in EMOTION_WORDS.items() for word in words}
_WORD_SPLIT = re.compile(r"[\s,;/.!?()]+")
EMOTION_HELP = "use -2..2 (or 1..5, 1..10) or words like frustrated/happy"

CHANNEL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "in-person": (
        "in person",
        "in-person",
        "face to face",
        "face-to-face",
        "in store",
        "in-store",
        "store",
        "shop",
        "branch",
        "desk",
        "counter",
        "on site",
        "onsite",
    ),
    "phone": ("phone", "telephone", "call", "phone call", "call centre", "call center", "hotline", "ivr"),
    "email": ("email", "e-mail", "mail (email)"),
    "chat": ("chat", "live chat", "chatbot", "messaging", "whatsapp", "sms", "text message"),
    "web": ("web", "website", "web site", "online", "internet", "portal", "webpage", "web page"),
    "app": ("app", "mobile app", "mobile", "smartphone app"),
    "kiosk": ("kiosk", "terminal", "self-service kiosk"),
    "mail": ("mail", "post", "letter", "postal mail"),
    "self-service": ("self-service", "self service"),
}
_CHANNELS = {synonym: channel for channel, synonyms in CHANNEL_SYNONYMS.items() for synonym in synonyms}


class ValueProblem(ValueError):
    """A value that cannot be read; the message says what to write instead."""


def channel(text: str) -> str:
    """The standard channel for a common spelling (`Website` → `web`); other text kept as written."""
    return _CHANNELS.get(" ".join(text.lower().split()), text)


def _number(value: Cell) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = cell_text(value).replace("−", "-").replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class EmotionScale:
    """How the numbers of one column map to -2..+2, decided from all of them."""

    low: float
    high: float

    @classmethod
    def of(cls, values: Iterable[Cell]) -> EmotionScale:
        numbers = [n for n in (_number(v) for v in values) if n is not None]
        if not numbers or (min(numbers) >= -2 and max(numbers) <= 2):
            return cls(-2, 2)
        if min(numbers) >= 1 and max(numbers) <= 5:
            return cls(1, 5)
        if min(numbers) >= 0 and max(numbers) <= 10:
            return cls(0 if min(numbers) < 1 else 1, 10)
        return cls(-2, 2)  # out-of-range numbers are then reported one by one

    def convert(self, number: float) -> int:
        if not self.low <= number <= self.high:
            raise ValueProblem(
                f"{number:g} is outside the {self.low:g}..{self.high:g} scale of this column; {EMOTION_HELP}"
            )
        return round((number - self.low) / (self.high - self.low) * 4 - 2)


def emotion(value: Cell, scale: EmotionScale) -> int | None:
    """-2..+2 from a number on the column's scale, a feeling word or an emoji; None for an empty cell."""
    text = cell_text(value)
    if not text or text in {"-", "–", "—", "n/a", "N/A"}:
        return None
    number = _number(value)
    if number is not None:
        return scale.convert(number)
    lowered = text.lower()
    if lowered in _EMOTION_LOOKUP:
        return _EMOTION_LOOKUP[lowered]
    for symbol, score in _EMOTION_LOOKUP.items():
        if not symbol.isascii() and symbol in text:
            return score
    words = [w for w in _WORD_SPLIT.split(lowered) if w]
    for first, second in zip(words, [*words[1:], ""], strict=False):
        if f"{first} {second}" in _EMOTION_LOOKUP:
            return _EMOTION_LOOKUP[f"{first} {second}"]
        if first in _EMOTION_LOOKUP:
            return _EMOTION_LOOKUP[first]
    raise ValueProblem(f"{text!r} is not an emotion; {EMOTION_HELP}")


_UNIT_WORDS = (
    (re.compile(r"\b(?:days?)\b"), "d"),
    (re.compile(r"\b(?:hours?|hrs?)\b"), "h"),
    (re.compile(r"\b(?:minutes?|mins?)\b"), "m"),
    (re.compile(r"\b(?:seconds?|secs?)\b"), "s"),
)
DURATION_HELP = "write a time such as 45s, 5m, 1h30m, '10 minutes' or a number of minutes"


def duration(value: Cell) -> float | None:
    """Seconds from `5m`, `1h30m`, `10 minutes`, `2 hours`, a spreadsheet time or a number of minutes."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, dt.time):
        return float(value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or value < 0:
            raise ValueProblem(f"{value!r} is not a duration; {DURATION_HELP}")
        return float(value) * 60.0
    text = cell_text(value).lower().replace(",", ".")
    if text in {"-", "–", "—", "n/a"}:
        return None
    for pattern, unit in _UNIT_WORDS:
        text = pattern.sub(unit, text)
    text = re.sub(r"\band\b", "", text).replace(" ", "")
    try:
        return parse_duration(text)
    except ValueError:
        raise ValueProblem(f"{cell_text(value)!r} is not a duration; {DURATION_HELP}") from None


def items(text: str) -> list[str]:
    """Separate entries of one cell: one per line, bullets removed."""
    found = []
    for line in text.splitlines():
        entry = re.sub(r"^\s*(?:[-*•·▪‣◦]|\d+[.)])\s+", "", line).strip()
        if entry:
            found.append(entry)
    return found
