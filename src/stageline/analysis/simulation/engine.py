"""The discrete-event engine: one replication of a scenario, run on SimPy.

Resources are FIFO pools of identical units. Because service is first come,
first served and never interrupted, a customer's start of service is known the
moment they join the queue: it is the time the earliest unit frees up (the
Kiefer-Wolfowitz recursion for multi-server queues), or the next opening if the
resource is closed then. So each visit costs one SimPy event instead of the
three (request, timeout, release) of `simpy.Resource`, and everything that does
not depend on queueing (service times, failures, branches, costs) is drawn in
numpy batches before the customers walk.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from heapq import heappop, heappush, heapreplace
from typing import Any

import numpy as np
import simpy

from stageline.analysis.simulation.arrivals import arrival_times
from stageline.analysis.simulation.clock import DAY, Hours
from stageline.analysis.simulation.hourly import hourly_utilisation
from stageline.analysis.simulation.routes import Route, Term, compile_route, executed_cards
from stageline.analysis.simulation.scenario import Scenario
from stageline.analysis.simulation.variates import stream

# Customers are drawn and admitted in batches: large enough for numpy to pay
# off, small enough to keep SimPy's event heap (which holds a batch) shallow.
CHUNK = 1024
_NORMAL = simpy.events.NORMAL


class Pool:
    """A resource: `capacity` units, a FIFO queue, and what it measures about itself."""

    __slots__ = ("area", "first", "free", "last", "longest", "pending", "queue", "services", "starts")

    def __init__(self, capacity: int) -> None:
        self.free = [0.0] * capacity  # when each unit is next free (a heap)
        self.starts = array("d")  # every service: when it started and how long it took
        self.services = array("d")
        self.pending: list[float] = []  # start times of the customers queueing (a heap)
        self.queue = 0
        self.area = 0.0  # integral of the queue length over time
        self.last = 0.0
        self.longest = 0
        self.first = -1.0  # when the first customer came; utilisation counts from then

    def assign(self, now: float, service: float) -> float:
        """Join the queue at `now`; returns when service starts."""
        start = self.free[0]
        if start < now:
            start = now
        heapreplace(self.free, start + service)
        self.starts.append(start)
        self.services.append(service)
        if self.first < 0:
            self.first = now
        if start > now:
            self._enqueue(now, start)
        return start

    def _enqueue(self, now: float, start: float) -> None:
        self.settle(now)
        self.queue += 1
        heappush(self.pending, start)
        if self.queue > self.longest:
            self.longest = self.queue

    def settle(self, now: float) -> None:
        """Let the customers whose service has started by `now` leave the queue."""
        pending = self.pending
        queue, last, area = self.queue, self.last, self.area
        while pending and pending[0] <= now:
            left = heappop(pending)
            area += queue * (left - last)
            last = left
            queue -= 1
        self.area = area + queue * (now - last)
        self.last = now
        self.queue = queue


class HoursPool(Pool):
    """A resource with opening hours: nobody starts service while it is closed;
    service started before closing time is finished."""

    __slots__ = ("hours", "start")

    def __init__(self, capacity: int, hours: Hours, start: float) -> None:
        super().__init__(capacity)
        self.hours = hours
        self.start = start

    def assign(self, now: float, service: float) -> float:
        start = self.free[0]
        if start < now:
            start = now
        clock = (self.start + start) % DAY
        if not self.hours.is_open(clock):
            start += (self.hours.open - clock) % DAY
        heapreplace(self.free, start + service)
        self.starts.append(start)
        self.services.append(service)
        if self.first < 0:
            self.first = now
        if start > now:
            self._enqueue(now, start)
        return start

    def closed_wait(self, now: float) -> float:
        """How long someone arriving at `now` waits only because it is closed."""
        clock = (self.start + now) % DAY
        return 0.0 if self.hours.is_open(clock) else (self.hours.open - clock) % DAY


@dataclass
class CardRun:
    executions: int
    waits: np.ndarray
    services: np.ndarray
    failures: int
    closed: float  # seconds of the waits spent before the resource opened


@dataclass
class ResourceRun:
    visits: int
    busy: float
    available: float  # unit-seconds of opening time during the run
    queue_area: float
    queue_max: int
    waits: np.ndarray
    closed: float  # seconds of the waits spent before the resource opened
    window: float  # seconds from its first customer to its last finish
    first_hour: int  # clock hour of hourly[0], counted from midnight of the first day
    hourly: np.ndarray  # busy share per clock hour, NaN while closed


@dataclass
class RunMetrics:
    """Everything one replication measured; `report` turns these into numbers."""

    cards: list[CardRun]
    resources: list[ResourceRun]
    arrivals: np.ndarray
    departures: np.ndarray
    costs: np.ndarray
    end: float
    away: np.ndarray | None = None  # per customer: seconds in steps they are not present for


@dataclass(frozen=True)
class _Walk:
    """A compiled route bound to this run's pools and records, with the matrices
    that turn a batch of card times into delays and service times."""

    # Per visit: join the resource's queue, record the wait, whether the customer
    # waits for it, (for resources with opening hours) record the closed part, and
    # whether the customer is away (not present) in its step.
    steps: tuple[tuple[Callable[[float, float], float], Callable[[float], None], bool, _Closed | None, bool], ...]
    executed: np.ndarray  # per card
    segments: _Terms
    fixed: np.ndarray  # per segment
    visits: _Sums
    away: _Terms
    away_fixed: float
    away_visits: np.ndarray  # per visit: blocking and in a step the customer is away for

    def segment_sums(self, times: np.ndarray, members: np.ndarray) -> np.ndarray:
        return self.segments.of(times, members) + self.fixed

    def away_sums(self, times: np.ndarray, members: np.ndarray, services: np.ndarray) -> np.ndarray:
        """Per customer, the seconds spent in away steps besides queueing there."""
        spent = self.away.of(times, members)[:, 0] + self.away_fixed
        if self.away_visits.any():
            spent = spent + services[:, self.away_visits].sum(axis=1)
        return spent

    def visit_sums(self, times: np.ndarray, members: np.ndarray) -> np.ndarray:
        return self.visits.of(times, members)


class _Closed:
    """Adds up the part of a card's waits spent before its resource opened."""

    __slots__ = ("pool", "total")

    def __init__(self, pool: HoursPool) -> None:
        self.pool = pool
        self.total = 0.0

    def record(self, now: float) -> None:
        self.total += self.pool.closed_wait(now)


class _Sums:
    """Sums of card times over groups of cards (a route's segments or visits),
    for a batch of customers: one gather, then one `add.reduceat` over the
    groups that have cards (exact sums, in card order)."""

    def __init__(self, groups: list[tuple[int, ...]]) -> None:
        self.cards = np.array([card for group in groups for card in group], dtype=np.int64)
        sizes = np.array([len(group) for group in groups], dtype=np.int64)
        self.filled = sizes > 0
        self.starts = (np.cumsum(sizes) - sizes)[self.filled]
        self.count = len(groups)

    def of(self, times: np.ndarray, members: np.ndarray) -> np.ndarray:
        """customers x groups."""
        sums = np.zeros((self.count, members.size))
        if self.cards.size:
            gathered = times[self.cards[:, None], members[None, :]]
            sums[self.filled] = np.add.reduceat(gathered, self.starts, axis=0)
        return sums.T


class _Terms:
    """The step terms of a route's segments (see `routes.Term`), for a batch of
    customers: per term, the longest visible lane plus the waited-for hidden
    work, less the blocking visits' service, never below zero; summed per
    segment. All terms of a batch are worked out at once: lane, plus and minus
    sums with `_Sums`, the longest lane with one `maximum.reduceat`."""

    def __init__(self, segments: list[tuple[Term, ...]]) -> None:
        self.count = max(len(segments), 1)
        terms = [(number, term) for number, group in enumerate(segments) for term in group]
        self.empty = not terms
        lanes: list[tuple[int, ...]] = []
        starts: list[int] = []
        for _, term in terms:
            starts.append(len(lanes))
            lanes.append(())  # every term has a lane, so a term of hidden work alone has a longest lane of 0
            lanes.extend(term.lanes)
        self.lanes = _Sums(lanes)
        self.starts = np.array(starts, dtype=np.int64)
        self.plus = _Sums([term.plus for _, term in terms])
        self.minus = _Sums([term.minus for _, term in terms])
        # Terms come in segment order: each segment with terms is one run of columns.
        segment_of = np.array([number for number, _ in terms], dtype=np.int64)
        self.segments, self.first = np.unique(segment_of, return_index=True)

    def of(self, times: np.ndarray, members: np.ndarray) -> np.ndarray:
        """customers x segments."""
        sums = np.zeros((members.size, self.count))
        if self.empty:
            return sums
        longest = np.maximum.reduceat(self.lanes.of(times, members), self.starts, axis=1)
        value = longest + self.plus.of(times, members) - self.minus.of(times, members)
        np.maximum(value, 0.0, out=value)
        sums[:, self.segments] = np.add.reduceat(value, self.first, axis=1)
        return sums


class _Customer:
    """A customer walking their route: woken once per visit, when they join its
    queue. The time they leave is known at their last visit, so it needs no event."""

    __slots__ = ("at", "away", "delays", "departures", "event", "i", "k", "schedule", "services", "walk")

    def __init__(
        self, engine: Engine, i: int, walk: _Walk, services: list[float], delays: list[float], first: float
    ) -> None:
        self.departures = engine.departures
        self.away = engine.away
        self.i = i
        self.walk = walk
        self.services = services
        self.delays = delays
        self.k = 0
        self.schedule = engine.env.schedule
        # One event per customer, rescheduled for every visit: a processed
        # timeout keeps its value, so only its callbacks need renewing.
        self.at = engine.env.now + first
        self.event = simpy.events.Timeout(engine.env, first)
        self.event.callbacks.append(self.visit)

    def visit(self, _event: object) -> None:
        # `at` is the time this wake-up was scheduled for, computed exactly as
        # SimPy computes its clock, which saves reading `env.now`.
        now = self.at
        steps, services, delays = self.walk.steps, self.services, self.delays
        k = self.k
        last = len(steps)
        while True:
            assign, record, blocking, closed, away = steps[k]
            service = services[k]
            if closed is not None:
                closed.record(now)
            start = assign(now, service)
            record(start - now)
            if away:
                self.away[self.i] += start - now
            k += 1
            delay = delays[k]
            if blocking:
                delay += start - now + service
            if k == last:
                self.departures[self.i] = now + delay
                return
            if delay > 0:
                self.k = k
                self.at = now + delay
                event = self.event
                event.callbacks = [self.visit]
                self.schedule(event, _NORMAL, delay)
                return


class Engine:
    def __init__(
        self, scenario: Scenario, seed: int, replication: int, admitted: Callable[[int], None] | None = None
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        self.admitted = admitted
        self.env = simpy.Environment()
        self.pools: list[Pool] = [
            HoursPool(r.capacity, r.hours, scenario.start) if r.hours and not r.hours.always else Pool(r.capacity)
            for r in scenario.resources
        ]
        count = len(scenario.cards)
        self.queue_waits = [array("d") for _ in range(count)]
        self.services: list[list[np.ndarray]] = [[] for _ in range(count)]
        self.executions = np.zeros(count, dtype=np.int64)
        self.failures = np.zeros(count, dtype=np.int64)
        self.walks: dict[bytes, _Walk] = {}
        self.closed: list[_Closed | None] = [
            _Closed(pool) if c.resource is not None and isinstance(pool := self.pools[c.resource], HoursPool) else None
            for c in scenario.cards
        ]
        cards = scenario.cards
        self.costs_per_card = np.array([c.cost for c in cards])
        self.recovery_time = np.array([c.recovery_time for c in cards])
        self.recovery_cost = np.array([c.recovery_cost for c in cards])
        self.duration_streams = [stream(seed, replication, "duration", c.id) for c in cards]
        self.fail_streams = [stream(seed, replication, "fail", c.id) for c in cards]
        self.gate_streams = [stream(seed, replication, "branch", g.key) for g in scenario.gates]

    # -- the run ---------------------------------------------------------------
    def run(self) -> RunMetrics:
        scenario = self.scenario
        arrivals = arrival_times(
            scenario.arrivals,
            scenario.start,
            scenario.customers,
            scenario.horizon,
            stream(self.seed, self.replication, "arrivals"),
        )
        self.arrivals = arrivals
        self.departures = np.full(arrivals.size, np.nan)  # filled in as customers leave
        self.away = np.zeros(arrivals.size)
        self.costs = np.zeros(arrivals.size)
        self.env.process(self._source())
        # The run allocates millions of short-lived objects and no lasting
        # cycles; the cyclic collector would only rescan them, again and again.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.env.run()
        finally:
            if collecting:
                gc.enable()
        end = float(np.nanmax(self.departures)) if arrivals.size else 0.0
        end = max([end] + [max(pool.free) for pool in self.pools])
        return RunMetrics(self._cards(), self._resources(end), arrivals, self.departures, self.costs, end, self.away)

    def _source(self) -> Generator[Any, Any, None]:
        env = self.env
        arrivals = self.arrivals
        for first in range(0, arrivals.size, CHUNK):
            last = min(first + CHUNK, arrivals.size)
            begin = float(arrivals[first])
            if begin > env.now:
                yield env.timeout(begin - env.now)
            for i, delay, walk, services, delays in self._admit(first, last):
                _Customer(self, i, walk, services, delays, delay)
            if self.admitted is not None:
                self.admitted(last - first)

    # -- a chunk of customers, drawn in batches ----------------------------------
    def _admit(self, first: int, last: int) -> Iterator[tuple[int, float, _Walk, list[float], list[float]]]:
        n = last - first
        cards = self.scenario.cards
        times = np.zeros((len(cards), n))
        failed = np.zeros((len(cards), n), dtype=bool)
        for card in cards:
            if card.duration is not None:
                times[card.index] = card.duration.draw(self.duration_streams[card.index], n)
            if card.fail_p > 0:
                failed[card.index] = self.fail_streams[card.index].random(n) < card.fail_p
        times += failed * self.recovery_time[:, None]
        kinds, kind_of = self._branches(n)
        executed = np.zeros((len(cards), n), dtype=bool)
        now = self.env.now
        for kind, key in enumerate(kinds):
            walk = self._walk(key)
            members = np.flatnonzero(kind_of == kind)
            executed[:, members] = walk.executed[:, None]
            delays = walk.segment_sums(times, members)
            ids = members + first
            if not walk.steps:
                self.departures[ids] = self.arrivals[ids] + delays[:, 0]
                self.away[ids] = walk.away_sums(times, members, np.zeros((members.size, 0)))
                continue
            services = walk.visit_sums(times, members)
            self.away[ids] = walk.away_sums(times, members, services)
            starts = self.arrivals[ids] - now + delays[:, 0]
            for row, i in enumerate(ids.tolist()):
                yield i, float(starts[row]), walk, services[row].tolist(), delays[row].tolist()
        self.executions += executed.sum(axis=1)
        happened = failed & executed
        self.failures += happened.sum(axis=1)
        costs = self.costs_per_card[:, None] + happened * self.recovery_cost[:, None]
        self.costs[first:last] = (costs * executed).sum(axis=0)
        for card in cards:
            self.services[card.index].append(times[card.index, executed[card.index]])

    def _branches(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Which branches each of `n` customers takes: the distinct combinations
        (one row each) and, per customer, the index of theirs."""
        gates = self.scenario.gates
        if not gates:
            return np.zeros((1, 0), dtype=bool), np.zeros(n, dtype=np.int64)
        fired = np.array([s.random(n) < g.p for s, g in zip(self.gate_streams, gates, strict=True)])
        if len(gates) < 63:
            codes = (fired.astype(np.int64) << np.arange(len(gates), dtype=np.int64)[:, None]).sum(axis=0)
            _, first, kind_of = np.unique(codes, return_index=True, return_inverse=True)
            return fired[:, first].T, kind_of.ravel()
        kinds, kind_of = np.unique(fired.T, axis=0, return_inverse=True)
        return kinds, kind_of.ravel()

    def _walk(self, key: np.ndarray) -> _Walk:
        raw = key.tobytes()
        found = self.walks.get(raw)
        if found is None:
            found = self.walks[raw] = self._bind(
                compile_route(self.scenario, executed_cards(self.scenario, tuple(bool(b) for b in key)))
            )
        return found

    def _bind(self, route: Route) -> _Walk:
        return _Walk(
            steps=tuple(
                (
                    self.pools[v.resource].assign,
                    self.queue_waits[v.cards[0]].append,
                    v.blocking,
                    self.closed[v.cards[0]],
                    v.blocking and v.away,
                )
                for v in route.visits
            ),
            executed=np.array(route.executed, dtype=bool),
            segments=_Terms([terms for terms, _ in route.segments]),
            fixed=np.array([fixed for _, fixed in route.segments]),
            visits=_Sums([visit.cards for visit in route.visits]),
            away=_Terms([route.away[0]]),
            away_fixed=route.away[1],
            away_visits=np.array([v.blocking and v.away for v in route.visits], dtype=bool),
        )

    # -- what was measured --------------------------------------------------------
    def _cards(self) -> list[CardRun]:
        runs = []
        for card in self.scenario.cards:
            executions = int(self.executions[card.index])
            if card.resource is not None:
                recorded = (
                    np.frombuffer(self.queue_waits[card.index], dtype=np.float64)
                    if len(self.queue_waits[card.index])
                    else np.zeros(0)
                )
                waits = np.concatenate([recorded, np.zeros(max(executions - recorded.size, 0))])
            else:
                waits = np.full(executions, card.wait)
            parts = self.services[card.index]
            services = np.concatenate(parts) if parts else np.zeros(0)
            closed = self.closed[card.index]
            runs.append(
                CardRun(
                    executions,
                    waits,
                    services,
                    int(self.failures[card.index]),
                    closed.total if closed is not None else 0.0,
                )
            )
        return runs

    def _resources(self, end: float) -> list[ResourceRun]:
        runs = []
        for index, (plan, pool) in enumerate(zip(self.scenario.resources, self.pools, strict=True)):
            pool.settle(end)
            starts = np.frombuffer(pool.starts, dtype=np.float64) if len(pool.starts) else np.zeros(0)
            services = np.frombuffer(pool.services, dtype=np.float64) if len(pool.services) else np.zeros(0)
            first_hour, hourly = hourly_utilisation(
                starts, services, plan.capacity, plan.hours, self.scenario.start, end
            )
            mine = [self.queue_waits[c.index] for c in self.scenario.cards if c.resource == index]
            waits = np.concatenate([np.frombuffer(a, dtype=np.float64) for a in mine if len(a)] or [np.zeros(0)])
            hours = plan.hours
            # Utilisation is measured while the resource had work: from its first
            # customer to its last finish, so a long tail of other steps does not dilute it.
            begin = max(pool.first, 0.0)
            finish = max(pool.free) if pool.first >= 0 else begin
            start = self.scenario.start
            open_seconds = hours.open_seconds(start + begin, start + finish) if hours else finish - begin
            closed = sum(
                part.total
                for part in (self.closed[c.index] for c in self.scenario.cards if c.resource == index)
                if part is not None
            )
            runs.append(
                ResourceRun(
                    int(waits.size),
                    float(services.sum()),
                    plan.capacity * open_seconds,
                    pool.area,
                    pool.longest,
                    waits,
                    closed,
                    finish - begin,
                    first_hour,
                    hourly,
                )
            )
        return runs


def run_once(
    scenario: Scenario, seed: int, replication: int, admitted: Callable[[int], None] | None = None
) -> RunMetrics:
    return Engine(scenario, seed, replication, admitted).run()


__all__ = ["CardRun", "Engine", "ResourceRun", "RunMetrics", "run_once"]
