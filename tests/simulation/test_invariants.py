"""Whatever the blueprint, the simulation keeps its books: everyone who arrives
leaves, shares are shares, the queue integral equals the waits, and a seed
always gives the same report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stageline.analysis.simulation import simulate
from stageline.model import Blueprint, BlueprintBuilder
from stageline.model.operations import SetProperty

ACTORS = ["Clerk", "Cook", "Runner", "Kiosk"]
LANES = ["customer", "frontstage", "backstage", "support"]


@st.composite
def blueprints(draw: Any) -> Blueprint:
    resources: dict[str, Any] = {}
    for actor in draw(st.lists(st.sampled_from(ACTORS[:3]), unique=True, max_size=3)):
        resource: dict[str, Any] = {"capacity": draw(st.integers(1, 3))}
        if draw(st.booleans()):
            opening = draw(st.integers(0, 20))
            resource["hours"] = f"{opening:02d}:00-{opening + draw(st.integers(1, 3)):02d}:00"
        resources[actor] = resource
    if draw(st.booleans()):
        arrivals: dict[str, Any] = {"rate": f"{draw(st.integers(1, 40))}/h"}
    else:
        times = draw(st.lists(st.integers(0, 23), min_size=1, max_size=3, unique=True))
        arrivals = {"schedule": {f"{t:02d}:00": f"{draw(st.integers(0, 40))}/h" for t in times}}
        if all(rate == "0/h" for rate in arrivals["schedule"].values()):
            arrivals["schedule"][f"{times[0]:02d}:00"] = "5/h"
    simulation = {"arrivals": arrivals, "resources": resources, "customers": draw(st.integers(1, 150))}
    builder = BlueprintBuilder("Fuzzed", tolerance="30m", simulation=simulation).stage("s", "S")
    ids: list[str] = []
    for n in range(draw(st.integers(1, 3))):
        cells: dict[str, Any] = {}
        for lane in draw(st.lists(st.sampled_from(LANES), min_size=1, max_size=4, unique=True)):
            card_id = f"c{n}-{lane}"
            card: dict[str, Any] = {"id": card_id, "text": card_id}
            if lane != "customer":
                card["actor"] = draw(st.sampled_from(ACTORS))
            kind = draw(st.sampled_from(["none", "fixed", "exponential", "triangular"]))
            if kind == "fixed":
                card["duration"] = f"{draw(st.integers(0, 20))}m"
            elif kind == "exponential":
                card["duration"] = {"dist": "exponential", "mean": f"{draw(st.integers(1, 20))}m"}
            elif kind == "triangular":
                card["duration"] = {"dist": "triangular", "min": "1m", "mode": "2m", "max": "9m"}
            if draw(st.booleans()):
                card["wait"] = f"{draw(st.integers(0, 10))}m"
            if draw(st.booleans()):
                card["cost"] = draw(st.integers(0, 10))
            if draw(st.booleans()):
                card["fail"] = {"text": "Oops", "p": draw(st.floats(0, 1)), "recovery_time": "2m", "recovery_cost": 3}
            cells[lane] = card
            ids.append(card_id)
        builder.step(f"step-{n}", **cells)
    for source, target in draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=4)):
        if source != target:
            try:
                builder.link(source, target, p=draw(st.none() | st.floats(0, 1)), two_way=draw(st.booleans()))
            except Exception:  # a duplicate link: the model refuses it, which is fine here
                continue
    bp = builder.build()
    used = {card.actor for _, card in bp.cards()}
    SetProperty(
        field="simulation", value={**simulation, "resources": {k: v for k, v in resources.items() if k in used}}
    ).apply(bp)
    return bp


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bp=blueprints(), seed=st.integers(0, 2**32))
def test_the_books_balance(bp: Blueprint, seed: int) -> None:
    report = simulate(bp, seed=seed)
    customers = report.customers
    assert customers.completed == customers.arrived > 0
    assert (customers.total_time.p50 or 0) >= 0
    assert 0 <= (customers.over_tolerance or 0) <= 1
    for card in report.cards.values():
        assert 0 <= card.share <= 1
        assert (card.wait.mean or 0) >= 0 and (card.service.mean or 0) >= 0
        assert 0 <= card.heat <= 1
    for resource in report.resources.values():
        assert 0 <= resource.utilization <= 1
        assert all(v is None or 0 <= v <= 1 for v in resource.hourly)
        waited = resource.visits * (resource.wait.mean or 0)
        assert resource.queue_mean * resource.window == pytest.approx(waited, rel=1e-6, abs=1e-6)
    text = report.to_json()
    json.loads(text)
    assert simulate(bp, seed=seed).to_json() == text
