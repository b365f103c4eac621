"""SL1xx: the grid itself. Customer actions first, then the lanes that serve them."""

from __future__ import annotations

from collections.abc import Iterator

from stageline.analysis.checks.context import SUPPORT_LANE, Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule
from stageline.model.elements import CUSTOMER_LANE


@rule(
    "SL101",
    "stage-without-customer-action",
    Severity.ERROR,
    summary="A stage has steps but not one customer action.",
    rationale="""
A blueprint maps what the customer does and everything that supports it; the
customer actions are drawn first and everything else hangs from them (Bitner,
Ostrom & Morgan 2008). A whole stage without a customer action is the classic
mistake of overlooking customer actions: it describes the company's process,
not the service as the customer lives it.
""",
    fix="Add the customer's action to at least one step of the stage, or move the stage's "
    "work under the customer steps it serves.",
    example="""
stageline: 1
title: Parcel delivery
stages:
  - id: dispatch
    title: Dispatch
    steps:
      - id: sort
        backstage: {text: Sort parcels, actor: Depot staff}
""",
)
def stage_without_customer_action(ctx: Context) -> Iterator[Hit]:
    for stage in ctx.bp.stages:
        if stage.steps and not any(step.cells.get(CUSTOMER_LANE) for step in stage.steps):
            yield Hit.at_stage(stage, f"stage {stage.title!r} has no customer action in any of its steps")


@rule(
    "SL102",
    "step-without-customer-action",
    Severity.WARNING,
    summary="A step has no card in the customer lane.",
    rationale="""
Each column of a blueprint is one thing the customer does, with the contact,
backstage and support work it triggers beneath it (Bitner, Ostrom & Morgan
2008; NN/g, Gibbons 2017). A column without a customer action hides which
moment of the journey the work belongs to: the classic mistake of overlooking
customer actions.
""",
    fix="Write what the customer does at this point in the customer lane, or merge the "
    "step's work into the customer step it supports.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
      - id: brew
        frontstage: {text: Brew the coffee, actor: Barista}
""",
)
def step_without_customer_action(ctx: Context) -> Iterator[Hit]:
    for stage in ctx.bp.stages:
        if not any(step.cells.get(CUSTOMER_LANE) for step in stage.steps):
            continue  # SL101 already reports the whole stage
        for step in stage.steps:
            if not step.cells.get(CUSTOMER_LANE):
                yield Hit.at_step(stage, step, f"step {step.display_title!r} has no customer action")


@rule(
    "SL103",
    "empty-stage",
    Severity.WARNING,
    summary="A stage has no steps.",
    rationale="""
Stages group the customer's steps into the phases of the journey (NN/g, Gibbons
2017). An empty stage is a phase nobody has mapped yet; it reads as if nothing
happens there.
""",
    fix="Add the customer's steps to the stage, or remove the stage.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
  - id: leave
    title: Leave
""",
)
def empty_stage(ctx: Context) -> Iterator[Hit]:
    for stage in ctx.bp.stages:
        if not stage.steps:
            yield Hit.at_stage(stage, f"stage {stage.title!r} has no steps")


@rule(
    "SL104",
    "no-line-of-interaction",
    Severity.WARNING,
    summary="No visible lane below the customer lane, so there is no line of interaction.",
    rationale="""
The line of interaction separates the customer from the people and systems
who deal with them (Kingman-Brundage; Bitner, Ostrom & Morgan 2008). Without a
frontstage lane every contact is either the customer's own doing or hidden
work, and the moments of truth cannot be drawn: the classic mistake of not
drawing the lines of interaction.
""",
    fix="Add a frontstage lane (or a custom visible lane under the customer lane) for the "
    "staff, screens and systems the customer deals with.",
    example="""
stageline: 1
title: Self check-out
lanes:
  - {id: customer, title: Customer actions, visible: true}
  - {id: backstage, title: Backstage actions, visible: false}
stages:
  - id: pay
    title: Pay
    steps:
      - id: scan
        customer: Scan the items
""",
)
def no_line_of_interaction(ctx: Context) -> Iterator[Hit]:
    if not ctx.frontstage_lanes:
        yield Hit(
            "the blueprint has no frontstage lane, so no line of interaction: contact with the customer cannot be shown"
        )


@rule(
    "SL105",
    "no-backstage",
    Severity.WARNING,
    summary="No backstage work is mapped: nothing between the line of visibility and support.",
    rationale="""
The line of visibility is the reason to blueprint rather than draw a journey
map: it shows the work the customer never sees but depends on (Shostack 1984).
A blueprint with steps and no backstage card is the classic mistake of
ignoring backstage processes.
""",
    fix="Add the backstage work behind the frontstage actions: preparations, checks and "
    "handoffs the customer does not see.",
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
def no_backstage(ctx: Context) -> Iterator[Hit]:
    if ctx.bp.stages and ctx.places and not any(ctx.is_backstage(place.lane) for place, _ in ctx.places):
        yield Hit("no backstage work is mapped: the blueprint shows only what the customer sees")


@rule(
    "SL106",
    "no-support-processes",
    Severity.WARNING,
    summary="No support processes are mapped.",
    rationale="""
Support processes (systems, suppliers, internal services) sit below the line of
internal interaction and carry the contact work (Bitner, Ostrom & Morgan 2008;
Kingman-Brundage). Leaving them out is the classic mistake of skipping support
systems: the blueprint cannot show which systems many steps depend on.
""",
    fix="Add the systems and internal services each step relies on to the support lane "
    "(booking system, payment provider, stock control...).",
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
        backstage: {text: Grind beans, actor: Barista}
""",
)
def no_support_processes(ctx: Context) -> Iterator[Hit]:
    if not ctx.places:
        return
    if not any(place.lane == SUPPORT_LANE for place, _ in ctx.places):
        where = "" if SUPPORT_LANE in ctx.lane_rank else " (the blueprint has no support lane)"
        yield Hit(f"no support processes are mapped{where}")
