"""The engine against queueing theory: long runs of textbook queues must match
the analytical mean queue wait within 5 %, and Little's law must hold.

Runs are 4 x 50,000 customers with fixed seeds: long enough that the estimate
sits well inside the tolerance, short enough for a second or two per case."""

from __future__ import annotations

from typing import Any

import pytest

from stageline.analysis.simulation import simulate

MEAN_SERVICE = 360.0  # six minutes


def erlang_c(rate_per_hour: float, mean_service: float, servers: int) -> float:
    from math import factorial

    lam, mu = rate_per_hour / 3600.0, 1.0 / mean_service
    a = lam / mu
    rho = a / servers
    top = a**servers / factorial(servers) / (1 - rho)
    waiting = top / (sum(a**k / factorial(k) for k in range(servers)) + top)
    return waiting / (servers * mu - lam)


@pytest.mark.parametrize(
    ("rate", "servers"),
    [(5.0, 1), (7.0, 1), (12.0, 2), (18.0, 3)],
    ids=["M/M/1 rho=0.5", "M/M/1 rho=0.7", "M/M/2 rho=0.6", "M/M/3 rho=0.6"],
)
def test_exponential_service_matches_erlang_c(make_queue: Any, rate: float, servers: int) -> None:
    bp = make_queue(rate=rate, service={"dist": "exponential", "mean": "6m"}, servers=servers, customers=50_000)
    report = simulate(bp, seed=0, replications=4)
    expected = erlang_c(rate, MEAN_SERVICE, servers)
    clerk = report.resources["Clerk"]
    assert clerk.wait.mean == pytest.approx(expected, rel=0.05)
    assert report.cards["answer"].wait.mean == pytest.approx(expected, rel=0.05)
    assert clerk.utilization == pytest.approx(rate * MEAN_SERVICE / 3600 / servers, rel=0.02)
    assert report.cards["answer"].service.mean == pytest.approx(MEAN_SERVICE, rel=0.01)


def test_deterministic_service_matches_pollaczek_khinchine(make_queue: Any) -> None:
    bp = make_queue(rate=7.0, service="6m", customers=50_000)
    report = simulate(bp, seed=0, replications=4)
    rho = 7.0 * MEAN_SERVICE / 3600
    expected = rho * MEAN_SERVICE / (2 * (1 - rho))  # M/D/1: half the M/M/1 wait
    assert report.resources["Clerk"].wait.mean == pytest.approx(expected, rel=0.05)
    assert report.cards["answer"].service.p99 == pytest.approx(MEAN_SERVICE)


def test_uniform_service_matches_pollaczek_khinchine(make_queue: Any) -> None:
    bp = make_queue(rate=6.0, service={"dist": "uniform", "min": "2m", "max": "10m"}, customers=50_000)
    report = simulate(bp, seed=0, replications=4)
    lam, mean, var = 6.0 / 3600, 360.0, (480.0**2) / 12
    rho = lam * mean
    expected = lam * (var + mean**2) / (2 * (1 - rho))  # M/G/1
    assert report.resources["Clerk"].wait.mean == pytest.approx(expected, rel=0.05)


@pytest.mark.parametrize("servers", [1, 2])
def test_littles_law_on_the_queue(make_queue: Any, servers: int) -> None:
    """L = lambda W: the time-average queue length (measured by integrating the
    queue over time) equals the arrival rate at the resource times the mean wait
    (measured per customer)."""
    bp = make_queue(
        rate=7.0 * servers, service={"dist": "exponential", "mean": "6m"}, servers=servers, customers=20_000
    )
    report = simulate(bp, seed=3)
    clerk = report.resources["Clerk"]
    arrival_rate = clerk.visits / clerk.window
    assert clerk.queue_mean == pytest.approx(arrival_rate * (clerk.wait.mean or 0.0), rel=0.01)
    assert clerk.queue_max >= 1


def test_total_time_is_wait_plus_service(make_queue: Any) -> None:
    bp = make_queue(rate=7.0, service={"dist": "exponential", "mean": "6m"}, customers=5_000)
    report = simulate(bp, seed=1)
    card = report.cards["answer"]
    assert report.customers.total_time.mean == pytest.approx((card.wait.mean or 0) + (card.service.mean or 0))
