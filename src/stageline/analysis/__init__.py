"""Analysis of a blueprint: checks, metrics, simulation and diff, over one time model.

The building blocks other features compute with:

* `customer_time_per_step(bp)`: the time model per step (docs/time-model.md);
* `actor_time_per_customer(bp)`: work seconds per customer by actor;
* `workload(bp)`: per actor time, share, steps, departments and utilisation;
* `Roster(bp)`: actor names resolved through the blueprint's `actors:`.
"""

from stageline.analysis.actors import Roster
from stageline.analysis.timing import StepTime, TimeModel, customer_time_per_step
from stageline.analysis.workload import ActorLoad, Workload, actor_time_per_customer, workload

__all__ = [
    "ActorLoad",
    "Roster",
    "StepTime",
    "TimeModel",
    "Workload",
    "actor_time_per_customer",
    "customer_time_per_step",
    "workload",
]
