"""Event logs generated from known distributions, for the calibration tests and benchmark.

The service is a hotel front desk: the guest gives their name (exponential,
mean 60 s), waits (exponential gap, mean 2 min) and is registered by one of
three clerks (lognormal, mean 5 min, sd 2.5 min; 10 % fail), then takes the
key (uniform 20-40 s, 5 s after). Some cases get the key before they are
registered (out of order) and some are registered twice (rework). Cases
arrive as a Poisson process whose rate may change by hour of the day.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FRONT_DESK = """\
stageline: 1
title: Front desk
# The hotel's front desk, drawn in the workshop.
stages:
  - id: arrive
    title: Arrive
    steps:
      - id: check-in
        customer: {id: give-name, text: Give name at the desk, duration: 1m}
        frontstage:
          id: register
          text: Register the guest
          actor: Front desk clerk   # whoever is on shift
          duration: 4m
          fail: {text: Booking not found, p: 0.05}
      - id: key
        customer: {id: take-key, text: Take the key, duration: 30s}
        backstage: {id: encode, text: Encode the key card, actor: Front desk clerk, duration: 1m}
"""

START = dt.datetime(2024, 3, 4)  # a Monday
HEADINGS = ["Case ID", "Activity", "Start Time", "End Time", "Resource", "Status"]


@dataclass
class Truth:
    cases: int = 0
    out_of_order: int = 0
    rework: int = 0
    failed: int = 0
    registrations: int = 0
    rows: list[list[str]] = field(default_factory=list)


def arrivals(rng: np.random.Generator, days: int, rate_by_hour: list[float]) -> np.ndarray:
    """Arrival times (seconds from START) of a Poisson process whose rate follows the hour of
    the day, by thinning a process at the highest rate."""
    top = max(rate_by_hour)
    horizon = days * 86400.0
    count = rng.poisson(top * horizon / 3600.0)
    times = np.sort(rng.uniform(0.0, horizon, count))
    hour = (times // 3600).astype(int) % 24
    keep = rng.uniform(0.0, top, count) < np.asarray(rate_by_hour)[hour]
    return times[keep]


def front_desk_log(
    *,
    days: int = 30,
    rate_by_hour: list[float] | None = None,
    out_of_order: float = 0.0,
    rework: float = 0.0,
    seed: int = 7,
) -> Truth:
    rng = np.random.default_rng(seed)
    rates = rate_by_hour or [12.0] * 24
    times = arrivals(rng, days, rates)
    truth = Truth(cases=int(times.size))
    sigma2 = np.log(1 + 0.5**2)
    mu = np.log(300.0) - sigma2 / 2

    def stamp(seconds: float) -> str:
        return (START + dt.timedelta(seconds=float(seconds))).isoformat(sep=" ", timespec="milliseconds")

    for i, t in enumerate(times.tolist()):
        case = f"guest-{i:06d}"
        name_end = t + rng.exponential(60.0)
        register_start = name_end + rng.exponential(120.0)
        register_end = register_start + rng.lognormal(mu, np.sqrt(sigma2))
        clerk = f"desk-{int(rng.integers(1, 4))}"
        failed = rng.random() < 0.1
        truth.failed += int(failed)
        truth.registrations += 1
        rows = [
            [case, "Give name at desk", stamp(t), stamp(name_end), "", ""],
            [case, "register", stamp(register_start), stamp(register_end), clerk, "failed" if failed else "ok"],
        ]
        last = register_end
        if rng.random() < out_of_order:
            # The key is handed over before the registration is done.
            truth.out_of_order += 1
            key_start = name_end  # the registration starts later
            rows.insert(1, [case, "Take the key!", stamp(key_start), stamp(key_start + 30), "", "ok"])
            truth.rows.extend(rows)
            continue
        if rng.random() < rework:
            truth.rework += 1
            again = last + 10
            rows.append([case, "register", stamp(again), stamp(again + 120), clerk, "ok"])
            truth.registrations += 1
            last = again + 120
        key_start = last + 5
        rows.append([case, "Take the key!", stamp(key_start), stamp(key_start + rng.uniform(20, 40)), "", "ok"])
        truth.rows.extend(rows)
    return truth


def write_csv(path: Path, rows: list[list[str]], headings: list[str] = HEADINGS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


HOTEL_HEADINGS = "Ticket,Activity,Start Time,End Time,Desk,Outcome\n"


def hotel_log_text(cases: int = 12) -> str:
    """A log of the small hotel blueprint (helpers/blueprints.py): registration takes 6 minutes
    against the 4 drawn; the rest is on design."""
    rows = [HOTEL_HEADINGS]
    for i in range(cases):
        hour = 8 + i % 10
        day = 4 + i // 10
        at = f"2024-03-{day:02d} {hour:02d}"
        rows.append(f"t{i},Check in,{at}:00:00,{at}:01:00,,\n")
        rows.append(
            f"t{i},Process registration,{at}:02:00,{at}:08:00,desk-{1 + i % 2},{'failed' if i == 0 else 'ok'}\n"
        )
        rows.append(f"t{i},Go to the room,{at}:09:00,{at}:14:00,,\n")
        rows.append(f"t{i},Order room service,{at}:20:00,{at}:21:00,,\n")
    return "".join(rows)
