"""Stageline: service blueprints as code.

import stageline
bp = stageline.load("hotel.yaml")
print(bp.title, len(list(bp.cards())))
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from stageline.version import __version__

if TYPE_CHECKING:
    from stageline.model import Blueprint, BlueprintBuilder


def __getattr__(name: str) -> Any:
    # The model (pydantic) is imported on first use, so `stageline --version` stays instant.
    if name in ("Blueprint", "BlueprintBuilder"):
        import stageline.model

        return getattr(stageline.model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(path: Any) -> Blueprint:
    """Read a blueprint from a YAML file; raises `stageline.FormatError` listing every problem."""
    from stageline.formats.yaml_format import load as _load

    return _load(path)


def loads(text: str, *, source: str = "<string>") -> Blueprint:
    """Read a blueprint from YAML text."""
    from stageline.formats.yaml_format import loads as _loads

    return _loads(text, source=source)


def dumps(blueprint: Blueprint) -> str:
    """The canonical YAML of a blueprint."""
    from stageline.formats.yaml_format import dumps as _dumps

    return _dumps(blueprint)


def check(blueprint: Blueprint, **options: Any) -> Any:
    """Check findings for a blueprint: a list of `stageline.analysis.checks.Finding`."""
    from stageline.analysis.checks import check as _check

    return _check(blueprint, **options)


def metrics(blueprint: Blueprint) -> Any:
    """The metrics of a blueprint (`stageline.analysis.metrics.Metrics`)."""
    from stageline.analysis.metrics import metrics as _metrics

    return _metrics(blueprint)


def render(blueprint: Blueprint, format: str = "svg", **options: Any) -> str | bytes:
    """Draw a blueprint: SVG or HTML text, PNG or PDF bytes."""
    from stageline.render import render as _render

    return _render(blueprint, format=format, **options)


def simulate(blueprint: Blueprint, **options: Any) -> Any:
    """Run the discrete-event simulation (`stageline.analysis.simulation`)."""
    from stageline.analysis.simulation import simulate as _simulate

    return _simulate(blueprint, **options)


def calibrate(blueprint: Blueprint, logs: Any, **options: Any) -> Any:
    """Measure a blueprint against event logs (`stageline.analysis.calibration`): paths,
    data frames or uploads; the result's `to_dict()` is the JSON of `stageline calibrate`."""
    from stageline.analysis.calibration import calibrate as _calibrate

    return _calibrate(blueprint, logs, **options)


def diff(old: Blueprint, new: Blueprint) -> Any:
    """What changed between two blueprints (`stageline.analysis.diff`)."""
    from stageline.analysis.diff import diff as _diff

    return _diff(old, new)


def _svg(blueprint: Blueprint) -> str:
    drawing = render(blueprint, format="svg")
    return drawing if isinstance(drawing, str) else drawing.decode()


def _register_notebook_display() -> None:
    """In a running IPython or Jupyter session, show a blueprint as its drawing. The model knows
    nothing of rendering; the formatter is registered by name, so nothing heavy is imported."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["image/svg+xml"]
    formatter.for_type_by_name("stageline.model.blueprint", "Blueprint", _svg)


_register_notebook_display()

__all__ = [
    "Blueprint",
    "BlueprintBuilder",
    "__version__",
    "calibrate",
    "check",
    "diff",
    "dumps",
    "load",
    "loads",
    "metrics",
    "render",
    "simulate",
]
