"""The JSON Schema (draft 2020-12) of the YAML file format v1, and the field
reference of `docs/format.md`, both generated from one description of every field.

This describes the *file*, not the model: it accepts the shorthands people write
(a card as bare text, one card or a list, durations as `5m` or minutes, `fail`
as text, a resource as a number). Editors use it through the YAML language server:
put `# yaml-language-server: $schema=<path or URL of stageline.schema.json>` on the
first line of a blueprint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from stageline.model.elements import (
    CARD_ID_PATTERN,
    ID_PATTERN,
    OLD_OPPORTUNITY_STATUSES,
    OPPORTUNITY_STATUSES,
    STANDARD_CHANNELS,
    STANDARD_LANES,
)

SCHEMA_FILE = "stageline.schema.json"
SCHEMA_TITLE = "Stageline blueprint (format v1)"
# Durations as the reader accepts them: compact (`1h30m`, `45s`, `5 min`), a number
# as text (minutes) or ISO 8601 (`PT5M`); letters in either case.
_NUM = r"\d+(\.\d+)?"
DURATION_PATTERN = (
    rf"^(\s*(?=[^\s])({_NUM}\s*[dD])?\s*({_NUM}\s*[hH])?\s*({_NUM}\s*([mM][iI][nN]|[mM]))?\s*({_NUM}\s*[sS])?\s*"
    rf"|\s*{_NUM}\s*"
    rf"|[pP](?=.*\d)({_NUM}[dD])?([tT]({_NUM}[hH])?({_NUM}[mM])?({_NUM}[sS])?)?)$"
)
RATE_PATTERN = rf"^\s*{_NUM}\s*(/\s*(d|h|m|min|s))?\s*$"
CLOCK_PATTERN = r"^\d{2}:\d{2}$"
HOURS_PATTERN = r"^\d{2}:\d{2}-\d{2}:\d{2}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True)
class Field:
    """One key of an object in the file: its schema, what it means, an example."""

    name: str
    schema: dict[str, Any]
    description: str
    required: bool = False
    default: str | None = None
    example: str | None = None


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _text() -> dict[str, Any]:
    return {"type": "string"}


def _score(what: str) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": 5, "description": what}


def _list(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


# Every object of the format, key by key, in the canonical order of the writer.
OBJECTS: dict[str, tuple[str, list[Field]]] = {
    "blueprint": (
        "The top level of a file: one customer scenario.",
        [
            Field(
                "stageline",
                {"const": 1},
                "Format version. Always `1` for this format; a file with a higher number needs a newer Stageline.",
                required=True,
                example="1",
            ),
            Field("title", _ref("text"), "Name of the blueprint.", required=True, example="Overnight hotel stay"),
            Field(
                "scenario", _text(), "The one situation this blueprint maps.", example="Business traveller, one night"
            ),
            Field("persona", _text(), "Who the customer is.", example="Frequent business traveller"),
            Field(
                "state",
                {"enum": ["current", "future"]},
                "`current` diagnoses today's service; `future` designs the service to be.",
                default="current",
                example="current",
            ),
            Field(
                "goal", _text(), "What the customer wants to achieve.", example="A good night's sleep before a meeting"
            ),
            Field(
                "tolerance",
                _ref("duration"),
                "Total time the customer will accept for the whole service (Shostack's tolerance).",
                example="2h",
            ),
            Field("currency", _text(), "Currency of every `cost`.", example="EUR"),
            Field(
                "notes",
                _text(),
                "About the blueprint as a whole: where it came from, who reviewed it and when.",
                example="Imported from Blueprint Signal; reviewed by the shift manager",
            ),
            Field(
                "lanes",
                _list(_ref("lane")),
                "The rows, top to bottom. Omitted: the five standard lanes "
                "evidence, customer, frontstage, backstage, support.",
                default="the five standard lanes",
                example="[evidence, customer, frontstage, backstage, support, management]",
            ),
            Field("stages", _list(_ref("stage")), "The phases of the journey, in order.", default="[]"),
            Field("links", _list(_ref("link")), "Arrows between cards.", default="[]"),
            Field("opportunities", _list(_ref("opportunity")), "Improvement ideas tied to cards.", default="[]"),
            Field(
                "actors",
                _list(_ref("actor")),
                "Who does the work: people, teams and systems that cards name as `actor` (by name or alias).",
                default="[]",
            ),
            Field("checks", _ref("checks"), "Settings of `stageline check` for this file."),
            Field("simulation", _ref("simulation"), "Inputs of `stageline simulate`: arrivals, resources, horizon."),
        ],
    ),
    "lane": (
        "A row: a standard lane by its id, or a custom lane as a mapping.",
        [
            Field(
                "id",
                _ref("id"),
                "Lane id; also the key that holds this lane's cards in each step.",
                required=True,
                example="policies",
            ),
            Field(
                "title",
                _ref("text"),
                "Heading of the row. Standard lanes have a default title.",
                required=True,
                example="Policies",
            ),
            Field(
                "visible",
                {"type": "boolean"},
                "Above the line of visibility (the customer sees it) or below. Standard lanes have a fixed side.",
                required=True,
                example="false",
            ),
        ],
    ),
    "stage": (
        "A phase of the journey: a group of steps.",
        [
            Field("id", _ref("id"), "Unique id.", required=True, example="arrival"),
            Field("title", _ref("text"), "Heading of the stage.", required=True, example="Arrival"),
            Field("steps", _list(_ref("step")), "The steps of this stage, in order.", default="[]"),
        ],
    ),
    "step": (
        "A column: one thing the customer does. Every other key is a lane id holding that lane's cards: "
        "one card, or a list of cards.",
        [
            Field(
                "id",
                _ref("id"),
                "Unique id; cards without an id are named after it.",
                required=True,
                example="check-in",
            ),
            Field(
                "title", _text(), "Heading of the column.", default="the text of the customer card", example="Check in"
            ),
            Field(
                "present",
                {"type": "boolean"},
                "`false` for a step the customer is not present for (a follow-up call the next day, an invoice "
                "sent later): its time counts as elapsed time, not time in the service.",
                default="true",
                example="false",
            ),
        ],
    ),
    "card": (
        "One action, touchpoint or process in a cell. A bare string is a card with only `text`.",
        [
            Field(
                "id",
                _ref("cardId"),
                "Unique id. Without one a card is `<step>.<lane>` (first card of its cell) or `<step>.<lane>.<n>`.",
                default="generated",
                example="registration",
            ),
            Field("text", _ref("text"), "What happens.", required=True, example="Process registration"),
            Field("actor", _text(), "Who does it.", example="Front desk clerk"),
            Field("department", _text(), "Which team owns it.", example="Front office"),
            Field(
                "channel",
                {"anyOf": [{"enum": list(STANDARD_CHANNELS)}, _text()]},
                f"How it happens: {', '.join(STANDARD_CHANNELS)}, or your own word.",
                example="in-person",
            ),
            Field(
                "duration",
                {"anyOf": [_ref("duration"), _ref("distribution")]},
                "How long it takes: a duration, or a distribution for simulation (analysis uses its mean).",
                example="4m",
            ),
            Field("wait", _ref("duration"), "Time the customer waits before this card.", example="8m"),
            Field("cost", {"type": "number", "minimum": 0}, "Cost per customer, in `currency`.", example="2.5"),
            Field(
                "fail",
                _ref("failPoint"),
                "Where this can go wrong, with its recovery (a fail point).",
                example="{text: Room not ready, recovery: Offer lounge access, severity: 4, likelihood: 2}",
            ),
            Field(
                "emotion",
                {"type": "integer", "minimum": -2, "maximum": 2},
                "How the customer feels, from -2 (very negative) to +2 (very positive).",
                example="-1",
            ),
            Field("pain", _text(), "What hurts here, in the customer's words.", example="Long queue after a flight"),
            Field(
                "basis",
                {"enum": ["observed", "assumed", "proposed"]},
                "Where the card comes from: observed in research, assumed, or proposed for a future state.",
                default="assumed",
                example="observed",
            ),
            Field("source", _text(), "Evidence for the card: interview, log, study.", example="Guest interviews, May"),
            Field("notes", _text(), "Anything else.", example="Peak at 18:00"),
            Field("tags", _list(_text()), "Free labels.", default="[]", example="[peak, manual]"),
            Field(
                "ignore",
                _list(_text()),
                "Check rules silenced for this card (names or codes).",
                default="[]",
                example="[fail-recovery]",
            ),
        ],
    ),
    "failPoint": (
        "Where a card can fail (Shostack 1984) and its fail-safe. Text alone is shorthand for `{text: …}`.",
        [
            Field("text", _ref("text"), "What goes wrong.", required=True, example="Room not ready"),
            Field("recovery", _text(), "How the service recovers.", example="Offer lounge access"),
            Field("severity", _score("1 (minor) to 5 (severe)."), "How bad it is for the customer, 1–5.", example="4"),
            Field("likelihood", _score("1 (rare) to 5 (frequent)."), "How often it happens, 1–5.", example="2"),
            Field(
                "p",
                {"type": "number", "minimum": 0, "maximum": 1},
                "Probability per customer, for simulation.",
                example="0.05",
            ),
            Field("recovery_time", _ref("duration"), "Extra time when it fails.", example="15m"),
            Field("recovery_cost", {"type": "number", "minimum": 0}, "Extra cost when it fails.", example="20"),
            Field("owner", _text(), "Who answers for preventing it and recovering.", example="Shift manager"),
        ],
    ),
    "distribution": (
        "A random duration for simulation.",
        [
            Field(
                "dist",
                {"enum": ["exponential", "triangular", "uniform", "lognormal", "normal", "constant"]},
                "The distribution: exponential and constant take `mean`; uniform `min`, `max`; triangular `min`, "
                "`mode`, `max`; lognormal and normal `mean`, `sd`.",
                required=True,
                example="triangular",
            ),
            Field("mean", _ref("duration"), "Mean.", example="4m"),
            Field("sd", _ref("duration"), "Standard deviation.", example="1m"),
            Field("min", _ref("duration"), "Shortest.", example="2m"),
            Field("mode", _ref("duration"), "Most likely.", example="3m"),
            Field("max", _ref("duration"), "Longest.", example="10m"),
        ],
    ),
    "link": (
        "An arrow between two cards: one-way is a handoff, two-way a codependency.",
        [
            Field(
                "from", _ref("cardId"), "Id of the card the arrow leaves.", required=True, example="check-in.customer"
            ),
            Field("to", _ref("cardId"), "Id of the card the arrow reaches.", required=True, example="registration"),
            Field("two_way", {"type": "boolean"}, "Both cards depend on each other.", default="false", example="true"),
            Field("label", _text(), "What passes along the arrow.", example="Registration details"),
            Field(
                "p",
                {"type": "number", "minimum": 0, "maximum": 1},
                "Share of customers who take this branch (simulation).",
                example="0.3",
            ),
        ],
    ),
    "opportunity": (
        "An improvement idea, tied to the cards it would change.",
        [
            Field("id", _ref("id"), "Unique id.", required=True, example="mobile-key"),
            Field("title", _ref("text"), "The idea in a few words.", required=True, example="Mobile check-in"),
            Field("description", _text(), "The idea in full.", example="Send the room key to the guest's phone"),
            Field(
                "targets",
                _list(_ref("cardId")),
                "Ids of the cards it changes.",
                default="[]",
                example="[check-in.customer]",
            ),
            Field(
                "change",
                {"oneOf": [_ref("text"), _list(_ref("text"))]},
                "What it changes, in the language of `stageline simulate --what-if`: a resource's capacity "
                "(`Front desk clerk=+1`, `Kitchen=3`) or a card's duration (`registration.duration=*0.5`, "
                "`=2m`, `=-30s`). One change, or a list applied together; `stageline opportunities` "
                "simulates it against this blueprint, and `stageline check` reports a change it could not "
                "run (SL706).",
                default="[]",
                example="[Front desk clerk=+1, registration.duration=*0.8]",
            ),
            Field(
                "future",
                _ref("text"),
                "The future-state blueprint file that realises it (relative to this file); "
                "`stageline opportunities` simulates it when there is no `change`.",
                example="hotel-stay-future.yaml",
            ),
            Field("owner", _text(), "Who drives it.", example="Digital team"),
            Field("measure", _text(), "What will be measured to know it worked.", example="Time from arrival to key"),
            Field("target", _text(), "The value of the measure that counts as success.", example="Under 5 minutes"),
            Field(
                "due",
                {"type": "string", "format": "date", "pattern": DATE_PATTERN},
                "When it is checked: a date, YYYY-MM-DD.",
                example="2027-03-31",
            ),
            Field("value", _score("1 (little) to 5 (a lot)."), "Value for customers and business, 1–5.", example="4"),
            Field("effort", _score("1 (small) to 5 (large)."), "Effort to realise it, 1–5.", example="3"),
            Field(
                "status",
                {"enum": [*OPPORTUNITY_STATUSES, *OLD_OPPORTUNITY_STATUSES]},
                "Where it stands: idea, planned, testing, done or dropped. "
                + "; ".join(f"`{k}` (older files) is read as `{v}`" for k, v in OLD_OPPORTUNITY_STATUSES.items())
                + ".",
                default="idea",
                example="planned",
            ),
        ],
    ),
    "actor": (
        "A person (a role), team or system that does work. Cards refer to it by `name` or an alias.",
        [
            Field("name", _ref("text"), "The name cards use.", required=True, example="Front desk clerk"),
            Field(
                "kind",
                {"enum": ["person", "team", "system"]},
                "A person (one role), a team, or a system; workload reports people and systems apart.",
                default="person",
                example="system",
            ),
            Field("department", _text(), "The department it belongs to.", example="Front office"),
            Field(
                "aliases",
                _list(_ref("text")),
                "Other names cards use for it (abbreviations, older titles).",
                default="[]",
                example="[Receptionist, FDC]",
            ),
            Field(
                "capacity",
                {"type": "integer", "minimum": 1},
                "How many can serve at once; makes it a scarce resource in `stageline simulate`.",
                example="2",
            ),
            Field(
                "hours",
                {"type": "string", "pattern": HOURS_PATTERN},
                "Opening hours for simulation, HH:MM-HH:MM.",
                example="07:00-23:00",
            ),
        ],
    ),
    "checks": (
        "Settings of `stageline check` for this file.",
        [
            Field(
                "ignore",
                _list(_text()),
                "Rules (names or codes) not checked in this file.",
                default="[]",
                example="[wait-tolerance]",
            ),
            Field(
                "max_share",
                {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "`overloaded-actor`: the share of the people's (or the systems') work one actor may carry.",
                default="0.5",
                example="0.6",
            ),
            Field(
                "max_utilisation",
                {"type": "number", "exclusiveMinimum": 0},
                "`overloaded-actor`: utilisation at the arrival rate above which an actor is overloaded.",
                default="0.85",
                example="0.9",
            ),
        ],
    ),
    "simulation": (
        "Inputs of `stageline simulate`.",
        [
            Field("arrivals", _ref("arrivals"), "How customers arrive.", required=True, example="{rate: 10/h}"),
            Field(
                "resources",
                {"type": "object", "additionalProperties": _ref("resource")},
                "Scarce staff or "
                "equipment by name (the `actor` of cards that use it): a capacity, or `{capacity, hours}`.",
                default="{}",
                example="{Front desk clerk: 2}",
            ),
            Field("horizon", _ref("duration"), "How long to simulate.", example="8h"),
            Field(
                "customers",
                {"type": "integer", "minimum": 1},
                "How many customers to simulate (instead of a horizon).",
                example="1000",
            ),
        ],
    ),
    "arrivals": (
        "Customer arrivals: a constant rate, or a schedule of rates from clock times on.",
        [
            Field(
                "rate",
                _ref("rate"),
                "Customers per hour (`10/h`, `2/m`, `300/d`; a number means per hour).",
                example="10/h",
            ),
            Field(
                "schedule",
                {
                    "type": "object",
                    "propertyNames": {"pattern": CLOCK_PATTERN},
                    "additionalProperties": _ref("rate"),
                    "minProperties": 1,
                },
                "Rates from a clock time (HH:MM) on.",
                example="{'08:00': 40/h, '10:00': 10/h}",
            ),
        ],
    ),
    "resource": (
        "A scarce resource: a number is its capacity.",
        [
            Field(
                "capacity", {"type": "integer", "minimum": 1}, "How many can serve at once.", default="1", example="3"
            ),
            Field(
                "hours",
                {"type": "string", "pattern": HOURS_PATTERN},
                "Opening hours, HH:MM-HH:MM.",
                example="07:00-23:00",
            ),
        ],
    ),
}

# What each object may be written as besides the mapping of its fields.
_SHORTHANDS: dict[str, list[dict[str, Any]]] = {
    "card": [_ref("text")],
    "failPoint": [_ref("text")],
    "lane": [{"enum": list(STANDARD_LANES), "description": "A standard lane by its id."}],
    "resource": [{"type": "integer", "minimum": 1, "description": "The capacity."}],
}


def _object_schema(name: str) -> dict[str, Any]:
    description, fields = OBJECTS[name]
    mapping: dict[str, Any] = {
        "type": "object",
        "properties": {
            f.name: {**f.schema, "description": f.description}
            if "$ref" not in f.schema
            else {"allOf": [f.schema], "description": f.description}
            for f in fields
        },
        "additionalProperties": False,
    }
    required = [f.name for f in fields if f.required]
    if name == "lane":
        # A standard lane written as a mapping may leave out its title and side.
        mapping["required"] = ["id"]
        mapping["if"] = {"properties": {"id": {"not": {"enum": list(STANDARD_LANES)}}}}
        mapping["then"] = {"required": required}
    elif required:
        mapping["required"] = required
    if name == "step":
        mapping["additionalProperties"] = _ref("cell")
        mapping["propertyNames"] = {"pattern": ID_PATTERN}
    if name == "arrivals":
        mapping["oneOf"] = [{"required": ["rate"]}, {"required": ["schedule"]}]
    shorthands = _SHORTHANDS.get(name)
    if shorthands:
        return {"description": description, "oneOf": [*shorthands, mapping]}
    return {"description": description, **mapping}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a blueprint file."""
    definitions: dict[str, Any] = {
        "id": {"type": "string", "pattern": ID_PATTERN, "description": "Lower-case letters, digits, '-' and '_'."},
        "cardId": {
            "type": "string",
            "pattern": CARD_ID_PATTERN,
            "description": "A card id; generated ids contain dots (`check-in.customer.2`).",
        },
        "text": {"type": "string", "minLength": 1},
        "duration": {
            "description": "45s, 5m, 1h30m, 2d or ISO 8601 (PT5M); a bare number means minutes.",
            "oneOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": DURATION_PATTERN}],
        },
        "rate": {
            "description": "Customers per hour: 10/h, 2/m, 300/d; a bare number means per hour.",
            "oneOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": RATE_PATTERN}],
        },
        "cell": {
            "description": "The cards of one lane in a step: one card, or a list of cards.",
            "oneOf": [{"type": "null"}, _ref("card"), {"type": "array", "items": _ref("card")}],
        },
    }
    for name in OBJECTS:
        if name != "blueprint":
            definitions[name] = _object_schema(name)
    top = _object_schema("blueprint")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": SCHEMA_TITLE,
        **top,
        "$defs": definitions,
    }


def schema_text() -> str:
    """The schema as written to `stageline.schema.json` and printed by `stageline schema`."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def shipped_schema() -> str:
    """The schema file shipped in the package (kept equal to `schema_text()` by a test)."""
    return resources.files("stageline.formats").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
