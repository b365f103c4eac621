"""Business cases of a stored blueprint's opportunities, computed in the
background: each version's opportunities are simulated once (the same use
case as `stageline opportunities`, in a child process through the Simulate
page's runner) and the result is kept by (blueprint, version). A new version
is costed as soon as it is saved; a page that asks before the result is ready
sees "computing" and asks again.

An opportunity's `future` names a future state: in the web app, one of the
future states linked to the blueprint (by its title, or the only one).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from stageline.analysis.opportunities import DEFAULT_REPLICATIONS, OpportunityError, cost_opportunities
from stageline.model import Blueprint, Opportunity
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Blueprints
from stageline.server.services.errors import Unavailable
from stageline.server.services.simulate import Runner, Simulations
from stageline.server.services.states import States

KEEP = 64  # versions whose results are kept
SEED = 0

CaseStatus = Literal["ready", "computing", "failed", "none"]


@dataclass(frozen=True)
class Cases:
    """The business cases of one version: `report` is the JSON contract of
    `stageline opportunities --format json` when `status` is "ready"."""

    status: CaseStatus
    version: int
    report: dict[str, Any] | None = None
    message: str | None = None

    def row(self, opportunity_id: str) -> dict[str, Any] | None:
        if self.report is None:
            return None
        return next((row for row in self.report["opportunities"] if row["id"] == opportunity_id), None)

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "version": self.version, "report": self.report, "message": self.message}


def cost_job(bp: Blueprint, futures: dict[str, Blueprint], seed: int, replications: int) -> str:
    """The business cases as JSON (run in a child process)."""

    def load_future(opportunity: Opportunity) -> Blueprint:
        found = futures.get(opportunity.id)
        if found is None:
            raise OpportunityError(
                [f"opportunity {opportunity.id!r}: no future state linked to this blueprint is called "
                 f"{opportunity.future!r}"]
            )  # fmt: skip
        return found

    report = cost_opportunities(bp, seed=seed, replications=replications, load_future=load_future, strict=False)
    return report.to_json(indent=None)


def wants_costing(bp: Blueprint) -> bool:
    return any(o.change or o.future for o in bp.opportunities)


class BusinessCases:
    def __init__(self, blueprints: Blueprints, states: States, simulations: Simulations) -> None:
        self.blueprints = blueprints
        self.states = states
        self.simulations = simulations
        self._results: OrderedDict[tuple[int, int], Cases] = OrderedDict()
        self._running: dict[tuple[int, int], Future[None]] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stageline-cases")

    def of(self, actor: Actor, blueprint_id: int) -> Cases:
        """The cases of the current version; starts computing them when nobody has."""
        opened = self.blueprints.open(actor, blueprint_id)
        key = (blueprint_id, opened.record.version)
        if not wants_costing(opened.shared):
            return Cases("none", key[1])
        with self._lock:
            found = self._results.get(key)
            if found is not None:
                self._results.move_to_end(key)
                return found
        self.start(actor, blueprint_id)
        return Cases("computing", key[1])

    def start(self, actor: Actor, blueprint_id: int) -> None:
        """Cost the current version in the background (once per version)."""
        opened = self.blueprints.open(actor, blueprint_id)
        if not wants_costing(opened.shared):  # read only: most versions have nothing to cost
            return
        key = (blueprint_id, opened.record.version)
        with self._lock:
            if key in self._results or key in self._running:
                return
        futures = self._futures(actor, blueprint_id, opened.shared)
        with self._lock:
            if key in self._results or key in self._running:
                return
            self._running[key] = self._pool.submit(self._compute, key, opened.shared, futures)

    def started(self, blueprint_id: int, actor: Actor) -> None:
        """A new version was saved: cost it in the background (never fails the save)."""
        try:
            self.start(actor, blueprint_id)
        except Exception:  # a save must not fail because its costing could not start
            return

    def wait(self, actor: Actor, blueprint_id: int, timeout: float | None = None) -> Cases:
        """The cases of the current version once computed (for tests and scripts)."""
        self.start(actor, blueprint_id)
        version = self.blueprints.open(actor, blueprint_id).record.version
        with self._lock:
            running = self._running.get((blueprint_id, version))
        if running is not None:
            running.result(timeout)
        return self.of(actor, blueprint_id)

    def _futures(self, actor: Actor, blueprint_id: int, bp: Blueprint) -> dict[str, Blueprint]:
        """Each opportunity's future state among those linked to the blueprint."""
        wanted = [o for o in bp.opportunities if o.future and not o.change]
        if not wanted:
            return {}
        linked = self.states.links(actor, blueprint_id).futures
        found: dict[str, Blueprint] = {}
        for opportunity in wanted:
            assert opportunity.future is not None
            name = opportunity.future.casefold().removesuffix(".yaml").removesuffix(".yml")
            matches = [f for f in linked if f.record.title.casefold() in (name, opportunity.future.casefold())]
            if not matches and len(linked) == 1:
                matches = linked
            if matches:
                found[opportunity.id] = self.blueprints.open(actor, matches[-1].record.id).blueprint
        return found

    @property
    def runner(self) -> Runner:
        """The Simulate page's runner: its limits and run slots apply."""
        return self.simulations.runner

    def _compute(self, key: tuple[int, int], bp: Blueprint, futures: dict[str, Blueprint]) -> None:
        too_long = Unavailable(
            f"costing the opportunities took more than {self.runner.limits.seconds:g} s and was stopped; "
            "lower the customers or the horizon of the simulation section",
            code="simulation_too_long",
        )
        try:
            text = self.runner.run_job(cost_job, (bp, futures, SEED, DEFAULT_REPLICATIONS), too_long, slot=True)
            result = Cases("ready", key[1], json.loads(text))
        except Exception as error:  # recorded for the page; the thread must not die
            result = Cases("failed", key[1], message=getattr(error, "message", None) or str(error))
        with self._lock:
            self._results[key] = result
            self._results.move_to_end(key)
            while len(self._results) > KEEP:
                self._results.popitem(last=False)
            self._running.pop(key, None)
