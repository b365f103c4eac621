"""Blueprint Signal's contract, re-stated for tests from the facts of its source.

Facts from UlrikErlingsen/service-blueprinting (`src/blueprintsignal/model.py`
and `portable.py`, commit d07ba21, release 1.0.0): the `data` schema and the
rules its `validate` applies, the saved-project envelope and its review digest,
and the fictional Fjord Table demo (`model.demo()`). Written independently of
Stageline's importer so that an exported file is judged by Signal's rules, not
by the code that wrote it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from typing import Any

ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")
LANES = {"evidence", "customer", "frontstage", "backstage", "support"}
LIMITS = {"stages": 12, "actions": 120, "links": 250, "hazards": 120, "improvements": 120, "sources": 100}
COLUMNS = {
    "stages": ["id", "name", "order"],
    "actions": ["id", "stage_id", "lane", "description", "owner", "minutes", "basis", "source_id", "evidence_note"],
    "links": ["id", "from_action", "to_action", "description"],
    "hazards": ["id", "action_id", "failure", "impact", "basis", "source_id", "owner"],
    "improvements": ["id", "hazard_id", "change", "owner", "measure", "target", "check_date", "status"],
    "sources": ["id", "title", "url", "note"],
}
# Text columns: (max length, may be blank)
TEXTS = {
    ("stages", "name"): (100, False),
    ("actions", "description"): (700, False),
    ("actions", "owner"): (120, True),
    ("actions", "evidence_note"): (1000, True),
    ("links", "description"): (500, False),
    ("hazards", "failure"): (700, False),
    ("hazards", "owner"): (120, True),
    ("improvements", "change"): (700, False),
    ("improvements", "owner"): (120, True),
    ("improvements", "measure"): (400, True),
    ("improvements", "target"): (400, True),
    ("sources", "title"): (300, False),
    ("sources", "note"): (1500, False),
}
ENUMS = {
    ("actions", "lane"): LANES,
    ("actions", "basis"): {"observed", "assumed", "proposed"},
    ("hazards", "impact"): {"low", "medium", "high"},
    ("hazards", "basis"): {"observed", "assumed"},
    ("improvements", "status"): {"proposed", "testing", "complete"},
}


def _text_ok(value: Any, size: int, blank: bool) -> bool:
    return isinstance(value, str) and len(value) <= size and (blank or bool(value.strip()))


def signal_problems(data: Any) -> list[str]:
    """Everything Blueprint Signal 1.0's `validate` would refuse in a `data` object (empty: it accepts it)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["data is not an object"]
    expected = {"schema_version", "brief", *COLUMNS}
    if set(data) != expected:
        return [f"keys {sorted(set(data) ^ expected)} differ"]
    if data["schema_version"] != "1.0":
        problems.append("schema_version")
    if not _text_ok(data["brief"], 2500, False):
        problems.append("brief")
    for table, columns in COLUMNS.items():
        rows = data[table]
        if not isinstance(rows, list) or len(rows) > LIMITS[table] or (table == "stages" and not rows):
            problems.append(f"{table}: count")
            continue
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or list(sorted(row)) != sorted(columns):
                problems.append(f"{table}[{i}]: columns")
                continue
            for column in columns:
                value = row[column]
                if column == "id" or column.endswith(("stage_id", "action", "action_id", "hazard_id")):
                    if not (isinstance(value, str) and ID.match(value)):
                        problems.append(f"{table}[{i}].{column}: id")
                elif (table, column) in TEXTS and not _text_ok(value, *TEXTS[(table, column)]):
                    problems.append(f"{table}[{i}].{column}: text")
                elif (table, column) in ENUMS and value not in ENUMS[(table, column)]:
                    problems.append(f"{table}[{i}].{column}: enum")
            if table == "stages" and not (isinstance(row["order"], int) and 1 <= row["order"] <= 100):
                problems.append(f"stages[{i}].order")
            if table == "actions" and row["minutes"] is not None:
                ok = isinstance(row["minutes"], (int, float)) and not isinstance(row["minutes"], bool)
                if not ok or not 0 <= row["minutes"] <= 100000:
                    problems.append(f"actions[{i}].minutes")
            if "source_id" in row and row["source_id"] is not None and not _text_ok(row["source_id"], 120, False):
                problems.append(f"{table}[{i}].source_id")
            date = row.get("check_date")
            if date is not None and not (isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)):
                problems.append(f"improvements[{i}].check_date")
            if (
                table == "sources"
                and row["url"] is not None
                and not str(row["url"]).startswith(("http://", "https://"))
            ):
                problems.append(f"sources[{i}].url")
    if problems:
        return problems
    ids = {t: [r["id"] for r in data[t]] for t in COLUMNS}
    for table, values in ids.items():
        if len(set(values)) != len(values):
            problems.append(f"{table}: duplicate ids")
    orders = [s["order"] for s in data["stages"]]
    if len(set(orders)) != len(orders):
        problems.append("stages: duplicate order")
    stages, actions, sources, hazards = (set(ids[t]) for t in ("stages", "actions", "sources", "hazards"))
    for a in data["actions"]:
        if a["stage_id"] not in stages or (a["source_id"] and a["source_id"] not in sources):
            problems.append(f"action {a['id']}: reference")
        if a["basis"] == "observed" and (not a["source_id"] or not a["evidence_note"].strip()):
            problems.append(f"action {a['id']}: observed without evidence")
    edges: set[tuple[str, str]] = set()
    for link in data["links"]:
        edge = (link["from_action"], link["to_action"])
        if edge[0] not in actions or edge[1] not in actions or edge[0] == edge[1] or edge in edges:
            problems.append(f"link {link['id']}")
        edges.add(edge)
    for h in data["hazards"]:
        if h["action_id"] not in actions or (h["source_id"] and h["source_id"] not in sources):
            problems.append(f"hazard {h['id']}: reference")
        if h["basis"] == "observed" and not h["source_id"]:
            problems.append(f"hazard {h['id']}: observed without source")
    for p in data["improvements"]:
        if p["hazard_id"] not in hazards:
            problems.append(f"improvement {p['id']}: reference")
    return problems


def envelope_problems(project: Any) -> list[str]:
    """What Signal's `restore` would refuse in a saved project."""
    if not isinstance(project, dict) or set(project) != {"format", "data", "origin", "review"}:
        return ["envelope keys"]
    if project["format"] != "blueprint-project-v1":
        return ["format"]
    problems = signal_problems(project["data"])
    if not isinstance(project["origin"], str) or len(project["origin"]) > 200:
        problems.append("origin")
    review = project["review"]
    if review is not None and review.get("data_sha256") != digest(project["data"]):
        problems.append("review does not match")
    return problems


def digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False).encode()).hexdigest()


# -- the Fjord Table demo of model.demo() ---------------------------------------------------
DEMO_STAGES = ["Book", "Arrive", "Order", "Prepare", "Serve", "Pay"]
DEMO_ROWS = [
    ("S1", "evidence", "Booking confirmation", "Booking system", None),
    ("S1", "customer", "Reserve a table", "Guest", 3),
    ("S1", "support", "Record reservation and dietary notes", "Booking system", None),
    ("S2", "customer", "Arrive and give booking name", "Guest", 1),
    ("S2", "frontstage", "Confirm booking and seat guests", "Host", 4),
    ("S3", "evidence", "Menu and allergen information", "Menu owner", None),
    ("S3", "customer", "Choose a meal and explain dietary needs", "Guest", 8),
    ("S3", "frontstage", "Confirm order and dietary requirements", "Server", 4),
    ("S3", "support", "Send the order ticket to kitchen", "POS system", 1),
    ("S4", "backstage", "Prepare dishes against the order ticket", "Kitchen lead", 18),
    ("S4", "support", "Keep ingredient and allergen records current", "Kitchen lead", None),
    ("S5", "backstage", "Check the completed ticket and mark ready", "Kitchen lead", 2),
    ("S5", "frontstage", "Collect and deliver dishes to the correct table", "", 3),
    ("S5", "customer", "Receive and check the meal", "Guest", 1),
    ("S6", "customer", "Request bill and pay", "Guest", 3),
    ("S6", "frontstage", "Confirm bill, take payment and say goodbye", "Server", 4),
    ("S6", "evidence", "Itemized receipt", "POS system", None),
]
DEMO_PAIRS = [(2, 3), (3, 5), (4, 5), (7, 8), (8, 9), (9, 10), (11, 10), (10, 12), (12, 13), (13, 14), (14, 10)]
DEMO_PAIRS += [(15, 16), (16, 17)]


def demo_data() -> dict[str, Any]:
    return {
        "schema_version": "1.0",
        "brief": "FICTIONAL DEMO: Fjord Table restaurant. Map the evening dine-in service from booking to payment "
        "and examine the kitchen-to-table handoff.",
        "stages": [{"id": f"S{i}", "name": name, "order": i} for i, name in enumerate(DEMO_STAGES, 1)],
        "actions": [
            {
                "id": f"A{i}",
                "stage_id": stage,
                "lane": lane,
                "description": text,
                "owner": owner,
                "minutes": minutes,
                "basis": "assumed",
                "source_id": "N1",
                "evidence_note": "Illustrative service design and durations, not measurements.",
            }
            for i, (stage, lane, text, owner, minutes) in enumerate(DEMO_ROWS, 1)
        ],
        "links": [
            {
                "id": f"L{i}",
                "from_action": f"A{a}",
                "to_action": f"A{b}",
                "description": "Rework if meal is wrong" if (a, b) == (14, 10) else "Service dependency",
            }
            for i, (a, b) in enumerate(DEMO_PAIRS, 1)
        ],
        "hazards": [
            {
                "id": "F1",
                "action_id": "A13",
                "failure": "Dishes wait at the pass because no one owns collection.",
                "impact": "high",
                "basis": "assumed",
                "source_id": "N1",
                "owner": "Shift manager",
            },
            {
                "id": "F2",
                "action_id": "A9",
                "failure": "Dietary notes are lost between the server and kitchen ticket.",
                "impact": "high",
                "basis": "assumed",
                "source_id": "N1",
                "owner": "",
            },
        ],
        "improvements": [
            {
                "id": "I1",
                "hazard_id": "F1",
                "change": "Trial a named pass runner during peak service.",
                "owner": "Shift manager",
                "measure": "Time from ready ticket to delivery",
                "target": "Agree a baseline and target before the trial",
                "check_date": None,
                "status": "proposed",
            }
        ],
        "sources": [
            {
                "id": "N1",
                "title": "Fictional staff walkthrough",
                "url": None,
                "note": "Invented training example. No real restaurant or customer was observed.",
            }
        ],
    }


def demo_project(data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The demo as Signal saves it: the envelope with a review bound to the data by its digest."""
    data = copy.deepcopy(data or demo_data())
    return {
        "format": "blueprint-project-v1",
        "data": data,
        "origin": "FICTIONAL DEMO — all processes and review decisions are illustrative",
        "review": {
            "reviewer": "Fictional reviewer",
            "note": "Checked example structure only. All steps and timings remain assumptions.",
            "checked_on": "2026-10-03",
            "data_sha256": digest(data),
        },
    }
