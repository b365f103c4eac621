"""SL2xx: the lines of interaction, visibility and internal interaction.

A card "answers" another when it sits in the same step (the column reading of a
blueprint) or is linked to it, in either direction.
"""

from __future__ import annotations

from collections.abc import Iterator

from stageline.analysis.checks.context import INVISIBLE_CHANNELS, SUPPORT_LANE, Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule
from stageline.model.elements import CUSTOMER_LANE

EVIDENCE_LANE = "evidence"


@rule(
    "SL201",
    "customer-action-without-response",
    Severity.WARNING,
    summary="A customer action gets no visible response: no frontstage card or evidence in its step, no link to "
    "a frontstage card or to evidence; hidden work alone does not answer the customer.",
    rationale="""
Every customer action meets the service somewhere: a person, a screen, a
device. Those contacts, across the line of interaction, are the moments of
truth (Bitner, Ostrom & Morgan 2008). A customer action with nothing answering
it is either a gap in the service (the customer is left alone) or a gap in
the map. Work behind the line of visibility does not answer the customer by
itself: they see nothing happen, unless they reached the back office by
phone, email or mail (give the customer card that `channel`) or the step
shows them evidence (a letter, a text message, a status page).
""",
    fix="Add the frontstage action that answers the customer in this step (a person or a "
    "self-service screen), link the customer card to the card or evidence that responds, or set the "
    "customer card's `channel` to phone, email or mail when the contact is out of sight.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        backstage: {text: Grind beans, actor: Barista}
""",
)
def customer_action_without_response(ctx: Context) -> Iterator[Hit]:
    for place, card in ctx.places:
        if place.lane != CUSTOMER_LANE:
            continue
        if any(place.step.cells.get(lane) for lane in ctx.frontstage_lanes):
            continue
        linked = ctx.linked_lanes(card.id)
        if any(ctx.is_frontstage(lane) for lane in linked) or EVIDENCE_LANE in linked:
            continue
        if place.step.cells.get(EVIDENCE_LANE):
            continue  # evidence in the step (a letter, a receipt, a status page) is what the customer sees
        if card.channel in INVISIBLE_CHANNELS and (
            any(ctx.is_hidden(lane) for lane in linked)
            or any(cards and ctx.is_hidden(lane) for lane, cards in place.step.cells.items())
        ):
            continue  # a phone call, an email or a letter to the back office is answered out of sight
        yield Hit.at_card(
            place,
            card,
            f"customer action {card.text!r} gets no visible response: nothing in the "
            "frontstage lane of its step and no link across the line of interaction",
        )


@rule(
    "SL202",
    "frontstage-without-backstage",
    Severity.INFO,
    summary="A frontstage card has nothing behind it: no backstage or support card in its step and no link down.",
    rationale="""
Contact staff rarely act alone: what they do is prepared, recorded or
supported out of sight (Shostack 1984; Bitner, Ostrom & Morgan 2008). A
frontstage action with nothing behind it may be genuinely self-contained, but
it is often the classic mistake of ignoring backstage processes.
""",
    fix="Add the backstage or support work that makes this contact possible, or link the card "
    "to it; ignore the rule on this card if the contact truly needs nothing behind it.",
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
def frontstage_without_backstage(ctx: Context) -> Iterator[Hit]:
    for place, card in ctx.places:
        if not ctx.is_frontstage(place.lane):
            continue
        if any(cards and ctx.is_hidden(lane) for lane, cards in place.step.cells.items()):
            continue
        if any(ctx.is_hidden(lane) for lane in ctx.linked_lanes(card.id)):
            continue
        yield Hit.at_card(place, card, f"frontstage action {card.text!r} has no backstage or support work behind it")


@rule(
    "SL203",
    "customer-sees-backstage",
    Severity.WARNING,
    summary="A link joins a customer action straight to backstage or support work.",
    rationale="""
The line of visibility separates what the customer sees from what they do not
(Shostack 1984). A customer who deals directly with backstage work sees too
much, or the work is really frontstage and drawn in the wrong lane: the
classic mistake of an unclear line of visibility. Invisible contact is the
exception: a phone call or an email to a back office is backstage contact the
customer does not see (Bitner, Ostrom & Morgan 2008); give the card that
channel.
""",
    fix="Route the contact through a frontstage card, move the card above the line of "
    "visibility if the customer really sees it, or set `channel: phone` (or email, mail) "
    "when the contact is invisible.",
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
        backstage: {id: roast, text: Roast beans, actor: Roaster}
links:
  - {from: order.customer, to: roast}
""",
)
def customer_sees_backstage(ctx: Context) -> Iterator[Hit]:
    place_of, card_of = ctx.place_of, ctx.card_of
    for link in ctx.bp.links:
        if link.source not in place_of or link.target not in place_of:
            continue
        ends = [(place_of[link.source], card_of[link.source]), (place_of[link.target], card_of[link.target])]
        # Evidence linked to a system (a confirmation email from the booking engine)
        # is how evidence is produced, not the customer seeing backstage work.
        customer = [(p, c) for p, c in ends if p.lane == CUSTOMER_LANE]
        hidden = [(p, c) for p, c in ends if ctx.is_hidden(p.lane)]
        if not customer or not hidden:
            continue
        hidden_card = hidden[0][1]
        place, card = customer[0]
        if hidden_card.channel in INVISIBLE_CHANNELS or card.channel in INVISIBLE_CHANNELS:
            continue
        yield Hit.at_card(
            place,
            card,
            f"{card.text!r} is linked straight to {hidden_card.text!r} "
            f"in the {hidden[0][0].lane} lane, across the line of visibility",
        )


@rule(
    "SL204",
    "backstage-without-support",
    Severity.INFO,
    summary="Backstage work is linked to no support process.",
    rationale="""
Backstage actions draw on support processes: the systems, suppliers and
internal services below the line of internal interaction (Kingman-Brundage;
Bitner, Ostrom & Morgan 2008). Backstage work with no support process shown
either needs none, or hides a dependency the team should know about.
""",
    fix="Link the backstage card to the system or internal service it relies on, or add that "
    "support process in the same step.",
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
      - id: pay
        customer: Pay
        frontstage: {text: Take payment, actor: Barista}
        support: Card terminal
""",
)
def backstage_without_support(ctx: Context) -> Iterator[Hit]:
    if SUPPORT_LANE not in ctx.lane_rank or not any(p.lane == SUPPORT_LANE for p, _ in ctx.places):
        return  # SL106 reports a blueprint without support processes once
    for place, card in ctx.places:
        if not ctx.is_backstage(place.lane) or place.step.cells.get(SUPPORT_LANE):
            continue
        if SUPPORT_LANE in ctx.linked_lanes(card.id):
            continue
        yield Hit.at_card(place, card, f"backstage work {card.text!r} is linked to no support process")
