"""The Calibrate page: /b/{id}/calibrate.

Upload an event log (within the import's size limit; static/calibrate.js shows
the upload's progress), confirm how its columns are read with a preview of its
first rows, and see how far each card drifts from the design: the blueprint
drawn as a heat map of the drift, the ranked table beside it, the activities
that match no card and the conformance summary. Everyone who can see the
blueprint can calibrate it; editors and owners save the calibrated blueprint
as a new version. Every step works without JavaScript.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from stageline.analysis.calibration.format_text import drift_text, signed_seconds
from stageline.analysis.simulation import display
from stageline.formats.ingest import Limits, limit_text
from stageline.server.pages.deps import FormActor, PageActor, ServicesDep
from stageline.server.pages.importing import FORM_LIMITS, _choices
from stageline.server.pages.render import done, page
from stageline.server.pages.simulate import blueprint_context, draw_heat
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Opened
from stageline.server.services.calibrate import (
    MAX_MAPPED,
    ROLE_CHOICES,
    LogDraft,
    analyse,
    heat_of,
    run,
    save,
    tiles,
)
from stageline.server.services.errors import Invalid, ServiceError
from stageline.server.services.importing import STASH_CHARS, Upload

router = APIRouter(include_in_schema=False)
HEAT_LABEL = "Drift from the design, from none to the most of any card"
TEMPLATE = "calibrate.html"


def _rows(draft: LogDraft) -> list[dict[str, Any]]:
    """The drift table: ranked by what each card's drift costs the customer."""
    assert draft.result is not None
    found = []
    for card in draft.result.ranked():
        found.append(
            {
                "id": card.id,
                "text": card.text,
                "events": card.events,
                "designed": display.seconds(card.designed),
                "observed": display.seconds(card.observed.mean if card.observed else None),
                "p90": display.seconds(card.observed.p90 if card.observed else None),
                "drift": drift_text(card),
                "per_case": signed_seconds(card.extra_per_case),
                "off": card.drift is not None and abs(card.drift - 1.0) > 0.25,
                "fit": card.fit.text if card.fit else "–",
            }
        )
    return found


def _page(
    request: Request,
    opened: Opened,
    services: Services,
    actor: Actor,
    draft: LogDraft | None = None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "tab": "calibrate",
        "draft": draft,
        "roles": ROLE_CHOICES,
        "max_bytes": services.import_limits.max_bytes,
        "max_size": limit_text(services.import_limits.max_bytes),
        "error": error,
        "result": None,
        "cards": [(card.id, card.text) for _, card in opened.blueprint.cards()],
    }
    if draft is not None and draft.result is not None:
        result = draft.result
        svg, drawing_error = draw_heat(opened.blueprint, heat_of(result), HEAT_LABEL)
        context["result"] = {
            "data": result,
            "tiles": tiles(result),
            "rows": _rows(draft),
            "svg": svg,
            "drawing_error": drawing_error,
            "conformance": result.conformance,
            "warnings": [str(w) for w in result.warnings[:20]],
        }
    title = f"Calibrate {opened.record.title}"
    return page(request, TEMPLATE, {**blueprint_context(opened, services, actor, title), **context}, status=status)


@router.get("/b/{blueprint_id}/calibrate")
def calibrate_page(request: Request, blueprint_id: int, actor: PageActor, services: ServicesDep) -> Response:
    opened = services.blueprints.open(actor, blueprint_id)
    return _page(request, opened, services, actor)


def _activity_map(form: FormData) -> dict[str, str]:
    """`map_activity`/`map_card` pairs: the activities a person matched to a card on the page."""
    activities, cards = form.getlist("map_activity"), form.getlist("map_card")
    found: dict[str, str] = {}
    for activity, card in list(zip(activities, cards, strict=False))[:MAX_MAPPED]:
        if isinstance(activity, str) and isinstance(card, str) and activity.strip() and card.strip():
            found[activity[:500]] = card.strip()[:200]
    return found


async def _draft(request: Request, limits: Limits, file: UploadFile | None, upload: str, upload_name: str) -> LogDraft:
    if file is not None and file.filename:
        data = await file.read(limits.max_bytes + 1)
        chosen = Upload.of(file.filename, data, file.size, limits)
        return await run_in_threadpool(analyse, chosen)
    if upload:
        kept = Upload.unstash(upload_name, upload, limits)
        form = await request.form()
        draft = await run_in_threadpool(analyse, kept, _choices(form))
        draft.activity_map = _activity_map(form)
        return draft
    raise Invalid("choose a log file: CSV, XLSX, XES or JSON lines")


@router.post("/b/{blueprint_id}/calibrate", form_limits=FORM_LIMITS)
async def calibrate_log(
    request: Request,
    blueprint_id: int,
    actor: FormActor,
    services: ServicesDep,
    file: Annotated[UploadFile | None, File()] = None,
    upload: Annotated[str, Form(max_length=STASH_CHARS)] = "",
    upload_name: Annotated[str, Form(max_length=300)] = "",
    action: Annotated[str, Form(max_length=20)] = "calibrate",
) -> Response:
    """A new upload shows its columns and, when they are found, the calibration at once;
    the kept one is calibrated with the columns as chosen, or saved (editors)."""
    opened = await run_in_threadpool(services.blueprints.open, actor, blueprint_id)
    try:
        draft = await _draft(request, services.import_limits, file, upload, upload_name)
        if action == "save":
            await run_in_threadpool(save, services.blueprints, actor, blueprint_id, draft)
            return done(f"/b/{blueprint_id}", "calibration-saved")
        draft = await run_in_threadpool(run, opened, draft)
    except ServiceError as error:
        if error.status in (401, 403, 404):
            raise
        return await run_in_threadpool(
            _page, request, opened, services, actor, error=error.message, status=error.status
        )
    status = 422 if draft.problems else 200
    return await run_in_threadpool(_page, request, opened, services, actor, draft, status=status)
