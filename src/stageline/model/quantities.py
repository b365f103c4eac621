"""Durations and rates as people write them, and their canonical spelling.

The model keeps plain numbers (seconds, customers per hour) so that analysis
code does arithmetic without unwrapping; the format layer spells them back.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator

_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_COMPACT = re.compile(
    r"^\s*(?:(?P<d>\d+(?:\.\d+)?)\s*d)?\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h)?\s*"
    r"(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(?P<s>\d+(?:\.\d+)?)\s*s)?\s*$"
)
_ISO = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?"
    r"(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)

DURATION_HELP = "write a duration such as 45s, 5m, 1h30m, 2d or PT5M; a bare number means minutes"


def parse_duration(value: Any) -> float:
    """Seconds from `45s`, `5m`, `1h30m`, `2d`, ISO 8601 `PT5M`, or a number of minutes."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration: {DURATION_HELP}")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{value!r} is not a duration: {DURATION_HELP}")
        return float(value) * 60.0
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a duration: {DURATION_HELP}")
    text = value.strip()
    match = _ISO.match(text.upper()) if text[:1] in "Pp" else _COMPACT.match(text.lower())
    if text and match and any(match.groupdict().values()):
        return float(sum(float(v) * _UNIT_SECONDS[k.lower()] for k, v in match.groupdict().items() if v))
    try:
        return parse_duration(float(text))
    except ValueError:
        raise ValueError(f"{value!r} is not a duration: {DURATION_HELP}") from None


def _seconds_field(value: Any) -> float:
    # Numbers that reach the model directly (API, operations, JSON) are already
    # seconds; only text is parsed. The YAML reader turns bare numbers (minutes)
    # into text before validation.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{value!r} is not a duration: {DURATION_HELP}")
        return float(value)
    return parse_duration(value)


def format_duration(seconds: float) -> str:
    """The canonical compact spelling: 5400 → `1h30m`, 45 → `45s`, 0 → `0m`."""
    if seconds <= 0:
        return "0m"
    whole = round(seconds)
    if abs(seconds - whole) > 1e-6 or whole == 0:
        return f"{_positional(seconds)}s"
    parts = []
    for unit, size in _UNIT_SECONDS.items():
        if whole >= size:
            count, whole = divmod(whole, size)
            parts.append(f"{count}{unit}")
    return "".join(parts)


def humanize_duration(seconds: float) -> str:
    """Short text for people: `1h 30m`, `45s`, `2.5m` avoided in favour of `2m 30s`."""
    return " ".join(_split(format_duration(seconds)))


def _split(compact: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?[dhms]", compact) or [compact]


Seconds = Annotated[float, BeforeValidator(_seconds_field)]
"""A duration in seconds; text such as `5m` is accepted and converted."""

_RATE = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?:/\s*(?P<unit>d|h|m|min|s))?\s*$")
RATE_HELP = "write a rate such as 10/h, 2/m or 300/d; a bare number means per hour"


def parse_rate(value: Any) -> float:
    """Customers per hour from `10/h`, `2/m`, `300/d` or a bare number (per hour)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a rate: {RATE_HELP}")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{value!r} is not a rate: {RATE_HELP}")
        return float(value)
    match = _RATE.match(str(value)) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"{value!r} is not a rate: {RATE_HELP}")
    unit = (match["unit"] or "h")[0]
    return float(match["n"]) * (3600.0 / _UNIT_SECONDS[unit])


def format_rate(per_hour: float) -> str:
    return f"{_positional(per_hour)}/h"


def _positional(number: float) -> str:
    """The shortest exact decimal, never in exponent form (which the parsers refuse)."""
    text = format(Decimal(repr(float(number))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


PerHour = Annotated[float, BeforeValidator(parse_rate)]
"""Customers per hour; text such as `10/h` or `2/m` is accepted and converted."""
