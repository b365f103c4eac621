"""Stageline: service blueprints as code.

    import stageline
    bp = stageline.load("hotel.yaml")
    print(bp.title, len(list(bp.cards())))
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from stageline.model import Blueprint, BlueprintBuilder

if TYPE_CHECKING:  # pragma: no cover
    pass

try:
    __version__ = version("stageline")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"


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


__all__ = ["Blueprint", "BlueprintBuilder", "__version__", "dumps", "load", "loads"]
