"""Working out the metrics of a blueprint, in one pass over cards and links.

Definitions (docs/metrics.md explains them with their sources):

* customer-facing time per step: see `stageline.analysis.timing`;
* a moment of truth is a link across the line of interaction (Bitner, Ostrom &
  Morgan 2008), counted in the stage of its customer-side card;
* a handoff is a link between different actors, between different
  departments, or across the line of internal interaction; counted once, in the
  stage of its source card;
* a customer step depends on hidden work in its own column and on hidden work
  it reaches through links, passing only through hidden cards (so one step
  does not inherit the dependencies of the next visible contact);
* the critical path is the heaviest chain over the links, each card weighing
  its wait plus its (mean) duration, with two-way links read in blueprint
  order and loops condensed (`stageline.analysis.graph`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from stageline.analysis.actors import is_placeholder
from stageline.analysis.checks.context import SUPPORT_LANE, Context
from stageline.analysis.graph import DisjointSets
from stageline.analysis.metrics.results import (
    CriticalPath,
    Dependency,
    EmotionPoint,
    FailPointEntry,
    Handoffs,
    Metrics,
    PathCard,
    Responsibility,
    StageMetrics,
    StepMetrics,
    Totals,
)
from stageline.model import Blueprint, Link, mean_seconds
from stageline.model.elements import CUSTOMER_LANE


def metrics(bp: Blueprint, *, findings: dict[str, int] | None = None) -> Metrics:
    """Every metric of `bp`. `findings` (counts by severity) skips running the checks again."""
    ctx = Context(bp)
    mot = _moments_of_truth(ctx)
    handoff_links, handoffs = _handoffs(ctx)
    steps = _steps(ctx, mot)
    stages = _stages(ctx, steps, mot, handoff_links)
    fail_points = _fail_points(ctx)
    if findings is None:
        from stageline.analysis.checks import check

        counted = Counter(finding.severity.value for finding in check(bp, context=ctx))
        findings = {severity: counted.get(severity, 0) for severity in ("error", "warning", "info")}
    customer_time = ctx.time.in_service
    totals = Totals(
        stages=len(bp.stages),
        steps=len(steps),
        cards=len(ctx.places),
        links=len(bp.links),
        customer_time=customer_time,
        elapsed_time=ctx.time.elapsed,
        wait=ctx.time.wait,
        backstage_time=sum(s.backstage_time for s in steps),
        cost=sum(s.cost for s in steps),
        tolerance=bp.tolerance,
        tolerance_share=customer_time / bp.tolerance if bp.tolerance else None,
        moments_of_truth=len(mot),
        handoffs=handoffs,
        fail_points=len(fail_points),
        fail_point_risk=sum(f.risk for f in fail_points),
        fail_points_without_recovery=sum(is_placeholder(f.recovery or "") for f in fail_points),
        pain_points=sum(bool((card.pain or "").strip()) for _, card in ctx.places),
    )
    lanes = Counter(place.lane for place, _ in ctx.places)
    by_lane = Counter(f.lane for f in fail_points)
    return Metrics(
        title=bp.title,
        currency=bp.currency,
        totals=totals,
        stages=stages,
        steps=steps,
        cards_per_lane={lane: lanes.get(lane, 0) for lane in ctx.lane_ids},
        fail_points=fail_points,
        fail_points_by_lane={lane: by_lane.get(lane, 0) for lane in ctx.lane_ids},
        fail_points_by_side={
            "visible": sum(f.visible for f in fail_points),
            "hidden": sum(not f.visible for f in fail_points),
        },
        responsibilities=_responsibilities(ctx),
        single_points_of_failure=_dependencies(ctx),
        critical_path=_critical_path(ctx),
        emotion_curve=_emotion_curve(ctx),
        findings=findings,
    )


def _ends(ctx: Context, link: Link) -> tuple[str, str] | None:
    place_of = ctx.place_of
    if link.source not in place_of or link.target not in place_of:
        return None
    return place_of[link.source].lane, place_of[link.target].lane


def _moments_of_truth(ctx: Context) -> dict[str, str]:
    """Link key → the step of its customer-side card."""
    found: dict[str, str] = {}
    for link in ctx.bp.links:
        ends = _ends(ctx, link)
        if ends is None:
            continue
        source_side, target_side = (ctx.is_customer_side(lane) for lane in ends)
        if source_side != target_side:
            customer_card = link.source if source_side else link.target
            found[link.key] = ctx.place_of[customer_card].step.id
    return found


def _crosses_internal_interaction(ctx: Context, lanes: tuple[str, str]) -> bool:
    if SUPPORT_LANE not in ctx.lane_rank:
        return False
    below = [ctx.lane_rank[lane] >= ctx.support_rank for lane in lanes]
    return below[0] != below[1]


def _handoffs(ctx: Context) -> tuple[dict[str, str], Handoffs]:
    """Link key → the stage of its source card, and the counts by kind."""
    stage_of: dict[str, str] = {}
    actors = departments = internal = 0
    for link in ctx.bp.links:
        ends = _ends(ctx, link)
        if ends is None:
            continue
        source, target = ctx.card_of[link.source], ctx.card_of[link.target]
        by_actor = bool(source.actor and target.actor and source.actor != target.actor)
        by_department = bool(source.department and target.department and source.department != target.department)
        by_line = _crosses_internal_interaction(ctx, ends)
        actors += by_actor
        departments += by_department
        internal += by_line
        if by_actor or by_department or by_line:
            stage_of[link.key] = ctx.place_of[link.source].stage.id
    return stage_of, Handoffs(
        total=len(stage_of), between_actors=actors, between_departments=departments, internal_interaction=internal
    )


def _steps(ctx: Context, mot: dict[str, str]) -> list[StepMetrics]:
    mot_per_step = Counter(mot.values())
    result: list[StepMetrics] = []
    for stage, step in ctx.steps():
        cards = ctx.step_cards(step)
        timing = ctx.time.by_step[step.id]
        result.append(
            StepMetrics(
                stage=stage.id,
                step=step.id,
                title=step.display_title,
                customer_time=timing.customer,
                present=timing.present,
                wait=timing.wait,
                backstage_time=timing.backstage,
                cost=sum(card.cost or 0.0 for card in cards),
                cards=len(cards),
                fail_points=sum(card.fail is not None for card in cards),
                moments_of_truth=mot_per_step.get(step.id, 0),
                actors=_unique(card.actor for card in cards),
                departments=_unique(card.department for card in cards),
            )
        )
    return result


def _unique(values: Iterable[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


def _stages(
    ctx: Context, steps: list[StepMetrics], mot: dict[str, str], handoff_links: dict[str, str]
) -> list[StageMetrics]:
    by_stage: dict[str, list[StepMetrics]] = defaultdict(list)
    for step in steps:
        by_stage[step.stage].append(step)
    handoffs = Counter(handoff_links.values())
    risk: Counter[str] = Counter()
    for place, card in ctx.places:
        if card.fail is not None:
            risk[place.stage.id] += card.fail.risk
    result: list[StageMetrics] = []
    for stage in ctx.bp.stages:
        own = by_stage.get(stage.id, [])
        result.append(
            StageMetrics(
                stage=stage.id,
                title=stage.title,
                steps=len(own),
                cards=sum(s.cards for s in own),
                customer_time=sum(s.customer_time for s in own if s.present),
                elapsed_time=sum(s.customer_time for s in own),
                wait=sum(s.wait for s in own if s.present),
                backstage_time=sum(s.backstage_time for s in own),
                cost=sum(s.cost for s in own),
                fail_points=sum(s.fail_points for s in own),
                fail_point_risk=risk.get(stage.id, 0),
                moments_of_truth=sum(s.moments_of_truth for s in own),
                handoffs=handoffs.get(stage.id, 0),
            )
        )
    return result


def _fail_points(ctx: Context) -> list[FailPointEntry]:
    entries = [
        FailPointEntry(
            card=card.id,
            text=card.fail.text,
            card_text=card.text,
            stage=place.stage.id,
            step=place.step.id,
            lane=place.lane,
            visible=ctx.is_visible(place.lane),
            severity=card.fail.severity,
            likelihood=card.fail.likelihood,
            risk=card.fail.risk,
            recovery=card.fail.recovery,
        )
        for place, card in ctx.places
        if card.fail is not None
    ]
    # Stable sort: equal risks stay in blueprint order.
    return sorted(entries, key=lambda entry: -entry.risk)


def _responsibilities(ctx: Context) -> list[Responsibility]:
    rows: dict[tuple[str | None, str | None], dict[str, dict[str, None]]] = {}
    counts: Counter[tuple[str | None, str | None]] = Counter()
    for place, card in ctx.places:
        if not (card.actor or card.department):
            continue
        key = (card.actor, card.department)
        row = rows.setdefault(key, {"lanes": {}, "steps": {}})
        row["lanes"].setdefault(place.lane, None)
        row["steps"].setdefault(place.step.id, None)
        counts[key] += 1
    return [
        Responsibility(
            actor=actor,
            department=department,
            cards=counts[(actor, department)],
            lanes=list(row["lanes"]),
            steps=list(row["steps"]),
        )
        for (actor, department), row in rows.items()
    ]


def _dependencies(ctx: Context) -> list[Dependency]:
    hidden = [card.id for place, card in ctx.places if ctx.is_hidden(place.lane)]
    groups = DisjointSets(hidden)
    for link in ctx.bp.links:
        if link.source in groups.parent and link.target in groups.parent:
            groups.union(link.source, link.target)
    steps_of_group: dict[str, dict[str, None]] = defaultdict(dict)
    neighbours = ctx.graph.neighbours
    for _, step in ctx.steps():
        if not step.cells.get(CUSTOMER_LANE):
            continue
        touched: set[str] = set()
        for lane, cards in step.cells.items():
            for card in cards:
                if ctx.is_hidden(lane):
                    touched.add(groups.find(card.id))
                else:
                    touched.update(
                        groups.find(other) for other in neighbours.get(card.id, ()) if other in groups.parent
                    )
        for group in touched:
            steps_of_group[group].setdefault(step.id, None)
    found = []
    for card_id in hidden:
        steps = list(steps_of_group.get(groups.find(card_id), {}))
        if len(steps) >= 2:
            place, card = ctx.place_of[card_id], ctx.card_of[card_id]
            found.append(
                Dependency(
                    card=card_id, text=card.text, lane=place.lane, stage=place.stage.id, step=place.step.id, steps=steps
                )
            )
    # Among equals, the most connected card first (a hub), then support before
    # backstage: a shared system is the likelier single point of failure.
    return sorted(found, key=lambda d: (-len(d.steps), -len(neighbours.get(d.card, ())), d.lane != SUPPORT_LANE))


def _critical_path(ctx: Context) -> CriticalPath:
    card_of = ctx.card_of

    def weight(card_id: str) -> float:
        card = card_of[card_id]
        return (card.wait or 0.0) + mean_seconds(card.duration)

    chain = ctx.graph.critical_path(weight)
    if not ctx.bp.links or chain.seconds <= 0:
        return CriticalPath(cards=[], seconds=0.0)
    path = [
        PathCard(
            card=card_id,
            text=card_of[card_id].text,
            step=ctx.place_of[card_id].step.id,
            lane=ctx.place_of[card_id].lane,
            seconds=weight(card_id),
        )
        for card_id in chain.cards
    ]
    return CriticalPath(cards=chain.cards, seconds=chain.seconds, path=path)


def _emotion_curve(ctx: Context) -> list[EmotionPoint]:
    points: list[EmotionPoint] = []
    for stage, step in ctx.steps():
        customer = step.cells.get(CUSTOMER_LANE, [])
        if not customer:
            continue
        scores = [card.emotion for card in customer if card.emotion is not None]
        points.append(
            EmotionPoint(
                stage=stage.id,
                step=step.id,
                title=step.display_title,
                emotion=sum(scores) / len(scores) if scores else None,
                pain=[card.pain for card in ctx.step_cards(step) if card.pain and card.pain.strip()],
            )
        )
    return points
