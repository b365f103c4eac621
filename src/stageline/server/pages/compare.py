"""Comparing blueprints: /b/{id}/compare shows two versions of a blueprint,
or two blueprints, side by side with the highlights of `stageline diff`, the
changes field by field and the metric deltas; "Create the future state"
copies a current state as its linked future state."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from stageline.analysis.diff import MetricDelta
from stageline.analysis.diff.sections import sections
from stageline.analysis.diff.summary import metric_title, metric_value
from stageline.analysis.diff.text_report import SYMBOLS
from stageline.server.pages.blueprints import _context
from stageline.server.pages.deps import FormActor, PageActor, ServicesDep
from stageline.server.pages.render import done, page
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.services.comparisons import Comparison, Side
from stageline.server.services.errors import Invalid, ServiceError
from stageline.server.services.states import StateLinks

router = APIRouter(include_in_schema=False)

_REF = re.compile(r"^\s*(\d{1,10})(?:\s*@\s*v?(\d{1,10}))?\s*$")
MAX_VERSIONS = 200

# The numbers a redesign is judged by, first; every other headline number follows.
HEADLINE = {
    "customer_time": "Customer-facing time",
    "cost": "Cost per customer",
    "fail_point_risk": "Fail-point risk",
    "handoffs": "Handoffs",
    "moments_of_truth": "Moments of truth",
    "findings": "Check findings",
}
FINDINGS = ("findings_error", "findings_warning", "findings_info")


def parse_ref(value: str, what: str) -> tuple[int, int | None]:
    """`12` (blueprint 12 as it is now) or `12@3` (its version 3)."""
    match = _REF.match(value)
    if not match:
        raise Invalid(
            f"{what} names a blueprint as ID or ID@VERSION (for example 12 or 12@3), not {value!r}",
            details={"field": what},
        )
    return int(match[1]), int(match[2]) if match[2] else None


@dataclass(frozen=True)
class MetricRow:
    name: str
    title: str
    old: str
    new: str
    change: str
    verdict: str
    note: str = ""


def _row(delta: MetricDelta, title: str | None = None, note: str = "") -> MetricRow:
    return MetricRow(
        delta.name,
        title or metric_title(delta.name),
        metric_value(delta, delta.old),
        metric_value(delta, delta.new),
        metric_value(delta, delta.delta, signed=True) if delta.delta else "no change",
        delta.verdict,
        note,
    )


def metric_rows(comparison: Comparison) -> tuple[list[MetricRow], list[MetricRow]]:
    """The headline rows (customer-facing time, cost, fail-point risk,
    handoffs, moments of truth, findings) and every metric."""
    result = comparison.result
    headline: list[MetricRow] = []
    for name, title in HEADLINE.items():
        if name == "findings":
            parts = [m for m in (result.metric(n) for n in FINDINGS) if m is not None]
            if not parts:
                continue
            old = None if any(m.old is None for m in parts) else sum(m.old or 0 for m in parts)
            new = None if any(m.new is None for m in parts) else sum(m.new or 0 for m in parts)
            counts = ", ".join(
                f"{metric_value(m, m.old)} → {metric_value(m, m.new)} {m.name.removeprefix('findings_')}" for m in parts
            )
            headline.append(_row(MetricDelta("findings", old, new, "lower", "count"), title, counts))
        elif (delta := result.metric(name)) is not None:
            headline.append(_row(delta, title))
    return headline, [_row(m) for m in result.metrics]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def _choices(
    services: Services, actor: Actor, this: Side, links: StateLinks, chosen: list[Side]
) -> list[tuple[str, list[Choice]]]:
    """What the two pickers offer: this blueprint's versions, its linked
    current or future states, and the other blueprints of the workspace."""
    record = this.record
    groups: list[tuple[str, list[Choice]]] = []
    versions = services.blueprints.versions(actor, record.id)[:MAX_VERSIONS]
    groups.append(
        (
            f"{record.title} ({record.state} state)",
            [
                Choice(
                    f"{record.id}@{v.number}",
                    f"v{v.number}{' · ' + v.name if v.name else ''}{' (current)' if v.number == record.version else ''}"
                    f" — {v.summary[:60]}",
                )
                for v in versions
            ],
        )
    )
    linked = ([links.current] if links.current else []) + links.futures
    if linked:
        groups.append(
            (
                "Linked states",
                [Choice(str(item.record.id), f"{item.record.title} ({item.record.state} state)") for item in linked],
            )
        )
    seen = {record.id, *(item.record.id for item in linked)}
    try:
        others = [
            Choice(str(item.record.id), f"{item.record.title} ({item.record.state} state)")
            for item in services.blueprints.listing(actor, record.workspace_id)
            if item.record.id not in seen
        ]
    except ServiceError:  # someone with access to this blueprint alone sees no workspace list
        others = []
    if others:
        groups.append(("Other blueprints in this workspace", others))
    offered = {choice.value for _, group in groups for choice in group}
    extra = [Choice(side.ref, side.label) for side in chosen if _value(side, this) not in offered]
    if extra:
        groups.append(("Also", list({c.value: c for c in extra}.values())))
    return groups


def _value(side: Side, this: Side) -> str:
    """The picker value that names `side`: a version of this blueprint, or another blueprint as it is now."""
    if side.record.id != this.record.id and side.is_latest:
        return str(side.record.id)
    return side.ref


def _defaults(this: Side, links: StateLinks) -> tuple[tuple[int, int | None], tuple[int, int | None]]:
    """What /b/{id}/compare shows without a choice: current → future state
    when the blueprint has one, else what its latest version changed."""
    if links.current is not None:
        return (links.current.record.id, None), (this.record.id, None)
    if links.futures:
        return (this.record.id, None), (links.futures[-1].record.id, None)
    latest = this.record.version
    return (this.record.id, max(latest - 1, 1)), (this.record.id, latest)


View = Literal["side", "merged"]


@router.get("/b/{blueprint_id}/compare")
def compare(
    request: Request,
    blueprint_id: int,
    actor: PageActor,
    services: ServicesDep,
    old: str | None = None,
    new: str | None = None,
    view: str = "side",
) -> Response:
    if view not in ("side", "merged"):
        raise Invalid(f"view is 'side' or 'merged', not {view!r}", details={"field": "view"})
    opened = services.blueprints.open(actor, blueprint_id)
    this = services.comparisons.side(actor, blueprint_id)
    links = services.states.links(actor, blueprint_id)
    default_old, default_new = _defaults(this, links)
    old_ref = parse_ref(old, "old") if old else (default_old if not new else (blueprint_id, None))
    new_ref = parse_ref(new, "new") if new else (default_new if not old else (blueprint_id, None))
    before = services.comparisons.side(actor, *old_ref)
    after = services.comparisons.side(actor, *new_ref)
    comparison = services.comparisons.compare(before, after)
    if view == "merged":
        drawings = {"merged": services.comparisons.drawing(comparison, "merged")}
    else:
        drawings = {side: services.comparisons.drawing(comparison, side) for side in ("old", "new")}
    headline, every_metric = metric_rows(comparison)
    same = before.digest == after.digest
    return page(
        request,
        "compare.html",
        _context(
            opened,
            services,
            actor,
            title=f"Compare · {opened.record.title}",
            before=before,
            after=after,
            old_value=_value(before, this),
            new_value=_value(after, this),
            choices=_choices(services, actor, this, links, [before, after]),
            links=links,
            result=comparison.result,
            same=same,
            only_version=same and this.record.version == 1 and not links,
            view=view,
            drawings=drawings,
            headline=headline,
            every_metric=every_metric,
            sections=sections(comparison.result),
            symbols={status: symbol for status, (symbol, _) in SYMBOLS.items()},
            query=_query,
        ),
    )


def _query(**values: Any) -> str:
    """A query string for links that keep the page's choices."""
    return "?" + urlencode({key: value for key, value in values.items() if value not in (None, "")})


@router.post("/b/{blueprint_id}/future-state")
def create_future_state(blueprint_id: int, actor: FormActor, services: ServicesDep) -> Response:
    record = services.states.create_future(actor, blueprint_id)
    return done(f"/b/{record.id}", "future-created")
