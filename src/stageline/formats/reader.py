"""The parsed YAML tree of format v1 to a `Blueprint`, reporting every problem at once.

The reader expands the file's shorthands (a bare string card, one card or a
list, `fail: text`, durations in minutes, `resource: 2`), remembers where in the
file each part of the model came from, and validates element by element so
that one broken card does not hide the problems of the others. A broken element
is replaced by a placeholder (never returned to the caller) so that the checks
across the whole blueprint (duplicate ids, links to missing cards) still run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from stageline.formats.errors import FormatError, FormatProblem
from stageline.model.blueprint import FORMAT_VERSION, Blueprint
from stageline.model.elements import (
    DEFAULT_LANES,
    STANDARD_LANES,
    Actor,
    Arrivals,
    Card,
    ChecksConfig,
    Distribution,
    FailPoint,
    Lane,
    Link,
    Opportunity,
    Resource,
    Simulation,
    Stage,
    Step,
)
from stageline.model.ids import auto_card_id
from stageline.model.integrity import check_integrity, suggest
from stageline.model.quantities import DURATION_HELP, parse_duration

ModelPath = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)

TOP_KEYS = tuple(Blueprint.model_fields)
CARD_KEYS = tuple(Card.model_fields)
FAIL_KEYS = tuple(FailPoint.model_fields)
DIST_KEYS = tuple(Distribution.model_fields)
LANE_KEYS = tuple(Lane.model_fields)
STAGE_KEYS = tuple(Stage.model_fields)
LINK_KEYS = ("from", "to", "two_way", "label", "p")
OPPORTUNITY_KEYS = tuple(Opportunity.model_fields)
ACTOR_KEYS = tuple(Actor.model_fields)
CHECKS_KEYS = tuple(ChecksConfig.model_fields)
SIMULATION_KEYS = tuple(Simulation.model_fields)
ARRIVALS_KEYS = tuple(Arrivals.model_fields)
RESOURCE_KEYS = tuple(Resource.model_fields)
STEP_FIXED_KEYS = ("id", "title", "present")

_BAD = object()  # a value already reported as a problem
_PLACEHOLDER = "<invalid "  # ids of stand-ins; never a valid id, so never a clash


@dataclass(frozen=True)
class Spot:
    """Where a part of the model was written: its dotted path and 1-based position."""

    path: str
    line: int
    column: int


def _is_bool(value: Any) -> bool:
    # ruamel's round-trip booleans (anchored ones) are ints of type ScalarBoolean;
    # told apart by name so that reading a file does not need ruamel.
    return isinstance(value, bool) or type(value).__name__ == "ScalarBoolean"


def plain(value: Any) -> Any:
    """Parsed scalars and containers (ruamel's round-trip ones or the fast tree's) as plain Python values."""
    if _is_bool(value):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        # An unquoted `2024-05-01` is a date to YAML; in a blueprint it is text.
        return value.isoformat()
    return value


def describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if _is_bool(value):
        return f"{str(bool(value)).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {plain(value)!r}"
    if isinstance(value, str):
        return f"the text {str(value)!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__} value"


def _position(node: Any, kind: str, key: Any) -> tuple[int, int] | None:
    try:
        line, column = getattr(node.lc, kind)(key)
    except (AttributeError, KeyError, TypeError, IndexError):
        return None
    return line + 1, column + 1


def _node_position(node: Any) -> tuple[int, int] | None:
    try:
        return node.lc.line + 1, node.lc.col + 1
    except AttributeError:
        return None


def _join(display: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{display}[{key}]"
    return f"{display}.{key}" if display else str(key)


class Reader:
    """Reads one document; `read()` returns the blueprint or raises FormatError."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.spots: dict[ModelPath, Spot] = {}
        # Where each key was written, for placing comments next to their element.
        self.keys: dict[ModelPath, Spot] = {}
        self.problems: list[FormatProblem] = []
        self._placeholders = 0

    # -- bookkeeping -------------------------------------------------------
    def _spot(self, parent: Any, kind: str, key: Any, display: str, fallback: Spot) -> Spot:
        where = _position(parent, kind, key) or _node_position(parent) or (fallback.line, fallback.column)
        return Spot(display, *where)

    def problem(self, spot: Spot, message: str, path: str | None = None) -> None:
        self.problems.append(
            FormatProblem(self.source, spot.line, spot.column, spot.path if path is None else path, message)
        )

    def locate(self, path: ModelPath) -> tuple[Spot, ModelPath]:
        """The recorded spot nearest to `path`, and the part of `path` below it."""
        for cut in range(len(path), -1, -1):
            spot = self.spots.get(path[:cut])
            if spot is not None:
                return spot, path[cut:]
        return Spot("", 1, 1), path

    def _placeholder_id(self) -> str:
        # Not a valid id, so it can never collide with one from the file.
        self._placeholders += 1
        return f"{_PLACEHOLDER}{self._placeholders}>"

    def _ref(self, value: Any) -> str:
        return value if isinstance(value, str) else self._placeholder_id()

    def fields(
        self, node: Any, spot: Spot, path: ModelPath, allowed: Iterable[str], what: str
    ) -> dict[str, Any] | None:
        """The known keys of a mapping (raw values), recording where each was written;
        unknown keys are reported with a did-you-mean."""
        if not isinstance(node, Mapping):
            self.problem(spot, f"expected {what} written as a mapping (key: value lines), got {describe(node)}")
            return None
        allowed = tuple(allowed)
        found: dict[str, Any] = {}
        for key, value in node.items():
            if not isinstance(key, str):
                key_spot = self._spot(node, "key", key, _join(spot.path, str(key)), spot)
                self.problem(key_spot, f"keys must be text, got {describe(key)}")
                continue
            if key not in allowed:
                key_spot = self._spot(node, "key", key, _join(spot.path, key), spot)
                self.problem(
                    key_spot,
                    f"unknown key {key!r} in {what}{suggest(key, allowed) or _synonym(key, allowed)}; "
                    f"the keys are: {', '.join(allowed)}",
                )
                continue
            self.spots[(*path, key)] = self._spot(node, "value", key, _join(spot.path, key), spot)
            self.keys[(*path, key)] = self._spot(node, "key", key, _join(spot.path, key), spot)
            if isinstance(value, list) and key not in ("steps", "stages"):
                # Lists of ids and labels: problems name the item.
                self.items(value, self.spots[(*path, key)], (*path, key), key)
            found[key] = value
        return found

    def items(self, node: Any, spot: Spot, path: ModelPath, what: str) -> list[tuple[Any, Spot, ModelPath]]:
        """The items of a list with their spots; a missing list is empty."""
        if node is None:
            return []
        if not isinstance(node, list):
            self.problem(
                spot, f"expected a list of {what}, got {describe(node)}; write each on a line starting with '- '"
            )
            return []
        out = []
        for i, item in enumerate(node):
            item_spot = self._spot(node, "item", i, _join(spot.path, i), spot)
            self.spots[(*path, i)] = item_spot
            out.append((item, item_spot, (*path, i)))
        return out

    def validate(
        self, cls: type[M], data: dict[str, Any], path: ModelPath, stand_in: Callable[[], M] | None
    ) -> M | None:
        """`data` validated as `cls`; when invalid, its problems are recorded and the
        element `stand_in` builds without validation from what could be read takes its place."""
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                self._pydantic_problem(path, detail, data)
            return None if stand_in is None else stand_in()

    def _pydantic_problem(self, base: ModelPath, detail: Any, data: Any = None) -> None:
        spot, rest = self.locate((*base, *_written_loc(detail["loc"], data)))
        display = spot.path
        for part in rest:
            display = _join(display, part)
        self.problem(spot, explain(detail), display)

    # -- values ------------------------------------------------------------
    def duration(self, raw: Any, spot: Spot) -> Any:
        """Seconds from a duration as written (a bare number means minutes)."""
        if raw is None:
            return None
        value = plain(raw)
        try:
            if isinstance(value, (int, float, str)) and not isinstance(value, bool):
                return parse_duration(value)
        except ValueError:
            pass
        self.problem(spot, f"{describe(raw)} is not a duration: {DURATION_HELP}")
        return _BAD

    def durations(self, data: dict[str, Any], names: Iterable[str], path: ModelPath) -> None:
        for name in names:
            if name in data:
                seconds = self.duration(data[name], self.spots[(*path, name)])
                if seconds is _BAD:
                    del data[name]
                else:
                    data[name] = seconds

    # -- elements ----------------------------------------------------------
    def read(self, tree: Any) -> Blueprint:
        root = Spot("", *(_node_position(tree) or (1, 1)))
        self._version(tree, root)
        top = self.fields(tree, root, (), TOP_KEYS, "the blueprint")
        if top is None:
            raise FormatError(self.problems)
        data: dict[str, Any] = {}
        for name in ("stageline", "title", "scenario", "persona", "state", "goal", "currency", "notes"):
            if name in top:
                data[name] = plain(top[name])
        self.durations_into(data, top, "tolerance", ("tolerance",))
        lanes = self.lanes(top.get("lanes"), self.spots.get(("lanes",), root)) if "lanes" in top else None
        if lanes is not None:
            data["lanes"] = lanes
        lane_ids = [lane.id for lane in lanes] if lanes is not None else list(DEFAULT_LANES)
        data["stages"] = self.stages(top.get("stages"), self.spots.get(("stages",), root), lane_ids)
        data["links"] = self.links(top.get("links"), self.spots.get(("links",), root))
        data["opportunities"] = self.opportunities(top.get("opportunities"), self.spots.get(("opportunities",), root))
        if "actors" in top:
            data["actors"] = self.actors(top.get("actors"), self.spots.get(("actors",), root))
        if top.get("checks") is not None:
            checks = self.checks(top["checks"], self.spots[("checks",)])
            if checks is not None:
                data["checks"] = checks
        if top.get("simulation") is not None:
            simulation = self.simulation(top["simulation"], self.spots[("simulation",)])
            if simulation is not None:
                data["simulation"] = simulation
        blueprint = self.blueprint(data)
        self.integrity(blueprint)
        if self.problems:
            raise FormatError(self.problems)
        return blueprint

    def durations_into(self, data: dict[str, Any], raw: dict[str, Any], name: str, path: ModelPath) -> None:
        if name in raw:
            seconds = self.duration(raw[name], self.spots[path])
            if seconds is not _BAD:
                data[name] = seconds

    def _version(self, tree: Any, root: Spot) -> None:
        if not isinstance(tree, Mapping) or "stageline" not in tree:
            self.problem(
                root,
                "add `stageline: 1` as the first line: it says which version of the format this file uses",
                "stageline",
            )
            return
        version = plain(tree["stageline"])
        spot = self._spot(tree, "value", "stageline", "stageline", root)
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            self.problem(
                spot,
                f"this file needs a newer Stageline: it is written in format version {version} and this "
                f"Stageline reads version {FORMAT_VERSION}; upgrade with `pip install -U stageline`",
            )
            raise FormatError(self.problems)
        if version != FORMAT_VERSION or isinstance(version, bool):
            self.problem(
                spot, f"`stageline` is the format version and must be {FORMAT_VERSION}, got {describe(version)}"
            )

    def blueprint(self, data: dict[str, Any]) -> Blueprint:
        try:
            return Blueprint.model_validate(data)
        except ValidationError as error:
            written = dict(data)
            for detail in error.errors(include_url=False):
                self._pydantic_problem((), detail, written)
                if detail["loc"]:
                    data.pop(str(detail["loc"][0]), None)
        data.setdefault("title", "untitled")
        data["stageline"] = FORMAT_VERSION
        try:
            return Blueprint.model_validate(data)
        except ValidationError:  # pragma: no cover - every field was dropped or defaulted above
            return Blueprint.model_construct(**data)

    def lanes(self, node: Any, spot: Spot) -> list[Lane]:
        lanes = []
        for item, item_spot, path in self.items(node, spot, ("lanes",), "lanes"):
            lane = self.lane(item, item_spot, path)
            if lane is not None:
                lanes.append(lane)
        return lanes

    def lane(self, item: Any, spot: Spot, path: ModelPath) -> Lane | None:
        if isinstance(item, str):
            if item in STANDARD_LANES:
                return Lane.standard_lane(item)
            near = suggest(item, list(STANDARD_LANES))
            self.problem(
                spot,
                f"{item!r} is not a standard lane{near}; standard lanes are {', '.join(STANDARD_LANES)}; "
                f"write a custom lane as {{id: {item}, title: …, visible: true}}",
            )
            return None
        raw = self.fields(item, spot, path, LANE_KEYS, "a lane")
        if raw is None:
            return None
        data = {key: plain(value) for key, value in raw.items()}
        standard = STANDARD_LANES.get(data["id"]) if isinstance(data.get("id"), str) else None
        if standard is not None:
            data.setdefault("title", standard[0])
            data.setdefault("visible", standard[1])
        return self.validate(
            Lane,
            data,
            path,
            lambda: Lane.model_construct(id=self._ref(data.get("id")), title="?", visible=bool(data.get("visible"))),
        )

    def stages(self, node: Any, spot: Spot, lane_ids: list[str]) -> list[Stage]:
        stages = []
        for item, item_spot, path in self.items(node, spot, ("stages",), "stages"):
            raw = self.fields(item, item_spot, path, STAGE_KEYS, "a stage")
            if raw is None:
                continue
            data: dict[str, Any] = {key: plain(raw[key]) for key in ("id", "title") if key in raw}
            steps_spot = self.spots.get((*path, "steps"), item_spot)
            steps = self.items(raw.get("steps"), steps_spot, (*path, "steps"), "steps")
            data["steps"] = [
                step
                for step_item, step_spot, step_path in steps
                if (step := self.step(step_item, step_spot, step_path, lane_ids)) is not None
            ]
            stage = self.validate(
                Stage,
                data,
                path,
                partial(Stage.model_construct, id=self._ref(data.get("id")), title="?", steps=data["steps"]),
            )
            if stage is not None:
                stages.append(stage)
        return stages

    def step(self, item: Any, spot: Spot, path: ModelPath, lane_ids: list[str]) -> Step | None:
        if not isinstance(item, Mapping):
            self.problem(spot, f"expected a step written as a mapping with an `id`, got {describe(item)}")
            return None
        data: dict[str, Any] = {}
        cells: dict[str, list[Card]] = {}
        for key in STEP_FIXED_KEYS:
            if key in item:
                self.spots[(*path, key)] = self._spot(item, "value", key, _join(spot.path, key), spot)
                self.keys[(*path, key)] = self._spot(item, "key", key, _join(spot.path, key), spot)
                data[key] = plain(item[key])
        step_id = data.get("id")
        id_for_cards = step_id if isinstance(step_id, str) else "step"
        for key, value in item.items():
            if key in STEP_FIXED_KEYS:
                continue
            if not isinstance(key, str):
                self.problem(
                    self._spot(item, "key", key, _join(spot.path, str(key)), spot),
                    f"step keys are `id`, `title`, `present` and lane ids, got {describe(key)}",
                )
                continue
            cell_path = (*path, "cells", key)
            self.spots[cell_path] = self.keys[cell_path] = self._spot(item, "key", key, _join(spot.path, key), spot)
            value_spot = self._spot(item, "value", key, _join(spot.path, key), spot)
            cells[key] = self.cell(value, value_spot, cell_path, id_for_cards, key)
        data["cells"] = cells
        return self.validate(
            Step, data, path, lambda: Step.model_construct(id=self._ref(step_id), title=None, cells=cells)
        )

    def cell(self, value: Any, spot: Spot, path: ModelPath, step_id: str, lane: str) -> list[Card]:
        if value is None:
            return []
        if isinstance(value, list):
            listed = self.items(value, spot, path, "cards")
        else:
            self.spots[(*path, 0)] = spot
            listed = [(value, spot, (*path, 0))]
        cards = []
        for position, (raw, card_spot, card_path) in enumerate(listed, start=1):
            card = self.card(raw, card_spot, card_path, auto_card_id(step_id, lane, position))
            if card is not None:
                cards.append(card)
        return cards

    def card(self, raw: Any, spot: Spot, path: ModelPath, auto_id: str) -> Card | None:
        if isinstance(raw, str):
            data: dict[str, Any] = {"text": str(raw)}
        elif isinstance(raw, Mapping):
            fields = self.fields(raw, spot, path, CARD_KEYS, "a card")
            assert fields is not None
            data = {key: plain(value) for key, value in fields.items() if key not in ("duration", "fail")}
            self.durations(data, ("wait",), path)
            if "duration" in fields:
                duration = self.distributed_duration(fields["duration"], (*path, "duration"))
                if duration is not _BAD:
                    data["duration"] = duration
            if "fail" in fields:
                fail = self.fail(fields["fail"], (*path, "fail"))
                if fail is not _BAD:
                    data["fail"] = fail
        else:
            self.problem(spot, f"a card is its text or a mapping with `text`; got {describe(raw)}")
            return None
        data.setdefault("id", auto_id)
        card_id = data["id"]
        return self.validate(
            Card,
            data,
            path,
            lambda: Card.model_construct(id=card_id if isinstance(card_id, str) else auto_id, text="?"),
        )

    def distributed_duration(self, raw: Any, path: ModelPath) -> Any:
        spot = self.spots[path]
        if not isinstance(raw, Mapping):
            return self.duration(raw, spot)
        fields = self.fields(raw, spot, path, DIST_KEYS, "a duration distribution")
        assert fields is not None
        data = {key: plain(value) for key, value in fields.items()}
        before = len(self.problems)
        self.durations(data, ("mean", "sd", "min", "mode", "max"), path)
        if len(self.problems) > before:
            return _BAD
        distribution = self.validate(Distribution, data, path, None)
        return _BAD if distribution is None else distribution

    def fail(self, raw: Any, path: ModelPath) -> Any:
        spot = self.spots[path]
        if isinstance(raw, str):
            return {"text": str(raw)}
        if isinstance(raw, Mapping):
            fields = self.fields(raw, spot, path, FAIL_KEYS, "a fail point")
            assert fields is not None
            data = {key: plain(value) for key, value in fields.items()}
            self.durations(data, ("recovery_time",), path)
            return data
        if raw is None:
            return None
        self.problem(
            spot, f"a fail point is its text or a mapping with `text`, `recovery`, `severity`…; got {describe(raw)}"
        )
        return _BAD

    def links(self, node: Any, spot: Spot) -> list[Link]:
        links = []
        for item, item_spot, path in self.items(node, spot, ("links",), "links"):
            raw = self.fields(item, item_spot, path, LINK_KEYS, "a link")
            if raw is None:
                continue
            data = {key: plain(value) for key, value in raw.items()}
            link = self.validate(
                Link,
                data,
                path,
                partial(
                    Link.model_construct,
                    source=self._ref(data.get("from")),
                    target=self._ref(data.get("to")),
                    two_way=data.get("two_way") is True,
                ),
            )
            if link is not None:
                links.append(link)
        return links

    def opportunities(self, node: Any, spot: Spot) -> list[Opportunity]:
        found = []
        for item, item_spot, path in self.items(node, spot, ("opportunities",), "opportunities"):
            raw = self.fields(item, item_spot, path, OPPORTUNITY_KEYS, "an opportunity")
            if raw is None:
                continue
            data = {key: plain(value) for key, value in raw.items()}
            targets = data.get("targets")
            opportunity = self.validate(
                Opportunity,
                data,
                path,
                partial(
                    Opportunity.model_construct,
                    id=self._ref(data.get("id")),
                    title="?",
                    targets=[self._ref(t) for t in targets] if isinstance(targets, list) else [],
                ),
            )
            if opportunity is not None:
                found.append(opportunity)
        return found

    def actors(self, node: Any, spot: Spot) -> list[Actor]:
        found = []
        for item, item_spot, path in self.items(node, spot, ("actors",), "actors"):
            raw = self.fields(item, item_spot, path, ACTOR_KEYS, "an actor")
            if raw is None:
                continue
            actor = self.validate(Actor, {key: plain(value) for key, value in raw.items()}, path, None)
            if actor is not None:
                found.append(actor)
        return found

    def checks(self, node: Any, spot: Spot) -> ChecksConfig | None:
        raw = self.fields(node, spot, ("checks",), CHECKS_KEYS, "`checks`")
        if raw is None:
            return None
        data = {key: plain(value) for key, value in raw.items()}
        return self.validate(ChecksConfig, data, ("checks",), None)

    def simulation(self, node: Any, spot: Spot) -> Simulation | None:
        path: ModelPath = ("simulation",)
        raw = self.fields(node, spot, path, SIMULATION_KEYS, "`simulation`")
        if raw is None:
            return None
        data: dict[str, Any] = {}
        if "arrivals" in raw:
            arrivals = self.fields(
                raw["arrivals"], self.spots[(*path, "arrivals")], (*path, "arrivals"), ARRIVALS_KEYS, "`arrivals`"
            )
            if arrivals is not None:
                data["arrivals"] = {key: plain(value) for key, value in arrivals.items()}
                if isinstance(arrivals.get("schedule"), Mapping):
                    schedule = arrivals["schedule"]
                    schedule_spot = self.spots[(*path, "arrivals", "schedule")]
                    for clock in schedule:
                        where = (*path, "arrivals", "schedule", str(clock))
                        display = _join(schedule_spot.path, str(clock))
                        self.spots[where] = self._spot(schedule, "value", clock, display, schedule_spot)
                        # Keys anchor the comments written above an entry (see comments.py).
                        self.keys[where] = self._spot(schedule, "key", clock, display, schedule_spot)
        if "resources" in raw:
            data["resources"] = self.resources(raw["resources"], self.spots[(*path, "resources")])
        self.durations_into(data, raw, "horizon", (*path, "horizon"))
        if "customers" in raw:
            data["customers"] = plain(raw["customers"])
        return self.validate(Simulation, data, path, None)

    def resources(self, node: Any, spot: Spot) -> Any:
        if not isinstance(node, Mapping):
            return plain(node)
        resources: dict[str, Any] = {}
        for name, value in node.items():
            path: ModelPath = ("simulation", "resources", str(name))
            self.spots[path] = self._spot(node, "value", name, _join(spot.path, str(name)), spot)
            self.keys[path] = self._spot(node, "key", name, _join(spot.path, str(name)), spot)
            if isinstance(value, Mapping):
                fields = self.fields(value, self.spots[path], path, RESOURCE_KEYS, "a resource")
                resources[str(name)] = {key: plain(v) for key, v in (fields or {}).items()}
            elif isinstance(value, int) and not _is_bool(value):
                resources[str(name)] = {"capacity": int(value)}
            else:
                resources[str(name)] = plain(value)
        return resources

    # -- across the blueprint ----------------------------------------------
    def integrity(self, blueprint: Blueprint) -> None:
        lanes = {lane.id for lane in blueprint.lanes}
        # Cards in a lane the blueprint lacks are reported once, at the lane; links and
        # opportunities that name them are not broken twice.
        lost = {
            f"'{card.id}'"
            for stage in blueprint.stages
            for step in stage.steps
            for lane, cards in step.cells.items()
            if lane not in lanes
            for card in cards
        }
        stages_unreadable = any(problem.path == "stages" for problem in self.problems)
        for found in check_integrity(blueprint):
            if _PLACEHOLDER in found.message:
                continue  # about a stand-in for an element already reported
            if "no card has that id" in found.message and (
                stages_unreadable or any(card in found.message for card in lost)
            ):
                continue  # follows from a problem already reported where the cards are written
            spot, _ = self.locate(found.path)
            self.problem(spot, found.message)


# Words other tools use for a key Stageline spells differently.
_SYNONYMS = {
    "source": "from",
    "src": "from",
    "start": "from",
    "target": "to",
    "dest": "to",
    "destination": "to",
    "end": "to",
    "description": "text",
    "name": "title",
    "label": "text",
    "owner": "actor",
    "role": "actor",
    "who": "actor",
    "time": "duration",
    "minutes": "duration",
    "bidirectional": "two_way",
    "twoway": "two_way",
    "two-way": "two_way",
    "failure": "fail",
    "fail_point": "fail",
    "failpoint": "fail",
}


def _synonym(key: str, allowed: tuple[str, ...]) -> str:
    """' (Stageline calls it x)' when `key` is another tool's word for an allowed key."""
    meant = _SYNONYMS.get(key.lower())
    return f" (Stageline calls it {meant!r})" if meant in allowed else ""


def _written_loc(loc: tuple[str | int, ...], data: Any) -> tuple[str | int, ...]:
    """A pydantic error location without the tags pydantic adds (a union's branch, a
    validator): a part written in `data` (a resource named `Barista`) always stays."""
    kept: list[str | int] = []
    node = data
    for part in loc:
        written = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if written:
            node = node[part]
        elif isinstance(part, str) and _is_type_tag(part):
            continue
        else:
            node = None  # not written (a missing field): kept, and nothing to look into below it
        kept.append(part)
    return tuple(kept)


def _is_type_tag(part: str | int) -> bool:
    # pydantic adds the branch of a union or a validator to error locations.
    return isinstance(part, str) and ("[" in part or part[:1].isupper())


def explain(detail: Any) -> str:
    """A pydantic error as an instruction a person can follow."""
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    field = next((str(p) for p in reversed(detail["loc"]) if isinstance(p, str) and not _is_type_tag(p)), "value")
    if kind == "missing":
        return f"`{field}` is required: add it"
    if kind in ("string_type", "str_type"):
        hint = "; put it in quotes to use it as text" if isinstance(value, (int, float, bool)) else ""
        return f"expected text, got {describe(value)}{hint}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {describe(value)}"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"expected a number, got {describe(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {describe(value)}"
    if kind == "list_type":
        return f"expected a list, got {describe(value)}; write [a, b] or one '- item' per line"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping (key: value lines), got {describe(value)}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bounds = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }
        limit = next(iter(ctx.values()), "?")
        return f"`{field}` must be {bounds[kind]} {limit}, got {plain(value)!r}"
    if kind == "literal_error":
        choices = ctx.get("expected", "")
        options = [c.strip().strip("'") for c in str(choices).replace(" or ", ", ").split(",")]
        near = suggest(str(value), options) if isinstance(value, str) else ""
        return f"`{field}` must be one of {choices}, got {describe(value)}{near}"
    if kind == "string_too_short":
        return f"`{field}` must not be empty"
    if kind == "string_pattern_mismatch":
        if field == "hours":
            return f"write opening hours as HH:MM-HH:MM (07:00-23:00), got {describe(value)}"
        return f"`{field}` does not have the expected form, got {describe(value)}"
    if kind == "value_error":
        return str(detail["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return f"unknown key {field!r}: remove it"
    return str(detail["msg"])
