"""/api/blueprints/{id}/simulate and /simulation: run a simulation, save its inputs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from stageline.server.api.deps import ActorDep, ServicesDep, etag
from stageline.server.api.documents import json_body
from stageline.server.api.schemas import ChangeOut
from stageline.server.services.access import Action
from stageline.server.services.errors import Invalid

router = APIRouter(prefix="/api/blueprints", tags=["simulation"])

_RATE = {
    "oneOf": [{"type": "string", "example": "10/h"}, {"type": "number", "minimum": 0}],
    "description": "Customers per hour: `10/h`, `2/m`, `300/d`, or a number per hour.",
}
_RESOURCE = {
    "oneOf": [
        {"type": "integer", "minimum": 1, "description": "Units that serve at once."},
        {
            "type": "object",
            "properties": {
                "capacity": {"type": "integer", "minimum": 1},
                "hours": {"type": "string", "example": "09:00-17:00", "description": "Opening hours, HH:MM-HH:MM."},
            },
            "required": ["capacity"],
            "additionalProperties": False,
        },
    ]
}
SECTION_PROPERTIES: dict[str, Any] = {
    "arrivals": {
        "type": "object",
        "description": "Either a steady `rate` or a `schedule` of rates by time of day (HH:MM).",
        "properties": {
            "rate": _RATE,
            "schedule": {
                "type": "object",
                "additionalProperties": _RATE,
                "example": {"08:00": "40/h", "12:00": "10/h"},
            },
        },
        "additionalProperties": False,
    },
    "resources": {
        "type": "object",
        "description": "Units of each scarce actor or department (named as on the cards).",
        "additionalProperties": _RESOURCE,
        "example": {"Front desk clerk": 2, "Kitchen": {"capacity": 3, "hours": "07:00-23:00"}},
    },
    "customers": {"type": ["integer", "null"], "minimum": 1, "description": "How many customers arrive."},
    "horizon": {
        "oneOf": [{"type": "string", "example": "8h"}, {"type": "number", "minimum": 0}, {"type": "null"}],
        "description": "How long customers keep arriving (`8h`, `2d`, or seconds).",
    },
}
RUN_PROPERTIES: dict[str, Any] = {
    **SECTION_PROPERTIES,
    "seed": {"type": "integer", "minimum": 0, "default": 0, "description": "The same seed gives the same report."},
    "replications": {
        "type": "integer",
        "minimum": 1,
        "default": 1,
        "description": "Independent runs, averaged; 95 % intervals from 2 up.",
    },
}


def _body(properties: dict[str, Any], description: str, required: bool) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": required,
            "description": description,
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": properties, "additionalProperties": False}
                }
            },
        }
    }


class SimulationOut(BaseModel):
    version: int = Field(description="The blueprint version that was simulated.")
    inputs: dict[str, Any] = Field(description="The inputs the run used: the request over the blueprint's section.")
    report: dict[str, Any] = Field(
        description="The report, as `stageline simulate --format json` writes it (times in seconds): `cards` "
        "(waits, service, `heat` 0-1), `resources` (utilisation, queue, hourly profile), `steps` (wait per step), "
        "`customers` (total time, share over the tolerance, histogram), `bottlenecks`, `notes`, `settings`."
    )


async def _data(request: Request) -> dict[str, Any]:
    data = await json_body(request) if await request.body() else {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Invalid('send the inputs as a JSON object, e.g. {"arrivals": {"rate": "10/h"}, "customers": 500}')
    return data


@router.post(
    "/{blueprint_id}/simulate",
    response_model=SimulationOut,
    openapi_extra=_body(
        RUN_PROPERTIES,
        "Inputs over the blueprint's simulation section: what you leave out comes from the section.",
        False,
    ),
)
async def simulate_blueprint(blueprint_id: int, request: Request, actor: ActorDep, services: ServicesDep) -> Response:
    """Simulate the current version: customers through its steps, queueing for its scarce staff.
    Anyone who can see the blueprint may; 422 names each input that is wrong (`details.problems`)
    or says the run is too big; runs longer than the server's limit are stopped."""
    await run_in_threadpool(services.blueprints.role, actor, blueprint_id)  # 404 before reading a stranger's body
    data = await _data(request)
    run = await run_in_threadpool(services.simulations.run, actor, blueprint_id, data)
    version = run.opened.record.version
    body = SimulationOut(version=version, inputs=run.inputs.to_json(), report=run.report)
    return JSONResponse(body.model_dump(mode="json"), headers={"ETag": etag(version)})


@router.put(
    "/{blueprint_id}/simulation",
    response_model=ChangeOut,
    openapi_extra=_body(
        SECTION_PROPERTIES,
        "The simulation section to write; what you leave out stays as it is.",
        True,
    ),
)
async def save_simulation(blueprint_id: int, request: Request, actor: ActorDep, services: ServicesDep) -> Response:
    """Write the blueprint's simulation section (editors), checked as a run would be, as a new version.
    Answers 200 with the current version and no change when the section already holds these inputs."""
    await run_in_threadpool(services.blueprints.open, actor, blueprint_id, Action.EDIT)  # 403 before the body
    data = await _data(request)
    for key in ("seed", "replications"):
        if key in data:
            raise Invalid(f"{key} belongs to a run, not to the blueprint; send it to /simulate", details={"field": key})
    saved = await run_in_threadpool(services.simulations.save, actor, blueprint_id, data)
    if saved.change is None:
        opened = await run_in_threadpool(services.blueprints.open, actor, blueprint_id)
        record = opened.record
        body = ChangeOut(blueprint_id=record.id, version=record.version, seq=record.last_seq, summary="Unchanged")
        return JSONResponse(body.model_dump(mode="json"), headers={"ETag": etag(record.version)})
    body = ChangeOut.model_validate(saved.change)
    return JSONResponse(body.model_dump(mode="json"), headers={"ETag": etag(saved.change.version)})
