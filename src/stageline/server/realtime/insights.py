"""Findings and headline metrics of the document an editor has on screen.

The editor asks for them (debounced) as people edit: the analysis runs on the
document as the person sees it, pending edits included, so marks appear on
the cells they are working in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ValidationError

from stageline.analysis.checks import check
from stageline.analysis.metrics import metrics as measure
from stageline.model import Blueprint
from stageline.server.api.deps import ActorDep, ServicesDep
from stageline.server.realtime.hub import Hub
from stageline.server.realtime.protocol import wire_json
from stageline.server.services.errors import Invalid

router = APIRouter(tags=["blueprints"])

# What the editor's metrics panel draws (the rest is on the blueprint's page):
# totals against the tolerance, time per stage, the emotion curve, workload per
# actor and the busiest, fail points by risk.
METRICS_SHOWN = ("totals", "stages", "emotion_curve", "workload", "bottleneck", "fail_points")


class InsightsIn(BaseModel):
    document: dict[str, Any]


def analysis(document_json: str) -> dict[str, Any]:
    """Findings and the metrics shown of a valid blueprint's JSON (run in the
    checkpoint helper for large documents, so live rooms keep the interpreter)."""
    blueprint = Blueprint.model_validate_json(document_json)
    findings = [finding.to_json() for finding in check(blueprint)]
    metrics = measure(blueprint).model_dump(mode="json")
    return {"findings": findings, "metrics": {key: metrics[key] for key in METRICS_SHOWN if key in metrics}}


@router.post("/api/blueprints/{blueprint_id}/insights")
def insights(
    request: Request, blueprint_id: int, body: InsightsIn, actor: ActorDep, services: ServicesDep
) -> dict[str, Any]:
    """Findings (`stageline check`) and metrics (`stageline metrics`: totals,
    stages, emotion_curve, workload, bottleneck, fail_points) of `document`, a blueprint in its JSON
    form — the editor sends what it shows, live edits included. Needs at least
    viewer access to the blueprint."""
    services.blueprints.role(actor, blueprint_id)
    try:
        blueprint = Blueprint.model_validate(body.document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "document"
        raise Invalid(f"{where}: {first['msg']}", code="invalid_document") from None
    hub: Hub = request.app.state.hub
    return hub.serialise.run(analysis, wire_json(blueprint))
