"""What a calibration found, and its JSON contract (times in seconds, ids are card ids):

    {"cases": N, "events": N, "period": {"from": ISO, "to": ISO},
     "arrivals": {"rate_per_hour": X, "by_hour": {"0": X, …}, "by_weekday": {…}, "schedule": {…}},
     "cards": {ID: {"designed": S|null, "observed": {"n", "mean", "p50", "p90"}, "gap_before": {…},
                    "drift": X|null, "fit": {…}, …}},
     "resources": {ACTOR: {"units": N, "seen": N, "hours": "HH:MM-HH:MM"|null, …}},
     "unmatched_activities": [{"activity": TEXT, "events": N, "cases": N}],
     "unobserved_cards": [ID…],
     "conformance": {"fitting_share": X, "variants": […], "rework": {…}, …}}

More keys may be added, none removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from stageline.analysis.calibration.stats import Fit, Summary
from stageline.formats.eventlog import LogProblem


@dataclass
class Arrivals:
    rate_per_hour: float | None
    by_hour: dict[str, float | None]
    by_weekday: dict[str, float | None]
    days: float
    span: float = 0.0  # seconds from the first arrival to the last
    daily: dict[str, float] = field(default_factory=dict)  # the schedule: "HH:00" -> cases per hour

    @property
    def schedule(self) -> dict[str, float]:
        """Rates by time of day as the simulation takes them, one entry where the rate changes
        (see compute._schedule)."""
        return dict(self.daily)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rate_per_hour": self.rate_per_hour,
            "by_hour": self.by_hour,
            "by_weekday": self.by_weekday,
            "schedule": self.schedule,
            "days": self.days,
        }


@dataclass
class CardCalibration:
    id: str
    text: str
    events: int
    cases: int
    designed: float | None
    designed_wait: float | None
    observed: Summary | None
    gap_before: Summary | None
    drift: float | None
    fit: Fit | None
    fail: dict[str, Any] | None
    per_case: float  # events of this card per case

    @property
    def extra_per_case(self) -> float | None:
        """What the drift costs the average customer, in seconds: the observed time over the
        designed one, as often as the card happens per case."""
        if self.observed is None or self.designed is None:
            return None
        return (self.observed.mean - self.designed) * self.per_case

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "designed": self.designed,
            "observed": self.observed.to_dict() if self.observed else None,
            "gap_before": self.gap_before.to_dict() if self.gap_before else None,
            "designed_wait": self.designed_wait,
            "drift": None if self.drift is None else round(self.drift, 4),
            "fit": self.fit.to_dict() if self.fit else None,
            "events": self.events,
            "cases": self.cases,
            "extra_per_case": None if self.extra_per_case is None else round(self.extra_per_case, 3),
            "fail": self.fail,
        }


@dataclass
class ResourceCalibration:
    name: str
    units: int  # how many work at the same time (compute._at_once): the simulation's capacity
    seen: int  # how many distinct resources did the work over the whole log
    hours: str | None
    events: int
    resources: list[str]  # the first 20 names seen

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "seen": self.seen,
            "hours": self.hours,
            "events": self.events,
            "resources": self.resources,
        }


@dataclass(frozen=True)
class Unmatched:
    activity: str
    events: int
    cases: int

    def to_dict(self) -> dict[str, Any]:
        return {"activity": self.activity, "events": self.events, "cases": self.cases}


@dataclass
class CalibrationResult:
    title: str
    cases: int
    events: int
    period_from: str
    period_to: str
    sources: list[str]
    one_timestamp: bool
    warnings: list[LogProblem]
    files: list[dict[str, Any]]
    matching: dict[str, dict[str, str]]
    arrivals: Arrivals = field(default_factory=lambda: Arrivals(None, {}, {}, 0.0))
    cards: dict[str, CardCalibration] = field(default_factory=dict)
    resources: dict[str, ResourceCalibration] = field(default_factory=dict)
    unmatched: list[Unmatched] = field(default_factory=list)
    unobserved: list[str] = field(default_factory=list)
    conformance: dict[str, Any] = field(default_factory=dict)

    def drifting(self, threshold: float) -> list[CardCalibration]:
        """Cards whose observed mean is off the designed one by more than `threshold` (0.25 = 25 %)."""
        return [c for c in self.cards.values() if c.drift is not None and abs(c.drift - 1.0) > threshold]

    def ranked(self) -> list[CardCalibration]:
        """Cards by what their drift costs the customer (most first), then the unmeasured ones."""
        return sorted(
            self.cards.values(),
            key=lambda c: (c.extra_per_case is None, -abs(c.extra_per_case or 0.0), c.id),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "cases": self.cases,
            "events": self.events,
            "period": {"from": self.period_from, "to": self.period_to},
            "arrivals": self.arrivals.to_dict(),
            "cards": {card_id: card.to_dict() for card_id, card in self.cards.items()},
            "resources": {name: r.to_dict() for name, r in self.resources.items()},
            "unmatched_activities": [u.to_dict() for u in self.unmatched],
            "unobserved_cards": list(self.unobserved),
            "conformance": self.conformance,
            "matching": self.matching,
            "sources": self.files,
            "one_timestamp": self.one_timestamp,
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
