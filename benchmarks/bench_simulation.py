"""Simulation speed: customers through a large blueprint.

The blueprint is a 50-step service in 10 stages, built the way real ones are:
every step has evidence, a customer action with a random duration, a system
card and a support process; 20 steps are served by staff who queue customers
(five roles with limited capacity), five steps send off-path work to a back
office, some steps branch (help desk for 20 %) and ten cards can fail.
"""

from __future__ import annotations

from typing import Any

from benchmarks.harness import Benchmark
from stageline.analysis.simulation import simulate
from stageline.model import Blueprint, BlueprintBuilder

ROLES = ("Agent", "Advisor", "Clerk", "Specialist", "Cashier")


def large_blueprint(customers: int = 100_000, *, staffed: int = 20) -> Blueprint:
    """A 50-step blueprint; `staffed` steps (spread evenly) queue customers for staff."""
    staffed_steps = {round(i * 50 / staffed): i for i in range(staffed)} if staffed else {}
    visits_per_role = max(1, staffed // len(ROLES))
    # Size each role for about 80 % utilisation at 60 customers an hour and 2 minutes per visit.
    capacity = max(1, round(60 * visits_per_role * 2 / 60 / 0.8))
    builder = BlueprintBuilder(
        "Large service",
        tolerance="4h",
        simulation={
            "arrivals": {"rate": "60/h"},
            "resources": {role: {"capacity": capacity} for role in ROLES} | {"Back office": {"capacity": 7}},
            "customers": customers,
        },
    )
    for stage in range(10):
        builder.stage(f"stage-{stage}", f"Stage {stage + 1}")
        for within in range(5):
            n = stage * 5 + within
            step = f"step-{n}"
            frontstage: dict[str, Any] = {"id": f"{step}-serve", "text": f"Serve at {step}", "cost": 3.0}
            if n in staffed_steps:
                frontstage |= {
                    "actor": ROLES[staffed_steps[n] % len(ROLES)],
                    "duration": {"dist": "exponential", "mean": "2m"},
                }
            else:
                frontstage |= {"actor": "Website", "duration": {"dist": "uniform", "min": "2s", "max": "10s"}}
            if n % 7 == 3:
                frontstage["fail"] = {"text": "Goes wrong", "p": 0.05, "recovery_time": "3m", "recovery_cost": 10}
            builder.step(
                step,
                evidence=f"Screen {n}",
                customer={
                    "id": f"{step}-act",
                    "text": f"Do {n}",
                    "duration": {"dist": "triangular", "min": "20s", "mode": "40s", "max": "2m"},
                },
                frontstage=frontstage,
                backstage={
                    "id": f"{step}-back",
                    "text": f"Back office work {n}",
                    "actor": "Back office" if n % 10 == 5 else "Back-end system",
                    "duration": "1m",
                },
                support={"id": f"{step}-support", "text": f"System {n}", "duration": "5s"},
            )
            builder.link(f"{step}-serve", f"{step}-support")
            if n % 10 == 8:
                builder.link(f"{step}-act", f"{step}-serve", p=0.2)
    return builder.build()


def _run(bp: Blueprint) -> object:
    return simulate(bp, seed=1)


BENCHMARKS = [
    Benchmark(
        "simulation: 100,000 customers, 50 steps (20 staffed)",
        _run,
        setup=large_blueprint,
        target=10.0,
        repeat=3,
        warmup=0,
    ),
    Benchmark(
        "simulation: 100,000 customers, 50 steps (all 50 staffed)",
        _run,
        setup=lambda: large_blueprint(staffed=50),
        target=None,
        repeat=1,
        warmup=0,
    ),
]
