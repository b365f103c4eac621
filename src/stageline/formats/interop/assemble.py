"""Put imported elements together into one validated blueprint.

Importers build the model's own elements (Lane, Stage, Step, Card, Link,
Opportunity), each validated by pydantic as it is made, and this checks the
whole with `check_integrity`: the same rules the operations enforce one change
at a time (unique ids, references that resolve, lane order). It is the loader's
path rather than a chain of AddCard/AddLink operations because each operation
re-indexes the whole blueprint: a 10,000-step journey map would take minutes.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from stageline.formats.errors import FormatError, FormatProblem
from stageline.model.blueprint import Blueprint
from stageline.model.elements import Lane, Link, Opportunity, Stage
from stageline.model.integrity import check_integrity

from .errors import json_path


def assemble(
    source: str,
    properties: dict[str, Any],
    lanes: list[Lane] | None,
    stages: list[Stage],
    links: list[Link],
    opportunities: list[Opportunity],
) -> Blueprint:
    """The blueprint of these parts; FormatError naming every broken reference."""
    data: dict[str, Any] = dict(properties)
    if lanes is not None:
        data["lanes"] = lanes
    try:
        bp = Blueprint.model_validate({**data, "stages": stages, "links": links, "opportunities": opportunities})
    except ValidationError as error:
        raise FormatError(
            [
                FormatProblem(source, 1, 1, json_path(tuple(e["loc"])), str(e["msg"]).removeprefix("Value error, "))
                for e in error.errors()
            ]
        ) from None
    problems = check_integrity(bp)
    if problems:
        raise FormatError([FormatProblem(source, 1, 1, json_path(p.path), p.message) for p in problems])
    return bp
