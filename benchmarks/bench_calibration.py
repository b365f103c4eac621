"""Calibration speed: a blueprint measured against a log of 1,000,000 events.

The log is a CSV of 250,000 cases through a four-card front desk (start and
end times, a resource and a status on every row), written once in the setup;
the benchmark reads it, matches its activities, computes every figure of the
report and the calibrated blueprint.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.harness import Benchmark
from stageline.analysis.calibration import calibrate, calibrated
from stageline.formats.yaml_format import loads

BLUEPRINT = """\
stageline: 1
title: Front desk
stages:
  - id: arrive
    title: Arrive
    steps:
      - id: check-in
        customer: {id: give-name, text: Give name at the desk, duration: 1m}
        frontstage: {id: register, text: Register the guest, actor: Front desk clerk, duration: 4m}
      - id: key
        customer: {id: take-key, text: Take the key, duration: 30s}
        backstage: {id: encode, text: Encode the key card, actor: Front desk clerk, duration: 1m}
"""
ACTIVITIES = ("Give name at the desk", "register", "encode", "Take the key")
EVENTS = 1_000_000


def write_log(path: Path, events: int = EVENTS, seed: int = 0) -> Path:
    """`events` rows: cases of four activities each, arriving at 12 an hour."""
    rng = np.random.default_rng(seed)
    cases = events // len(ACTIVITIES)
    arrival = np.cumsum(rng.exponential(300.0, cases)) + 1.7e9
    durations = np.stack(
        [
            rng.exponential(60.0, cases),
            rng.lognormal(np.log(280.0), 0.4, cases),
            rng.uniform(30.0, 90.0, cases),
            rng.uniform(20.0, 40.0, cases),
        ]
    )
    gaps = np.stack([np.zeros(cases), rng.exponential(120.0, cases), np.full(cases, 5.0), np.full(cases, 5.0)])
    start = np.empty((4, cases))
    end = np.empty((4, cases))
    t = arrival
    for i in range(4):
        start[i] = t + gaps[i]
        end[i] = start[i] + durations[i]
        t = end[i]
    desks = rng.integers(1, 6, cases)
    status = np.where(rng.random(cases) < 0.05, "failed", "ok")

    def stamp(seconds: np.ndarray) -> np.ndarray:
        return np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")

    with path.open("w", encoding="utf-8") as stream:
        stream.write("case,activity,start,end,resource,status\n")
        for i, activity in enumerate(ACTIVITIES):
            s, e = stamp(start[i]), stamp(end[i])
            stream.writelines(f"c{c},{activity},{s[c]},{e[c]},desk-{desks[c]},{status[c]}\n" for c in range(cases))
    return path


def _setup() -> tuple[object, Path]:
    folder = Path(tempfile.mkdtemp(prefix="stageline-bench-calibration-"))
    atexit.register(shutil.rmtree, folder, True)  # the 60 MB log goes when the run ends
    return loads(BLUEPRINT), write_log(folder / "log.csv")


def _run(state: tuple[object, Path]) -> None:
    bp, path = state
    result = calibrate(bp, [path])  # type: ignore[arg-type]
    calibrated(bp, result)  # type: ignore[arg-type]
    assert result.events == EVENTS


BENCHMARKS = [
    Benchmark("calibrate: 1,000,000 events (CSV, 250,000 cases)", _run, _setup, target=10.0, repeat=3, warmup=0),
]
