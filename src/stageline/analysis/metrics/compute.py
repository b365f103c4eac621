"""Working out the metrics of a blueprint, in one pass over cards and links.

Definitions (docs/metrics.md explains them with their sources):

* customer-facing time per step: see `stageline.analysis.timing`;
* a moment of truth is a link across the line of interaction (Bitner, Ostrom &
  Morgan 2008), counted in the stage of its customer-side card;
* a handoff is a link between different actors, between different
  departments, or across the line of internal interaction; counted once, in the
  stage of its source card;
* a customer step depends on hidden work whose result reaches one of its
  visible cards along the links' direction, passing only through hidden cards
  (so a chain of backstage work does not inherit every step of the journey);
  single points of failure are hidden cards two or more steps depend on;
* the critical path is the longest path through the time model
  (`stageline.analysis.timing`): per step the lane that sets its time and the
  hidden work the customer waits for, naming the longest written wait;
* handoffs between actors are split into people-to-people and
  people-to-system (a person looking something up is not a handoff between people);
* workload per actor comes from `stageline.analysis.workload`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from stageline.analysis.actors import is_placeholder
from stageline.analysis.checks.context import SUPPORT_LANE, Context
from stageline.analysis.graph import strongly_connected_components
from stageline.analysis.metrics.results import (
    ActorWorkload,
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
from stageline.analysis.workload import workload
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
    load = _workload(ctx)
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
        workload=load,
        bottleneck=_bottleneck(load),
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
    actors = departments = internal = people = with_system = 0
    roster = ctx.roster
    for link in ctx.bp.links:
        ends = _ends(ctx, link)
        if ends is None:
            continue
        source, target = ctx.card_of[link.source], ctx.card_of[link.target]
        owners = (roster.of_card(source), roster.of_card(target))
        by_actor = bool(owners[0] and owners[1] and owners[0] != owners[1])
        by_department = bool(source.department and target.department and source.department != target.department)
        by_line = _crosses_internal_interaction(ctx, ends)
        actors += by_actor
        departments += by_department
        internal += by_line
        if by_actor:
            systems = sum(roster.kind(owner) == "system" for owner in owners if owner)
            people += systems == 0
            with_system += systems == 1
        if by_actor or by_department or by_line:
            stage_of[link.key] = ctx.place_of[link.source].stage.id
    return stage_of, Handoffs(
        total=len(stage_of),
        between_actors=actors,
        between_departments=departments,
        internal_interaction=internal,
        people_to_people=people,
        people_to_system=with_system,
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
    """Hidden cards ranked by the customer steps that depend on them: steps with a visible card
    their result reaches along the links' direction, passing through hidden work only (so a
    chain of backstage cards does not inherit every step of the journey)."""
    place_of = ctx.place_of
    hidden = [card.id for place, card in ctx.places if ctx.is_hidden(place.lane)]
    if not hidden:
        return []
    is_hidden = {card_id: True for card_id in hidden}
    customer_steps = {step.id for _, step in ctx.steps() if step.cells.get(CUSTOMER_LANE)}
    step_bit = {step_id: 1 << n for n, step_id in enumerate(sorted(customer_steps))}
    flow = ctx.graph.flow
    successors = {card_id: [t for t in flow.get(card_id, ()) if t in place_of] for card_id in hidden}
    hidden_successors = {card_id: [t for t in targets if t in is_hidden] for card_id, targets in successors.items()}
    reached: dict[str, int] = {}
    # Tarjan emits components sinks first, so every successor is final before its feeders.
    for component in strongly_connected_components(hidden, hidden_successors):
        bits = 0
        for card_id in component:
            for target in successors[card_id]:
                if target in is_hidden:
                    bits |= reached.get(target, 0)
                else:
                    bits |= step_bit.get(place_of[target].step.id, 0)
        for card_id in component:
            reached[card_id] = bits
    order = {step_id: n for n, (_, step) in enumerate(ctx.steps()) for step_id in [step.id]}
    found = []
    for card_id in hidden:
        bits = reached.get(card_id, 0)
        if bits & (bits - 1) == 0:
            continue  # fewer than two customer steps
        only = successors[card_id]
        if len(only) == 1 and only[0] in is_hidden and reached.get(only[0]) == bits:
            continue  # a link in a chain: the card it feeds is reported with the same steps
        steps = sorted((s for s, bit in step_bit.items() if bits & bit), key=order.__getitem__)
        place, card = place_of[card_id], ctx.card_of[card_id]
        found.append(
            Dependency(
                card=card_id,
                text=card.text,
                lane=place.lane,
                stage=place.stage.id,
                step=place.step.id,
                steps=steps,
                actor=ctx.roster.of_card(card),
            )
        )
    neighbours = ctx.graph.neighbours
    # Among equals, the most connected card first (a hub), then support before
    # backstage: a shared system is the likelier single point of failure.
    return sorted(found, key=lambda d: (-len(d.steps), -len(neighbours.get(d.card, ())), d.lane != SUPPORT_LANE))


def _critical_path(ctx: Context) -> CriticalPath:
    """The longest path through the time model: the steps follow each other, and in each
    the lane that sets its time (plus the hidden work waited for) is on the path."""
    card_of, place_of = ctx.card_of, ctx.place_of

    def item(card_id: str) -> PathCard:
        card = card_of[card_id]
        return PathCard(
            card=card_id,
            text=card.text,
            step=place_of[card_id].step.id,
            lane=place_of[card_id].lane,
            seconds=(card.wait or 0.0) + mean_seconds(card.duration),
        )

    times = ctx.time.steps
    path: list[PathCard] = []
    for time in times:
        path.extend(item(card_id) for card_id in time.critical if card_id in card_of)
    waits = [item(card.id) for place, card in ctx.places if card.wait and ctx.time.on_path(card.id)]
    longest_wait = max(waits, key=lambda p: card_of[p.card].wait or 0.0, default=None)
    slowest = max(times, key=lambda t: t.customer, default=None)
    total = ctx.time.elapsed
    if total <= 0:
        return CriticalPath(cards=[], seconds=0.0)
    return CriticalPath(
        cards=[p.card for p in path],
        seconds=total,
        path=path,
        longest_wait=longest_wait,
        slowest_step=slowest.step if slowest is not None and slowest.customer > 0 else None,
    )


def _workload(ctx: Context) -> list[ActorWorkload]:
    load = workload(ctx.bp, ctx.roster)
    return [
        ActorWorkload(
            actor=a.actor,
            kind=a.kind,
            seconds=a.seconds,
            share=a.share,
            cards=a.cards,
            steps=a.steps,
            departments=a.departments,
            capacity=a.capacity,
            utilisation=a.utilisation,
        )
        for a in load.all()
    ]


def _bottleneck(load: list[ActorWorkload]) -> str | None:
    people = [a for a in load if a.kind != "system" and a.seconds > 0]
    if not people:
        return None
    with_rate = [a for a in people if a.utilisation is not None]
    if with_rate:
        return max(with_rate, key=lambda a: a.utilisation or 0.0).actor
    return max(people, key=lambda a: a.seconds).actor


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
