"""Numbers as people read them in the text and HTML reports."""

from __future__ import annotations


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
