"""What a conversion could not carry over, field by field.

Another tool's format and Stageline's model never hold quite the same things.
Importers and exporters say what they left behind (or changed) instead of
dropping it silently: one `Unmapped` per field, with how many items it touched.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unmapped:
    """`field` (a JSON path with `[*]` for every item, or a Stageline field) and what became of it."""

    field: str
    reason: str
    count: int = 1

    def __str__(self) -> str:
        times = f" ({self.count}×)" if self.count > 1 else ""
        return f"{self.field}{times}: {self.reason}"


class UnmappedLog:
    """Collects Unmapped entries, one per field and reason, counting repeats."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], int] = {}

    def add(self, field: str, reason: str) -> None:
        key = (field, reason)
        self._counts[key] = self._counts.get(key, 0) + 1

    @property
    def items(self) -> list[Unmapped]:
        return [Unmapped(field, reason, count) for (field, reason), count in self._counts.items()]


class ExportRefused(ValueError):
    """The blueprint cannot be written in this format (too big for it, say); nothing is written."""
