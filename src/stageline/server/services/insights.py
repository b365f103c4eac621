"""Findings, metrics and drawings of a blueprint version, from the analysis
and render packages. A version never changes, so results are cached by
(blueprint, version)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stageline.analysis.checks import check
from stageline.analysis.metrics import metrics as measure
from stageline.model import Blueprint
from stageline.render import render as draw
from stageline.server.services.errors import Invalid
from stageline.server.services.recent import Recent

FORMATS = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


Source = Blueprint | Callable[[], Blueprint]


def _model(source: Source) -> Blueprint:
    """The blueprint, opened only now when given as a loader (a cached result needs none)."""
    return source if isinstance(source, Blueprint) else source()


class Insights:
    def __init__(self, size: int = 128) -> None:
        self._results = Recent(size)

    def findings(self, blueprint: Source, key: tuple[int, int] | None = None) -> list[dict[str, Any]]:
        def make() -> list[dict[str, Any]]:
            return [finding.to_json() for finding in check(_model(blueprint))]

        return make() if key is None else self._results.get(("check", *key, ""), make)

    def metrics(self, blueprint: Source, key: tuple[int, int] | None = None) -> dict[str, Any]:
        def make() -> dict[str, Any]:
            dumped: dict[str, Any] = measure(_model(blueprint)).model_dump(mode="json")
            return dumped

        return make() if key is None else self._results.get(("metrics", *key, ""), make)

    def render(
        self, blueprint: Source, format: str = "svg", key: tuple[int, int] | None = None, *, inline: bool = False
    ) -> bytes:
        """The drawing as a file, or (`inline`) as SVG for a page, which takes
        the font from app.css instead of carrying its own copy."""
        if format not in FORMATS:
            raise Invalid(
                f"cannot draw as {format!r}; choose one of: {', '.join(FORMATS)}", details={"field": "format"}
            )

        options: dict[str, Any] = {"embed_font": False} if inline else {}

        def make() -> bytes:
            drawn = draw(_model(blueprint), format=format, **options)
            return drawn.encode() if isinstance(drawn, str) else drawn

        # PNG and PDF are large and rarely asked for twice; keep the cache for SVG and HTML.
        if key is None or format not in ("svg", "html"):
            return make()
        return self._results.get(("render", *key, f"{format}-inline" if inline else format), make)
