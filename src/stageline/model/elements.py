"""The parts of a blueprint: lanes, stages, steps, cards, links, opportunities.

Every element is a pydantic model so that anything reaching the model (a file,
an API call, an editor operation) is validated the same way.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from stageline.model.quantities import PerHour, Seconds

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
# Cards may also carry the dotted ids generated for them (`check-in.customer.2`),
# which stay with the card when it moves to another cell.
CARD_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$"
_ID = re.compile(ID_PATTERN)
_CARD_ID = re.compile(CARD_ID_PATTERN)
ID_HELP = "ids use lower-case letters, digits, '-' and '_', and start with a letter or digit"


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"{value!r} is not a valid id: {ID_HELP}")
    return value


def _check_card_id(value: str) -> str:
    if not _CARD_ID.match(value):
        raise ValueError(f"{value!r} is not a valid card id: {ID_HELP} (generated ids may contain '.')")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
CardId = Annotated[str, AfterValidator(_check_card_id)]
Text = Annotated[str, Field(min_length=1)]


class Element(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=False)


STANDARD_LANES: dict[str, tuple[str, bool]] = {
    "evidence": ("Physical evidence", True),
    "customer": ("Customer actions", True),
    "frontstage": ("Frontstage actions", True),
    "backstage": ("Backstage actions", False),
    "support": ("Support processes", False),
    "management": ("Management", False),
}
DEFAULT_LANES = ("evidence", "customer", "frontstage", "backstage", "support")
STANDARD_CHANNELS = (
    "in-person",
    "phone",
    "email",
    "chat",
    "web",
    "app",
    "kiosk",
    "mail",
    "self-service",
)
CUSTOMER_LANE = "customer"


class Lane(Element):
    """A row. Standard lanes have fixed ids; custom ones say which side of the
    line of visibility they sit on."""

    id: Id
    title: Text
    visible: bool = Field(description="Above the line of visibility: the customer sees it.")

    @property
    def standard(self) -> bool:
        return self.id in STANDARD_LANES

    @classmethod
    def standard_lane(cls, lane_id: str) -> Lane:
        title, visible = STANDARD_LANES[lane_id]
        return cls(id=lane_id, title=title, visible=visible)


class Distribution(Element):
    """A random duration for simulation; analysis uses its mean."""

    dist: Literal["exponential", "triangular", "uniform", "lognormal", "normal", "constant"]
    mean: Seconds | None = None
    sd: Seconds | None = None
    min: Seconds | None = None
    mode: Seconds | None = None
    max: Seconds | None = None

    @model_validator(mode="after")
    def _parameters(self) -> Distribution:
        needed = {
            "exponential": ("mean",),
            "constant": ("mean",),
            "uniform": ("min", "max"),
            "triangular": ("min", "mode", "max"),
            "lognormal": ("mean", "sd"),
            "normal": ("mean", "sd"),
        }[self.dist]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.dist} duration needs {', '.join(needed)}; missing {', '.join(missing)}")
        extra = [n for n in ("mean", "sd", "min", "mode", "max") if n not in needed and getattr(self, n) is not None]
        if extra:
            raise ValueError(f"a {self.dist} duration takes only {', '.join(needed)}; remove {', '.join(extra)}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not be greater than max")
        if (
            self.mode is not None
            and self.min is not None
            and self.max is not None
            and not (self.min <= self.mode <= self.max)
        ):
            raise ValueError("mode must lie between min and max")
        return self

    @property
    def mean_seconds(self) -> float:
        if self.dist == "uniform":
            return ((self.min or 0.0) + (self.max or 0.0)) / 2
        if self.dist == "triangular":
            return ((self.min or 0.0) + (self.mode or 0.0) + (self.max or 0.0)) / 3
        return self.mean or 0.0


def mean_seconds(value: float | Distribution | None) -> float:
    """Seconds of a duration, or the mean of a distributed one; 0 when absent."""
    if value is None:
        return 0.0
    if isinstance(value, Distribution):
        return value.mean_seconds
    return float(value)


Score = Annotated[int, Field(ge=1, le=5)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]


class FailPoint(Element):
    """Where the step can go wrong (Shostack 1984), with its fail-safe."""

    text: Text
    recovery: str | None = None
    severity: Score | None = None
    likelihood: Score | None = None
    p: Probability | None = Field(None, description="Probability per customer, for simulation.")
    recovery_time: Seconds | None = None
    recovery_cost: float | None = Field(None, ge=0)
    owner: str | None = Field(None, description="Who answers for preventing and recovering from it.")

    @property
    def risk(self) -> int:
        """Severity × likelihood as in service FMEA; unknown scores count as 3."""
        return (self.severity or 3) * (self.likelihood or 3)


class Card(Element):
    """One action, touchpoint or process in a cell of the grid."""

    id: CardId
    text: Text
    actor: str | None = None
    department: str | None = None
    channel: str | None = None
    duration: Seconds | Distribution | None = None
    wait: Seconds | None = Field(None, description="Time the customer waits before this card.")
    cost: float | None = Field(None, ge=0)
    fail: FailPoint | None = None
    emotion: Annotated[int, Field(ge=-2, le=2)] | None = None
    pain: str | None = None
    basis: Literal["observed", "assumed", "proposed"] = "assumed"
    source: str | None = None
    notes: str | None = None
    tags: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list, description="Check rules silenced for this card.")


class Step(Element):
    """A column: one thing the customer does, with everything around it."""

    id: Id
    title: str | None = None
    present: bool = Field(
        True,
        description="False for a step the customer is not present for (a follow-up call the next day, an invoice "
        "sent later): it counts as elapsed time, not time in the service.",
    )
    cells: dict[str, list[Card]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _drop_empty_cells(self) -> Step:
        # An empty cell and an absent one are the same; keep one spelling so
        # that equality and undo agree.
        if any(not cards for cards in self.cells.values()):
            self.cells = {lane: cards for lane, cards in self.cells.items() if cards}
        return self

    def cards(self, lane: str) -> list[Card]:
        return self.cells.get(lane, [])

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        customer = self.cells.get(CUSTOMER_LANE)
        return customer[0].text if customer else self.id


class Stage(Element):
    id: Id
    title: Text
    steps: list[Step] = Field(default_factory=list)


def link_key(source: str, target: str) -> str:
    return f"{source}->{target}"


class Link(Element):
    """An arrow between two cards: one-way is a handoff, two-way a codependency."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    source: CardId = Field(alias="from")
    target: CardId = Field(alias="to")
    two_way: bool = False
    label: str | None = None
    p: Probability | None = Field(None, description="Share of customers who take this branch.")

    @property
    def key(self) -> str:
        return link_key(self.source, self.target)


OpportunityStatus = Literal["idea", "planned", "testing", "done", "dropped"]
OPPORTUNITY_STATUSES: tuple[str, ...] = get_args(OpportunityStatus)
# Statuses of older files, read as their successor (`in-progress` was the one
# step between planned and done; it is now `testing`).
OLD_OPPORTUNITY_STATUSES = {"in-progress": "testing"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _one_or_list(value: object) -> object:
    """`change: "Front desk clerk=+1"` is shorthand for a list of one."""
    return [value] if isinstance(value, str) else value


def _iso_date(value: object) -> object:
    """A calendar date, written YYYY-MM-DD (not a number, which pydantic would
    otherwise take for a Unix time)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date in the calendar") from None
    raise ValueError(f"{value!r} is not a date: write it YYYY-MM-DD, such as 2027-03-31")


def _current_status(value: object) -> object:
    return OLD_OPPORTUNITY_STATUSES.get(value, value) if isinstance(value, str) else value


class Opportunity(Element):
    id: Id
    title: Text
    description: str | None = None
    targets: list[CardId] = Field(default_factory=list)
    change: Annotated[list[Text], BeforeValidator(_one_or_list)] = Field(
        default_factory=list,
        description="What-if changes (the language of `simulate --what-if`) that together realise it.",
    )
    future: Text | None = Field(None, description="The future-state blueprint file that realises it.")
    owner: str | None = None
    measure: str | None = Field(None, description="What will be measured to know it worked.")
    target: str | None = Field(None, description="The value of the measure that counts as success.")
    due: Annotated[date, BeforeValidator(_iso_date)] | None = Field(None, description="When it is checked.")
    value: Score | None = None
    effort: Score | None = None
    status: Annotated[OpportunityStatus, BeforeValidator(_current_status)] = "idea"


class Actor(Element):
    """Who does the work: a person (a role), a team or a system. Cards name an actor
    by its `name` or one of its `aliases`; the simulation takes its capacity from here."""

    name: Text
    kind: Literal["person", "team", "system"] = "person"
    department: str | None = None
    aliases: list[Text] = Field(default_factory=list)
    capacity: Annotated[int, Field(ge=1)] | None = Field(None, description="Units that serve at once, for simulation.")
    hours: str | None = Field(None, pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$", description="Opening hours, HH:MM-HH:MM.")

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class ChecksConfig(Element):
    ignore: list[str] = Field(default_factory=list)
    max_share: Annotated[float, Field(gt=0, le=1)] = Field(
        0.5, description="overloaded-actor: the share of the people's (or systems') work one actor may carry."
    )
    max_utilisation: Annotated[float, Field(gt=0)] = Field(
        0.85, description="overloaded-actor: the utilisation at the arrival rate above which an actor is overloaded."
    )


class Resource(Element):
    capacity: Annotated[int, Field(ge=1)] = 1
    hours: str | None = Field(None, pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$", description="Opening hours, HH:MM-HH:MM.")


class Arrivals(Element):
    rate: PerHour | None = None
    schedule: dict[str, PerHour] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Arrivals:
        if (self.rate is None) == (self.schedule is None):
            raise ValueError("arrivals take either a rate (10/h) or a schedule ({'08:00': 40/h}), not both")
        for clock in self.schedule or {}:
            if not re.match(r"^\d{2}:\d{2}$", clock):
                raise ValueError(f"schedule time {clock!r} must be written HH:MM")
        return self


class Simulation(Element):
    arrivals: Arrivals
    resources: dict[str, Resource] = Field(default_factory=dict)
    horizon: Seconds | None = None
    customers: Annotated[int, Field(ge=1)] | None = None
