"""What-if changes: `Front desk clerk=+1`, `Kitchen=3`, `registration.duration=*0.5`.

One what-if is one variant; several changes joined with `;` form one variant
(`Front desk clerk=+1; registration.duration=2m`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from stageline.analysis.actors import normalise
from stageline.analysis.simulation.errors import SimulationError
from stageline.analysis.simulation.scenario import Scenario, checked_capacity
from stageline.analysis.simulation.variates import Duration
from stageline.model.integrity import suggest
from stageline.model.quantities import humanize_duration, parse_duration

WHAT_IF_HELP = (
    "write NAME=+1, NAME=-1 or NAME=3 for a resource's capacity, or CARD-ID.duration=*0.5, "
    "CARD-ID.duration=2m or CARD-ID.duration=+30s for a card's duration; join changes to one variant with ';'"
)
# The longest a changed card may take (a century): past it a factor such as *1e308 has only
# made the number overflow, and no step of a service lasts that long.
MAX_DURATION = 100 * 365 * 86_400.0
_CAPACITY = re.compile(r"^\s*([+-]?)\s*(\d+)\s*$")


@dataclass(frozen=True)
class Change:
    text: str
    resource: int | None = None
    capacity: str | None = None  # "+1", "-1" or "3"
    card: int | None = None
    factor: float | None = None
    mean: float | None = None
    shift: float | None = None

    def apply(self, scenario: Scenario) -> Scenario:
        if self.resource is not None and self.capacity is not None:
            current = scenario.resources[self.resource].capacity
            wanted = current + int(self.capacity) if self.capacity[0] in "+-" else int(self.capacity)
            if wanted < 1:
                name = scenario.resources[self.resource].name
                raise SimulationError(
                    f"what-if {self.text!r}: {name!r} would have {wanted} units; a resource needs at least 1",
                    hint=f"It has {current} now.",
                )
            checked_capacity(wanted, f"what-if {self.text!r}")
            return scenario.with_capacity(self.resource, wanted)
        assert self.card is not None
        plan = scenario.cards[self.card]
        duration = plan.duration
        if duration is None:
            duration = Duration("constant", mean=0.0)
        if self.factor is not None:
            duration = duration.scaled(self.factor)
        elif self.mean is not None:
            duration = duration.with_mean(self.mean)
        elif self.shift is not None:
            target = duration.expected + self.shift
            if target < 0:
                raise SimulationError(
                    f"what-if {self.text!r}: the duration of {plan.id!r} would be negative",
                    hint=f"It is {humanize_duration(duration.expected)} on average now.",
                )
            duration = duration.with_mean(target)
        if not math.isfinite(duration.expected) or duration.expected > MAX_DURATION:
            raise SimulationError(
                f"what-if {self.text!r}: the duration of {plan.id!r} would be longer than a century, "
                "more than the simulation models",
                hint=f"It is {humanize_duration((plan.duration or duration).expected)} on average now.",
            )
        return scenario.with_duration(self.card, duration)


@dataclass(frozen=True)
class WhatIf:
    name: str
    changes: tuple[Change, ...]

    def apply(self, scenario: Scenario) -> Scenario:
        for change in self.changes:
            scenario = change.apply(scenario)
        return scenario


def parse_what_if(text: str, scenario: Scenario) -> WhatIf:
    """One variant from its text; raises SimulationError naming what is wrong."""
    parts = [part.strip() for part in text.split(";") if part.strip()]
    if not parts:
        raise SimulationError(f"what-if {text!r} is empty", hint=WHAT_IF_HELP)
    return WhatIf(" ; ".join(parts), tuple(_change(part, scenario) for part in parts))


def as_change(message: str) -> str:
    """A what-if message as it reads for an opportunity's `change` ("change 'X=+1': ...")."""
    return message.replace("what-if ", "change ", 1) if message.startswith("what-if ") else message


def _change(text: str, scenario: Scenario) -> Change:
    left, equals, right = text.rpartition("=")
    left, right = left.strip(), right.strip()
    if not equals or not left or not right:
        raise SimulationError(f"what-if {text!r} is not a change", hint=WHAT_IF_HELP)
    if left.endswith(".duration"):
        return _duration_change(text, left.removesuffix(".duration"), right, scenario)
    card, dot, field = left.rpartition(".")
    if dot and card in scenario.card_index() and left not in scenario.resource_index():
        raise SimulationError(
            f"what-if {text!r}: a what-if changes a card's duration, not its {field!r}",
            hint=f"write {card}.duration=*0.5, {card}.duration=2m or {card}.duration=+30s",
        )
    return _capacity_change(text, left, right, scenario)


def _capacity_change(text: str, name: str, value: str, scenario: Scenario) -> Change:
    names = [r.name for r in scenario.resources]
    index = scenario.resource_index().get(name)
    if index is None:
        folded = {n.casefold(): i for i, n in enumerate(names)}
        index = folded.get(name.casefold())
    if index is None:
        # A declared actor's alias names its resource too ("Doctor=+1" for the ED physician).
        actor = dict(scenario.aliases).get(normalise(name))
        index = scenario.resource_index().get(actor) if actor is not None else None
    if index is None:
        listed = ", ".join(repr(n) for n in names) or "none"
        if name in scenario.staff:
            raise SimulationError(
                f"what-if {text!r}: {name!r} works on cards but is not a resource, so it has no capacity to change",
                hint=f"Add it under simulation.resources to simulate its queue. Resources now: {listed}.",
            )
        raise SimulationError(
            f"what-if {text!r}: there is no resource {name!r}{suggest(name, names)}",
            hint=f"Resources in simulation.resources: {listed}. To change a card's duration write "
            "CARD-ID.duration=*0.5.",
        )
    match = _CAPACITY.match(value)
    if not match:
        raise SimulationError(
            f"what-if {text!r}: {value!r} is not a capacity change", hint="write +1, -1 or a number of units such as 3"
        )
    sign, amount = match.groups()
    return Change(text, resource=index, capacity=f"{sign}{amount}" if sign else amount)


def _duration_change(text: str, card_id: str, value: str, scenario: Scenario) -> Change:
    index = scenario.card_index().get(card_id)
    if index is None:
        raise SimulationError(
            f"what-if {text!r}: there is no card {card_id!r}{suggest(card_id, list(scenario.card_index()))}",
            hint=WHAT_IF_HELP,
        )
    try:
        if value.startswith("*"):
            factor = float(value[1:])
            if not factor >= 0 or factor == float("inf"):
                raise ValueError
            return Change(text, card=index, factor=factor)
        if value[0] in "+-":
            shift = parse_duration(value[1:])
            return Change(text, card=index, shift=shift if value[0] == "+" else -shift)
        return Change(text, card=index, mean=parse_duration(value))
    except ValueError:
        raise SimulationError(
            f"what-if {text!r}: {value!r} is not a duration change",
            hint="write *0.5 to scale it, 2m to set its mean, +30s or -30s to shift it",
        ) from None
