"""The agentic-service-blueprinting IR, both ways.

agentic-service-blueprinting (github.com/BilLogic/agentic-service-blueprinting)
publishes its blueprint as a JSON "intermediate representation",
`references/ir-schema.json` (vendored unchanged in `vendor/`, MIT): a service
holds phases, a phase scenarios, a scenario step columns and paths, and a path
its lanes, cells (one per lane × step, keyed by their keys) and triggers between
cells of the same path. Every human-readable text is a locale map.

Stageline reads one locale (the first the file declares, or the one asked
for) and one path per scenario (the happy path, else the first); a phase with
one scenario is a stage, several scenarios make a stage each. It writes a
phase per stage holding one scenario with one happy path, in one locale.
Files are validated with `jsonschema` against the vendored schema, plus the
rules its validator states (keys unique, every cell's step on the path,
triggers between existing cells of the path, source ≠ target).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from stageline.formats.errors import FormatError, FormatProblem
from stageline.model.blueprint import Blueprint
from stageline.model.elements import STANDARD_LANES, Card, Lane, Link, Stage, Step

from .assemble import assemble
from .errors import ProblemList, json_path
from .ids import IdAllocator, slugify
from .signal_schema import check_schema
from .unmapped import Unmapped, UnmappedLog

SCHEMA_FILE = "asb-ir-schema.json"
SCHEMA_VERSION = "2026.08.31"  # the first entry of the schema's enum: the version it speaks
KEY_LENGTH = 64
# Lane roles (references/lane-roles.md) ↔ Stageline's standard lanes.
ROLE_LANE = {
    "customer_actions": "customer",
    "frontstage_actions": "frontstage",
    "frontstage_tech": "frontstage",
    "backstage_actions": "backstage",
    "backstage_tech": "backstage",
    "support_systems": "support",
    "physical_evidence": "evidence",
    "management": "management",
}
LANE_ROLE = {
    "customer": "customer_actions",
    "frontstage": "frontstage_actions",
    "backstage": "backstage_actions",
    "support": "support_systems",
    "evidence": "physical_evidence",
    "management": "management",
}
VISIBLE_ROLES = {"customer_actions", "frontstage_actions", "frontstage_tech", "physical_evidence", "visual"}
CELL_EXTRAS = (
    "picture",
    "resources",
    "touchpoints",
    "needs_review",
    "evidence",
    "attribution",
    "function",
    "form",
    "perceived_owner",
    "value_props",
)

MAPPING: dict[str, tuple[tuple[str, str], ...]] = {
    "service": (
        ("key", "not kept; written as a slug of the title"),
        ("name", "blueprint `title`"),
        ("summary", "blueprint `scenario`"),
        ("schema_version, locales", f"checked; written as {SCHEMA_VERSION} and the one locale exported"),
    ),
    "phases[], scenarios[]": (
        ("key", "stage `id` (a phase with several scenarios: one stage per scenario)"),
        ("name", "stage `title` (phase: scenario when there are several)"),
        ("order", "the order of the stages"),
        ("loops_to, summary, view_type", "not kept (reported)"),
    ),
    "steps[], path_steps": (
        ("key", "step `id`"),
        ("name", "step `title`"),
        ("path_steps", "the order of the steps"),
    ),
    "paths[]": (
        ("the happy path (else the first)", "the blueprint's grid; other paths are not imported (reported)"),
        ("path_type", "written as happy"),
        ("name, summary, note, variant_label", "not kept (reported); written from the blueprint's state"),
    ),
    "lanes[]": (
        ("key, display_name", "lane `id`, `title`"),
        (
            "role",
            "customer_actions → customer, frontstage_actions/_tech → frontstage, backstage_actions/_tech → "
            "backstage, support_systems → support, physical_evidence → evidence; other roles keep their key",
        ),
        ("row", "the order of the lanes (lanes above the first backstage or support lane are visible)"),
        ("kpis, tools", "not kept (reported)"),
    ),
    "cells[]": (
        ("lane, step", "the cell of the grid"),
        ("content", "one card per line"),
        ("summary", "the first card's `notes`"),
        ("owner", "every card's `actor`"),
        ("provenance", "every card's `source` (`source § section`)"),
        (", ".join(CELL_EXTRAS), "not kept (reported per field)"),
    ),
    "triggers[]": (
        ("source, target", "a link between the first cards of the two cells"),
        ("kind", "`needs` is kept as the link's label `needs`; written back as kind needs"),
    ),
}
NOT_WRITTEN = (
    "links between stages (the IR joins cells of one path only), several cards of a cell beyond their text, "
    "and card fields other than text, actor, notes and source: each one is listed when exported"
)


@cache
def schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("vendor", SCHEMA_FILE).read_text(encoding="utf-8")
    return dict(json.loads(text))


def is_ir(data: Any) -> bool:
    return isinstance(data, dict) and "locales" in data and ("service" in data or "lifecycle" in data)


def _text(value: Any, locale: str) -> str:
    """The text of a locale map in `locale`, else its first non-empty text."""
    if not isinstance(value, dict):
        return ""
    text = value.get(locale)
    if isinstance(text, str) and text:
        return text
    return next((t for t in value.values() if isinstance(t, str) and t), "")


# -- reading -------------------------------------------------------------------------------
def _check_rules(root: dict[str, Any], report: Any) -> None:
    phases = root["service"]["phases"]
    seen_phases: set[str] = set()
    for pi, phase in enumerate(phases):
        at: tuple[str | int, ...] = ("service", "phases", pi)
        if phase["key"] in seen_phases:
            report((*at, "key"), f"phase key {phase['key']!r} is used twice")
        seen_phases.add(phase["key"])
        if "loops_to" in phase and phase["loops_to"] not in {p["key"] for p in phases}:
            report((*at, "loops_to"), f"no phase has key {phase['loops_to']!r}")
        for si, scenario in enumerate(phase["scenarios"]):
            sat = (*at, "scenarios", si)
            steps = [s["key"] for s in scenario["steps"]]
            if len(set(steps)) != len(steps):
                report((*sat, "steps"), "step keys must differ within a scenario")
            for qi, path in enumerate(scenario["paths"]):
                qat = (*sat, "paths", qi)
                lanes = [lane["key"] for lane in path["lanes"]]
                if len(set(lanes)) != len(lanes):
                    report((*qat, "lanes"), "lane keys must differ within a path")
                for ki, key in enumerate(path["path_steps"]):
                    if key not in steps:
                        report((*qat, "path_steps", ki), f"the scenario has no step {key!r}")
                cells: set[tuple[str, str]] = set()
                for ci, cell in enumerate(path["cells"]):
                    if cell["lane"] not in lanes:
                        report((*qat, "cells", ci, "lane"), f"the path has no lane {cell['lane']!r}")
                    if cell["step"] not in path["path_steps"]:
                        report((*qat, "cells", ci, "step"), f"step {cell['step']!r} is not in this path's path_steps")
                    if (cell["lane"], cell["step"]) in cells:
                        report((*qat, "cells", ci), f"a second cell for lane {cell['lane']!r}, step {cell['step']!r}")
                    cells.add((cell["lane"], cell["step"]))
                for ti, trigger in enumerate(path.get("triggers", [])):
                    ends = [(trigger[e]["lane"], trigger[e]["step"]) for e in ("source", "target")]
                    for end, pair in zip(("source", "target"), ends, strict=True):
                        if pair not in cells:
                            report((*qat, "triggers", ti, end), f"no cell at lane {pair[0]!r}, step {pair[1]!r}")
                    if ends[0] == ends[1]:
                        report((*qat, "triggers", ti), "a trigger joins two different cells")


def import_ir_object(raw: Any, source: str, locale: str | None = None) -> tuple[Blueprint, list[Unmapped]]:
    problems = ProblemList()

    def report(path: tuple[str | int, ...], message: str) -> None:
        problems.add(FormatProblem(source, 1, 1, json_path(path), message))

    if isinstance(raw, dict) and "lifecycle" in raw and "service" not in raw:
        raise FormatError.single(
            source,
            f"this IR uses the older `lifecycle` root (schema {raw.get('schema_version')!r}); migrate it with the "
            f"project's scripts/migrate_ir.py to {SCHEMA_VERSION}, which names it `service`",
            path="$.lifecycle",
        )
    if not check_schema(raw, schema(), report):
        problems.raise_if_any()
    _check_rules(raw, report)
    problems.raise_if_any()
    locale = locale or raw["locales"][0]
    return _build(raw, locale, source)


def _lanes(paths: list[dict[str, Any]], unmapped: UnmappedLog) -> tuple[list[Lane], dict[str, str]]:
    """Stageline lanes for the IR lanes of the paths read, and IR lane key → lane id."""
    lane_of: dict[str, str] = {}
    found: dict[str, tuple[int, Lane]] = {}
    for path in paths:
        rows = sorted(path["lanes"], key=lambda lane: lane["row"])
        hidden_from = next(
            (lane["row"] for lane in rows if ROLE_LANE.get(lane.get("role") or "") in ("backstage", "support")),
            None,
        )
        for lane in rows:
            role = lane.get("role") or ""
            lane_id = ROLE_LANE.get(role) or slugify(lane["key"], "lane")
            lane_of[lane["key"]] = lane_id
            if lane.get("kpis") or lane.get("tools"):
                unmapped.add("lanes[].kpis, tools", "Stageline lanes carry no KPIs or tools")
            if lane_id in found:
                continue
            title = _text(lane["display_name"], "") or lane_id
            if lane_id in STANDARD_LANES:
                visible = STANDARD_LANES[lane_id][1]
            else:
                visible = role in VISIBLE_ROLES or (hidden_from is None or lane["row"] < hidden_from)
            found[lane_id] = (lane["row"], Lane(id=lane_id, title=title, visible=visible))
    if "customer" not in found:
        unmapped.add("lanes[].role", "no lane has the customer_actions role: an empty customer lane is added")
        found["customer"] = (-1, Lane.standard_lane("customer"))
    lanes = [lane for _, lane in sorted(found.values(), key=lambda item: (not item[1].visible, item[0]))]
    # Standard lanes keep their canonical order (evidence, customer, frontstage, backstage, support, management).
    slots = [i for i, lane in enumerate(lanes) if lane.id in STANDARD_LANES]
    standard = sorted((lanes[i] for i in slots), key=lambda lane: list(STANDARD_LANES).index(lane.id))
    for slot, lane in zip(slots, standard, strict=True):
        lanes[slot] = lane
    return lanes, lane_of


def _build(root: dict[str, Any], locale: str, source: str) -> tuple[Blueprint, list[Unmapped]]:
    unmapped = UnmappedLog()
    service = root["service"]
    chosen: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = []
    empty: dict[int, list[dict[str, Any]]] = {}  # phases without scenarios: stages without steps, in place
    for phase in sorted(service["phases"], key=lambda p: p["order"]):
        if "loops_to" in phase:
            unmapped.add("phases[].loops_to", "Stageline stages do not loop back")
        if not phase["scenarios"]:
            empty.setdefault(len(chosen), []).append(phase)
        for scenario in sorted(phase["scenarios"], key=lambda s: s["order"]):
            paths = scenario["paths"]
            path = next((p for p in paths if p["path_type"] == "happy"), paths[0])
            for other in paths:
                if other is not path:
                    unmapped.add("paths[]", "one path per scenario is read (the happy path); import the others apart")
            chosen.append((phase, scenario, path))
    lanes, lane_of = _lanes([path for _, _, path in chosen], unmapped)
    ids = IdAllocator({lane.id for lane in lanes})
    stages: list[Stage] = []
    links: list[Link] = []
    for at in range(len(chosen) + 1):
        for phase in empty.get(at, []):
            stages.append(Stage(id=ids.new(phase["key"], "stage"), title=_text(phase["name"], locale) or "Stage"))
        if at == len(chosen):
            break
        phase, scenario, path = chosen[at]
        several = len(phase["scenarios"]) > 1
        title = _text(phase["name"], locale)
        if several:
            title = f"{title}: {_text(scenario['name'], locale)}"
        stage = Stage(id=ids.new(scenario["key"] if several else phase["key"], "stage"), title=title or "Stage")
        names = {s["key"]: _text(s["name"], locale) for s in scenario["steps"]}
        step_of: dict[str, Step] = {}
        for key in path["path_steps"]:
            step = Step(id=ids.new(key, "step"), title=names.get(key) or None)
            step_of[key] = step
            stage.steps.append(step)
        first_card: dict[tuple[str, str], str] = {}
        for cell in path["cells"]:
            lines = [line.strip() for line in _text(cell.get("content"), locale).splitlines() if line.strip()]
            if not lines:
                unmapped.add("cells[].content", "a cell without text (a picture cell) is not imported")
                continue
            for extra in CELL_EXTRAS:
                if extra in cell:
                    unmapped.add(f"cells[].{extra}", "Stageline cards have no place for it")
            step, lane_id = step_of[cell["step"]], lane_of[cell["lane"]]
            cards = step.cells.setdefault(lane_id, [])
            provenance = cell.get("provenance")
            where = None
            if provenance:
                where = provenance["source"] + (f" § {provenance['section']}" if provenance.get("section") else "")
            summary = _text(cell.get("summary"), locale) or None
            for n, line in enumerate(lines):
                card = Card(
                    id=ids.card(step.id, lane_id, len(cards) + 1),
                    text=line,
                    actor=cell.get("owner") or None,
                    source=where,
                    notes=summary if n == 0 else None,
                )
                cards.append(card)
                first_card.setdefault((cell["lane"], cell["step"]), card.id)
        for trigger in path.get("triggers", []):
            ends = [first_card.get((trigger[e]["lane"], trigger[e]["step"])) for e in ("source", "target")]
            if ends[0] is None or ends[1] is None:
                unmapped.add("triggers[]", "a trigger from or to a cell without text is not imported")
                continue
            label = "needs" if trigger.get("kind") == "needs" else None
            if any(x.source == ends[0] and x.target == ends[1] for x in links):
                unmapped.add("triggers[].kind", "a second kind of edge between the same cells is not imported")
                continue
            links.append(Link(source=ends[0], target=ends[1], label=label))
        for name in ("summary", "note", "variant_label"):
            if name in path:
                unmapped.add(f"paths[].{name}", "not kept")
        stages.append(stage)
    properties: dict[str, Any] = {"title": _text(service["name"], locale) or "Imported blueprint"}
    summary = _text(service.get("summary"), locale)
    if summary:
        properties["scenario"] = summary
    others = [loc for loc in root["locales"] if loc != locale]
    if others:
        unmapped.add("locales", f"read in {locale!r}; the texts in {', '.join(others)} are not imported")
    bp = assemble(source, properties, lanes, stages, links, [])
    return bp, unmapped.items


# -- writing ------------------------------------------------------------------------------
def _key(value: str, taken: set[str], fallback: str) -> str:
    base = slugify(value, fallback)[:KEY_LENGTH].strip("-_") or fallback
    key, n = base, 2
    while key in taken:
        suffix = f"-{n}"
        key, n = base[: KEY_LENGTH - len(suffix)] + suffix, n + 1
    taken.add(key)
    return key


def to_ir(bp: Blueprint, locale: str = "en") -> tuple[dict[str, Any], list[Unmapped]]:
    """The IR of `bp` in one locale, and what it could not hold."""
    unmapped = UnmappedLog()

    def text(value: str) -> dict[str, str]:
        return {locale: value}

    for name in ("persona", "goal", "tolerance", "currency", "notes", "simulation"):
        if getattr(bp, name) is not None:
            unmapped.add(name, "the IR has no place for it")
    if bp.opportunities:
        unmapped.add("opportunities", "the IR has no opportunities")
    lane_keys: dict[str, str] = {}
    taken_lanes: set[str] = set()
    ir_lanes = []
    for row, lane in enumerate(bp.lanes):
        lane_keys[lane.id] = _key(lane.id, taken_lanes, "lane")
        ir_lanes.append(
            {"key": lane_keys[lane.id], "display_name": text(lane.title), "role": LANE_ROLE.get(lane.id), "row": row}
        )
    stage_of = {card_id: place.stage.id for card_id, place in bp.index.cards.items()}
    cell_of: dict[str, tuple[str, str]] = {}
    taken: set[str] = set()
    phases = []
    step_keys: dict[str, str] = {}
    for order, stage in enumerate(bp.stages):
        key = _key(stage.id, taken, "phase")
        scenarios = []
        if stage.steps:
            steps, cells = [], []
            for step in stage.steps:
                step_keys[step.id] = _key(step.id, taken, "step")
                steps.append({"key": step_keys[step.id], "name": text(step.display_title)})
                for lane_id in bp.lane_ids():
                    cards = step.cards(lane_id)
                    if not cards:
                        continue
                    cell: dict[str, Any] = {
                        "lane": lane_keys[lane_id],
                        "step": step_keys[step.id],
                        "content": text("\n".join(" ".join(c.text.split()) or "?" for c in cards)),
                    }
                    notes = [c.notes for c in cards if c.notes]
                    if notes:
                        cell["summary"] = text("\n\n".join(notes))
                    actors = {c.actor for c in cards if c.actor}
                    if len(actors) == 1:
                        cell["owner"] = actors.pop()
                    elif actors:
                        unmapped.add("card.actor", "a cell has one owner: several actors of one cell are not kept")
                    sources = [c.source for c in cards if c.source]
                    if sources:
                        cell["provenance"] = {"source": "; ".join(dict.fromkeys(sources))}
                    for card in cards:
                        cell_of[card.id] = (cell["lane"], cell["step"])
                        for name in ("department", "channel", "duration", "wait", "cost", "fail", "emotion", "pain"):
                            if getattr(card, name) is not None:
                                unmapped.add(f"card.{name}", "the IR has no place for it")
                    cells.append(cell)
            triggers = []
            for link in bp.links:
                if stage_of[link.source] != stage.id or stage_of[link.target] != stage.id:
                    continue
                pairs = [(link.source, link.target)] + ([(link.target, link.source)] if link.two_way else [])
                for a, b in pairs:
                    if cell_of[a] == cell_of[b]:
                        unmapped.add("links", "a link within one cell cannot be a trigger (the IR joins cells)")
                        continue
                    trigger: dict[str, Any] = {
                        "source": dict(zip(("lane", "step"), cell_of[a], strict=True)),
                        "target": dict(zip(("lane", "step"), cell_of[b], strict=True)),
                    }
                    if link.label == "needs":
                        trigger["kind"] = "needs"
                    if trigger not in triggers:
                        triggers.append(trigger)
            path = {
                "key": bp.state,
                "name": text(f"{bp.state.capitalize()} state"),
                "path_type": "happy",
                "lanes": ir_lanes,
                "path_steps": [s["key"] for s in steps],
                "cells": cells,
            }
            if triggers:
                path["triggers"] = triggers
            scenarios.append(
                {
                    "key": key,
                    "name": text(stage.title),
                    "order": 0,
                    "view_type": "single",
                    "steps": steps,
                    "paths": [path],
                }
            )
        else:
            unmapped.add("stages", "a stage without steps is written as a phase without scenarios")
        phases.append({"key": key, "name": text(stage.title), "order": order, "scenarios": scenarios})
    for link in bp.links:
        if stage_of[link.source] != stage_of[link.target]:
            unmapped.add("links", "the IR joins cells of one stage's path only: a link between stages is not written")
        elif link.label not in (None, "needs") or link.p is not None:
            unmapped.add("link.label, p", "a trigger has no label or probability")
    service: dict[str, Any] = {"key": _key(bp.title, set(), "service"), "name": text(bp.title)}
    if bp.scenario:
        service["summary"] = text(bp.scenario)
    if not phases:
        phases = [{"key": "start", "name": text("Start"), "order": 0, "scenarios": []}]
    service["phases"] = phases
    return {"schema_version": SCHEMA_VERSION, "locales": [locale], "service": service}, unmapped.items


def write_ir(bp: Blueprint) -> str:
    return json.dumps(to_ir(bp)[0], ensure_ascii=False, indent=2) + "\n"


def ir_unmapped(bp: Blueprint) -> list[Unmapped]:
    return to_ir(bp)[1]
