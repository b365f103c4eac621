"""Clock time in a simulation: runs start at a time of day and opening hours
and arrival schedules repeat every day.

Simulation time is seconds since the start of the run; clock time is seconds
since midnight. `start` converts between the two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAY = 86400.0
_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")


def parse_clock(text: str) -> float:
    """Seconds since midnight for `HH:MM` (`24:00` is the end of the day)."""
    match = _CLOCK.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a time of day; write HH:MM, e.g. 08:30")
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"{text!r} is not a time of day; hours run 00-23 and minutes 00-59")
    return hours * 3600.0 + minutes * 60.0


def format_clock(seconds: float) -> str:
    seconds = round(seconds) % int(DAY)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


@dataclass(frozen=True)
class Hours:
    """Daily opening hours; `open == close` means open around the clock.
    Hours that end before they start run past midnight (22:00-06:00)."""

    open: float
    close: float

    @classmethod
    def parse(cls, text: str) -> Hours:
        first, _, second = text.partition("-")
        return cls(parse_clock(first) % DAY, parse_clock(second) % DAY)

    @property
    def always(self) -> bool:
        return self.open == self.close

    @property
    def length(self) -> float:
        return DAY if self.always else (self.close - self.open) % DAY

    def is_open(self, clock: float) -> bool:
        if self.always:
            return True
        if self.open < self.close:
            return self.open <= clock < self.close
        return clock >= self.open or clock < self.close

    def open_seconds(self, start: float, end: float) -> float:
        """Seconds of opening time between two clock instants (any number of days apart)."""
        if end <= start:
            return 0.0
        if self.always:
            return end - start
        total = 0.0
        day = (start // DAY) * DAY
        while day < end:
            for low, high in self._intervals():
                total += max(0.0, min(end, day + high) - max(start, day + low))
            day += DAY
        return total

    def _intervals(self) -> list[tuple[float, float]]:
        if self.open < self.close:
            return [(self.open, self.close)]
        return [(0.0, self.close), (self.open, DAY)]


def start_clock(schedule_times: list[float], hours: list[Hours]) -> float:
    """When a run starts: the first time in the arrival schedule; without a schedule,
    the earliest opening time; around the clock, midnight."""
    if schedule_times:
        return min(schedule_times)
    openings = [h.open for h in hours if not h.always]
    return min(openings) if openings else 0.0
