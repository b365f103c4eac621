"""SL5xx: who does the work, and where it changes hands."""

from __future__ import annotations

from collections.abc import Iterator

from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule


@rule(
    "SL501",
    "card-without-actor",
    Severity.WARNING,
    summary="A frontstage or backstage card has no actor or department: nobody owns it.",
    rationale="""
Blueprints are made with every department involved, so that each sees its role
(a classic mistake is making them alone). Contact work with no actor is work
nobody will be asked about, improve or answer for; it is also invisible in the
who-does-what matrix.
""",
    fix="Set `actor` (the role doing it: Barista, Booking system) and, when it helps, `department`.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: Take the order
""",
)
def card_without_actor(ctx: Context) -> Iterator[Hit]:
    for place, card in ctx.places:
        if (ctx.is_frontstage(place.lane) or ctx.is_backstage(place.lane)) and not (card.actor or card.department):
            yield Hit.at_card(place, card, f"{place.lane} card {card.text!r} has no actor or department")


@rule(
    "SL502",
    "unlabelled-handoff",
    Severity.INFO,
    summary="A link hands work from one department to another without a label saying what is handed over.",
    rationale="""
Handoffs between departments are where information gets lost and time gets
spent (NN/g, Gibbons 2017: arrows show handoffs; Kingman-Brundage: the line of
internal interaction). A label ("booking reference", "signed form") says what
has to cross, so both sides can check it does.
""",
    fix="Add a `label` to the link naming what is handed over.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: {id: till, text: Take the order, actor: Barista, department: Cafe}
        support: {id: stock, text: Restock beans, actor: Buyer, department: Purchasing}
links:
  - {from: till, to: stock}
""",
)
def unlabelled_handoff(ctx: Context) -> Iterator[Hit]:
    card_of, place_of = ctx.card_of, ctx.place_of
    for link in ctx.bp.links:
        if link.label or link.source not in card_of or link.target not in card_of:
            continue
        source, target = card_of[link.source], card_of[link.target]
        if source.department and target.department and source.department != target.department:
            yield Hit.at_card(
                place_of[link.source],
                source,
                f"the link from {source.text!r} ({source.department}) to {target.text!r} "
                f"({target.department}) has no label",
            )
