"""The web application: `create_app(settings)` builds it, migrating the database first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from stageline.render.text import FONT_DIR
from stageline.server import errors
from stageline.server.api import api_router
from stageline.server.db import Database, upgrade
from stageline.server.middleware import BodyLimit, InputGuard, SecurityHeaders, Unexpected
from stageline.server.pages import pages_router
from stageline.server.realtime import Hub, realtime_router
from stageline.server.services import Services
from stageline.server.settings import Settings
from stageline.version import __version__

STATIC = Path(__file__).resolve().parent / "static"

DESCRIPTION = """Service blueprints, shared by a team.

Authenticate with a personal API token: `Authorization: Bearer sl_…` (create one on
your account page or with `POST /api/tokens`). Errors are JSON:
`{"error": {"code", "message", "details"}}`. Blueprint documents travel as YAML
(`Content-Type: application/yaml`) or as the same structure in JSON. Writes honour
`If-Match` with the version from the `ETag` header and answer 412 when it is stale."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    database = Database(settings.database_url)
    upgrade(database.engine)
    services = Services.build(database, settings)
    services.blueprints.purge_expired()
    hub = Hub(services)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await hub.start()
        yield
        await hub.stop()
        database.dispose()

    app = FastAPI(
        title="Stageline",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served below from the packaged Swagger UI: no CDN, works offline
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.services = services
    app.state.hub = hub
    errors.install(app)
    app.include_router(api_router())
    app.include_router(realtime_router())
    app.include_router(pages_router())
    # The drawing's font, served once and cached by the browser rather than
    # embedded in every page that shows a blueprint (see app.css).
    app.mount("/static/fonts", StaticFiles(directory=FONT_DIR), name="fonts")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _api_docs(app)
    # Outermost last: the size limit, then headers on every answer, then the
    # last resort for bugs, then the guard on ids and text.
    app.add_middleware(InputGuard)
    app.add_middleware(Unexpected)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app


def _api_docs(app: FastAPI) -> None:
    """/api/docs: Swagger UI 5 (OpenAPI 3.1) from the assets the swagger-ui-py package ships."""
    from importlib.resources import files

    from fastapi.responses import HTMLResponse

    assets = "/api/docs/assets"
    app.mount(assets, StaticFiles(directory=str(files("swagger_ui") / "static")), name="api-docs-assets")
    # The page starts Swagger UI from /static/api-docs.js: the policy allows no inline script.
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Stageline API</title>
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script type="module" src="/static/api-docs.js"></script>
</body>
</html>
"""

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(page)
