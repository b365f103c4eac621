"""SL4xx: Shostack's time frame, waits, the customer's tolerance, and the load the simulation runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule
from stageline.analysis.timing import has_duration
from stageline.model.quantities import humanize_duration

if TYPE_CHECKING:
    from stageline.analysis.simulation.errors import SimulationError


@rule(
    "SL401",
    "wait-without-duration",
    Severity.WARNING,
    summary="The customer waits in a step whose work has no duration.",
    rationale="""
Shostack (1984) sets a standard execution time for every step: without it the
wait cannot be weighed against the work it waits for, and the step's share of
the customer's tolerance is unknown. A wait recorded with no duration anywhere
in its step is half a time standard.
""",
    fix="Give the step's cards a `duration` (a number, `5m`, or a distribution such as "
    "`{dist: triangular, min: 2m, mode: 4m, max: 10m}`).",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: collect
        customer: {text: Collect the coffee, wait: 4m}
        frontstage: {text: Hand over the cup, actor: Barista}
""",
)
def wait_without_duration(ctx: Context) -> Iterator[Hit]:
    for place, card in ctx.places:
        if card.wait and ctx.is_visible(place.lane) and not has_duration(place.step):
            yield Hit.at_card(
                place,
                card,
                f"the customer waits {humanize_duration(card.wait)} before {card.text!r} "
                f"but no card in step {place.step.display_title!r} has a duration",
            )


@rule(
    "SL402",
    "over-tolerance",
    Severity.ERROR,
    summary="Customer-facing time is longer than the customer's tolerance.",
    rationale="""
Shostack (1984) compares the service's execution time with the tolerance the
customer will bear (her shoeshine: a standard of two minutes, a tolerance of
five). Past the tolerance the customer gives up or leaves unhappy, and profit
per transaction falls with every extra minute.
""",
    fix="Shorten the steps with the most customer-facing time (see `stageline metrics`): "
    "cut waits, move work below the line of visibility, or run it in parallel; or revise "
    "`tolerance` if research shows customers accept more.",
    example="""
stageline: 1
title: Coffee to go
tolerance: 5m
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: {text: Order a coffee, wait: 6m}
        frontstage: {text: Take the order, actor: Barista, duration: 1m}
""",
)
def over_tolerance(ctx: Context) -> Iterator[Hit]:
    tolerance = ctx.bp.tolerance
    if tolerance is None:
        return
    total = ctx.time.in_service
    if total > tolerance:
        yield Hit(
            f"customer-facing time is {humanize_duration(total)}, over the tolerance of "
            f"{humanize_duration(tolerance)} by {humanize_duration(total - tolerance)}"
        )


@rule(
    "SL403",
    "no-tolerance",
    Severity.INFO,
    summary="The blueprint has durations or waits but no tolerance.",
    rationale="""
The tolerance is the time the customer will accept for the whole service
(Shostack 1984). Without it, customer-facing time has nothing to be measured
against and `over-tolerance` cannot warn.
""",
    fix="Set `tolerance` on the blueprint (for example `tolerance: 20m`), from research with customers.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: {text: Order a coffee, wait: 2m}
        frontstage: {text: Take the order, actor: Barista, duration: 1m}
""",
)
def no_tolerance(ctx: Context) -> Iterator[Hit]:
    if ctx.bp.tolerance is not None:
        return
    if any(card.duration is not None or card.wait for _, card in ctx.places):
        yield Hit("the blueprint records time but no tolerance to measure it against")


@rule(
    "SL404",
    "no-time-standard",
    Severity.INFO,
    summary="No card has a duration: the blueprint has no time frame.",
    rationale="""
Setting a time frame, a standard execution time for each step, is one of
Shostack's (1984) four moves, and the base of every time and cost metric.
Without durations the blueprint cannot show where time goes.
""",
    fix="Add a `duration` to the cards that take time, starting with the customer-visible ones.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: {text: Take the order, actor: Barista}
""",
)
def no_time_standard(ctx: Context) -> Iterator[Hit]:
    if ctx.places and not any(card.duration is not None for _, card in ctx.places):
        yield Hit("no card has a duration, so the blueprint has no time standard")


@rule(
    "SL405",
    "simulation-cannot-run",
    Severity.ERROR,
    summary="`stageline simulate` cannot run the `simulation` section: a resource no card names, a card actor "
    "that nearly names a resource, a resource of more units than it models, opening hours or a schedule time "
    "that is no time of day, arrivals that never come, a horizon of zero.",
    rationale="""
The `simulation` section says how customers arrive and which staff are
scarce, so `stageline simulate` can show where the service queues under load
(Shostack 1984 sets a time frame for each step; load shows where it cannot be
kept) and `stageline opportunities` can cost a change. A section the simulation
cannot run is otherwise found only when someone runs it, and a card whose actor
is nearly a resource's name would quietly drop out of that resource and move
the bottleneck. The section is read here as `stageline simulate` reads it (the
scenario is built, no customer is simulated) and the first problem that stops
it is reported in its words, at the key written wrong: the resource, its
`hours`, the schedule or its time, the rate, the horizon, or the card whose
actor nearly names a resource. One problem can hide the next: after fixing it,
check again.
""",
    fix="Make the `simulation` section one `stageline simulate` can run: name each resource in "
    "`simulation.resources` exactly as a card's `actor` (or an alias declared under `actors:`) or "
    "`department`; write `hours` (of a resource, or of an actor with a `capacity`) as HH:MM-HH:MM, hours 00-23 "
    "and minutes 00-59 (24:00 ends the day); give `arrivals` a `rate` above "
    "zero, or a `schedule` of HH:MM times with at least one rate above zero; make `horizon` longer than zero "
    "(e.g. `8h`).",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: {text: Take the order, actor: Barista, duration: 1m}
simulation:
  arrivals: {rate: 20/h}
  resources: {Barrista: 1}
""",
)
def simulation_cannot_run(ctx: Context) -> Iterator[Hit]:
    # Without a section there is nothing to run: `stageline simulate` asks for one (or --rate), no error in the file.
    built = ctx.scenario
    if isinstance(built, Exception):
        yield _simulation_hit(ctx, built)


def _simulation_hit(ctx: Context, error: SimulationError) -> Hit:
    """The error in the simulation's words at the card or key it names, else at `simulation`;
    its hint, when it has one, is what to do."""
    message = error.message.rstrip(".")
    fix = " ".join(error.hint.split()) if error.hint else None
    if error.card is not None:
        for place, card in ctx.places:
            if card.id == error.card:
                return Hit(message, place.stage.id, place.step.id, place.lane, card.id, fix=fix)
    return Hit(message, path=error.path or ("simulation",), fix=fix)
