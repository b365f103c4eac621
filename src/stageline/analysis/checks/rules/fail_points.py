"""SL3xx: fail points and their fail-safes."""

from __future__ import annotations

from collections.abc import Iterator

from stageline.analysis.actors import is_placeholder
from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule


@rule(
    "SL301",
    "fail-point-without-recovery",
    Severity.ERROR,
    summary="A fail point has no recovery (fail-safe), or only a placeholder such as TBD, to do or ?.",
    rationale="""
Shostack (1984) asks the designer to isolate every fail point and to design a
fail-safe for each: what happens when this goes wrong. Chase & Stewart (1994)
add poka-yoke devices that stop the failure happening at all. A fail point
with no recovery is a known way for the service to break with no plan for it.
""",
    fix="Write the recovery under `fail.recovery`: what staff or systems do when this fails "
    "(and, better, how the failure is prevented).",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: pay
        customer: Pay
        frontstage:
          text: Take payment
          actor: Barista
          fail: {text: Card declined}
""",
)
def fail_point_without_recovery(ctx: Context) -> Iterator[Hit]:
    for place, card in ctx.places:
        if card.fail is not None and is_placeholder(card.fail.recovery or ""):
            yield Hit.at_card(place, card, f"fail point {card.fail.text!r} on {card.text!r} has no recovery")


@rule(
    "SL302",
    "fail-point-unscored",
    Severity.INFO,
    summary="A fail point lacks severity or likelihood, so its risk cannot be ranked.",
    rationale="""
Service FMEA ranks fail points by severity × likelihood so that the team fixes
the worst first (Chase & Stewart 1994 for the classes of failure; FMEA
practice for the scores). Without both scores a fail point is ranked as if it
were average (3 × 3) and may hide a critical one.
""",
    fix="Score the fail point from 1 to 5: `severity` (how bad for the customer) and "
    "`likelihood` (how often it happens).",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: pay
        customer: Pay
        frontstage:
          text: Take payment
          actor: Barista
          fail: {text: Card declined, recovery: Offer cash or another card, severity: 3}
""",
)
def fail_point_unscored(ctx: Context) -> Iterator[Hit]:
    for place, card in ctx.places:
        fail = card.fail
        if fail is None:
            continue
        missing = [name for name in ("severity", "likelihood") if getattr(fail, name) is None]
        if missing:
            yield Hit.at_card(place, card, f"fail point {fail.text!r} has no {' or '.join(missing)}")
