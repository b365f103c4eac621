"""Blueprint Signal projects (JSON `blueprint-project-v1`) and process lists (CSV).

Blueprint Signal is an open-source Python/Streamlit blueprint app. Its model:
lanes (evidence, customer, frontstage, backstage, support), stages holding
actions (each in a lane, with an owner and minutes), links between actions,
hazards (our fail points) and improvements (our opportunities). Its files are
recognised by content: the `blueprint-project-v1` marker, or stages whose
actions name lanes; a CSV by its stage/lane/action headings.

Signal has no step columns: actions follow one another. A customer action
opens a step and the actions after it (frontstage, backstage, support) join
that step, the way a blueprint reads; an explicit `step` key groups them instead.
Keys are matched with common synonyms so that older and newer files both read.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from stageline.formats.errors import FormatError, FormatProblem
from stageline.model.blueprint import Blueprint
from stageline.model.elements import DEFAULT_LANES, Card, FailPoint, Link, Opportunity, Stage, Step
from stageline.model.integrity import suggest

from . import values
from .assemble import assemble
from .errors import ProblemList, cell_problem, json_path
from .ids import IdAllocator
from .tables import Cell, Table, cell_text

MARKER = "blueprint-project-v1"

LANE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "evidence": ("evidence", "physical evidence", "props"),
    "customer": ("customer", "customer actions", "customer action", "user", "user actions", "guest"),
    "frontstage": ("frontstage", "front stage", "front-stage", "onstage", "frontstage actions", "contact", "staff"),
    "backstage": ("backstage", "back stage", "back-stage", "backstage actions", "back office"),
    "support": ("support", "support processes", "support process", "systems", "support systems"),
}
_LANES = {s: lane for lane, synonyms in LANE_SYNONYMS.items() for s in synonyms}
_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("name", "title", "project", "project_name"),
    "description": ("description", "summary", "scenario"),
    "stages": ("stages", "phases"),
    "stage_title": ("name", "title", "label"),
    "actions": ("actions", "steps", "items", "tasks"),
    "id": ("id", "key", "uid"),
    "text": ("title", "name", "label", "text", "action", "description"),
    "lane": ("lane", "swimlane", "layer", "row"),
    "owner": ("owner", "actor", "role", "responsible"),
    "minutes": ("minutes", "duration_minutes", "duration_min", "duration", "time"),
    "wait": ("wait_minutes", "wait", "waiting_minutes"),
    "channel": ("channel", "touchpoint"),
    "notes": ("notes", "note", "comment", "comments"),
    "step": ("step", "column", "step_id"),
    "links": ("links", "edges", "connections", "flows"),
    "from": ("from", "source", "start", "from_action"),
    "to": ("to", "target", "end", "to_action"),
    "label": ("label", "name", "title"),
    "hazards": ("hazards", "risks", "fail_points", "failpoints"),
    "target": ("action", "action_id", "target", "on", "step"),
    "hazard_text": ("title", "name", "hazard", "description", "text"),
    "severity": ("severity", "impact_score", "sev"),
    "likelihood": ("likelihood", "probability_score", "frequency", "occurrence"),
    "recovery": ("mitigation", "recovery", "fallback", "fail_safe", "control"),
    "improvements": ("improvements", "opportunities", "ideas"),
    "targets": ("actions", "action_ids", "targets", "action"),
    "value": ("value", "impact", "benefit"),
    "effort": ("effort", "cost_score"),
    "status": ("status", "state"),
}
_SCORE_WORDS = {"very low": 1, "low": 2, "medium": 3, "moderate": 3, "high": 4, "very high": 5, "critical": 5}
_STATUS = {
    "idea": "idea",
    "new": "idea",
    "proposed": "idea",
    "backlog": "idea",
    "planned": "planned",
    "todo": "planned",
    "to do": "planned",
    "in progress": "testing",
    "in-progress": "testing",
    "doing": "testing",
    "started": "testing",
    "testing": "testing",
    "pilot": "testing",
    "done": "done",
    "complete": "done",
    "completed": "done",
    "implemented": "done",
    "dropped": "dropped",
    "cancelled": "dropped",
    "canceled": "dropped",
    "rejected": "dropped",
}


def _pick(data: dict[str, Any], key: str) -> tuple[str | None, Any]:
    """(the key found, its value) for the first synonym of `key` present in `data`."""
    for name in _KEYS[key]:
        if name in data and data[name] not in (None, ""):
            return name, data[name]
    return None, None


Problem = Callable[[str, str], FormatProblem]  # (key, message) → problem at that place


@dataclass
class _Action:
    raw_id: str | None
    text: str
    lane: str
    owner: str | None
    minutes: float | None
    wait: float | None
    channel: str | None
    notes: str | None
    step: str | None
    problem: Problem


@dataclass
class _Project:
    title: str
    description: str | None
    stages: list[tuple[str, list[_Action]]] = field(default_factory=list)
    links: list[tuple[str, str, bool, str | None, Problem]] = field(default_factory=list)
    hazards: list[tuple[str, str, int | None, int | None, str | None, Problem]] = field(default_factory=list)
    improvements: list[dict[str, Any]] = field(default_factory=list)


def is_signal_json(data: Any) -> bool:
    """The format marker anywhere at the top, or stages whose actions name lanes."""
    if not isinstance(data, dict):
        return False
    if any(isinstance(v, str) and MARKER in v for v in data.values()):
        return True
    _, stages = _pick(data, "stages")
    if not isinstance(stages, list) or not stages or not isinstance(stages[0], dict):
        return False
    _, actions = _pick(stages[0], "actions")
    return (
        isinstance(actions, list)
        and bool(actions)
        and isinstance(actions[0], dict)
        and _pick(actions[0], "lane")[1] is not None
    )


def is_signal_csv(table: Table) -> bool:
    if not table.rows:
        return False
    header = {cell_text(c).lower().replace(" ", "_") for c in table.rows[0]}
    return "lane" in header and bool(header & {"stage", "phase"}) and bool(header & {"action", "title", "name"})


def _lane(value: Any, problem: Problem, key: str, problems: ProblemList) -> str | None:
    text = " ".join(str(value).lower().replace("_", " ").split())
    lane = _LANES.get(text)
    if lane is None:
        problems.add(
            problem(key, f"unknown lane {value!r}{suggest(text, list(_LANES))}; lanes are {', '.join(DEFAULT_LANES)}")
        )
    return lane


def _minutes(value: Any, problem: Problem, key: str, problems: ProblemList) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value) and value >= 0:
            # Signal writes 0 for actions nobody timed; the model says that with no duration.
            return float(value) * 60 or None
    elif isinstance(value, str):
        try:
            return values.duration(value)
        except values.ValueProblem:
            pass
    problems.add(problem(key, f"{value!r} is not a number of minutes; write a number such as 5 or 2.5"))
    return None


def _score(value: Any, problem: Problem, key: str, problems: ProblemList) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if value.strip().lower() in _SCORE_WORDS:
            return _SCORE_WORDS[value.strip().lower()]
        with contextlib.suppress(ValueError):
            value = float(value)
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and float(value).is_integer()
        and 1 <= value <= 5
    ):
        return int(value)
    problems.add(problem(key, f"{value!r} is not a score; use 1..5 or low/medium/high"))
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = cell_text(value) if not isinstance(value, str) else value.strip()
    return text or None


# -- reading JSON ----------------------------------------------------------------
def _json_problem(source: str, path: tuple[str | int, ...]) -> Problem:
    return lambda key, message: FormatProblem(source, 1, 1, json_path((*path, key)), message)


def _action(data: dict[str, Any], problem: Problem, problems: ProblemList) -> _Action | None:
    text_key, text = _pick(data, "text")
    lane_key, lane_value = _pick(data, "lane")
    if text is None:
        problems.add(problem(text_key or "title", "this action has no title: name what happens"))
        return None
    if lane_value is None:
        problems.add(problem(lane_key or "lane", f"this action has no lane; lanes are {', '.join(DEFAULT_LANES)}"))
        return None
    lane = _lane(lane_value, problem, lane_key or "lane", problems)
    minutes_key, minutes = _pick(data, "minutes")
    wait_key, wait = _pick(data, "wait")
    if lane is None:
        return None
    raw_id = _pick(data, "id")[1]
    step = _pick(data, "step")[1]
    return _Action(
        raw_id=None if raw_id is None else cell_text(raw_id),
        text=str(text).strip(),
        lane=lane,
        owner=_text(_pick(data, "owner")[1]),
        minutes=_minutes(minutes, problem, minutes_key or "minutes", problems),
        wait=_minutes(wait, problem, wait_key or "wait", problems),
        channel=_text(_pick(data, "channel")[1]),
        notes=_text(_pick(data, "notes")[1]),
        step=None if step is None else cell_text(step),
        problem=problem,
    )


def _from_json(data: dict[str, Any], source: str, problems: ProblemList) -> _Project:
    project = _Project(
        title=_text(_pick(data, "title")[1]) or "Imported from Blueprint Signal",
        description=_text(_pick(data, "description")[1]),
    )
    stages_key, stages = _pick(data, "stages")
    if not isinstance(stages, list):
        raise FormatError.single(
            source, "no stages: a Blueprint Signal project lists its stages and their actions", path="$.stages"
        )
    for si, stage in enumerate(stages):
        path: tuple[str | int, ...] = (stages_key or "stages", si)
        if not isinstance(stage, dict):
            problems.add(FormatProblem(source, 1, 1, json_path(path), "a stage must be an object with a name"))
            continue
        actions_key, actions = _pick(stage, "actions")
        title = _text(_pick(stage, "stage_title")[1]) or f"Stage {si + 1}"
        found: list[_Action] = []
        for ai, item in enumerate(actions if isinstance(actions, list) else []):
            at = (*path, actions_key or "actions", ai)
            if not isinstance(item, dict):
                problems.add(
                    FormatProblem(source, 1, 1, json_path(at), "an action must be an object with a title and a lane")
                )
                continue
            action = _action(item, _json_problem(source, at), problems)
            if action is not None:
                found.append(action)
        project.stages.append((title, found))
    links_key, links = _pick(data, "links")
    for li, link in enumerate(links if isinstance(links, list) else []):
        problem = _json_problem(source, (links_key or "links", li))
        if not isinstance(link, dict) or _pick(link, "from")[1] is None or _pick(link, "to")[1] is None:
            problems.add(problem("from", "a link needs `from` and `to` action ids"))
            continue
        kind = str(link.get("type") or link.get("kind") or "").lower()
        two_way = bool(link.get("bidirectional") or link.get("two_way")) or kind in {
            "two-way",
            "two_way",
            "bidirectional",
            "codependency",
            "mutual",
        }
        project.links.append(
            (str(_pick(link, "from")[1]), str(_pick(link, "to")[1]), two_way, _text(_pick(link, "label")[1]), problem)
        )
    hazards_key, hazards = _pick(data, "hazards")
    for hi, hazard in enumerate(hazards if isinstance(hazards, list) else []):
        problem = _json_problem(source, (hazards_key or "hazards", hi))
        if not isinstance(hazard, dict):
            problems.add(problem("action", "a hazard must be an object naming its action"))
            continue
        target, text = _pick(hazard, "target")[1], _pick(hazard, "hazard_text")[1]
        if target is None or text is None:
            problems.add(
                problem("action" if target is None else "title", "a hazard needs the id of its action and a title")
            )
            continue
        severity_key, severity = _pick(hazard, "severity")
        likelihood_key, likelihood = _pick(hazard, "likelihood")
        project.hazards.append(
            (
                str(target),
                str(text).strip(),
                _score(severity, problem, severity_key or "severity", problems),
                _score(likelihood, problem, likelihood_key or "likelihood", problems),
                _text(_pick(hazard, "recovery")[1]),
                problem,
            )
        )
    improvements_key, improvements = _pick(data, "improvements")
    for ii, improvement in enumerate(improvements if isinstance(improvements, list) else []):
        problem = _json_problem(source, (improvements_key or "improvements", ii))
        if not isinstance(improvement, dict) or _pick(improvement, "text")[1] is None:
            problems.add(problem("title", "an improvement needs a title"))
            continue
        project.improvements.append(_improvement(improvement, problem, problems))
    return project


def _improvement(data: dict[str, Any], problem: Problem, problems: ProblemList) -> dict[str, Any]:
    targets = _pick(data, "targets")[1]
    value_key, value = _pick(data, "value")
    effort_key, effort = _pick(data, "effort")
    status = str(_pick(data, "status")[1] or "idea").strip().lower()
    return {
        "title": str(_pick(data, "text")[1]).strip(),
        "raw_id": _pick(data, "id")[1],
        "description": _text(data.get("description")) if _pick(data, "text")[0] != "description" else None,
        "targets": [str(t) for t in (targets if isinstance(targets, list) else [targets] if targets else [])],
        "owner": _text(_pick(data, "owner")[1]),
        "status": _STATUS.get(status, "idea"),
        "value": _score(value, problem, value_key or "value", problems),
        "effort": _score(effort, problem, effort_key or "effort", problems),
        "problem": problem,
    }


# -- reading CSV -------------------------------------------------------------------
_CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "stage": ("stage", "phase"),
    "hazard": ("hazard", "hazards", "fail_point", "risk"),
    "improvement": ("improvement", "improvements", "opportunity"),
}


def _from_csv(table: Table, problems: ProblemList) -> _Project:
    header = [cell_text(c).lower().replace(" ", "_") for c in table.rows[0]]
    position = {name: i for i, name in reversed(list(enumerate(header)))}
    project = _Project(title=_title_from(table.source), description=None)
    current: str | None = None
    for index in range(1, len(table.rows)):
        row = {name: table.value(index, i) for name, i in position.items()}
        if not any(cell_text(v) for v in row.values()):
            continue

        def problem(key: str, message: str, index: int = index) -> FormatProblem:
            column = position.get(key, 0)
            heading = cell_text(table.value(0, column)) or key
            return cell_problem(table.source, table.numbers[index], column + 1, heading, message)

        stage = _text(next((row[k] for k in _CSV_COLUMNS["stage"] if k in row), None)) or current or "Process"
        if stage != current:
            project.stages.append((stage, []))
            current = stage
        action = _action({k: v for k, v in row.items() if v not in (None, "")}, problem, problems)
        if action is None:
            continue
        project.stages[-1][1].append(action)
        raw_id = action.raw_id or f"row-{table.numbers[index]}"
        action.raw_id = raw_id
        hazard = next((row[k] for k in _CSV_COLUMNS["hazard"] if row.get(k)), None)
        if hazard:
            severity_key, severity = _pick(row, "severity")
            likelihood_key, likelihood = _pick(row, "likelihood")
            project.hazards.append(
                (
                    raw_id,
                    str(hazard),
                    _score(severity, problem, severity_key or "severity", problems),
                    _score(likelihood, problem, likelihood_key or "likelihood", problems),
                    _text(_pick(row, "recovery")[1]),
                    problem,
                )
            )
        for idea in values.items(cell_text(next((row[k] for k in _CSV_COLUMNS["improvement"] if row.get(k)), ""))):
            project.improvements.append(
                {
                    "title": idea,
                    "raw_id": None,
                    "description": None,
                    "targets": [raw_id],
                    "owner": None,
                    "status": "idea",
                    "value": None,
                    "effort": None,
                    "problem": problem,
                }
            )
    return project


def _title_from(source: str) -> str:
    from pathlib import Path

    stem = Path(source).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Imported from Blueprint Signal"


# -- building the blueprint ----------------------------------------------------------
def _steps(actions: list[_Action], ids: IdAllocator) -> list[tuple[Step, list[_Action]]]:
    """Group a stage's actions into steps: each customer action opens one; actions
    before the first customer action (evidence, preparation) join the first step."""
    if any(action.step is not None for action in actions):
        grouped: dict[str, list[_Action]] = {}
        for action in actions:
            grouped.setdefault(action.step or "", []).append(action)
        return [(Step(id=ids.new(key or group[0].text, "step")), group) for key, group in grouped.items()]
    groups: list[list[_Action]] = []
    pending: list[_Action] = []
    for action in actions:
        if action.lane == "customer":
            groups.append([*pending, action])
            pending = []
        elif groups:
            groups[-1].append(action)
        else:
            pending.append(action)
    if pending:
        groups.append(pending)
    return [
        (Step(id=ids.new(next((a.text for a in group if a.lane == "customer"), group[0].text), "step")), group)
        for group in groups
    ]


def _build(project: _Project, source: str, problems: ProblemList) -> Blueprint:
    ids = IdAllocator(set(DEFAULT_LANES))
    card_of: dict[str, str] = {}
    stages: list[Stage] = []
    for stage_title, actions in project.stages:
        stage = Stage(id=ids.new(stage_title, f"stage-{len(stages) + 1}"), title=stage_title)
        for step, placed in _steps(actions, ids):
            stage.steps.append(step)
            for action in placed:
                cell = step.cells.setdefault(action.lane, [])
                card_id = ids.card(step.id, action.lane, len(cell) + 1)
                try:
                    cell.append(
                        Card(
                            id=card_id,
                            text=action.text,
                            actor=action.owner,
                            duration=action.minutes,
                            wait=action.wait,
                            notes=action.notes,
                            channel=values.channel(action.channel) if action.channel else None,
                        )
                    )
                except ValidationError as error:
                    problems.add(action.problem("title", str(error.errors()[0]["msg"])))
                    continue
                if action.raw_id is not None:
                    if action.raw_id in card_of:
                        problems.add(action.problem("id", f"action id {action.raw_id!r} is used twice"))
                    card_of[action.raw_id] = card_id
        if stage.steps:
            stages.append(stage)

    def resolve(raw: str, problem: Problem, key: str) -> str | None:
        if raw not in card_of:
            problems.add(problem(key, f"no action has id {raw!r}{suggest(raw, list(card_of))}"))
            return None
        return card_of[raw]

    cards = {card.id: card for stage in stages for step in stage.steps for cell in step.cells.values() for card in cell}
    for raw, text, severity, likelihood, recovery, problem in project.hazards:
        target = resolve(raw, problem, "action")
        if target is None:
            continue
        card = cards[target]
        if card.fail is None:
            card.fail = FailPoint(text=text, severity=severity, likelihood=likelihood, recovery=recovery)
        else:  # the model keeps one fail point per card: the riskiest leads, the others are noted
            other = FailPoint(text=text, severity=severity, likelihood=likelihood, recovery=recovery)
            lead, noted = (other, card.fail) if other.risk > card.fail.risk else (card.fail, other)
            card.fail = lead
            card.notes = "\n".join(filter(None, [card.notes, f"Also a hazard: {noted.text}"]))
    links: list[Link] = []
    seen: set[frozenset[str]] = set()
    for raw_from, raw_to, two_way, label, problem in project.links:
        source_id, target_id = resolve(raw_from, problem, "from"), resolve(raw_to, problem, "to")
        if source_id is None or target_id is None or source_id == target_id:
            continue
        pair = frozenset((source_id, target_id))
        if pair in seen:
            continue
        seen.add(pair)
        links.append(Link(source=source_id, target=target_id, two_way=two_way, label=label))
    opportunities: list[Opportunity] = []
    for item in project.improvements:
        targets = [t for t in (resolve(raw, item["problem"], "actions") for raw in item["targets"]) if t]
        opportunities.append(
            Opportunity(
                id=ids.new(str(item["raw_id"] or item["title"]), f"improvement-{len(opportunities) + 1}"),
                title=item["title"],
                description=item["description"],
                targets=list(dict.fromkeys(targets)),
                owner=item["owner"],
                value=item["value"],
                effort=item["effort"],
                status=item["status"],
            )
        )
    problems.raise_if_any()
    properties: dict[str, Any] = {"title": project.title}
    if project.description:
        properties["scenario"] = project.description
    return assemble(source, properties, None, stages, links, opportunities)


def read_signal_json(text: str, source: str) -> Blueprint:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError.single(
            source, f"not valid JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from None
    except RecursionError:
        raise FormatError.single(source, "the JSON nests too deeply to be a Blueprint Signal project") from None
    if not is_signal_json(data):
        raise FormatError.single(
            source,
            f"this JSON is not a Blueprint Signal project ({MARKER}): it has no stages with actions in lanes",
            path="$",
        )
    problems = ProblemList()
    project = _from_json(data, source, problems)
    return _build(project, source, problems)


def read_signal_csv(table: Table) -> Blueprint:
    problems = ProblemList()
    project = _from_csv(table, problems)
    return _build(project, table.source, problems)


__all__ = ["MARKER", "Cell", "is_signal_csv", "is_signal_json", "read_signal_csv", "read_signal_json"]
