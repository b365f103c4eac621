"""Run the rules over a blueprint and keep what the settings let through."""

from __future__ import annotations

from collections.abc import Iterable

from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Finding
from stageline.analysis.checks.registry import Rule, all_rules, expand, resolve
from stageline.model import Blueprint


def check(
    bp: Blueprint,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    *,
    context: Context | None = None,
) -> list[Finding]:
    """Every finding in `bp`, in blueprint order (stage, step, lane), worst first within a place.

    `select` keeps only the rules named (codes, names or group prefixes such as
    `SL3`; comma-separated strings are split); `ignore` drops rules. The blueprint's
    own `checks.ignore` drops rules for the whole file and a card's `ignore` drops
    them for that card. Raises `UnknownRuleError` for a name that matches no rule.
    `context` lets a caller that already derived the blueprint's views (metrics) share them.
    """
    chosen = _chosen_rules(bp, select, ignore)
    context = context if context is not None and context.bp is bp else Context(bp)
    silenced = _silenced_per_card(context)
    findings: list[Finding] = []
    for current in chosen:
        for hit in current.run(context):
            if hit.card is not None and current.code in silenced.get(hit.card, ()):
                continue
            findings.append(
                Finding(
                    rule=current.code,
                    name=current.name,
                    severity=current.severity,
                    message=hit.message,
                    stage=hit.stage,
                    step=hit.step,
                    lane=hit.lane,
                    card=hit.card,
                    fix=hit.fix or current.fix,
                    path=hit.path,
                )
            )
    return sort_findings(bp, findings)


def _chosen_rules(bp: Blueprint, select: Iterable[str] | None, ignore: Iterable[str] | None) -> list[Rule]:
    rules = all_rules()
    if select is not None:
        wanted = resolve(select)
        rules = [r for r in rules if r.code in wanted]
    dropped = resolve(ignore or ())
    # Unknown names in the file are reported by SL901 instead of stopping the check.
    for token in bp.checks.ignore:
        dropped |= expand(token)
    return [r for r in rules if r.code not in dropped]


def _silenced_per_card(context: Context) -> dict[str, set[str]]:
    silenced: dict[str, set[str]] = {}
    for _, card in context.places:
        if card.ignore:
            silenced[card.id] = set().union(*(expand(token) for token in card.ignore))
    return silenced


def sort_findings(bp: Blueprint, findings: list[Finding]) -> list[Finding]:
    """Blueprint-wide findings first, then by stage, step and lane in blueprint order."""
    stage_rank = {stage.id: i for i, stage in enumerate(bp.stages)}
    step_rank = {step.id: i for i, (_, step) in enumerate(bp.steps())}
    lane_rank = {lane.id: i for i, lane in enumerate(bp.lanes)}

    def key(finding: Finding) -> tuple[int, int, int, int, str]:
        return (
            -1 if finding.stage is None else stage_rank.get(finding.stage, len(stage_rank)),
            -1 if finding.step is None else step_rank.get(finding.step, len(step_rank)),
            -1 if finding.lane is None else lane_rank.get(finding.lane, len(lane_rank)),
            -finding.severity.rank,
            finding.rule,
        )

    return sorted(findings, key=key)
