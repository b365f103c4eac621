"""Blueprints for the simulation tests, built in code."""

from __future__ import annotations

import math
from typing import Any

import pytest

from stageline.model import Blueprint, BlueprintBuilder


def queue_blueprint(
    *,
    rate: float,
    service: Any,
    servers: int = 1,
    customers: int | None = 20_000,
    horizon: str | None = None,
    tolerance: str | None = None,
    hours: str | None = None,
) -> Blueprint:
    """One step, one clerk pool: the textbook queue. `rate` is customers per hour;
    `service` a duration or a distribution mapping."""
    resource: dict[str, Any] = {"capacity": servers}
    if hours:
        resource["hours"] = hours
    simulation: dict[str, Any] = {"arrivals": {"rate": f"{rate}/h"}, "resources": {"Clerk": resource}}
    if customers is not None:
        simulation["customers"] = customers
    if horizon is not None:
        simulation["horizon"] = horizon
    props: dict[str, Any] = {"simulation": simulation}
    if tolerance:
        props["tolerance"] = tolerance
    return (
        BlueprintBuilder("Counter", **props)
        .stage("visit", "Visit")
        .step(
            "serve",
            customer={"id": "ask", "text": "Ask at the counter"},
            frontstage={"id": "answer", "text": "Answer the question", "actor": "Clerk", "duration": service},
        )
        .build()
    )


def erlang_c_wait(rate_per_hour: float, mean_service: float, servers: int) -> float:
    """Mean queue wait in seconds of an M/M/c queue (Erlang C)."""
    lam = rate_per_hour / 3600.0
    mu = 1.0 / mean_service
    a = lam / mu
    rho = a / servers
    top = a**servers / math.factorial(servers) / (1 - rho)
    waiting = top / (sum(a**k / math.factorial(k) for k in range(servers)) + top)
    return waiting / (servers * mu - lam)


@pytest.fixture
def counter() -> Blueprint:
    return queue_blueprint(rate=8, service={"dist": "exponential", "mean": "6m"}, tolerance="30m", customers=2000)


@pytest.fixture
def make_queue() -> Any:
    """The `queue_blueprint` factory, for tests that vary the queue."""
    return queue_blueprint
