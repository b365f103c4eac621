"""SL5xx: who does the work, and where it changes hands."""

from __future__ import annotations

from collections.abc import Iterator

from stageline.analysis.actors import is_placeholder, normalise, same_actor_spelling
from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule
from stageline.analysis.workload import workload
from stageline.model import Card, Place
from stageline.model.elements import CUSTOMER_LANE


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
    Severity.WARNING,
    summary="A link hands work from people in one department to people in another without a label saying "
    "what is handed over.",
    rationale="""
Handoffs between departments are where information gets lost and time gets
spent (NN/g, Gibbons 2017: arrows show handoffs; Kingman-Brundage: the line of
internal interaction). A label ("booking reference", "signed form") says what
has to cross, so both sides can check it does. A person looking something up
in a system, or a system notifying a person, is not a handoff between people
and needs no label.
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
    card_of, place_of, roster = ctx.card_of, ctx.place_of, ctx.roster
    for link in ctx.bp.links:
        if (link.label or "").strip() or link.source not in card_of or link.target not in card_of:
            continue
        source, target = card_of[link.source], card_of[link.target]
        ends = [(card, place_of[card.id].lane) for card in (source, target)]
        if any(place_of[card.id].lane == CUSTOMER_LANE for card, _ in ends):
            continue
        owners = [roster.of_card(card) for card, _ in ends]
        pairs = list(zip(owners, ends, strict=True))
        if any(owner is None or roster.kind(owner, lane) == "system" for owner, (_, lane) in pairs):
            continue
        departments = [roster.department(owner, card) for owner, (card, _) in pairs if owner]
        if len(departments) == 2 and all(departments) and departments[0] != departments[1]:
            yield Hit.at_card(
                place_of[link.source],
                source,
                f"the link from {source.text!r} ({departments[0]}) to {target.text!r} ({departments[1]}) has no label",
            )


@rule(
    "SL503",
    "placeholder-owner",
    Severity.WARNING,
    summary="A card's actor or department is a placeholder: TBD, ?, someone, n/a.",
    rationale="""
A placeholder owner is the same gap as no owner, written so that it looks
filled in: nobody will be asked about the work, improve it or answer for it.
Blueprints are built with every department in the room precisely so that each
step has a named owner (Bitner, Ostrom & Morgan 2008; making a blueprint alone
is a classic mistake).
""",
    fix="Name the role, team or system that does the work (ask the departments involved); "
    "if nobody does it, that is the finding to act on.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: {text: Take the order, actor: TBD}
""",
)
def placeholder_owner(ctx: Context) -> Iterator[Hit]:
    for place, card in ctx.places:
        for field in ("actor", "department"):
            value = getattr(card, field)
            if value is not None and is_placeholder(value):
                yield Hit.at_card(place, card, f"{card.text!r} has the placeholder {field} {value!r}")


@rule(
    "SL504",
    "near-duplicate-actors",
    Severity.WARNING,
    summary="Two actor names that are one role spelt two ways: a plural, a typo, initials.",
    rationale="""
Workload, handoffs and simulated resources are counted per actor name. "Registered
rep" and "RR", or "Triage nurse" and "Triage nurses", split one role in two:
its workload looks smaller, handoffs appear between a person and themself, and
a simulated resource silently misses the cards written the other way: the
classic mistake of a blueprint drawn by several people without a shared
vocabulary (NN/g, Gibbons 2017, on agreeing who the actors are).
""",
    fix="Write one name on every card, or declare the actor once under `actors:` with the other "
    "spellings as `aliases`.",
    example="""
stageline: 1
title: Brokerage
stages:
  - id: trade
    title: Trade
    steps:
      - id: call
        customer: Call the broker
        frontstage: {text: Take the order, actor: Registered rep}
      - id: confirm
        customer: Hear the confirmation
        frontstage: {text: Confirm the trade, actor: RR}
""",
)
def near_duplicate_actors(ctx: Context) -> Iterator[Hit]:
    roster = ctx.roster
    declared: dict[str, str] = {}
    for actor in ctx.bp.actors:
        for name in actor.names:
            other = declared.setdefault(normalise(name), actor.name)
            if other != actor.name:
                yield Hit(
                    f"actors: {name!r} names both {other!r} and {actor.name!r}; a name or alias belongs to one actor"
                )
    first_use: dict[str, tuple[Place, Card]] = {}
    for place, card in ctx.places:
        if card.actor and not is_placeholder(card.actor):
            first_use.setdefault(roster.canonical(card.actor), (place, card))
    names = list(first_use)
    for i, later in enumerate(names):
        for earlier in names[:i]:
            if same_actor_spelling(earlier, later):
                place, card = first_use[later]
                yield Hit.at_card(
                    place, card, f"actor {later!r} looks like {earlier!r} spelt another way: one role, two names"
                )
                break


CUSTOMER_WORDS = frozenset(
    {
        "customer",
        "customers",
        "client",
        "guest",
        "patient",
        "applicant",
        "user",
        "visitor",
        "passenger",
        "traveller",
        "traveler",
        "investor",
        "buyer",
        "borrower",
        "owner",
        "citizen",
        "member",
        "resident",
        "student",
        "caller",
        "claimant",
        "tenant",
        "diner",
        "shopper",
        "family",
        "relative",
        "carer",
        "homeowner",
        "householder",
        "driver",
        "parent",
        "pupil",
        "learner",
        "subscriber",
        "holder",
        "policyholder",
        "consumer",
        "purchaser",
        "renter",
        "taxpayer",
        "beneficiary",
        "recipient",
        "sender",
        "attendee",
        "participant",
        "candidate",
        "seller",
        "landlord",
        "employer",
        "business",
        "company",
    }
)


@rule(
    "SL505",
    "company-actor-on-customer-card",
    Severity.WARNING,
    summary="A card in the customer lane is done by the company's own people or systems.",
    rationale="""
The customer lane holds what the customer does (Bitner, Ostrom & Morgan 2008);
the line of interaction separates it from the employees and systems who serve
them. A card there with an employee, team or system as its actor is contact
or backstage work drawn in the wrong lane, so the customer's actions, the
moments of truth and the time model all read it wrongly.
""",
    fix="Move the card to the frontstage (or backstage) lane, and write what the customer does "
    "at that moment in the customer lane.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: {text: Take the order, actor: Barista}
        frontstage: {text: Greet the customer, actor: Barista}
""",
)
def company_actor_on_customer_card(ctx: Context) -> Iterator[Hit]:
    roster = ctx.roster
    staff = {
        normalise(roster.canonical(card.actor))
        for place, card in ctx.places
        if card.actor and not ctx.is_customer_side(place.lane)
    }
    for place, card in ctx.places:
        if place.lane != CUSTOMER_LANE or not card.actor or is_placeholder(card.actor):
            continue
        name = roster.canonical(card.actor)
        words = set(normalise(name).split())
        if words & CUSTOMER_WORDS and roster.actor(name) is None:
            continue
        declared = roster.actor(name)
        company = (
            normalise(name) in staff
            or roster.kind(name) != "person"
            or (declared is not None and bool(declared.department) and not words & CUSTOMER_WORDS)
            or (card.department is not None and not is_placeholder(card.department))
        )
        if company:
            yield Hit.at_card(
                place, card, f"customer card {card.text!r} is done by {name!r}, who works for the service"
            )


@rule(
    "SL506",
    "overloaded-actor",
    Severity.WARNING,
    summary="One person, team or system carries too much of the work: its share of its group's time, or its "
    "utilisation at the arrival rate, is over the limit (checks.max_share, checks.max_utilisation).",
    rationale="""
A role that carries most of the service's work, or is busy nearly all the time
at the expected arrival rate, is where queues form and where the service stops
when that person is ill (Shostack 1984 on the time frame; queueing theory: waits
grow without bound as utilisation nears 1). Shares are counted among people
(persons and teams; a system doing most of the systems' work is normal), over card durations per
customer, for a role that works in at least half of the customer's steps;
utilisation is arrivals per hour × hours of work per customer ÷ capacity.
""",
    fix="Share the work (another role, a second unit: `capacity` under `actors:`), move steps to "
    "self-service or a system, or raise `checks.max_share` / `checks.max_utilisation` if the load is intended.",
    example="""
stageline: 1
title: Repair shop
stages:
  - id: repair
    title: Repair
    steps:
      - id: drop
        customer: Drop the car off
        frontstage: {text: Write up the job, actor: Service adviser, duration: 10m}
        backstage: {text: Diagnose and repair, actor: Mechanic, duration: 2h}
      - id: collect
        customer: Collect the car
        frontstage: {text: Explain the invoice, actor: Service adviser, duration: 10m}
actors:
  - {name: Mechanic, department: Workshop, capacity: 1}
simulation:
  arrivals: {rate: 1/h}
""",
)
def overloaded_actor(ctx: Context) -> Iterator[Hit]:
    settings = ctx.bp.checks
    load = workload(ctx.bp, ctx.roster)
    first_card: dict[str, tuple[Place, Card]] = {}
    for place, card in ctx.places:
        owner = ctx.roster.of_card(card)
        if owner is not None and place.lane != CUSTOMER_LANE:
            first_card.setdefault(owner, (place, card))
    customer_steps = sum(bool(step.cells.get(CUSTOMER_LANE)) for _, step in ctx.steps())
    spread = max(2, (customer_steps + 1) // 2)
    for group in (load.people, load.systems):
        crowded = len(group) >= 3
        for actor in group:
            reasons = []
            # A specialist doing one long job (the mechanic) is not overloaded by share;
            # one role carrying most of the work across most of the journey is.
            if crowded and not actor.is_system and actor.share > settings.max_share and len(actor.steps) >= spread:
                reasons.append(f"{actor.share:.0%} of the people's work time")
            if actor.utilisation is not None and actor.utilisation > settings.max_utilisation:
                units = f"{actor.capacity} unit{'s' if actor.capacity != 1 else ''}"
                reasons.append(f"{actor.utilisation:.0%} busy at the arrival rate with {units}")
            if reasons and actor.actor in first_card:
                place, card = first_card[actor.actor]
                yield Hit.at_card(place, card, f"{actor.actor!r} is overloaded: " + " and ".join(reasons))
