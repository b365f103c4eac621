"""Blueprint Signal's project format, described from its published model.

Blueprint Signal (github.com/UlrikErlingsen/service-blueprinting) keeps a
blueprint as six tables (`src/blueprintsignal/model.py`): stages, actions,
links, hazards, improvements and sources, under `schema_version: "1.0"` and a
`brief`. A saved project wraps that `data` in an envelope
(`src/blueprintsignal/portable.py`): `{"format": "blueprint-project-v1",
"data": …, "origin": …, "review": …}`; its AI import produces the bare `data`.

This module re-describes those facts as a JSON Schema (checked with
`jsonschema`) plus the cross-reference rules its `validate` applies, so that a
file Signal would refuse is refused here with the JSON path or cell of each
problem, and a file written here is one Signal accepts. Signal 1.0 limited a
project to 12 stages, 120 actions, 250 links, 120 hazards, 120 improvements and
100 sources; later versions lift those limits outside the public demo. Imports
accept either; exports keep to the 1.0 limits so every version opens them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

MARKER = "blueprint-project-v1"
ENVELOPE_KEYS = ("format", "data", "origin", "review")
MAX_BYTES = 5_000_000
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,39}$"
LANES = {
    "evidence": "Physical / digital evidence",
    "customer": "Customer actions",
    "frontstage": "Visible staff / technology",
    "backstage": "Backstage actions",
    "support": "Support processes",
}
ACTION_BASIS = ("observed", "assumed", "proposed")
HAZARD_BASIS = ("observed", "assumed")
IMPACTS = ("low", "medium", "high")
STATUSES = ("proposed", "testing", "complete")
TABLES = ("stages", "actions", "links", "hazards", "improvements", "sources")
LIMITS = {"stages": 12, "actions": 120, "links": 250, "hazards": 120, "improvements": 120, "sources": 100}
MAX_ORDER = 100
ORIGIN_LENGTH = 200


def _text(size: int, blank: bool = False) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": "string", "maxLength": size}
    if not blank:
        spec |= {"minLength": 1, "pattern": r"\S"}
    return spec


def _nullable(spec: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [spec, {"type": "null"}]}


def _record(fields: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": fields, "required": list(fields), "additionalProperties": False}


_ID: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN}
_DATE: dict[str, Any] = {"type": "string", "format": "date"}

# Each table's columns in Signal's order: name → JSON Schema.
FIELDS: dict[str, dict[str, Any]] = {
    "stages": {"id": _ID, "name": _text(100), "order": {"type": "integer", "minimum": 1}},
    "actions": {
        "id": _ID,
        "stage_id": _ID,
        "lane": {"enum": list(LANES)},
        "description": _text(700),
        "owner": _text(120, blank=True),
        "minutes": _nullable({"type": "number", "minimum": 0, "maximum": 100000}),
        "basis": {"enum": list(ACTION_BASIS)},
        "source_id": _nullable(_text(120)),
        "evidence_note": _text(1000, blank=True),
    },
    "links": {"id": _ID, "from_action": _ID, "to_action": _ID, "description": _text(500)},
    "hazards": {
        "id": _ID,
        "action_id": _ID,
        "failure": _text(700),
        "impact": {"enum": list(IMPACTS)},
        "basis": {"enum": list(HAZARD_BASIS)},
        "source_id": _nullable(_text(120)),
        "owner": _text(120, blank=True),
    },
    "improvements": {
        "id": _ID,
        "hazard_id": _ID,
        "change": _text(700),
        "owner": _text(120, blank=True),
        "measure": _text(400, blank=True),
        "target": _text(400, blank=True),
        "check_date": _nullable(_DATE),
        "status": {"enum": list(STATUSES)},
    },
    "sources": {"id": _ID, "title": _text(300), "url": _nullable(_text(2000)), "note": _text(1500)},
}
REVIEW = _record(
    {
        "reviewer": _text(120),
        "note": _text(1500),
        "checked_on": _DATE,
        "data_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    }
)


def data_schema(*, limited: bool) -> dict[str, Any]:
    """The `data` object; `limited` adds Signal 1.0's table limits and stage order ceiling."""
    tables: dict[str, Any] = {}
    for name in TABLES:
        columns = dict(FIELDS[name])
        if limited and name == "stages":
            columns["order"] = {"type": "integer", "minimum": 1, "maximum": MAX_ORDER}
        spec: dict[str, Any] = {"type": "array", "items": _record(columns), "minItems": 1 if name == "stages" else 0}
        if limited:
            spec["maxItems"] = LIMITS[name]
        tables[name] = spec
    return _record({"schema_version": {"const": "1.0"}, "brief": _text(2500), **tables})


Path = tuple[str | int, ...]
Report = Callable[[Path, str], None]


_KINDS = {"number": "a number", "integer": "a whole number", "string": "text", "object": "an object", "array": "a list"}


def _message(error: Any) -> str:
    validator, value = error.validator, error.instance
    if validator == "pattern" and error.validator_value == ID_PATTERN:
        return f"{value!r} is not a Blueprint Signal id: a letter, then up to 39 letters, digits, '-' or '_'"
    if validator == "pattern" and error.validator_value == r"\S":
        return "write some text here; it cannot be blank"
    if validator == "enum":
        return f"{value!r} is not one of {', '.join(map(str, error.validator_value))}"
    if validator == "maxItems":
        return f"{len(value)} rows; Blueprint Signal takes at most {error.validator_value}"
    if validator == "maxLength":
        return f"{len(value)} characters; Blueprint Signal takes at most {error.validator_value}"
    if validator == "anyOf":
        first = error.validator_value[0]
        kind = "a date (YYYY-MM-DD)" if first.get("format") == "date" else _KINDS.get(first.get("type"), "valid")
        limits = [f"{word} {first[k]:g}" for k, word in (("minimum", "at least"), ("maximum", "at most")) if k in first]
        bounds = f" ({', '.join(limits)})" if limits else ""
        return f"{value!r} is not {kind}{bounds}; write null when it is unknown"
    if validator == "type":
        return f"{value!r} is not {_KINDS.get(str(error.validator_value), error.validator_value)}"
    return str(error.message)


def check_schema(instance: Any, schema: dict[str, Any], report: Report) -> bool:
    """Report every schema violation at its path; True when there were none."""
    errors = sorted(
        Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(instance),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    for error in errors:
        report(tuple(error.absolute_path), _message(error))
    return not errors


def _unique(rows: list[dict[str, Any]], table: str, field: str, report: Report) -> dict[Any, int]:
    seen: dict[Any, int] = {}
    for i, row in enumerate(rows):
        if row[field] in seen:
            report(
                (table, i, field),
                f"{field} {row[field]!r} is used twice (first at {table}[{seen[row[field]]}]); {field}s must differ",
            )
        else:
            seen[row[field]] = i
    return seen


def check_rules(data: dict[str, Any], report: Report) -> None:
    """Signal's cross-reference rules over a `data` object that passed the schema."""
    stages = _unique(data["stages"], "stages", "id", report)
    _unique(data["stages"], "stages", "order", report)
    actions = _unique(data["actions"], "actions", "id", report)
    sources = _unique(data["sources"], "sources", "id", report)
    hazards = _unique(data["hazards"], "hazards", "id", report)
    _unique(data["links"], "links", "id", report)
    _unique(data["improvements"], "improvements", "id", report)
    for i, action in enumerate(data["actions"]):
        if action["stage_id"] not in stages:
            report(("actions", i, "stage_id"), f"no stage has id {action['stage_id']!r}")
        if action["source_id"] and action["source_id"] not in sources:
            report(("actions", i, "source_id"), f"no source has id {action['source_id']!r}")
        if action["basis"] == "observed" and (not action["source_id"] or not action["evidence_note"].strip()):
            report(
                ("actions", i, "basis"),
                "an observed action needs a source_id and an evidence_note; otherwise label it assumed or proposed",
            )
    pairs: set[tuple[str, str]] = set()
    for i, link in enumerate(data["links"]):
        for end in ("from_action", "to_action"):
            if link[end] not in actions:
                report(("links", i, end), f"no action has id {link[end]!r}")
        pair = (link["from_action"], link["to_action"])
        if pair[0] == pair[1]:
            report(("links", i, "to_action"), "a link must join two different actions")
        elif pair in pairs:
            report(("links", i), f"the link {pair[0]} → {pair[1]} is listed twice")
        pairs.add(pair)
    for i, hazard in enumerate(data["hazards"]):
        if hazard["action_id"] not in actions:
            report(("hazards", i, "action_id"), f"no action has id {hazard['action_id']!r}")
        if hazard["source_id"] and hazard["source_id"] not in sources:
            report(("hazards", i, "source_id"), f"no source has id {hazard['source_id']!r}")
        if hazard["basis"] == "observed" and not hazard["source_id"]:
            report(("hazards", i, "basis"), "an observed failure point needs a source_id; otherwise label it assumed")
    for i, plan in enumerate(data["improvements"]):
        if plan["hazard_id"] not in hazards:
            report(("improvements", i, "hazard_id"), f"no failure point has id {plan['hazard_id']!r}")
    for i, source in enumerate(data["sources"]):
        if source["url"] is not None and not safe_url(source["url"]):
            report(("sources", i, "url"), "use a public http(s) link, or null for supplied or internal material")


def safe_url(url: str) -> bool:
    """Signal's rule for source links: public http(s), a dotted host name, no credentials."""
    from ipaddress import ip_address
    from urllib.parse import urlsplit

    if any(c.isspace() or ord(c) < 32 for c in url) or "\\" in url:
        return False
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
            return False
        if "." not in host or host.endswith((".local", ".internal", ".localhost")):
            return False
        try:
            if not ip_address(host).is_global:
                return False
        except ValueError:
            pass
        return parts.port is None or 1 <= parts.port <= 65535
    except ValueError:
        return False


def digest(data: Any) -> str:
    """The SHA-256 Signal binds a review to: sorted keys, UTF-8, no NaN."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()
