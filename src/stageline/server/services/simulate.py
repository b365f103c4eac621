"""Simulating a stored blueprint: inputs, a run with limits, and saving the inputs.

Inputs have the shape of the blueprint's `simulation:` section plus the run's
seed and replications; whatever a request leaves out comes from the section.
`read_inputs` checks every field and reports each problem under the name of
its field (`arrivals.rate`, `resources.Front desk clerk.capacity`, `customers`).

A run happens in a child process, so it never holds the server's event loop
or its interpreter: it is refused up front when it would be too big (more
customers, or customers times cards, than `Limits` allows) and stopped when
it takes longer than `Limits.seconds`. At most `Limits.concurrent` runs at a
time; others wait for a slot.

Saving writes the section with a `set` operation through `Blueprints.apply`,
so it is a new version in the history like every other change.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import re
import signal
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from pydantic import ValidationError

from stageline.analysis.simulation import SimulationError, simulate
from stageline.analysis.simulation.arrivals import expected_arrivals
from stageline.analysis.simulation.clock import Hours, parse_clock
from stageline.analysis.simulation.scenario import MAX_CAPACITY, compile_scenario
from stageline.model import Blueprint, mean_seconds
from stageline.model.elements import Arrivals, Resource, Simulation
from stageline.model.integrity import suggest
from stageline.model.operations import SetProperty
from stageline.model.quantities import format_duration, format_rate, parse_duration, parse_rate
from stageline.server.services.access import Action
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Blueprints, Change, Opened
from stageline.server.services.errors import Invalid, Unavailable

SUGGESTED_RATE = 10.0  # customers per hour, for a blueprint without a simulation section or durations
SUGGESTED_LOAD = 0.7  # how busy the first guess keeps the busiest person
HOURS_PATTERN = re.compile(r"^\d{2}:\d{2}-\d{2}:\d{2}$")


@dataclass(frozen=True)
class Limits:
    customers: int = 200_000  # customers in one request, all replications together
    work: int = 20_000_000  # customers times cards, all replications together (about 10 s)
    seconds: float = 60.0  # a run taking longer is stopped
    replications: int = 50
    capacity: int = MAX_CAPACITY  # units of one resource (what the simulation models)
    schedule: int = 96  # times of day in an arrival schedule
    concurrent: int = 2  # runs at the same time; more wait for a slot
    wait: float = 30.0  # how long a run waits for a slot


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class InputError(Invalid):
    """Inputs that cannot be simulated; `problems` names each field and what is wrong."""

    def __init__(self, problems: list[Problem], code: str = "invalid_simulation") -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(
            f"{first.field}: {first.message}{more}",
            details={"field": first.field, "problems": [p.to_json() for p in problems]},
            code=code,
        )
        self.problems = problems

    @property
    def fields(self) -> set[str]:
        return {p.field for p in self.problems}


@dataclass(frozen=True)
class ResourceInput:
    name: str
    capacity: int
    hours: str | None = None


@dataclass(frozen=True)
class Inputs:
    """What one simulation run needs: the simulation section, seed and replications."""

    rate: float | None = None  # customers per hour, steady
    schedule: tuple[tuple[str, float], ...] = ()  # (HH:MM, customers per hour) by time of day
    resources: tuple[ResourceInput, ...] = ()
    customers: int | None = None
    horizon: float | None = None  # seconds during which customers arrive
    seed: int = 0
    replications: int = 1

    def section(self) -> Simulation:
        """The blueprint's `simulation:` section these inputs describe."""
        arrivals = Arrivals(schedule=dict(self.schedule)) if self.schedule else Arrivals(rate=self.rate)
        return Simulation(
            arrivals=arrivals,
            resources={r.name: Resource(capacity=r.capacity, hours=r.hours) for r in self.resources},
            horizon=self.horizon,
            customers=self.customers,
        )

    def to_json(self) -> dict[str, Any]:
        """The request body that gives these inputs (rates and durations as text)."""
        arrivals: dict[str, Any] = (
            {"schedule": {clock: format_rate(rate) for clock, rate in self.schedule}}
            if self.schedule
            else {"rate": format_rate(self.rate or 0.0)}
        )
        return {
            "arrivals": arrivals,
            "resources": {
                r.name: {"capacity": r.capacity, "hours": r.hours} if r.hours else r.capacity for r in self.resources
            },
            "customers": self.customers,
            "horizon": format_duration(self.horizon) if self.horizon is not None else None,
            "seed": self.seed,
            "replications": self.replications,
        }

    @classmethod
    def of_section(cls, section: Simulation) -> Inputs:
        arrivals = section.arrivals
        return cls(
            rate=arrivals.rate,
            schedule=tuple(sorted((arrivals.schedule or {}).items())),
            resources=tuple(ResourceInput(name, r.capacity, r.hours) for name, r in section.resources.items()),
            customers=section.customers,
            horizon=section.horizon,
        )


def staff_of(bp: Blueprint) -> list[str]:
    """Every actor and department named on a card, in the order the journey meets them."""
    found: dict[str, None] = {}
    for _, card in bp.cards():
        for name in (card.actor, card.department):
            if name:
                found.setdefault(name, None)
    return list(found)


def suggested_inputs(bp: Blueprint) -> Inputs:
    """The blueprint's own section, or a first guess for one without: one unit of
    the (up to three) people who serve customers most, and a steady rate that
    keeps the busiest of them about 70 % busy (10 an hour when no card says how
    long it takes). A guess that already overloads someone would make the first
    run a wall of red that says nothing about the service."""
    if bp.simulation is not None:
        return Inputs.of_section(bp.simulation)
    weights: dict[str, int] = {}
    work: dict[str, float] = {}
    for place, card in bp.cards():
        if card.actor:
            weights[card.actor] = weights.get(card.actor, 0) + (2 if place.lane == "frontstage" else 1)
            work[card.actor] = work.get(card.actor, 0.0) + mean_seconds(card.duration)
    busiest = sorted(weights, key=lambda name: (-weights[name], name))[:3]
    heaviest = max((work[name] for name in busiest), default=0.0)
    rate = _round_rate(SUGGESTED_LOAD * 3600 / heaviest) if heaviest > 0 else SUGGESTED_RATE
    return Inputs(rate=rate, resources=tuple(ResourceInput(name, 1) for name in busiest))


def _round_rate(per_hour: float) -> float:
    """Two significant figures, so the guess reads like one (14/h, 2.5/h, 0.33/h)."""
    return float(f"{per_hour:.2g}")


# -- reading inputs ------------------------------------------------------------------
class _Reader:
    def __init__(self, bp: Blueprint, limits: Limits) -> None:
        self.bp = bp
        self.limits = limits
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def whole(self, where: str, value: Any, low: int, high: int) -> int | None:
        """A whole number from low to high, from JSON or form text; None when blank."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif (isinstance(value, float) and value.is_integer()) or (
            isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value)
        ):
            number = int(value)
        if number is None:
            self.problem(where, f"{value!r} is not a whole number")
            return None
        if not low <= number <= high:
            self.problem(where, f"must be from {low:,} to {high:,}, not {number:,}")
            return None
        return number

    def rate(self, where: str, value: Any) -> float | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problem(where, "give a rate, e.g. 10/h (customers per hour), 2/m or 300/d")
            return None
        try:
            return parse_rate(value.strip() if isinstance(value, str) else value)
        except ValueError as error:
            self.problem(where, str(error))
            return None

    def arrivals(self, value: Any) -> tuple[float | None, tuple[tuple[str, float], ...]]:
        if not isinstance(value, Mapping):
            self.problem("arrivals", 'give {"rate": "10/h"} or {"schedule": {"08:00": "40/h", "12:00": "10/h"}}')
            return None, ()
        unknown = sorted(set(value) - {"rate", "schedule"})
        if unknown:
            self.problem(f"arrivals.{unknown[0]}", "arrivals take a rate or a schedule, nothing else")
        has_rate = value.get("rate") not in (None, "")
        has_schedule = value.get("schedule") not in (None, {}, [])
        if has_rate == has_schedule:
            self.problem(
                "arrivals",
                "give either a steady rate (10/h) or a schedule by time of day ({08:00: 40/h}), not both"
                if has_rate
                else "give a steady rate (10/h) or a schedule by time of day ({08:00: 40/h})",
            )
            return None, ()
        if has_rate:
            rate = self.rate("arrivals.rate", value["rate"])
            if rate is not None and rate <= 0:
                self.problem("arrivals.rate", "must be more than zero, or nobody ever arrives")
            return rate, ()
        return None, self.schedule(value["schedule"])

    def schedule(self, value: Any) -> tuple[tuple[str, float], ...]:
        if not isinstance(value, Mapping):
            self.problem("arrivals.schedule", 'give rates by time of day, e.g. {"08:00": "40/h", "12:00": "10/h"}')
            return ()
        if len(value) > self.limits.schedule:
            self.problem("arrivals.schedule", f"has {len(value)} times; at most {self.limits.schedule} are allowed")
            return ()
        entries: dict[float, tuple[str, float]] = {}
        for clock, rate_text in value.items():
            where = f"arrivals.schedule.{clock}"
            text = str(clock).strip()
            try:
                seconds = parse_clock(text)
            except ValueError as error:
                self.problem(where, str(error))
                continue
            if seconds >= 86400:
                self.problem(where, "24:00 is the end of the day; start the day's schedule at 00:00 instead")
                continue
            rate = self.rate(where, rate_text)
            if rate is None:
                continue
            if seconds in entries:
                self.problem(where, f"{text} is given twice")
                continue
            entries[seconds] = (text, rate)
        found = tuple(entries[key] for key in sorted(entries))
        if found and not any(rate > 0 for _, rate in found):
            self.problem("arrivals.schedule", "every rate is zero, so no customer ever arrives")
        return found

    def resources(self, value: Any) -> tuple[ResourceInput, ...]:
        if not isinstance(value, Mapping):
            self.problem("resources", 'give capacities by actor or department, e.g. {"Front desk clerk": 2}')
            return ()
        staff = staff_of(self.bp)
        found = []
        for name, spec in value.items():
            where = f"resources.{name}"
            if name not in staff:
                hint = suggest(str(name), staff) or (
                    f"; they are: {', '.join(staff[:8])}{'…' if len(staff) > 8 else ''}"
                    if staff
                    else "; no card names an actor or department yet"
                )
                self.problem(where, f"{name!r} is not the actor or department of any card{hint}")
                continue
            hours: Any = None
            if isinstance(spec, Mapping):
                unknown = sorted(set(spec) - {"capacity", "hours"})
                if unknown:
                    self.problem(f"{where}.{unknown[0]}", "a resource has a capacity and opening hours, nothing else")
                capacity_value, hours = spec.get("capacity"), spec.get("hours")
            else:
                capacity_value = spec
            if capacity_value is None or capacity_value == "":
                self.problem(f"{where}.capacity", "give the number of units (people, desks, lines) that serve at once")
                continue
            capacity = self.whole(f"{where}.capacity", capacity_value, 1, self.limits.capacity)
            opening = self.hours(f"{where}.hours", hours)
            if capacity is not None and opening is not False:
                found.append(ResourceInput(str(name), capacity, opening if isinstance(opening, str) else None))
        return tuple(found)

    def hours(self, where: str, value: Any) -> str | bool | None:
        """Opening hours as HH:MM-HH:MM, None for always open, False when invalid."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = re.sub(r"\s+", "", str(value)).replace("–", "-")
        if not HOURS_PATTERN.match(text):
            self.problem(where, f"{value!r} is not opening hours; write HH:MM-HH:MM, e.g. 09:00-17:00")
            return False
        try:
            Hours.parse(text)
        except ValueError as error:
            self.problem(where, str(error))
            return False
        return text

    def horizon(self, value: Any) -> float | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            seconds = parse_duration(value.strip() if isinstance(value, str) else value)
        except ValueError as error:
            self.problem("horizon", str(error))
            return None
        if seconds <= 0:
            self.problem("horizon", "must be longer than zero; write e.g. 8h")
            return None
        return seconds


def read_inputs(data: Mapping[str, Any], bp: Blueprint, limits: Limits | None = None) -> Inputs:
    """Inputs from a request body (the shape of the simulation section, plus
    `seed` and `replications`); what it leaves out comes from the blueprint's
    section. Raises InputError naming every field that is wrong."""
    limits = limits or Limits()
    reader = _Reader(bp, limits)
    section = bp.simulation
    unknown = sorted(set(data) - {"arrivals", "resources", "customers", "horizon", "seed", "replications"})
    for key in unknown:
        reader.problem(
            key, "is not an input; the inputs are arrivals, resources, customers, horizon, seed, replications"
        )

    rate: float | None = None
    schedule: tuple[tuple[str, float], ...] = ()
    if data.get("arrivals") is not None:
        rate, schedule = reader.arrivals(data["arrivals"])
    elif section is not None:
        rate, schedule = section.arrivals.rate, tuple(sorted((section.arrivals.schedule or {}).items()))
    else:
        reader.problem(
            "arrivals",
            "this blueprint has no simulation section yet, so say how customers arrive: "
            "a steady rate such as 10/h, or a schedule by time of day",
        )

    if data.get("resources") is not None:
        resources = reader.resources(data["resources"])
    else:
        resources = Inputs.of_section(section).resources if section is not None else ()

    if "customers" in data or "horizon" in data:
        customers = reader.whole("customers", data.get("customers"), 1, limits.customers)
        horizon = reader.horizon(data.get("horizon"))
    else:
        customers = section.customers if section else None
        horizon = section.horizon if section else None

    seed = reader.whole("seed", data.get("seed"), 0, 2**32 - 1) or 0
    replications = reader.whole("replications", data.get("replications"), 1, limits.replications) or 1
    if reader.problems:
        raise InputError(reader.problems)
    inputs = Inputs(rate, schedule, resources, customers, horizon, seed, replications)
    check_runnable(bp, inputs, limits)
    return inputs


def _field_of(error: SimulationError) -> str:
    """The input a library message is about: `simulation.arrivals.rate: …` is `arrivals.rate`."""
    match = re.match(r"simulation\.([\w.]+)", error.message)
    if match:
        return match[1]
    if error.message.startswith("resource "):
        return "resources"
    return "simulation"


def check_runnable(bp: Blueprint, inputs: Inputs, limits: Limits) -> None:
    """The simulation library agrees, and the run is within the limits."""
    try:
        section = inputs.section()
    except ValidationError as error:
        first = error.errors()[0]
        raise InputError([Problem(".".join(str(p) for p in first["loc"]) or "simulation", first["msg"])]) from None
    try:
        scenario = compile_scenario(bp, section)
    except SimulationError as error:
        raise InputError([Problem(_field_of(error), error.message)]) from None
    expected = expected_arrivals(scenario)
    total = expected * inputs.replications
    length = "customers" if inputs.customers is not None or inputs.horizon is None else "horizon"
    runs = f" over {inputs.replications} replications" if inputs.replications > 1 else ""
    if not math.isfinite(total) or total > limits.customers:
        raise InputError(
            [
                Problem(
                    length,
                    f"about {total:,.0f} customers{runs} is more than the {limits.customers:,} this server simulates "
                    f"at once; lower the {'number of customers' if length == 'customers' else 'horizon'}"
                    f"{' or the replications' if runs else ''}",
                )
            ],
            code="simulation_too_big",
        )
    cards = max(len(scenario.cards), 1)
    if total * cards > limits.work:
        raise InputError(
            [
                Problem(
                    length,
                    f"about {total:,.0f} customers{runs} through {cards:,} cards is more work than this server "
                    f"simulates at once ({limits.work:,} customer-cards); lower the "
                    f"{'number of customers' if length == 'customers' else 'horizon'}",
                )
            ],
            code="simulation_too_big",
        )


# -- running, in a child process -----------------------------------------------------
def with_inputs(bp: Blueprint, inputs: Inputs) -> Blueprint:
    """A copy of `bp` whose simulation section holds `inputs`."""
    simulated = bp.copy_deep()
    simulated.simulation = inputs.section()
    return simulated


def simulation_job(bp: Blueprint, seed: int, replications: int) -> str:
    """The report of one Simulate run, as JSON (run in a child process)."""
    return simulate(bp, seed=seed, replications=replications).to_json(indent=None)


Job = Callable[..., str]
"""A top-level function run in a child process: its JSON result, or a ValueError
(such as SimulationError) whose message says what is wrong with the input."""


def _child(send: Connection, job: Job, args: tuple[Any, ...]) -> None:
    """The child process: run the job, send back ("ok", JSON) or ("error", message)."""
    # Ctrl+C in a terminal reaches the whole process group: the server stops its
    # children itself, so a KeyboardInterrupt here would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        send.send(("ok", job(*args)))
    except ValueError as error:
        send.send(("error", getattr(error, "message", None) or str(error)))
    except Exception as error:  # the parent reports it; a traceback here would go nowhere
        send.send(("crash", f"{type(error).__name__}: {error}"))
    finally:
        send.close()


_context_lock = threading.Lock()


def _process_context() -> Any:
    """A fork server that has the simulation loaded: each run forks from it in
    milliseconds, and never from the server itself (which has threads)."""
    with _context_lock:
        if "forkserver" not in multiprocessing.get_all_start_methods():
            return multiprocessing.get_context("spawn")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["__main__", __name__])
        return context


class Runner:
    """Runs simulations in child processes, a few at a time, each within a time limit."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._slots = threading.BoundedSemaphore(limits.concurrent)

    def run(self, bp: Blueprint, inputs: Inputs) -> dict[str, Any]:
        """The report of simulating `bp` with `inputs` in place of its simulation section."""
        simulated = with_inputs(bp, inputs)
        if not self._slots.acquire(timeout=self.limits.wait):
            raise Unavailable(
                f"the server is already running {self.limits.concurrent} simulations; try again in a minute",
                code="busy",
            )
        try:
            return self._run(simulated, inputs)
        finally:
            self._slots.release()

    def _run(self, bp: Blueprint, inputs: Inputs) -> dict[str, Any]:
        length = "customers" if inputs.customers is not None or inputs.horizon is None else "horizon"
        too_long = InputError(
            [
                Problem(
                    length,
                    f"the simulation ran for more than {self.limits.seconds:g} s and was stopped; "
                    f"simulate fewer customers, a shorter horizon or fewer replications",
                )
            ],
            code="simulation_too_long",
        )
        report: dict[str, Any] = json.loads(
            self.run_job(simulation_job, (bp, inputs.seed, inputs.replications), too_long)
        )
        return report

    def run_job(self, job: Job, args: tuple[Any, ...], too_long: Exception, *, slot: bool = False) -> str:
        """Run `job(*args)` in a child process within the time limit (raising
        `too_long` past it); with `slot`, first wait for one of the run slots."""
        if slot and not self._slots.acquire(timeout=self.limits.wait):
            raise Unavailable(
                f"the server is already running {self.limits.concurrent} simulations; try again in a minute",
                code="busy",
            )
        try:
            return self._job(job, args, too_long)
        finally:
            if slot:
                self._slots.release()

    def _job(self, job: Job, args: tuple[Any, ...], too_long: Exception) -> str:
        context = _process_context()
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(send, job, args), name="stageline-simulation", daemon=True)
        process.start()
        send.close()
        try:
            if not receive.poll(self.limits.seconds):
                raise too_long
            try:
                kind, payload = receive.recv()
            except EOFError:
                process.join(5)
                raise Unavailable(
                    f"the simulation stopped unexpectedly (exit code {process.exitcode}); "
                    "it may have run out of memory: try fewer customers",
                    code="simulation_failed",
                ) from None
        finally:
            receive.close()
            if process.is_alive():
                process.kill()
            process.join(5)
        if kind == "ok":
            result: str = payload
            return result
        if kind == "error":
            raise InputError([Problem("simulation", payload)])
        raise Unavailable(f"the simulation failed: {payload}", code="simulation_failed")


# -- the service -------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    opened: Opened
    inputs: Inputs
    blueprint: Blueprint  # the blueprint as simulated: its simulation section is the inputs
    report: dict[str, Any]  # SimulationReport.to_dict(): the JSON contract of `stageline simulate`


@dataclass(frozen=True)
class Saved:
    change: Change | None  # None when the section already held these inputs
    inputs: Inputs


class Simulations:
    def __init__(self, blueprints: Blueprints, limits: Limits | None = None) -> None:
        self.blueprints = blueprints
        self._runner = Runner(limits or Limits())

    @property
    def limits(self) -> Limits:
        return self._runner.limits

    @limits.setter
    def limits(self, limits: Limits) -> None:
        self._runner = Runner(limits)

    @property
    def runner(self) -> Runner:
        return self._runner

    def run(self, actor: Actor, blueprint_id: int, data: Mapping[str, Any]) -> Run:
        """Simulate the current version with `data` over its simulation section (viewers may)."""
        opened = self.blueprints.open(actor, blueprint_id)
        inputs = read_inputs(data, opened.blueprint, self.limits)
        report = self.runner.run(opened.blueprint, inputs)
        return Run(opened, inputs, with_inputs(opened.blueprint, inputs), report)

    def save(self, actor: Actor, blueprint_id: int, data: Mapping[str, Any]) -> Saved:
        """Write the inputs into the blueprint's simulation section as a new version (editors).
        The seed and replications belong to a run, not to the blueprint, and are not saved."""
        opened = self.blueprints.open(actor, blueprint_id, Action.EDIT)
        inputs = read_inputs(data, opened.blueprint, self.limits)
        section = inputs.section()
        if opened.blueprint.simulation == section:
            return Saved(None, inputs)
        value = section.model_dump(exclude_none=True)
        change = self.blueprints.apply(blueprint_id, [SetProperty(field="simulation", value=value)], actor)
        return Saved(change, inputs)
