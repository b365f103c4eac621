"""A `Blueprint` as the canonical YAML of format v1.

Canonical means one spelling per blueprint, so that saving twice changes
nothing and a diff shows only real changes: keys in a fixed order, defaults
left out, a card with only text as a bare string, one card in a cell without
a list, short maps (fail points, links, opportunities) in flow style when they
fit on a line, durations and rates in their compact spelling.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString

from stageline.gc_pause import without_gc
from stageline.model.blueprint import FORMAT_VERSION, Blueprint
from stageline.model.elements import (
    DEFAULT_LANES,
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
from stageline.model.quantities import format_duration, format_rate, parse_duration, parse_rate

LINE_WIDTH = 100
INDENT = 2
_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_./()][A-Za-z0-9 _./()'-]*$")
_UNICODE_BREAKS = re.compile("[\x85\u2028\u2029]")
_UNPRINTABLE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_DEFAULT_LANES = [Lane.standard_lane(lane_id) for lane_id in DEFAULT_LANES]


def yaml_emitter() -> YAML:
    """The ruamel settings of the canonical form (also used by `fmt`)."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=INDENT, sequence=INDENT * 2, offset=INDENT)
    yaml.width = 1_000_000  # never fold long text: one value, one line
    yaml.allow_unicode = True
    return yaml


@without_gc
def dumps(blueprint: Blueprint) -> str:
    """The canonical text: the tree written directly (emit.py), or by ruamel's
    emitter for the rare values the direct writer leaves to it."""
    from stageline.formats.emit import Unsupported, emit_plain

    tree = plain_tree(blueprint)
    try:
        return emit_plain(tree)
    except Unsupported:
        return _ruamel_text(commented(tree))


def ruamel_dumps(blueprint: Blueprint) -> str:
    """The canonical text as ruamel's emitter writes it (the reference `dumps` matches)."""
    return _ruamel_text(to_tree(blueprint))


def _ruamel_text(tree: CommentedMap) -> str:
    stream = io.StringIO()
    yaml_emitter().dump(tree, stream)
    return stream.getvalue()


# -- scalars ---------------------------------------------------------------
@lru_cache(maxsize=4096)  # durations repeat across cards and saves
def duration_text(seconds: float) -> str:
    """The compact spelling when it reads back exactly, else exact seconds."""
    text = format_duration(seconds)
    if _reads_back(parse_duration, text, seconds):
        return text
    return f"{Decimal(repr(float(seconds))):f}s"


def rate_value(per_hour: float) -> str | float:
    """The compact spelling (`10/h`) when it reads back exactly, else exact text."""
    text = format_rate(per_hour)
    if _reads_back(parse_rate, text, per_hour):
        return text
    exact = f"{Decimal(repr(float(per_hour))):f}/h"
    return exact if _reads_back(parse_rate, exact, per_hour) else per_hour


def _reads_back(parse: Callable[[str], float], text: str, value: float) -> bool:
    # The compact spellings round to 6 digits and may use exponents, which the
    # parsers do not read; fall back to exact decimals in those cases.
    try:
        return parse(text) == value
    except ValueError:
        return False


def number(value: float) -> int | float:
    """Whole numbers without a trailing `.0`; they read back as the same float."""
    if value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


@lru_cache(maxsize=65536)  # a large blueprint saved again holds mostly the same text
def text(value: str) -> str:
    """Multi-line text as a literal block (`|`), which reads like the text itself."""
    if _UNICODE_BREAKS.search(value):
        # ruamel may put these line breaks raw into single quotes, where a reader
        # folds them; escaped in double quotes they survive.
        return DoubleQuotedScalarString(value)
    if "\n" in value.rstrip("\n") and _literal_safe(value):
        return LiteralScalarString(value)
    return value


def _literal_safe(value: str) -> bool:
    # A literal block keeps characters raw, so it cannot hold trailing spaces on a
    # line, carriage returns or characters YAML does not allow unescaped.
    return (
        all(line == line.rstrip(" \t") for line in value.split("\n"))
        and not _UNPRINTABLE.search(value)
        and not value.startswith((" ", "\t", "\n"))
    )


def _flow_scalar(value: Any) -> Any:
    # ruamel writes some plain scalars in flow collections that read back as
    # something else (`[? x]`, `[: x]`); quote everything that is not plainly safe.
    if type(value) is str and not (_PLAIN_SAFE.match(value) and value == value.strip()):
        return SingleQuotedScalarString(value)
    return value


def _scalar_width(value: Any) -> int | None:
    """How wide a scalar is in flow style, or None when it must not go there."""
    kind = type(value)
    if kind is str:
        return _text_width(value)
    if kind is LiteralScalarString:
        return None
    if isinstance(value, str):
        return _text_width(str(value))
    if kind is bool:
        return 5
    return len(repr(value))


@lru_cache(maxsize=65536)
def _text_width(value: str) -> int | None:
    if "\n" in value:
        return None
    if _PLAIN_SAFE.match(value) and value == value.strip():
        return len(value)
    return len(value) + 2 + sum(ch in "\"\\'" for ch in value)


class Flow:
    """A mapping or sequence the canonical form writes in flow style, when it fits
    on its line. `quoted`: its strings are quoted where a plain scalar could read
    back as something else (always, when a flow around it is quoted)."""

    __slots__ = ("node", "quoted")

    def __init__(self, node: dict[Any, Any] | list[Any], quoted: bool = True) -> None:
        self.node = node
        self.quoted = quoted


def flow_width(value: Any) -> int | None:
    """Width of `value` written in flow style, or None when it cannot be."""
    return _width_within(value, sys.maxsize)


def _width_within(value: Any, budget: int) -> int | None:
    """`flow_width` when it is at most `budget`, else None (without measuring the rest)."""
    if type(value) is Flow:
        value = value.node
    if isinstance(value, dict):
        total = 2 + 2 * max(len(value) - 1, 0)
        for key, item in value.items():
            total += len(str(key)) + 2
            inner = _width_within(item, budget - total)
            if inner is None:
                return None
            total += inner
            if total > budget:
                return None
        return total if total <= budget else None
    if isinstance(value, list):
        total = 2 + 2 * max(len(value) - 1, 0)
        for item in value:
            inner = _width_within(item, budget - total)
            if inner is None:
                return None
            total += inner
            if total > budget:
                return None
        return total if total <= budget else None
    width = _scalar_width(value)
    return width if width is not None and width <= budget else None


Node = dict[Any, Any] | list[Any]


def flow_if_fits(node: Node, used: int) -> Node | Flow:
    """`node` in flow style when it fits on the line after `used` characters."""
    if node and _width_within(node, LINE_WIDTH - used) is not None:
        return Flow(node)
    return node


def _map(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return {key: value for key, value in pairs if value is not None}


# -- the ruamel tree --------------------------------------------------------
def commented(value: Any, quoted: bool = False) -> Any:
    """The plain tree (`plain_tree`) as ruamel's round-trip nodes with the same styles."""
    if type(value) is Flow:
        node = commented(value.node, quoted or value.quoted)
        node.fa.set_flow_style()
        return node
    if isinstance(value, dict):
        return CommentedMap((key, commented(item, quoted)) for key, item in value.items())
    if isinstance(value, list):
        return CommentedSeq(commented(item, quoted) for item in value)
    return _flow_scalar(value) if quoted else value


def to_tree(bp: Blueprint) -> CommentedMap:
    """The canonical round-trip tree of a blueprint (what `ruamel_dumps` writes)."""
    tree: CommentedMap = commented(plain_tree(bp))
    return tree


# -- elements ---------------------------------------------------------------
def plain_tree(bp: Blueprint) -> dict[str, Any]:
    """The canonical tree of a blueprint as dicts (block mappings), lists (block
    sequences), `Flow` nodes and scalars (what `dumps` writes)."""
    root = _map(
        [
            ("stageline", FORMAT_VERSION),
            ("title", text(bp.title)),
            ("scenario", _opt_text(bp.scenario)),
            ("persona", _opt_text(bp.persona)),
            ("state", bp.state),
            ("goal", _opt_text(bp.goal)),
            ("tolerance", None if bp.tolerance is None else duration_text(bp.tolerance)),
            ("currency", _opt_text(bp.currency)),
            ("notes", _opt_text(bp.notes)),
        ]
    )
    if bp.lanes != _DEFAULT_LANES:
        root["lanes"] = flow_if_fits([lane_node(lane, INDENT * 2) for lane in bp.lanes], len("lanes: "))
    lane_order = [lane.id for lane in bp.lanes]
    if bp.stages:
        root["stages"] = [stage_node(stage, lane_order) for stage in bp.stages]
    if bp.links:
        root["links"] = [link_node(link, INDENT * 2) for link in bp.links]
    if bp.opportunities:
        root["opportunities"] = [opportunity_node(o, INDENT * 2) for o in bp.opportunities]
    if bp.actors:
        root["actors"] = [actor_node(actor, INDENT * 2) for actor in bp.actors]
    checks = bp.checks
    defaults = ChecksConfig()
    if checks != defaults:
        root["checks"] = flow_if_fits(
            _map(
                [
                    ("ignore", [text(i) for i in checks.ignore] if checks.ignore else None),
                    ("max_share", None if checks.max_share == defaults.max_share else number(checks.max_share)),
                    (
                        "max_utilisation",
                        None if checks.max_utilisation == defaults.max_utilisation else number(checks.max_utilisation),
                    ),
                ]
            ),
            len("checks: "),
        )
    if bp.simulation is not None:
        root["simulation"] = simulation_node(bp.simulation)
    return root


def _opt_text(value: str | None) -> str | None:
    return None if value is None else text(value)


def lane_node(lane: Lane, indent: int) -> str | Node | Flow:
    if lane.standard and lane == Lane.standard_lane(lane.id):
        return lane.id
    return flow_if_fits(_map([("id", lane.id), ("title", text(lane.title)), ("visible", lane.visible)]), indent + 2)


def stage_node(stage: Stage, lane_order: list[str]) -> dict[str, Any]:
    node = _map([("id", stage.id), ("title", text(stage.title))])
    if stage.steps:
        node["steps"] = [step_node(step, lane_order) for step in stage.steps]
    return node


def step_node(step: Step, lane_order: list[str]) -> dict[str, Any]:
    node = _map([("id", step.id), ("title", _opt_text(step.title)), ("present", None if step.present else False)])
    key_indent = INDENT * 4
    cells = step.cells
    lanes = [lane for lane in lane_order if cells.get(lane)]
    if len(lanes) < len(cells):
        lanes += [lane for lane in cells if lane not in lane_order and cells[lane]]
    for lane in lanes:
        cards = [
            card_node(card, auto_card_id(step.id, lane, n), key_indent + INDENT)
            for n, card in enumerate(cells[lane], start=1)
        ]
        if len(cards) == 1:
            node[lane] = cards[0]
        else:
            node[lane] = flow_if_fits(cards, key_indent + len(lane) + 2)
    return node


def card_node(card: Card, auto_id: str, indent: int) -> Any:
    """A card: its text alone when nothing else is set, else a block mapping."""
    node: dict[str, Any] = {}
    if card.id != auto_id:
        node["id"] = card.id
    node["text"] = text(card.text)
    for name in ("actor", "department", "channel"):
        value = getattr(card, name)
        if value is not None:
            node[name] = text(value)
    if card.duration is not None:
        node["duration"] = duration_node(card.duration, indent + len("duration: "))
    if card.wait is not None:
        node["wait"] = duration_text(card.wait)
    if card.cost is not None:
        node["cost"] = number(card.cost)
    if card.fail is not None:
        node["fail"] = fail_node(card.fail, indent + len("fail: "))
    if card.emotion is not None:
        node["emotion"] = card.emotion
    if card.pain is not None:
        node["pain"] = text(card.pain)
    if card.basis != "assumed":
        node["basis"] = card.basis
    if card.source is not None:
        node["source"] = text(card.source)
    if card.notes is not None:
        node["notes"] = text(card.notes)
    if card.tags:
        node["tags"] = _string_list(card.tags, indent + len("tags: "))
    if card.ignore:
        node["ignore"] = _string_list(card.ignore, indent + len("ignore: "))
    if len(node) == 1 and "text" in node:
        return node["text"]  # keeps its scalar style
    return node


def _string_list(values: list[str], used: int) -> Node | Flow | None:
    return flow_if_fits([text(v) for v in values], used) if values else None


def duration_node(value: float | Distribution, used: int) -> str | Node | Flow:
    if not isinstance(value, Distribution):
        return duration_text(value)
    pairs: list[tuple[str, Any]] = [("dist", value.dist)]
    for name in ("mean", "sd", "min", "mode", "max"):
        seconds = getattr(value, name)
        pairs.append((name, None if seconds is None else duration_text(seconds)))
    return flow_if_fits(_map(pairs), used)


def fail_node(fail: FailPoint, used: int) -> Any:
    node = _map(
        [
            ("text", text(fail.text)),
            ("recovery", _opt_text(fail.recovery)),
            ("severity", fail.severity),
            ("likelihood", fail.likelihood),
            ("p", None if fail.p is None else number(fail.p)),
            ("recovery_time", None if fail.recovery_time is None else duration_text(fail.recovery_time)),
            ("recovery_cost", None if fail.recovery_cost is None else number(fail.recovery_cost)),
            ("owner", _opt_text(fail.owner)),
        ]
    )
    if len(node) == 1:
        return node["text"]  # keeps its scalar style
    return flow_if_fits(node, used)


def link_node(link: Link, indent: int) -> Node | Flow:
    node = _map(
        [
            ("from", link.source),
            ("to", link.target),
            ("two_way", True if link.two_way else None),
            ("label", _opt_text(link.label)),
            ("p", None if link.p is None else number(link.p)),
        ]
    )
    return flow_if_fits(node, indent)


def actor_node(actor: Actor, indent: int) -> Node | Flow:
    aliases = _string_list(actor.aliases, indent + len("aliases: "))
    node = _map(
        [
            ("name", text(actor.name)),
            ("kind", None if actor.kind == "person" else actor.kind),
            ("department", _opt_text(actor.department)),
            # Always in flow style; quoted for it only when it fits its line.
            ("aliases", aliases if aliases is None or isinstance(aliases, Flow) else Flow(aliases, quoted=False)),
            ("capacity", actor.capacity),
            ("hours", actor.hours),
        ]
    )
    return flow_if_fits(node, indent)


def opportunity_node(opportunity: Opportunity, indent: int) -> Node | Flow:
    node = _map(
        [
            ("id", opportunity.id),
            ("title", text(opportunity.title)),
            ("description", _opt_text(opportunity.description)),
            ("targets", [text(v) for v in opportunity.targets] if opportunity.targets else None),
            ("change", _change_node(opportunity.change, indent + len("change: "))),
            ("future", _opt_text(opportunity.future)),
            ("owner", _opt_text(opportunity.owner)),
            ("measure", _opt_text(opportunity.measure)),
            ("target", _opt_text(opportunity.target)),
            ("due", opportunity.due),  # a YAML date, unquoted
            ("value", opportunity.value),
            ("effort", opportunity.effort),
            ("status", None if opportunity.status == "idea" else opportunity.status),
        ]
    )
    written = flow_if_fits(node, indent)
    if written is node and "targets" in node:  # a block mapping: its targets in flow style when they fit
        node["targets"] = flow_if_fits(node["targets"], indent + len("targets: "))
    return written


def _change_node(changes: list[str], used: int) -> str | Node | Flow | None:
    """One change as a scalar, several as a list (flow style when it fits)."""
    if len(changes) == 1:
        return text(changes[0])
    return _string_list(changes, used)


def simulation_node(simulation: Simulation) -> dict[str, Any]:
    indent = INDENT
    node: dict[str, Any] = {"arrivals": arrivals_node(simulation.arrivals, indent + len("arrivals: "))}
    if simulation.resources:
        node["resources"] = {
            name: resource_node(resource, indent * 2 + len(name) + 2) for name, resource in simulation.resources.items()
        }
    if simulation.horizon is not None:
        node["horizon"] = duration_text(simulation.horizon)
    if simulation.customers is not None:
        node["customers"] = simulation.customers
    return node


def arrivals_node(arrivals: Arrivals, used: int) -> Node | Flow:
    if arrivals.schedule is not None:
        schedule = {clock: rate_value(rate) for clock, rate in arrivals.schedule.items()}
        node: dict[str, Any] = {"schedule": schedule}
        written = flow_if_fits(node, used)
        if written is node:
            node["schedule"] = flow_if_fits(schedule, used + len("schedule: "))
        return written
    return flow_if_fits(_map([("rate", None if arrivals.rate is None else rate_value(arrivals.rate))]), used)


def resource_node(resource: Resource, used: int) -> int | Node | Flow:
    if resource.hours is None:
        return resource.capacity
    return flow_if_fits(
        _map([("capacity", None if resource.capacity == 1 else resource.capacity), ("hours", resource.hours)]), used
    )
