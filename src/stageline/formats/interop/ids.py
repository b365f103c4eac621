"""Ids for imported elements: readable slugs of their titles, unique in the blueprint."""

from __future__ import annotations

import re
import unicodedata

from stageline.model.ids import auto_card_id

MAX_SLUG = 40


def slugify(text: str, fallback: str) -> str:
    """`Check-in at the desk` → `check-in-at-the-desk`; accents folded; `fallback` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] or slug[:MAX_SLUG]
    return slug or fallback


class IdAllocator:
    """Hands out ids no other element of the blueprint has (`arrival`, `arrival-2`, …)."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def new(self, text: str, fallback: str) -> str:
        base = slugify(text, fallback)
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate

    def claim(self, element_id: str) -> None:
        self.taken.add(element_id)

    def card(self, step_id: str, lane_id: str, position: int) -> str:
        """The id the YAML format would generate for the n-th card (1-based) of a cell."""
        card_id = auto_card_id(step_id, lane_id, position)
        self.taken.add(card_id)
        return card_id
