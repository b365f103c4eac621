"""SL6xx: work that serves nobody, work done twice, work done again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rapidfuzz import fuzz, process, utils

from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule
from stageline.analysis.graph import DisjointSets
from stageline.model import Card, Place

# token_sort_ratio ≥ 90 keeps reworded duplicates ("Check ID of guest" / "Check
# guest ID") and drops cards that merely share words ("Check in" / "Check out").
SIMILARITY = 90
# Very short texts ("Pay", "Sign") match by accident; they need an exact match.
SHORT_TEXT = 8


@rule(
    "SL601",
    "orphan-work",
    Severity.WARNING,
    summary="Backstage or support work reaches no customer-visible card.",
    rationale="""
Everything below the line of visibility exists to support something the
customer experiences (Shostack 1984; Bitner, Ostrom & Morgan 2008). Work that
is neither in a step with a customer-visible card nor linked, directly or
through other cards and their steps, to one serves no customer action on this map: it is
possible waste, or a missing link.

Links count in both directions: work that feeds a contact and work triggered
by one both serve the customer; the arrow only says who starts the handoff.
""",
    fix="Link the card to the customer-visible work it supports, move it into the step it "
    "serves, or remove it if nothing needs it.",
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
      - id: night
        backstage: {text: Polish the espresso machine, actor: Cleaner}
""",
)
def orphan_work(ctx: Context) -> Iterator[Hit]:
    groups = DisjointSets(card.id for _, card in ctx.places)
    for _, step in ctx.steps():
        ids = [card.id for cards in step.cells.values() for card in cards]
        for other in ids[1:]:
            groups.union(ids[0], other)
    for link in ctx.bp.links:
        if link.source in groups.parent and link.target in groups.parent:
            groups.union(link.source, link.target)
    seen_by_customer = {groups.find(card.id) for place, card in ctx.places if ctx.is_visible(place.lane)}
    for place, card in ctx.places:
        if ctx.is_hidden(place.lane) and groups.find(card.id) not in seen_by_customer:
            yield Hit.at_card(place, card, f"{place.lane} work {card.text!r} reaches no customer-visible card")


@rule(
    "SL602",
    "near-duplicate-cards",
    Severity.WARNING,
    summary="Two cards in the same lane, done by the same actor, say nearly the same thing.",
    rationale="""
Redundant steps are one of the wastes blueprinting is meant to expose: the
same check, entry or question done twice costs time on both sides of the line
of visibility (Shostack 1984 on execution time and profitability). Two near-
identical cards for the same actor are either repeated work or a step drawn
twice.
""",
    fix="Merge the cards if the work is done once, or reword them to say how they differ; "
    "link them if the second depends on the first.",
    example="""
stageline: 1
title: Hotel stay
stages:
  - id: arrive
    title: Arrive
    steps:
      - id: check-in
        customer: Check in
        frontstage: {text: Check the guest's ID, actor: Clerk}
      - id: keys
        customer: Collect the key card
        frontstage: {text: Check the guest ID, actor: Clerk}
""",
)
def near_duplicate_cards(ctx: Context) -> Iterator[Hit]:
    groups: dict[tuple[str, str], list[tuple[Place, Card]]] = defaultdict(list)
    for place, card in ctx.places:
        owner = (card.actor or card.department or "").casefold()
        groups[(place.lane, owner)].append((place, card))
    for members in groups.values():
        if len(members) < 2:
            continue
        texts = [utils.default_process(card.text) for _, card in members]
        reported: set[int] = set()
        for i in range(len(members) - 1):
            if i in reported or not texts[i]:
                continue
            cutoff = SIMILARITY if len(texts[i]) >= SHORT_TEXT else 100
            matches = process.extract(
                texts[i], texts[i + 1 :], scorer=fuzz.token_sort_ratio, processor=None, score_cutoff=cutoff, limit=None
            )
            first_place, first = members[i]
            for _, score, offset in sorted(matches, key=lambda match: match[2]):
                j = i + 1 + offset
                if j in reported:
                    continue
                reported.add(j)
                place, card = members[j]
                same = "the same text as" if score == 100 else f"nearly the same text ({score:.0f}%) as"
                yield Hit.at_card(
                    place, card, f"{card.text!r} has {same} {first.text!r} in step {first_place.step.display_title!r}"
                )


@rule(
    "SL603",
    "rework-loop",
    Severity.WARNING,
    summary="One-way links form a cycle: work comes back to where it started.",
    rationale="""
A loop of handoffs is rework: a form sent back, a case reopened, a question
asked again. Loops multiply execution time and are a common source of fail
points (Shostack 1984; Chase & Stewart 1994). Two-way links are
codependencies, not loops, so only cycles of one-way links are reported.
""",
    fix="Find why the work returns (missing information, a failed check) and fix it at the "
    "source; if the loop is intended, model the exchange as a two-way link or ignore "
    "the rule on the first card.",
    example="""
stageline: 1
title: Loan application
stages:
  - id: application
    title: Apply
    steps:
      - id: apply
        customer: {id: submit, text: Submit the application}
        frontstage: {id: review, text: Review the application, actor: Advisor}
        backstage: {id: verify, text: Verify income, actor: Underwriter}
links:
  - {from: submit, to: review}
  - {from: review, to: verify}
  - {from: verify, to: review}
""",
)
def rework_loop(ctx: Context) -> Iterator[Hit]:
    for loop in ctx.graph.rework_loops():
        first = loop[0]
        cards = ", ".join(repr(ctx.card_of[card_id].text) for card_id in loop)
        yield Hit.at_card(ctx.place_of[first], ctx.card_of[first], f"rework loop through {len(loop)} cards: {cards}")
