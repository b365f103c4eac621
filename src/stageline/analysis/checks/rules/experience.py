"""SL7xx: what the customer feels and touches, and what is done about it."""

from __future__ import annotations

from collections.abc import Iterator

from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule
from stageline.model import Card
from stageline.model.elements import CUSTOMER_LANE

EVIDENCE_LANE = "evidence"


def _painful(card: Card) -> bool:
    return (card.emotion is not None and card.emotion <= -1) or bool((card.pain or "").strip())


@rule(
    "SL701",
    "unaddressed-pain",
    Severity.WARNING,
    summary="A pain point or a negative emotion (≤ −1) in a step no opportunity targets.",
    rationale="""
Teams blueprint to find where the experience hurts and decide what to do
about it (NN/g, Gibbons 2017: emotions as a secondary element; the current
state diagnoses, the future state envisions). A pain point no opportunity
targets is a diagnosis with no treatment.
""",
    fix="Add an opportunity whose `targets` include a card of this step, or ignore the rule "
    "on the card if the team has decided to accept the pain.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: queue
        customer: {text: Queue at the till, emotion: -2, pain: The queue is slow}
        frontstage: {text: Take the order, actor: Barista}
""",
)
def unaddressed_pain(ctx: Context) -> Iterator[Hit]:
    targeted = ctx.targeted
    for place, card in ctx.places:
        if not _painful(card):
            continue
        if any(other.id in targeted for cards in place.step.cells.values() for other in cards):
            continue
        what = f"pain {card.pain!r}" if card.pain else f"emotion {card.emotion:+d}"
        yield Hit.at_card(place, card, f"{what} at {card.text!r}: no opportunity targets this step")


@rule(
    "SL702",
    "step-without-evidence",
    Severity.INFO,
    summary="A customer step has no physical evidence.",
    rationale="""
Physical evidence (the screen, the receipt, the sign, the room) is what the
customer sees and judges the service by; Bitner, Ostrom & Morgan (2008) add
evidence at every customer action, as the last pass of building a blueprint.
""",
    fix="Add what the customer sees or touches at this step to the evidence lane.",
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
def step_without_evidence(ctx: Context) -> Iterator[Hit]:
    customer_steps = [(stage, step) for stage, step in ctx.steps() if step.cells.get(CUSTOMER_LANE)]
    if not customer_steps:
        return
    if EVIDENCE_LANE not in ctx.lane_rank:
        yield Hit("the blueprint has no evidence lane: nothing shows what the customer sees and touches")
        return
    for stage, step in customer_steps:
        if not step.cells.get(EVIDENCE_LANE):
            yield Hit.at_step(stage, step, f"customer step {step.display_title!r} has no physical evidence")


@rule(
    "SL703",
    "unvalidated-step",
    Severity.INFO,
    summary="In a current-state blueprint, every card of a step is assumed rather than observed.",
    rationale="""
A current-state blueprint diagnoses the service as it is (NN/g, Gibbons 2017),
so it should rest on research: observation, interviews, data. Steps drawn
entirely from assumption are where the map is most likely to be wrong; mark
cards `basis: observed` (with a `source`) once validated.
""",
    fix="Observe the step (shadow staff, interview customers, read the data) and mark the "
    "cards you confirmed with `basis: observed` and a `source`.",
    example="""
stageline: 1
title: Coffee to go
state: current
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: {text: Take the order, actor: Barista}
""",
)
def unvalidated_step(ctx: Context) -> Iterator[Hit]:
    if ctx.bp.state != "current" or not ctx.places:
        return
    if not any(card.basis == "observed" for _, card in ctx.places):
        yield Hit("no card is marked `basis: observed`: the whole current state rests on assumptions")
        return
    for stage, step in ctx.steps():
        cards = ctx.step_cards(step)
        if cards and all(card.basis == "assumed" for card in cards):
            yield Hit.at_step(stage, step, f"every card of step {step.display_title!r} is assumed")


@rule(
    "SL704",
    "opportunity-without-targets",
    Severity.WARNING,
    summary="An opportunity targets no card.",
    rationale="""
An opportunity is a proposed change to the service; tying it to the cards it
changes shows where it acts, lets `unaddressed-pain` see which pain it treats,
and keeps it in view when the blueprint changes (NN/g, Gibbons 2017).
""",
    fix="List the ids of the cards the opportunity changes under its `targets`.",
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
opportunities:
  - {id: app-order, title: Order ahead in the app}
""",
)
def opportunity_without_targets(ctx: Context) -> Iterator[Hit]:
    for opportunity in ctx.bp.opportunities:
        if not opportunity.targets:
            yield Hit(f"opportunity {opportunity.title!r} ({opportunity.id}) targets no card")


@rule(
    "SL705",
    "unexplained-emotion",
    Severity.INFO,
    summary="A customer card has a negative emotion but nothing in its step says what hurts.",
    rationale="""
An emotion score without its cause cannot be designed for; the pain point is
what the team can act on (NN/g, Gibbons 2017: emotions drawn with the
customer actions that cause them).
""",
    fix="Write the cause under `pain` on the customer card (or on the card that causes it).",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: {text: Order a coffee, emotion: -1}
        frontstage: {text: Take the order, actor: Barista}
""",
)
def unexplained_emotion(ctx: Context) -> Iterator[Hit]:
    for place, card in ctx.places:
        if place.lane != CUSTOMER_LANE or card.emotion is None or card.emotion > -1:
            continue
        if any((other.pain or "").strip() for other in ctx.step_cards(place.step)):
            continue
        yield Hit.at_card(place, card, f"{card.text!r} has emotion {card.emotion:+d} but no pain says why")
