"""From an event log to what the blueprint would say if it were measured.

Events are put in order within each case (by time, then by their place in the
file), exact duplicates dropped; then, per card, the duration of its events
(start to end) and the gap before each (from the end of the case's previous
event to its start); the arrival of each case (its first event) by hour of the
day and by weekday; who did each card's work; and whether each case followed
the blueprint's order. Everything is numpy over the whole log at once, except
the walk over distinct variants (paths through the blueprint).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

import numpy as np

from stageline.analysis.calibration.matching import Match
from stageline.analysis.calibration.result import (
    Arrivals,
    CalibrationResult,
    CardCalibration,
    ResourceCalibration,
    Unmatched,
)
from stageline.analysis.calibration.stats import fit, summarise
from stageline.formats.eventlog import EventLog, LogProblem
from stageline.model.blueprint import Blueprint
from stageline.model.elements import mean_seconds

HOUR, DAY = 3600.0, 86400.0
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOP = 10
HOURS_QUANTILES = (2.0, 98.0)  # the working day of a resource, without the odd late event
AT_WORK_GAP = HOUR  # a resource idle longer than this between two events was off work (a break, the shift's end)
PEAK_SHARE = 0.05  # units: the most resources at work at once for at least this share of the working time


def compute(bp: Blueprint, log: EventLog, matches: dict[str, Match], sources: list[str]) -> CalibrationResult:
    warnings: list[LogProblem] = list(log.warnings)
    card_ids = [card.id for _, card in bp.cards()]
    card_index = {card_id: i for i, card_id in enumerate(card_ids)}
    act_card = np.array([card_index[matches[a].card] if a in matches else -1 for a in log.activities], dtype=np.int32)

    moment = np.where(np.isnan(log.start), log.end, log.start)
    order = np.lexsort((log.row, log.file, moment, log.case))
    _unsorted_warning(log, moment, order, warnings)
    case, activity = log.case[order], log.activity[order]
    start, end, moment = log.start[order], log.end[order], moment[order]
    offset, resource, failed = log.offset[order], log.resource[order], log.failed[order]
    rows, files = log.row[order], log.file[order]

    same = np.zeros(case.size, dtype=bool)
    if case.size > 1:
        same[1:] = (
            (case[1:] == case[:-1])
            & (activity[1:] == activity[:-1])
            & _equal(start[1:], start[:-1])
            & _equal(end[1:], end[:-1])
            & (resource[1:] == resource[:-1])
        )
    if same.any():
        first = int(np.flatnonzero(same)[0])
        warnings.append(
            LogProblem(
                log.files[int(files[first])].name,
                f"the same event is in the log twice (case {log.cases[int(case[first])]!r}, "
                f"{log.activities[int(activity[first])]!r} at the same time); the copy is left out",
                int(rows[first]),
                None,
                "warning",
                int(same.sum()),
            )
        )
        keep = ~same
        case, activity, start, end, moment = case[keep], activity[keep], start[keep], end[keep], moment[keep]
        offset, resource, failed, rows, files = offset[keep], resource[keep], failed[keep], rows[keep], files[keep]

    events = int(case.size)
    first_of_case = np.ones(events, dtype=bool)
    first_of_case[1:] = case[1:] != case[:-1]
    finished = np.where(np.isnan(end), moment, end)
    previous = np.empty(events)
    previous[0] = np.nan
    previous[1:] = finished[:-1]
    previous[first_of_case] = np.nan
    single = np.isnan(start)
    # One time per event: the time since the case's previous event is the activity's
    # (its wait and its work together); there is no gap to tell apart.
    duration = np.where(single, end - previous, end - start)
    gap = np.where(single, np.nan, np.maximum(start - previous, 0.0))
    card = act_card[activity]
    cases = int(first_of_case.sum())

    result = CalibrationResult(
        title=bp.title,
        cases=cases,
        events=events,
        period_from=_iso(float(np.nanmin(moment)), _offset_at(offset, moment, np.nanargmin(moment)), log.aware),
        period_to=_iso(float(np.nanmax(finished)), _offset_at(offset, finished, np.nanargmax(finished)), log.aware),
        sources=sources,
        one_timestamp=bool(single.all()),
        warnings=warnings,
        files=[{"file": f.name, "kind": f.kind, "columns": f.columns, "events": f.events} for f in log.files],
        matching={a: {"card": m.card, "how": m.how} for a, m in sorted(matches.items())},
    )
    result.arrivals = _arrivals(moment[first_of_case] + offset[first_of_case])
    _cards(bp, result, card, case, duration, gap, failed, cases)
    result.unmatched = _unmatched(log, activity, case, card)
    result.unobserved = [card_id for card_id in card_ids if card_id not in result.cards]
    result.resources = _resources(bp, card, resource, start, end, offset, log)
    result.conformance = _conformance(bp, card_ids, case, card, activity, first_of_case, log, result)
    return result


def _equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a == b) | (np.isnan(a) & np.isnan(b)))


def _offset_at(offset: np.ndarray, values: np.ndarray, at: Any) -> int:
    return int(offset[int(at)]) if values.size else 0


def _iso(seconds: float, offset: int, aware: bool) -> str:
    if aware:
        zone = dt.timezone(dt.timedelta(seconds=offset))
        return dt.datetime.fromtimestamp(seconds, zone).isoformat()
    return (dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)).isoformat()


def _unsorted_warning(log: EventLog, moment: np.ndarray, order: np.ndarray, warnings: list[LogProblem]) -> None:
    """Events written out of time order within a case: sorted, and said so once."""
    written = log.file[order].astype(np.int64) << 40 | log.row[order]
    same_case = log.case[order][1:] == log.case[order][:-1]
    if not (same_case & (written[1:] < written[:-1])).any():
        return  # within every case, time order is the order written
    as_written = np.lexsort((log.row, log.file, log.case))
    c, t = log.case[as_written], moment[as_written]
    back = np.flatnonzero((c[1:] == c[:-1]) & (t[1:] < t[:-1])) + 1
    if not back.size:
        return
    first = int(as_written[back[0]])
    warnings.append(
        LogProblem(
            log.files[int(log.file[first])].name,
            f"events of case {log.cases[int(log.case[first])]!r} are not in time order: this one is earlier than "
            "the row before it; every case's events are sorted by time",
            int(log.row[first]),
            None,
            "warning",
            int(back.size),
        )
    )


def _arrivals(local: np.ndarray) -> Arrivals:
    """Cases started per hour of the day and per weekday, each over the time the log saw it."""
    local = np.sort(local[np.isfinite(local)])
    first, last = float(local[0]), float(local[-1])
    span = last - first
    hours = np.floor(local / HOUR).astype(np.int64)
    count_hour = np.bincount(hours % 24, minlength=24).astype(float)
    days = np.floor(local / DAY).astype(np.int64)
    count_day = np.bincount((days + 3) % 7, minlength=7).astype(float)  # 1970-01-01 was a Thursday
    exposure_hour = np.zeros(24)
    exposure_day = np.zeros(7)
    if span > 0:
        edges = np.arange(np.floor(first / HOUR) * HOUR, last + HOUR, HOUR)
        seen = np.clip(np.minimum(edges + HOUR, last) - np.maximum(edges, first), 0.0, HOUR)
        clock = (edges // HOUR).astype(np.int64)
        np.add.at(exposure_hour, clock % 24, seen / HOUR)
        np.add.at(exposure_day, ((clock // 24) + 3) % 7, seen / HOUR)
    rate = (local.size / (span / HOUR)) if span > 0 else None
    by_hour = {
        str(h): (round(float(count_hour[h] / exposure_hour[h]), 4) if exposure_hour[h] >= 0.25 else None)
        for h in range(24)
    }
    by_weekday = {
        WEEKDAYS[d]: (round(float(count_day[d] / exposure_day[d]), 4) if exposure_day[d] >= 1 else None)
        for d in range(7)
    }
    return Arrivals(
        rate_per_hour=None if rate is None else round(rate, 4),
        by_hour=by_hour,
        by_weekday=by_weekday,
        days=round(span / DAY, 2),
        span=span,
        daily=_schedule(count_hour, exposure_hour),
    )


SAME_RATE_SD = 3.0  # an hour whose rate is within this many standard errors joins the hours before it


def _schedule(count: np.ndarray, exposure: np.ndarray) -> dict[str, float]:
    """Rates by time of day where they really change: consecutive hours join while an hour's
    rate is within three Poisson standard errors of the rate of the hours joined so far.
    Hours the log did not see (less than a quarter of an hour of them) are 0/h."""
    found: dict[str, float] = {}
    start, total, seen = 0, 0.0, 0.0
    segments: list[tuple[int, float]] = []
    for hour in range(24):
        c, e = float(count[hour]), float(exposure[hour])
        if hour > 0:
            known, was_known = e >= 0.25, seen >= 0.25
            joins = known == was_known and (
                not known or abs(c / e - total / seen) <= SAME_RATE_SD * np.sqrt(max(total / seen, 1e-9) / e)
            )
            if not joins:
                segments.append((start, total / seen if seen >= 0.25 else 0.0))
                start, total, seen = hour, 0.0, 0.0
        total, seen = total + c, seen + e
    segments.append((start, total / seen if seen >= 0.25 else 0.0))
    for hour, rate in segments:
        found[f"{hour:02d}:00"] = float(f"{rate:.3g}") if rate > 0 else 0.0
    return found


def _cards(
    bp: Blueprint,
    result: CalibrationResult,
    card: np.ndarray,
    case: np.ndarray,
    duration: np.ndarray,
    gap: np.ndarray,
    failed: np.ndarray,
    cases: int,
) -> None:
    ordered = [c for _, c in bp.cards()]
    matched = card >= 0
    by_card = np.argsort(card, kind="stable")
    sorted_cards = card[by_card]
    bounds = np.searchsorted(sorted_cards, np.arange(len(ordered) + 1))
    for i, c in enumerate(ordered):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        if lo == hi:
            continue
        at = by_card[lo:hi]
        durations, gaps = duration[at], gap[at]
        observed = summarise(durations)
        designed = mean_seconds(c.duration) if c.duration is not None else None
        drift = observed.mean / designed if observed is not None and designed is not None and designed > 0 else None
        flags = failed[at]
        with_status = flags >= 0
        fail: dict[str, Any] | None = None
        if with_status.any():
            observed_p = float((flags[with_status] == 1).mean())
            fail = {
                "events": int(with_status.sum()),
                "failed": int((flags == 1).sum()),
                "p": round(observed_p, 4),
                "designed": c.fail.p if c.fail is not None else None,
            }
        result.cards[c.id] = CardCalibration(
            id=c.id,
            text=c.text,
            events=hi - lo,
            cases=int(np.unique(case[at]).size),
            designed=designed,
            designed_wait=c.wait,
            observed=observed,
            gap_before=summarise(gaps),
            drift=drift,
            fit=fit(durations),
            fail=fail,
            per_case=(hi - lo) / cases if cases else 0.0,
        )
    del matched


def _unmatched(log: EventLog, activity: np.ndarray, case: np.ndarray, card: np.ndarray) -> list[Unmatched]:
    loose = card < 0
    if not loose.any():
        return []
    acts, kases = activity[loose].astype(np.int64), case[loose].astype(np.int64)
    events = np.bincount(acts, minlength=len(log.activities))
    pairs = np.unique(acts * (len(log.cases) + 1) + kases)
    in_cases = np.bincount(pairs // (len(log.cases) + 1), minlength=len(log.activities))
    found = [Unmatched(log.activities[a], int(events[a]), int(in_cases[a])) for a in np.flatnonzero(events).tolist()]
    return sorted(found, key=lambda u: (-u.events, u.activity))


def _clock(seconds: float) -> str:
    minutes = round(seconds / 60.0) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _resources(
    bp: Blueprint,
    card: np.ndarray,
    resource: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    offset: np.ndarray,
    log: EventLog,
) -> dict[str, ResourceCalibration]:
    """Per actor (or department) of the cards: how many of its resources work at once (see
    `_at_once`), how many distinct ones the log saw, and the hours they work."""
    if not (resource >= 0).any():
        return {}
    ordered = [c for _, c in bp.cards()]
    owner = [c.actor or c.department for c in ordered]
    names = sorted({o for o in owner if o})
    found: dict[str, ResourceCalibration] = {}
    owner_code = {name: i for i, name in enumerate(names)}
    card_owner = np.array([owner_code[o] if o else -1 for o in owner] + [-1], dtype=np.int32)
    event_owner = card_owner[card]  # card -1 picks the trailing -1
    for name, code in owner_code.items():
        mine = (event_owner == code) & (resource >= 0)
        if not mine.any():
            continue
        who = np.unique(resource[mine])
        began = np.where(np.isnan(start[mine]), end[mine], start[mine]) + offset[mine]
        ended = np.where(np.isnan(end[mine]), began, end[mine] + offset[mine])
        day_start = np.mod(began, DAY)
        day_end = np.mod(ended, DAY)
        low = float(np.percentile(day_start, HOURS_QUANTILES[0]))
        high = float(np.percentile(day_end, HOURS_QUANTILES[1]))
        opening = np.floor(low / HOUR) * HOUR
        closing = np.ceil(high / HOUR) * HOUR
        hours = None
        if closing - opening < 23 * HOUR and closing > opening and float(np.max(ended - began)) < DAY:
            hours = f"{_clock(opening)}-{_clock(closing) if closing < DAY else '24:00'}"
            if closing >= DAY:
                hours = None
        absolute_start = np.where(np.isnan(start[mine]), end[mine], start[mine])
        absolute_end = np.where(np.isnan(end[mine]), absolute_start, end[mine])
        found[name] = ResourceCalibration(
            name=name,
            units=_at_once(resource[mine], absolute_start, absolute_end),
            seen=int(who.size),
            hours=hours,
            events=int(mine.sum()),
            resources=[log.resources[int(r)] for r in who[:20]],
        )
    return found


def _at_once(resource: np.ndarray, began: np.ndarray, ended: np.ndarray) -> int:
    """How many of these resources work at the same time: the simulation's units.

    A resource is at work from the start of an event to its end, and stays at work between two
    of its events that are at most `AT_WORK_GAP` (an hour) apart: a clerk between two customers
    is still on shift, one gone for longer has had a break or gone home. An event with one time
    is a moment, and a spell at work that is a single moment counts as a second. Over time, the
    number of resources at work is a step curve; the units are its highest level that lasts at
    least `PEAK_SHARE` (5 %) of the time any of them is at work, and at least 1. Not its peak:
    a shift that runs a few minutes over into the next, or a clerk who logs one late event,
    puts a resource more at work for a moment, and that would be a unit too many. Not the
    distinct resources seen either: ten clerks in rotating shifts, three at a time, are three
    units. When a schedule holds each staffing level for 5 % of the working time or more (a
    day in 20 or fewer equal slots), the units are exactly its peak.
    """
    finite = np.isfinite(began) & np.isfinite(ended)
    resource, began, ended = resource[finite], began[finite], ended[finite]
    if not began.size:
        return 1
    order = np.lexsort((began, resource))
    resource, began, ended = resource[order], began[order], ended[order]
    base = float(began.min())
    stride = float(ended.max()) - base + 2 * AT_WORK_GAP + 1.0
    other = resource[1:] != resource[:-1]
    group = np.concatenate(([0.0], np.cumsum(other, dtype=np.float64))) * stride
    # The latest end of a resource's events so far: a running maximum that starts again at each
    # resource, because every resource's times are lifted above all of the one before it.
    reach = np.maximum.accumulate(ended - base + group) - group + base
    fresh = np.ones(began.size, dtype=bool)
    fresh[1:] = other | (began[1:] - reach[:-1] > AT_WORK_GAP)
    first = np.flatnonzero(fresh)
    spell_start = began[first]
    spell_end = np.maximum(np.maximum.reduceat(ended, first), spell_start + 1.0)
    times = np.concatenate((spell_start, spell_end))
    step = np.concatenate((np.ones(first.size, dtype=np.int64), np.full(first.size, -1, dtype=np.int64)))
    sweep = np.lexsort((step, times))  # at the same time, one leaves before the next arrives
    level = np.cumsum(step[sweep])[:-1]
    time_at = np.bincount(level, weights=np.diff(times[sweep]))
    working = float(time_at[1:].sum())
    if working <= 0.0:
        return 1
    at_least = np.cumsum(time_at[::-1])[::-1]  # at_least[n]: the time n or more are at work
    held = np.flatnonzero(at_least >= PEAK_SHARE * working)
    return max(1, int(held[-1]))


def _conformance(
    bp: Blueprint,
    card_ids: list[str],
    case: np.ndarray,
    card: np.ndarray,
    activity: np.ndarray,
    first_of_case: np.ndarray,
    log: EventLog,
    result: CalibrationResult,
) -> dict[str, Any]:
    """Did each case go through the blueprint in its order (step by step, every card once)?"""
    step_of: list[int] = []
    steps = {step.id: i for i, (_, step) in enumerate(bp.steps())}
    for place, _ in bp.cards():
        step_of.append(steps[place.step.id])
    labels = card_ids + [f"({a})" for a in log.activities]
    # A matched event is its card; an unmatched one is its activity in brackets.
    token = np.where(card >= 0, card, len(card_ids) + activity).astype(np.int64)
    bounds = [*np.flatnonzero(first_of_case).tolist(), int(token.size)]
    tokens = token.tolist()
    variants = Counter(tuple(tokens[a:b]) for a, b in itertools.pairwise(bounds))
    total = sum(variants.values())
    fitting = 0
    deviations: Counter[str] = Counter()
    rework_cases: Counter[int] = Counter()
    rework_events: Counter[int] = Counter()
    listed: list[dict[str, Any]] = []
    for path, count in variants.most_common():
        cards_only = [t for t in path if t < len(card_ids)]
        found = _deviations(cards_only, step_of, card_ids)
        if not found:
            fitting += count
        for deviation in found:
            deviations[deviation] += count
        for t, times in Counter(cards_only).items():
            if times > 1:
                rework_cases[t] += count
                rework_events[t] += (times - 1) * count
        if len(listed) < TOP:
            listed.append(
                {"path": [labels[t] for t in path], "cases": count, "share": round(count / total, 4), "fits": not found}
            )
    with_rework = sum(
        count
        for path, count in variants.items()
        if len([t for t in path if t < len(card_ids)]) != len({t for t in path if t < len(card_ids)})
    )
    failures = {card_id: c.fail for card_id, c in result.cards.items() if c.fail is not None}
    return {
        "fitting_share": round(fitting / total, 4) if total else None,
        "fitting_cases": fitting,
        "variant_count": len(variants),
        "variants": listed,
        "deviations": [
            {"deviation": text, "cases": count, "share": round(count / total, 4)}
            for text, count in deviations.most_common(TOP)
        ],
        "rework": {
            "cases": with_rework,
            "share": round(with_rework / total, 4) if total else 0.0,
            "cards": {
                card_ids[t]: {"cases": rework_cases[t], "repeats": rework_events[t]}
                for t, _ in rework_cases.most_common()
            },
        },
        "failures": failures,
    }


def _deviations(path: list[int], step_of: list[int], card_ids: list[str]) -> list[str]:
    """How a path of cards departs from the blueprint: a card repeated, or a card after one
    that the blueprint puts in a later step."""
    found: list[str] = []
    seen: set[int] = set()
    latest = -1
    latest_card = -1
    for t in path:
        if t in seen:
            text = f"{card_ids[t]} repeated"
            if text not in found:
                found.append(text)
        seen.add(t)
        if step_of[t] < latest:
            text = f"{card_ids[t]} after {card_ids[latest_card]}"
            if text not in found:
                found.append(text)
        elif step_of[t] >= latest:
            latest, latest_card = step_of[t], t
    return found
