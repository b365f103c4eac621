"""/api/blueprints/{id}/compare, /future-state and /states: what changes
between two blueprints or two versions (the JSON contract of `stageline diff`),
and current state ↔ future state."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from stageline.server.api.deps import ActorDep, ServicesDep
from stageline.server.api.schemas import BlueprintOut

router = APIRouter(prefix="/api/blueprints/{blueprint_id}", tags=["compare"])
Number = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


class ChangedOut(BaseModel):
    id: str | None = Field(description="The id in the new blueprint; null for the blueprint's own properties.")
    old_id: str | None
    kind: str
    label: str
    fields: dict[str, list[Any]] = Field(
        description="FIELD: [OLD, NEW], with YAML field names (nested: `fail.severity`)."
    )


class MovedOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    old_id: str
    kind: str
    label: str
    from_: str = Field(alias="from", description="Where it was, in the old blueprint's ids: `step/lane[index]`…")
    to: str
    from_place: dict[str, Any]
    to_place: dict[str, Any]


class SideOut(BaseModel):
    blueprint_id: int
    version: int
    latest: bool = Field(description="Whether this is the blueprint's current version.")
    title: str
    state: str


class ComparisonOut(BaseModel):
    """The JSON contract of `stageline diff --format json` (docs/diff.md), plus
    where each side comes from and the highlights for drawing each side."""

    added: list[str] = Field(description="Ids of elements only the new side has.")
    removed: list[str] = Field(description="Ids of elements only the old side has.")
    changed: list[ChangedOut]
    moved: list[MovedOut]
    metrics: dict[str, list[float | None]] = Field(description="NAME: [OLD, NEW] for every headline metric.")
    metric_details: dict[str, dict[str, Any]]
    details: dict[str, list[dict[str, Any]]]
    renamed: dict[str, str]
    summary: dict[str, Any]
    old: SideOut
    new: SideOut
    highlights: dict[str, dict[str, str]] = Field(
        description='{"old": {ID: "removed"|"changed"}, "new": {ID: "added"|"changed"}}: what to colour on each side.'
    )


class StatesOut(BaseModel):
    current: BlueprintOut | None = Field(description="The current state this blueprint is the future state of.")
    futures: list[BlueprintOut] = Field(description="The future states created from this blueprint, oldest first.")


@router.get("/compare", response_model=ComparisonOut)
def compare_blueprints(
    blueprint_id: int,
    actor: ActorDep,
    services: ServicesDep,
    old_version: Number = None,
    new: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Another blueprint; default: this one.")] = None,
    new_version: Number = None,
    metrics: bool = True,
) -> JSONResponse:
    """What changes from this blueprint at `old_version` (default: its current
    version) to blueprint `new` (default: this one) at `new_version` (default:
    its current version): elements added, removed, changed (field by field) and
    moved, and the metric deltas. `?new_version=5&old_version=4` is what
    version 5 changed; `?new=<future state id>` is what the redesign changes.
    `metrics=false` compares structure only, faster."""
    comparisons = services.comparisons
    before = comparisons.side(actor, blueprint_id, old_version)
    after = comparisons.side(actor, new if new is not None else blueprint_id, new_version)
    return JSONResponse(comparisons.compare(before, after, metrics=metrics).to_json())


@router.post("/future-state", response_model=BlueprintOut, status_code=201)
def create_future_state(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> JSONResponse:
    """Copy this current-state blueprint as its future state (`state: future`),
    in the same workspace and linked to it; compare the two with
    `GET /api/blueprints/{id}/compare?new=<future id>`. Needs the editor role."""
    record = services.states.create_future(actor, blueprint_id)
    body = BlueprintOut.of(record, services.blueprints.role(actor, record.id)).model_dump(mode="json")
    return JSONResponse(body, status_code=201, headers={"Location": f"/api/blueprints/{record.id}"})


@router.get("/states", response_model=StatesOut)
def blueprint_states(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> StatesOut:
    """The linked current state and future states of this blueprint (those you can see)."""
    links = services.states.links(actor, blueprint_id)
    return StatesOut(
        current=BlueprintOut.of(links.current.record, links.current.role) if links.current else None,
        futures=[BlueprintOut.of(item.record, item.role) for item in links.futures],
    )
