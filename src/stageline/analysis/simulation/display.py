"""Numbers as people read them in the text and HTML reports."""

from __future__ import annotations

import math


def seconds(value: float | None) -> str:
    """`45s`, `4m 05s`, `2h 10m`, `1d 3h`; `–` when there is no value."""
    if value is None:
        return "–"
    if value < 0.05:
        return "0s"
    if value < 10:
        return f"{value:.1f}s"
    whole = round(value)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h"


def share(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f}%" if value < 0.1 else f"{value * 100:.0f}%"


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def money(value: float | None, currency: str | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.2f} {currency}" if currency else f"{value:,.2f}"


def signed(value: float | None, unit: str, currency: str | None = None) -> str:
    """A difference with its sign, in the unit of its metric (shares in percentage points)."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return sign + spread(abs(value), unit, currency)


def spread(value: float, unit: str, currency: str | None = None) -> str:
    """The size of a difference: shares in percentage points, the rest in their own unit."""
    if unit == "share":
        return f"{value * 100:.1f} pp" if value < 0.1 else f"{value * 100:.0f} pp"
    return amount(value, unit, currency)


def amount(value: float | None, unit: str, currency: str | None = None) -> str:
    if unit == "s":
        return seconds(value)
    if unit == "share":
        return share(value)
    if unit == "currency":
        return money(value, currency)
    return number(value, 2)


# Steps a time axis is marked in, in seconds: what people count in (10m, 20m, 30m, 1h, …).
ROUND_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400)


def round_ticks(start: float, end: float, most: int = 8) -> list[float]:
    """Round times between `start` and `end` to mark an axis with, at most `most` + 1 of them."""
    span = max(end - start, 1e-9)
    step = next((s for s in ROUND_STEPS if span / s <= most), None)
    if step is None:  # days: whole numbers of them
        step = 86400 * math.ceil(span / 86400 / most)
    first = math.ceil(start / step - 1e-9) * step
    count = int((end - first) // step + 1e-9) + 1
    return [float(first + k * step) for k in range(count)]


def tick(value: float) -> str:
    """A round time as an axis label: `30s`, `10m`, `1h`, `1h 30m`, `2d`."""
    whole = round(value)
    if whole < 60:
        return f"{whole}s"
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    parts.append(f"{secs}s" if secs else "")
    return " ".join(part for part in parts if part)
