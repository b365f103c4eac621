"""Export a blueprint: the one path `stageline export` and the web app's downloads share.

The full writer table is the formats' writers plus the slide deck drawn here; a writer
whose report shows check findings and totals (XLSX, Markdown) is handed them, computed
once by the analysis layer, so the formats never run analysis themselves.
"""

from __future__ import annotations

from pathlib import Path

from stageline.analysis.checks import check
from stageline.analysis.insights import insights
from stageline.analysis.metrics import metrics
from stageline.formats.interop import registry
from stageline.formats.interop.registry import Writer
from stageline.model.blueprint import Blueprint
from stageline.render.slides import write_pptx


def _slides(bp: Blueprint) -> bytes:
    return write_pptx(bp, check(bp), metrics(bp))


PPTX = Writer(
    "pptx",
    (".pptx",),
    "slide deck",
    "PowerPoint/Impress slides: title, the whole blueprint, a slide per stage, findings, metrics, opportunities",
    _slides,
)
WRITERS: tuple[Writer, ...] = (*registry.WRITERS, PPTX)


def writer_named(name: str) -> Writer:
    """The writer called `name` (or an alias such as `md`); ValueError with a suggestion otherwise."""
    return registry.writer_named(name, WRITERS)


def writer_for(path: str | Path) -> Writer:
    """The writer for a file name's extension; ValueError naming the extensions otherwise."""
    return registry.writer_for(path, WRITERS)


def export(bp: Blueprint, writer: Writer) -> str | bytes:
    """`bp` in the writer's format, with findings and totals when the format shows them."""
    if writer.with_insights is not None:
        return writer.with_insights(bp, insights(bp))
    return writer.write(bp)
