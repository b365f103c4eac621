"""Exit statuses shared by every command (scripts and CI depend on them)."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    FINDINGS = 1  # the command worked and found something at or above the threshold
    INVALID_INPUT = 2  # a file could not be read or is not a valid blueprint
    ERROR = 3  # anything else that stopped the command (a failed write, a missing tool)
