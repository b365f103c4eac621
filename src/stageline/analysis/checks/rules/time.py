"""SL4xx: Shostack's time frame, waits and the customer's tolerance."""

from __future__ import annotations

from collections.abc import Iterator

from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule
from stageline.analysis.timing import has_duration
from stageline.model.quantities import humanize_duration


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
