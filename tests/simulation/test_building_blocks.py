"""The parts under the engine: durations, arrival processes, clock hours and
confidence intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stageline.analysis.simulation.arrivals import arrival_times
from stageline.analysis.simulation.clock import Hours, parse_clock
from stageline.analysis.simulation.routes import compile_route, executed_cards
from stageline.analysis.simulation.scenario import ArrivalPlan, compile_scenario
from stageline.analysis.simulation.stats import Stat, interval, t_critical
from stageline.analysis.simulation.variates import Duration, stream
from stageline.model import Distribution, Simulation
from stageline.model.blueprint import Blueprint

DISTRIBUTIONS = [
    Distribution(dist="exponential", mean=120),
    Distribution(dist="uniform", min=60, max=180),
    Distribution(dist="triangular", min=30, mode=60, max=270),
    Distribution(dist="normal", mean=120, sd=20),
    Distribution(dist="lognormal", mean=120, sd=60),
    Distribution(dist="constant", mean=120),
]


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=lambda d: d.dist)
def test_durations_have_the_mean_they_are_given(dist: Distribution) -> None:
    duration = Duration.of(dist)
    assert duration is not None
    draws = duration.draw(stream(0, 0, "test"), 200_000)
    assert draws.mean() == pytest.approx(dist.mean_seconds, rel=0.01)
    assert draws.min() >= 0
    if dist.dist == "lognormal":
        assert draws.std() == pytest.approx(60, rel=0.03)
    if dist.dist in ("uniform", "triangular"):
        assert draws.min() >= (dist.min or 0) and draws.max() <= (dist.max or 0)


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=lambda d: d.dist)
def test_scaling_keeps_the_random_numbers(dist: Distribution) -> None:
    duration = Duration.of(dist)
    assert duration is not None
    base = duration.draw(stream(1, 2, "x", "card"), 1000)
    half = duration.scaled(0.5).draw(stream(1, 2, "x", "card"), 1000)
    np.testing.assert_allclose(half, base * 0.5)
    assert duration.with_mean(60).expected == pytest.approx(60)


def test_streams_are_independent_by_name_and_replication() -> None:
    a = stream(0, 0, "duration", "a").random(5)
    assert not np.array_equal(a, stream(0, 0, "duration", "b").random(5))
    assert not np.array_equal(a, stream(0, 1, "duration", "a").random(5))
    assert np.array_equal(a, stream(0, 0, "duration", "a").random(5))


@settings(max_examples=40, deadline=None)
@given(
    rates=st.lists(st.floats(min_value=0, max_value=200), min_size=1, max_size=4),
    hours=st.lists(st.integers(min_value=0, max_value=23), min_size=1, max_size=4, unique=True),
    horizon=st.floats(min_value=600, max_value=3 * 86400),
)
def test_scheduled_arrivals_are_ordered_and_inside_the_horizon(
    rates: list[float], hours: list[int], horizon: float
) -> None:
    schedule = tuple(sorted((h * 3600.0, r / 3600) for h, r in zip(hours, rates, strict=False)))
    if not any(r > 0 for _, r in schedule):
        return
    plan = ArrivalPlan(schedule=schedule)
    times = arrival_times(plan, schedule[0][0], None, horizon, stream(0, 0, "arrivals"))
    assert np.all(np.diff(times) >= 0)
    assert times.size == 0 or (times[0] >= 0 and times[-1] <= horizon)
    # Nobody arrives while the rate is zero.
    clocks = (times + schedule[0][0]) % 86400
    index = np.searchsorted([c for c, _ in schedule], clocks, side="right") - 1
    rate_now = np.array([r for _, r in schedule])[index]
    assert np.all(rate_now > 0)


def test_arrival_counts_follow_the_rate() -> None:
    plan = ArrivalPlan(schedule=((8 * 3600.0, 100 / 3600), (9 * 3600.0, 10 / 3600), (20 * 3600.0, 0.0)))
    counts = [arrival_times(plan, 8 * 3600.0, None, 2 * 3600.0, stream(s, 0, "arrivals")).size for s in range(40)]
    assert np.mean(counts) == pytest.approx(110, rel=0.05)


def test_customer_count_limits_arrivals() -> None:
    times = arrival_times(ArrivalPlan(rate=1 / 60), 0.0, 12_345, None, stream(0, 0, "arrivals"))
    assert times.size == 12_345
    assert times[-1] / times.size == pytest.approx(60, rel=0.03)


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [("09:00-17:00", "12:00", "17:00"), ("22:00-06:00", "23:30", "12:00"), ("00:00-24:00", "03:00", None)],
)
def test_opening_hours(text: str, inside: str, outside: str | None) -> None:
    hours = Hours.parse(text)
    assert hours.is_open(parse_clock(inside))
    if outside is not None:
        assert not hours.is_open(parse_clock(outside))
    assert hours.open_seconds(0, 86400 * 3) == pytest.approx(hours.length * 3)


def test_bad_clock_times() -> None:
    for text in ("9:00", "25:00", "12:60", "noon"):
        with pytest.raises(ValueError):
            parse_clock(text)


def test_t_critical_values() -> None:
    assert t_critical(1) == pytest.approx(12.706)
    assert t_critical(9) == pytest.approx(2.262)
    assert t_critical(60) == pytest.approx(2.000, abs=0.002)
    assert t_critical(10_000) == pytest.approx(1.960, abs=0.001)
    with pytest.raises(ValueError):
        t_critical(0)


def test_interval_covers_the_mean_about_95_percent_of_the_time() -> None:
    rng = np.random.default_rng(0)
    hits = 0
    for _ in range(2000):
        sample = rng.normal(10.0, 3.0, size=5)
        i = interval(sample.tolist())
        assert i.low is not None and i.high is not None
        hits += i.low <= 10.0 <= i.high
    assert hits / 2000 == pytest.approx(0.95, abs=0.015)
    assert interval([4.0]).half_width is None


def test_stat_of_empty_and_average() -> None:
    empty = Stat.of(np.zeros(0))
    assert empty.mean is None
    one = Stat.of(np.arange(101, dtype=float))
    assert (one.p50, one.p90, one.p99) == (50.0, 90.0, 99.0)
    both = Stat.average([one, empty, Stat.of(np.arange(101, dtype=float) + 10)])
    assert both.mean == 55.0 and both.ci is not None and math.isfinite(both.ci)


def test_branches_propagate_along_links(hotel: Blueprint) -> None:
    hotel.links[0].p = 0.5  # check-in.customer <-> registration
    hotel.invalidate()
    scenario = compile_scenario(hotel, Simulation.model_validate({"arrivals": {"rate": "1/h"}}))
    index = scenario.card_index()
    skipped = executed_cards(scenario, (False,))
    # Registration is behind the branch; the key card and the system follow it.
    assert not skipped[index["registration"]]
    assert not skipped[index["check-in.backstage"]]
    assert not skipped[index["check-in.support"]]
    assert skipped[index["check-in.customer"]] and skipped[index["room.backstage"]]
    assert all(executed_cards(scenario, (True,)))
    route = compile_route(scenario, skipped)
    assert all(index["registration"] not in cards for cards, _ in route.segments)
