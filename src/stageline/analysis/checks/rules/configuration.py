"""SL9xx: the check settings written in the blueprint itself."""

from __future__ import annotations

from collections.abc import Iterator

from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import expand, rule, unknown_message


@rule(
    "SL901",
    "unknown-rule-ignored",
    Severity.WARNING,
    summary="`checks.ignore` or a card's `ignore` names a rule that does not exist.",
    rationale="""
A misspelt rule name silences nothing, so the finding it was meant to silence
keeps coming back, or worse, a later rule with that name is silenced without
anyone deciding to. Codes (SL301) and names (fail-point-without-recovery) are
both accepted; group prefixes (SL3) silence a whole theme.
""",
    fix="Correct the name (see docs/rules.md for every code and name) or remove it.",
    example="""
stageline: 1
title: Coffee to go
checks:
  ignore: [fail-point-without-recovry]
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: {text: Take the order, actor: Barista}
""",
)
def unknown_rule_ignored(ctx: Context) -> Iterator[Hit]:
    for token in ctx.bp.checks.ignore:
        if not expand(token):
            yield Hit(f"checks.ignore: {unknown_message(token)}")
    for place, card in ctx.places:
        for token in card.ignore:
            if not expand(token):
                yield Hit.at_card(place, card, f"ignore on card {card.id!r}: {unknown_message(token)}")
