"""The Simulate page: /b/{id}/simulate.

A form with the simulation inputs (arrivals, resources, run length, seed and
replications), filled from the blueprint's `simulation:` section; Run shows
the results: headline numbers, bottlenecks, charts of utilisation per
resource, wait per step and total time against the tolerance, and the
blueprint drawn with the queueing heat of each card. Everyone who can see the
blueprint can run it; editors can also save the inputs into the blueprint as
a new version. Runs happen in a child process (see services/simulate.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from stageline.analysis.simulation import display
from stageline.model import Blueprint
from stageline.model.quantities import format_duration, format_rate, humanize_duration
from stageline.render import render
from stageline.server.pages.deps import FormActor, PageActor, ServicesDep
from stageline.server.pages.render import done, page
from stageline.server.pages.simulate_charts import time_chart, utilisation_chart, wait_chart
from stageline.server.services import Services
from stageline.server.services.access import Action, may
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Opened
from stageline.server.services.errors import ServiceError
from stageline.server.services.simulate import (
    InputError,
    Inputs,
    Problem,
    Run,
    read_inputs,
    staff_of,
    suggested_inputs,
)

router = APIRouter(include_in_schema=False)
BLANK_SCHEDULE_ROWS = 2
HEAT_LABEL = "Queueing per customer, from little to the most of any card"


@dataclass
class ResourceRow:
    name: str
    units: str = ""
    hours: str = ""
    staff: bool = True  # named on a card (a resource that is not cannot be simulated)


@dataclass
class FormState:
    """The form as shown: the inputs as text, so a rejected form comes back as typed."""

    mode: str = "rate"
    rate: str = ""
    schedule: list[tuple[str, str]] = field(default_factory=list)
    resources: list[ResourceRow] = field(default_factory=list)
    customers: str = ""
    horizon: str = ""
    seed: str = "0"
    replications: str = "1"

    @classmethod
    def of_inputs(cls, inputs: Inputs, bp: Blueprint) -> FormState:
        """The scarce ones first, as the section lists them; then everyone else on the cards."""
        staff = staff_of(bp)
        given = [ResourceRow(r.name, str(r.capacity), r.hours or "", r.name in staff) for r in inputs.resources]
        named = {row.name for row in given}
        return cls(
            mode="schedule" if inputs.schedule else "rate",
            rate=format_rate(inputs.rate) if inputs.rate is not None else "",
            schedule=[(clock, format_rate(rate)) for clock, rate in inputs.schedule],
            resources=given + [ResourceRow(name) for name in staff if name not in named],
            customers=str(inputs.customers) if inputs.customers is not None else "",
            horizon=format_duration(inputs.horizon) if inputs.horizon is not None else "",
            seed=str(inputs.seed),
            replications=str(inputs.replications),
        )

    @property
    def scarce(self) -> list[tuple[int, ResourceRow]]:
        """(index, row) of the rows with units or hours: shown first."""
        return [(i, row) for i, row in enumerate(self.resources) if row.units or row.hours or not row.staff]

    @property
    def others(self) -> list[tuple[int, ResourceRow]]:
        """(index, row) of everyone else on the cards: not scarce for now."""
        return [(i, row) for i, row in enumerate(self.resources) if not (row.units or row.hours or not row.staff)]

    @property
    def schedule_rows(self) -> list[tuple[str, str]]:
        return self.schedule + [("", "")] * BLANK_SCHEDULE_ROWS


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _texts(form: FormData, name: str) -> list[str]:
    return [value.strip() if isinstance(value, str) else "" for value in form.getlist(name)]


def read_form(form: FormData, bp: Blueprint) -> tuple[FormState, dict[str, Any], list[Problem]]:
    """The form as typed, the request body it stands for, and what is wrong with it
    before the inputs are even read (a rate without a time, units missing)."""
    problems: list[Problem] = []
    staff = set(staff_of(bp))
    state = FormState(
        mode=_text(form, "arrivals") or "rate",
        rate=_text(form, "rate"),
        customers=_text(form, "customers"),
        horizon=_text(form, "horizon"),
        seed=_text(form, "seed"),
        replications=_text(form, "replications"),
    )
    body: dict[str, Any] = {
        "customers": state.customers,
        "horizon": state.horizon,
        "seed": state.seed,
        "replications": state.replications,
    }
    times, rates = _texts(form, "schedule_time"), _texts(form, "schedule_rate")
    state.schedule = [(clock, rate) for clock, rate in zip(times, rates, strict=False) if clock or rate]
    if state.mode == "schedule":
        schedule: dict[str, str] = {}
        for clock, rate in state.schedule:
            if not clock:
                problems.append(
                    Problem("arrivals.schedule", f"the rate {rate} has no time of day; give one, e.g. 08:00")
                )
            elif clock in schedule:
                problems.append(Problem(f"arrivals.schedule.{clock}", f"{clock} is given twice"))
            else:
                schedule[clock] = rate
        if not state.schedule:
            problems.append(Problem("arrivals.schedule", "give a rate for at least one time of day, e.g. 08:00 40/h"))
        body["arrivals"] = {"schedule": schedule}
    elif state.mode == "rate":
        body["arrivals"] = {"rate": state.rate}
    else:
        problems.append(Problem("arrivals", "choose a steady rate or a schedule by time of day"))
    names, units, hours = _texts(form, "resource_name"), _texts(form, "resource_units"), _texts(form, "resource_hours")
    resources: dict[str, Any] = {}
    for name, count, opening in zip(names, units, hours, strict=False):
        if not name:
            continue
        state.resources.append(ResourceRow(name, count, opening, name in staff))
        if not count and not opening:
            continue  # not scarce
        if not count:
            problems.append(
                Problem(f"resources.{name}.capacity", "give the number of units, or clear the opening hours")
            )
            continue
        resources[name] = {"capacity": count, "hours": opening or None}
    body["resources"] = resources
    return state, body, problems


ORDER = ("arrivals", "resources", "customers", "horizon", "seed", "replications")


def all_problems(found: list[Problem], body: dict[str, Any], bp: Blueprint, services: Services) -> None:
    """Raise InputError with the form's own problems and every other one in its inputs, in form order."""
    if not found:
        return
    problems = list(found)
    try:
        read_inputs(body, bp, services.simulations.limits)
    except InputError as error:
        problems += [p for p in error.problems if p.field not in {q.field for q in found}]

    def rank(problem: Problem) -> int:
        top = problem.field.split(".")[0]
        return ORDER.index(top) if top in ORDER else len(ORDER)

    raise InputError(sorted(problems, key=rank))


# -- what the template shows -------------------------------------------------------------
FIELD_LABELS = {
    "arrivals": "Arrivals",
    "arrivals.rate": "Arrival rate",
    "arrivals.schedule": "Arrival schedule",
    "customers": "Customers",
    "horizon": "Horizon",
    "seed": "Seed",
    "replications": "Replications",
    "resources": "Resources",
    "simulation": "Simulation",
}


@dataclass(frozen=True)
class ShownProblem:
    label: str
    message: str
    target: str | None  # the id of the input to fix


def _targets(state: FormState) -> dict[str, str]:
    """The input each field's problems are about, by field name."""
    found = {
        "arrivals": "sim-mode-rate",
        "arrivals.rate": "sim-rate",
        "arrivals.schedule": "sim-schedule-time-0",
        "customers": "sim-customers",
        "horizon": "sim-horizon",
        "seed": "sim-seed",
        "replications": "sim-replications",
    }
    for i, (clock, _) in enumerate(state.schedule_rows):
        if clock:
            found.setdefault(f"arrivals.schedule.{clock}", f"sim-schedule-rate-{i}")
    for i, row in enumerate(state.resources):
        found[f"resources.{row.name}"] = f"sim-units-{i}"
        found[f"resources.{row.name}.capacity"] = f"sim-units-{i}"
        found[f"resources.{row.name}.hours"] = f"sim-hours-{i}"
    return found


def _label(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    if name.startswith("arrivals.schedule."):
        return f"Arrivals at {name.removeprefix('arrivals.schedule.')}"
    if name.startswith("resources."):
        rest = name.removeprefix("resources.")
        for suffix, what in ((".capacity", "units"), (".hours", "opening hours")):
            if rest.endswith(suffix):
                return f"{rest.removesuffix(suffix)}: {what}"
        return rest
    return name


def shown_problems(problems: list[Problem], state: FormState) -> list[ShownProblem]:
    targets = _targets(state)
    return [ShownProblem(_label(p.field), p.message, targets.get(p.field)) for p in problems]


@dataclass(frozen=True)
class Tile:
    value: str
    label: str
    tone: str = ""  # "good", "bad" or ""


def tiles(report: Mapping[str, Any]) -> list[Tile]:
    customers = report["customers"]
    total = customers.get("total_time") or {}
    found = [
        Tile(f"{customers.get('completed', 0):,.0f}", "customers served"),
        Tile(display.seconds(total.get("mean")), "mean time, arrival to leaving"),
        Tile(display.seconds(total.get("p90")), "9 in 10 customers leave within"),
    ]
    over, tolerance = customers.get("over_tolerance"), customers.get("tolerance")
    if tolerance is not None and over is not None:
        found.append(
            Tile(
                display.share(over),
                f"over the tolerance of {display.seconds(tolerance)}",
                "bad" if over > 0.1 else "good",
            )
        )
    cost = (customers.get("cost") or {}).get("mean")
    if cost:
        found.append(Tile(display.money(cost, report.get("currency")), "cost per customer"))
    return found


def hot_cards(report: Mapping[str, Any], limit: int = 8) -> list[dict[str, Any]]:
    """The cards with queueing, hottest first, for the table next to the heat map."""
    cards = [{"id": card_id, **card} for card_id, card in report["cards"].items() if card.get("heat", 0) > 0]
    cards.sort(key=lambda card: -card["heat"])
    return [
        {
            "id": card["id"],
            "text": card["text"],
            "resource": card.get("resource") or "",
            "heat": card["heat"],
            "wait": display.seconds((card.get("wait") or {}).get("mean")),
            "p90": display.seconds((card.get("wait") or {}).get("p90")),
        }
        for card in cards[:limit]
    ]


def heat_drawing(run: Run) -> tuple[str | None, str | None]:
    """The blueprint drawn with each card's heat, or why it could not be drawn."""
    heat = {card_id: float(card.get("heat") or 0.0) for card_id, card in run.report["cards"].items()}
    return draw_heat(run.blueprint, heat, HEAT_LABEL)


def draw_heat(blueprint: Blueprint, heat: dict[str, float], label: str) -> tuple[str | None, str | None]:
    """`blueprint` drawn with a heat (0 to 1) on its cards, or why it could not be drawn."""
    try:
        drawn = render(blueprint, format="svg", heat=heat, heat_label=label, embed_font=False)
    except ServiceError as error:
        return None, error.message
    except Exception as error:  # a drawing problem must not hide the results
        return None, f"the heat map could not be drawn ({type(error).__name__}); the charts above still hold"
    return drawn.decode() if isinstance(drawn, bytes) else drawn, None


def blueprint_context(opened: Opened, services: Services, actor: Actor, title: str) -> dict[str, Any]:
    """What every tab of a blueprint page needs: the record, the role, the workspace, the title."""
    record = opened.record
    member_of = {membership.workspace.id for membership in services.workspaces.of(actor)}
    return {
        "bp": record,
        "role": opened.role,
        "may": lambda action: may(opened.role, Action(action)),
        "current_workspace": record.workspace if record.workspace_id in member_of else None,
        "title": title,
    }


def _page(
    request: Request,
    opened: Opened,
    services: Services,
    actor: Actor,
    state: FormState,
    *,
    run: Run | None = None,
    problems: list[Problem] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "tab": "simulate",
        "blueprint": opened.blueprint,
        "form": state,
        "has_section": opened.blueprint.simulation is not None,
        "tolerance": opened.blueprint.tolerance,
        "problems": shown_problems(problems or [], state),
        "error_fields": {p.field for p in problems or []},
        "error": error,
        "run": None,
    }
    if run is not None:
        svg, drawing_error = heat_drawing(run)
        report = run.report
        context["run"] = {
            "report": report,
            "tiles": tiles(report),
            "time_chart": time_chart(report["customers"]),
            "charts": [utilisation_chart(report["resources"]), wait_chart(report["steps"])],
            "svg": svg,
            "drawing_error": drawing_error,
            "hot": hot_cards(report),
            "settings": report["settings"],
            "length": (
                f"{report['settings']['customers']:,} customers"
                if report["settings"].get("customers") is not None
                else f"Customers arriving for {humanize_duration(report['settings'].get('horizon') or 0.0)}"
            ),
        }
    return page(
        request,
        "simulate.html",
        {**blueprint_context(opened, services, actor, f"Simulate {opened.record.title}"), **context},
        status=status,
    )


@router.get("/b/{blueprint_id}/simulate")
def simulate_page(request: Request, blueprint_id: int, actor: PageActor, services: ServicesDep) -> Response:
    opened = services.blueprints.open(actor, blueprint_id)
    state = FormState.of_inputs(suggested_inputs(opened.blueprint), opened.blueprint)
    return _page(request, opened, services, actor, state)


@router.post("/b/{blueprint_id}/simulate")
async def run_simulation(request: Request, blueprint_id: int, actor: FormActor, services: ServicesDep) -> Response:
    opened = await run_in_threadpool(services.blueprints.open, actor, blueprint_id)
    state, body, problems = read_form(await request.form(), opened.blueprint)
    try:
        await run_in_threadpool(all_problems, problems, body, opened.blueprint, services)
        run = await run_in_threadpool(services.simulations.run, actor, blueprint_id, body)
    except InputError as error:
        return await run_in_threadpool(
            _page, request, opened, services, actor, state, problems=error.problems, status=error.status
        )
    except ServiceError as error:
        if error.status in (401, 403, 404):
            raise
        return await run_in_threadpool(
            _page, request, opened, services, actor, state, error=error.message, status=error.status
        )
    return await run_in_threadpool(_page, request, run.opened, services, actor, state, run=run)


@router.post("/b/{blueprint_id}/simulate/save")
async def save_inputs(request: Request, blueprint_id: int, actor: FormActor, services: ServicesDep) -> Response:
    """Editors only: a viewer is refused before their inputs are even read."""
    opened = await run_in_threadpool(services.blueprints.open, actor, blueprint_id, Action.EDIT)
    state, body, problems = read_form(await request.form(), opened.blueprint)
    try:
        await run_in_threadpool(all_problems, problems, body, opened.blueprint, services)
        saved = await run_in_threadpool(services.simulations.save, actor, blueprint_id, body)
    except InputError as error:
        return await run_in_threadpool(
            _page, request, opened, services, actor, state, problems=error.problems, status=error.status
        )
    notice = "simulation-saved" if saved.change is not None else "simulation-unchanged"
    return done(f"/b/{blueprint_id}/simulate", notice)
