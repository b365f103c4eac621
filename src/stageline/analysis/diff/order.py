"""Which elements changed place relative to their neighbours.

Inserting or removing an element shifts the index of everything after it;
that is not a move. An element moved when it is not part of the longest run
of elements that kept their relative order (difflib's matching blocks).
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher


def out_of_order(before: Sequence[str], after: Sequence[str]) -> set[str]:
    """Elements of `after` (the same set as `before`, reordered) that moved."""
    if list(before) == list(after):
        return set()
    kept: set[str] = set()
    matcher = SequenceMatcher(None, list(before), list(after), autojunk=False)
    for block in matcher.get_matching_blocks():
        kept.update(after[block.b : block.b + block.size])
    return {element for element in after if element not in kept}
