"""SL7xx: what the customer feels and touches, and what is done about it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule
from stageline.model import Card, Opportunity
from stageline.model.elements import CUSTOMER_LANE

if TYPE_CHECKING:
    from stageline.analysis.simulation.errors import SimulationError
    from stageline.analysis.simulation.scenario import Scenario

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


@rule(
    "SL706",
    "invalid-opportunity-change",
    Severity.ERROR,
    summary="An opportunity's `change` cannot be applied to this blueprint: an unknown resource or card, "
    "a value that is not a change, a capacity below 1 or a negative duration.",
    rationale="""
A blueprint lets a team test a change on paper, and cost it, before making
it (Shostack 1984). `stageline opportunities` costs an opportunity by simulating
its `change` (the language of `stageline simulate --what-if`) against the
current state. A change
that names a resource or card the blueprint does not have, or a value the
simulation cannot read, stops that run, so the business case is missing exactly
when someone asks for it. The change is read here by the same parser, entry by
entry, and applied in order, as `stageline opportunities` applies it.
""",
    fix="Write each change as `NAME=+1`, `NAME=-1` or `NAME=3` for a resource (under `simulation.resources`, "
    "or an actor with a `capacity`; at least 1 unit after the change), or `CARD-ID.duration=*0.5`, "
    "`CARD-ID.duration=2m` or `CARD-ID.duration=+30s` for a card of this blueprint (never below zero); "
    "a blueprint needs a `simulation` section (arrivals and resources) for its changes to run.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: {id: take, text: Take the order, actor: Barista, duration: 1m}
simulation:
  arrivals: {rate: 20/h}
  resources: {Barista: 1}
opportunities:
  - {id: second-barista, title: A second barista, targets: [take], change: Baristas=+1}
""",
)
def invalid_opportunity_change(ctx: Context) -> Iterator[Hit]:
    changing = [(index, o) for index, o in enumerate(ctx.bp.opportunities) if o.change]
    if not changing:
        return
    base = ctx.scenario
    if base is None:
        for index, opportunity in changing:
            yield Hit(
                f"opportunity {opportunity.id!r}: its change cannot be simulated: {ctx.bp.title!r} has no "
                "simulation section (arrivals and scarce resources) to apply it to",
                path=("opportunities", index, "change"),
            )
        return
    if isinstance(base, Exception):
        return  # the current state itself cannot be simulated: SL405 says why, not its changes
    for index, opportunity in changing:
        for entry, error in _change_errors(opportunity, base):
            yield Hit(_change_message(opportunity, error), path=("opportunities", index, "change", entry))


def _change_errors(opportunity: Opportunity, base: Scenario) -> Iterator[tuple[int, SimulationError]]:
    """Each entry of the opportunity's `change` that does not parse, or the one that cannot be
    applied after the entries before it, as `stageline opportunities` parses and applies them
    (joined with `;`: an entry with nothing in it is skipped, as there)."""
    from stageline.analysis.simulation.errors import SimulationError
    from stageline.analysis.simulation.whatif import parse_what_if

    written = [(entry, text) for entry, text in enumerate(opportunity.change) if text.replace(";", "").strip()]
    if not written:
        try:
            parse_what_if("; ".join(opportunity.change), base)
        except SimulationError as error:
            yield 0, error
        return
    parsed = []
    for entry, text in written:
        try:
            parsed.append((entry, parse_what_if(text, base)))
        except SimulationError as error:
            yield entry, error
    if len(parsed) < len(written):
        return  # applying what is left would judge a change nobody wrote
    scenario = base
    for entry, what_if in parsed:
        try:
            scenario = what_if.apply(scenario)
        except SimulationError as error:
            yield entry, error
            return


def _change_message(opportunity: Opportunity, error: SimulationError) -> str:
    """The parser's words for the opportunity's `change`, its hint after them (the rule's fix
    already says how a change is written)."""
    from stageline.analysis.simulation.whatif import WHAT_IF_HELP, as_change

    message = f"opportunity {opportunity.id!r}: {as_change(error.message)}"
    hint = " ".join((error.hint or "").split()).rstrip(".")
    if hint and hint != WHAT_IF_HELP:
        message += f". {hint[0].upper()}{hint[1:]}"
    return message
