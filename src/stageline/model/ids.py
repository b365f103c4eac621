"""Ids the format generates for cards written without one."""

from __future__ import annotations


def auto_card_id(step_id: str, lane_id: str, n: int) -> str:
    """`<step>.<lane>` for the first card of a cell, `<step>.<lane>.<n>` after it."""
    return f"{step_id}.{lane_id}" if n == 1 else f"{step_id}.{lane_id}.{n}"
