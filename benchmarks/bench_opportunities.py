"""Costing opportunities: 10 opportunities, each a change to the 50-step
benchmark blueprint (a role +1, a service time shortened), simulated against
the current state with common random numbers. 10,000 customers per
opportunity (2 replications of 5,000, the least that gives a 95 % interval),
so 110,000 customers in all with the base, spread over the machine's cores:
under 10 s. And the team plan of a future state of the same blueprint."""

from __future__ import annotations

import os

from benchmarks.bench_simulation import ROLES, large_blueprint
from benchmarks.harness import Benchmark
from stageline.analysis.opportunities import cost_opportunities, team_plan
from stageline.model import Blueprint
from stageline.model.elements import Opportunity
from stageline.model.operations import SetProperty

CHANGES = [
    *(f"{role}=+1" for role in ROLES),
    "step-0-serve.duration=*0.5",
    "step-5-serve.duration=1m",
    "step-10-back.duration=*0.5",
    "Back office=+2",
    f"{ROLES[0]}=+1; step-2-act.duration=-10s",
]


def costed_blueprint() -> Blueprint:
    bp = large_blueprint(5_000)
    bp.opportunities = [
        Opportunity(id=f"idea-{i}", title=f"Idea {i}", change=[change], effort=1 + i % 5)
        for i, change in enumerate(CHANGES)
    ]
    assert len(bp.opportunities) == 10
    return bp


def _cost(bp: Blueprint) -> None:
    report = cost_opportunities(bp, seed=1, replications=2, workers=os.cpu_count() or 1)
    assert len(report.costed) == 10


def _plans() -> tuple[Blueprint, Blueprint]:
    current = large_blueprint(1_000)
    future = current.copy_deep()
    for n in range(0, 50, 3):
        SetProperty(target=f"step-{n}-serve", field="duration", value="1m").apply(future)
        SetProperty(target=f"step-{n}-back", field="department", value="Operations").apply(future)
    return current, future


BENCHMARKS = [
    Benchmark(
        "opportunities: 10 costed, 50 steps, 10,000 customers each",
        _cost,
        setup=costed_blueprint,
        target=10.0,
        repeat=3,
        warmup=0,
    ),
    Benchmark(
        "plan: 50-step current vs future, every team",
        lambda pair: team_plan(*pair).to_csv(),
        setup=_plans,
        target=1.0,
        repeat=5,
    ),
]
