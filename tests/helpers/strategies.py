"""Hypothesis strategies for whole blueprints, valid by construction.

    from helpers.strategies import blueprints

    @given(blueprints())
    def test_something(bp: Blueprint) -> None: ...

Generated blueprints pass `check_integrity`: ids are unique, links and
opportunity targets point at existing cards, custom lanes sit on the correct
side of the line of visibility. Text is deliberately awkward for file formats
(quotes, colons, `#`, leading dashes, newlines, `yes`/`null`/number look-alikes,
non-Latin scripts), so that writers and readers are tested where they break.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from stageline.model import (
    DEFAULT_LANES,
    STANDARD_CHANNELS,
    STANDARD_LANES,
    Arrivals,
    Blueprint,
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
from stageline.model.elements import OPPORTUNITY_STATUSES

TRICKY_TEXT = (
    "yes",
    "no",
    "null",
    "~",
    "true",
    "False",
    "NULL",
    "on",
    "off",
    "1",
    "0x1F",
    "1e3",
    "-1",
    ".inf",
    "1_000",
    "2024-05-01",
    "08:00",
    "12:30:00",
    "- leading dash",
    "-",
    "? question",
    ": colon",
    "key: value",
    "a #hash",
    "#not a comment",
    "'single'",
    '"double"',
    "it's",
    "{flow}",
    "[list]",
    "a, b",
    "*alias",
    "&anchor",
    "!tag",
    "%percent",
    "@at",
    "`tick`",
    "|",
    ">",
    " leading space",
    "trailing space ",
    "two\nlines",
    "ends with newline\n",
    "tab\there",
    "emoji 🛎️",
    "Ünïcödé",
    "日本語のテキスト",
    "עברית",
    "back\\slash",
    "line\n  indented\nnext",
    "\nstarts with newline",
    "crlf\r\nline",
    "a" * 120,
)

ID_TOKEN = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True)
# Lane ids also claim the id namespace, and `id`/`title` are step keys.
RESERVED = frozenset({*STANDARD_LANES, "id", "title", "moved"})


def texts(min_size: int = 1) -> st.SearchStrategy[str]:
    """Text as people (and importers) write it, weighted towards what breaks formats."""
    # Text the model accepts: no lone surrogates, control characters or non-characters (model/text.py).
    generated = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=min_size, max_size=40)
    return st.one_of(
        st.sampled_from(TRICKY_TEXT), generated, st.from_regex(r"[A-Z][a-z]+( [a-z]+){0,4}", fullmatch=True)
    )


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def seconds() -> st.SearchStrategy[float]:
    whole = st.integers(min_value=0, max_value=3 * 86400).map(float)
    fractional = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
    return st.one_of(whole, whole, fractional)


@st.composite
def distributions(draw: st.DrawFn) -> Distribution:
    kind = draw(st.sampled_from(["exponential", "constant", "uniform", "triangular", "lognormal", "normal"]))
    if kind in ("exponential", "constant"):
        return Distribution(dist=kind, mean=draw(seconds()))
    if kind in ("lognormal", "normal"):
        return Distribution(dist=kind, mean=draw(seconds()), sd=draw(seconds()))
    points = sorted(draw(st.lists(seconds(), min_size=3, max_size=3)))
    if kind == "uniform":
        return Distribution(dist=kind, min=points[0], max=points[2])
    return Distribution(dist=kind, min=points[0], mode=points[1], max=points[2])


def scores() -> st.SearchStrategy[int | None]:
    return optional(st.integers(min_value=1, max_value=5))


def amounts() -> st.SearchStrategy[float]:
    return st.one_of(st.integers(0, 10_000).map(float), st.floats(0, 1e9, allow_nan=False, allow_infinity=False))


@st.composite
def fail_points(draw: st.DrawFn) -> FailPoint:
    if draw(st.booleans()):
        return FailPoint(text=draw(texts()))
    return FailPoint(
        text=draw(texts()),
        recovery=draw(optional(texts())),
        severity=draw(scores()),
        likelihood=draw(scores()),
        p=draw(optional(st.floats(0, 1))),
        recovery_time=draw(optional(seconds())),
        recovery_cost=draw(optional(amounts())),
        owner=draw(optional(texts())),
    )


def tag_lists() -> st.SearchStrategy[list[str]]:
    return st.lists(texts(), max_size=3)


@st.composite
def cards(draw: st.DrawFn, card_id: str) -> Card:
    """A card with the given id: sometimes text only, sometimes every field."""
    if draw(st.integers(0, 2)) == 0:
        return Card(id=card_id, text=draw(texts()))
    return Card(
        id=card_id,
        text=draw(texts()),
        actor=draw(optional(texts())),
        department=draw(optional(texts())),
        channel=draw(optional(st.one_of(st.sampled_from(STANDARD_CHANNELS), texts()))),
        duration=draw(optional(st.one_of(seconds(), distributions()))),
        wait=draw(optional(seconds())),
        cost=draw(optional(amounts())),
        fail=draw(optional(fail_points())),
        emotion=draw(optional(st.integers(-2, 2))),
        pain=draw(optional(texts())),
        basis=draw(st.sampled_from(["observed", "assumed", "proposed"])),
        source=draw(optional(texts())),
        notes=draw(optional(texts())),
        tags=draw(tag_lists()),
        ignore=draw(tag_lists()),
    )


class IdPool:
    """Unique ids: drawn tokens first, then `<token>-<n>` (unique by its last part)."""

    def __init__(self, tokens: list[str]) -> None:
        self._tokens = list(tokens)
        self._fallback = tokens[0] if tokens else "x"
        self._count = 0

    def pop(self) -> str:
        if len(self._tokens) > 1:
            return self._tokens.pop()
        self._count += 1
        return f"{self._fallback}-{self._count}"


@st.composite
def lane_lists(draw: st.DrawFn, ids: IdPool) -> list[Lane]:
    """The default lanes, sometimes with management, renamed standard lanes or custom
    lanes on either side of the line of visibility (custom ids are taken from `ids`)."""
    standard = list(DEFAULT_LANES) + (["management"] if draw(st.booleans()) else [])
    optional_lanes = [lane for lane in standard if lane != "customer"]
    dropped = set(draw(st.lists(st.sampled_from(optional_lanes), max_size=2, unique=True)))
    lanes = [Lane.standard_lane(lane) for lane in standard if lane not in dropped]
    if draw(st.booleans()):
        at = draw(st.integers(0, len(lanes) - 1))
        lanes[at] = Lane(id=lanes[at].id, title=draw(texts()), visible=lanes[at].visible)
    for _ in range(draw(st.integers(0, 2))):
        custom = Lane(id=ids.pop(), title=draw(texts()), visible=draw(st.booleans()))
        visible = [i for i, lane in enumerate(lanes) if lane.visible]
        boundary = visible[-1] + 1 if visible else 0
        at = draw(st.integers(0, boundary) if custom.visible else st.integers(boundary, len(lanes)))
        lanes.insert(at, custom)
    return lanes


@st.composite
def simulations(draw: st.DrawFn) -> Simulation:
    rates = st.floats(0, 10_000, allow_nan=False, allow_infinity=False)
    if draw(st.booleans()):
        arrivals = Arrivals(rate=draw(rates))
    else:
        clocks = st.from_regex(r"[0-2][0-9]:[0-5][0-9]", fullmatch=True)
        arrivals = Arrivals(schedule=draw(st.dictionaries(clocks, rates, min_size=1, max_size=3)))
    names = st.from_regex(r"[A-Za-z][A-Za-z0-9 _-]{0,12}", fullmatch=True)
    hours = st.from_regex(r"[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]", fullmatch=True)
    resource = st.builds(Resource, capacity=st.integers(1, 20), hours=optional(hours))
    return Simulation(
        arrivals=arrivals,
        resources=draw(st.dictionaries(names, resource, max_size=3)),
        horizon=draw(optional(seconds())),
        customers=draw(optional(st.integers(1, 100_000))),
    )


@st.composite
def blueprints(draw: st.DrawFn, max_stages: int = 3, max_steps: int = 3, max_cards: int = 3) -> Blueprint:
    """A valid blueprint exercising every part of the model."""
    ids = IdPool(draw(st.lists(ID_TOKEN.filter(lambda i: i not in RESERVED), min_size=1, max_size=12, unique=True)))
    lanes = draw(lane_lists(ids))
    lane_ids = [lane.id for lane in lanes]
    stages: list[Stage] = []
    card_ids: list[str] = []
    for _ in range(draw(st.integers(0, max_stages))):
        steps = []
        for _ in range(draw(st.integers(0, max_steps))):
            step_id = ids.pop()
            cells: dict[str, list[Card]] = {}
            for lane in draw(st.lists(st.sampled_from(lane_ids), max_size=len(lane_ids), unique=True)):
                cell = []
                for n in range(1, draw(st.integers(1, max_cards)) + 1):
                    how = draw(st.sampled_from(["auto", "auto", "own", "moved"]))
                    card_id = (
                        ids.pop()
                        if how == "own"
                        else f"{ids.pop()}.moved"
                        if how == "moved"
                        else f"{step_id}.{lane}"
                        if n == 1
                        else f"{step_id}.{lane}.{n}"
                    )
                    cell.append(draw(cards(card_id)))
                    card_ids.append(card_id)
                cells[lane] = cell
            steps.append(Step(id=step_id, title=draw(optional(texts())), cells=cells))
        stages.append(Stage(id=ids.pop(), title=draw(texts()), steps=steps))

    links: list[Link] = []
    if len(card_ids) >= 2:
        # Only forward pairs, so a pair is never linked both ways.
        pairs = st.tuples(st.integers(0, len(card_ids) - 1), st.integers(0, len(card_ids) - 1)).filter(
            lambda pair: pair[0] < pair[1]
        )
        for a, b in draw(st.lists(pairs, max_size=4, unique=True)):
            links.append(
                Link(
                    source=card_ids[a],
                    target=card_ids[b],
                    two_way=draw(st.booleans()),
                    label=draw(optional(texts())),
                    p=draw(optional(st.floats(0, 1))),
                )
            )
    opportunities = [
        Opportunity(
            id=ids.pop(),
            title=draw(texts()),
            description=draw(optional(texts())),
            targets=draw(st.lists(st.sampled_from(card_ids), max_size=3, unique=True)) if card_ids else [],
            change=draw(st.lists(texts(), max_size=2)),
            future=draw(optional(texts())),
            owner=draw(optional(texts())),
            measure=draw(optional(texts())),
            target=draw(optional(texts())),
            due=draw(optional(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))),
            value=draw(scores()),
            effort=draw(scores()),
            status=draw(st.sampled_from(OPPORTUNITY_STATUSES)),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    return Blueprint(
        title=draw(texts()),
        scenario=draw(optional(texts())),
        persona=draw(optional(texts())),
        state=draw(st.sampled_from(["current", "future"])),
        goal=draw(optional(texts())),
        tolerance=draw(optional(seconds())),
        currency=draw(optional(st.sampled_from(["EUR", "USD", "£"]))),
        notes=draw(optional(texts())),
        lanes=lanes,
        stages=stages,
        links=links,
        opportunities=opportunities,
        checks=ChecksConfig(
            ignore=draw(st.lists(st.sampled_from(["wait-tolerance", "S101", "fail-recovery"]), max_size=2, unique=True))
        ),
        simulation=draw(optional(simulations())),
    )
