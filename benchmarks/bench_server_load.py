"""A bounded load test of `stageline serve` on SQLite, the shape of the attack
run that found p99 5.4 s: 20 REST clients and 2 live editors at once for 40 s.

Each REST client, as one person with an API token, makes one request a
second (the next one right away when an answer took longer) from a mix: read
a blueprint (JSON), list and search the workspace, run its checks, and write
(one operation) to one of five blueprints, the one the live editors are in
among them. The two live editors each send 2 edits a second
on the 300-card blueprint. Prints p50 and p99 of every request, of the
writes, and the live edits' operation-to-acknowledgement latency, against the
target p99 < 1 s; fails if any request answered 5xx.

Run: `.venv/bin/python -m benchmarks "server load"` (STAGELINE_BENCH_QUICK=1: 10 s)."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import time
from typing import Any

import httpx
import websockets

from benchmarks.bench_editor import Served, _messages, _serve, _stop
from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark, run_async
from stageline.server.db import Database
from stageline.server.services import Services
from stageline.server.services.base import Actor
from stageline.server.settings import Settings

CLIENTS = 20
PACE = 1.0  # seconds between one client's requests
EDITORS = 2
RATE = 2.0  # live edits per second per editor
DURATION = 10.0 if os.environ.get("STAGELINE_BENCH_QUICK") else 40.0
P99_TARGET = 1.0  # seconds


def _setup() -> dict[str, Any]:
    served = _serve(cards=300, links=120)
    database_url = served.extra.get("database_url") or _database_of(served)
    database = Database(database_url)
    services = Services.build(database, Settings(database_url=database_url))
    owner = Actor.of(services.accounts.by_username("ana"))  # type: ignore[arg-type]
    workspace_id = services.workspaces.of(owner)[0].workspace.id
    others = [
        services.blueprints.create(owner, workspace_id, generate_blueprint(60, 20, seed=n), "benchmark").id
        for n in range(4)
    ]
    tokens = [services.accounts.create_token(owner, f"load {n}").token for n in range(CLIENTS)]
    database.dispose()
    return {
        "served": served,
        "workspace_id": workspace_id,
        "blueprints": [served.blueprint_id, *others],
        "tokens": tokens,
    }


def _database_of(served: Served) -> str:
    command = served.process.args
    assert isinstance(command, list)
    return str(command[command.index("--db") + 1])


async def _rest_client(
    base: str, token: str, state: dict[str, Any], seed: int, until: float, timings: list[tuple[str, float, int]]
) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    card_ids = state["served"].card_ids
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
        for n in itertools.count():
            if time.monotonic() > until:
                return
            blueprint = rng.choice(state["blueprints"])
            roll = rng.random()
            if roll < 0.35:
                kind, request = "read", client.get(f"/api/blueprints/{blueprint}")
            elif roll < 0.55:
                kind = "list"
                request = client.get(f"/api/workspaces/{state['workspace_id']}/blueprints", params={"q": "step"})
            elif roll < 0.7:
                kind, request = "check", client.get(f"/api/blueprints/{blueprint}/check")
            else:
                kind = "write"
                target = rng.choice(card_ids) if blueprint == state["served"].blueprint_id else None
                op = (
                    {"op": "set", "target": target, "field": "notes", "value": f"client {seed} {n}"}
                    if target
                    else {"op": "set", "field": "goal", "value": f"client {seed} {n}"}
                )
                request = client.post(f"/api/blueprints/{blueprint}/operations", json={"operations": [op]})
            start = time.monotonic()
            response = await request
            took = time.monotonic() - start
            timings.append((kind, took, response.status_code))
            await asyncio.sleep(max(0.0, PACE - took))


async def _live_editor(served: Served, name: str, until: float, latencies: list[float]) -> None:
    url = f"{served.url.replace('http', 'ws')}/api/blueprints/{served.blueprint_id}/live"
    rng = random.Random(name)
    sent: dict[str, float] = {}
    async with websockets.connect(url, additional_headers={"Authorization": f"Bearer {served.token}"}) as ws:
        await ws.send(json.dumps({"type": "hello", "client_id": name, "seq": 0, "pending": []}))

        async def send() -> None:
            for n in itertools.count():
                if time.monotonic() > until:
                    return
                message_id = f"{name}:{n}"
                op = {"op": "set", "target": rng.choice(served.card_ids), "field": "actor", "value": f"{name} {n}"}
                sent[message_id] = time.monotonic()
                await ws.send(json.dumps({"type": "op", "id": message_id, "op": op}))
                await asyncio.sleep(1 / RATE)

        sender = asyncio.create_task(send())
        acknowledged = 0
        receiving: asyncio.Task[Any] | None = None
        # Wait on the next message and on the sender at once: once the last edit is
        # sent and acknowledged there is nothing more to wait for (waiting on the
        # socket alone would sit until the server closes it as idle).
        while not sender.done() or acknowledged < len(sent):
            receiving = receiving or asyncio.ensure_future(ws.recv())
            waiting = {receiving} if sender.done() else {receiving, sender}
            done, _ = await asyncio.wait(waiting, timeout=60, return_when=asyncio.FIRST_COMPLETED)
            if not done:
                break  # nothing arrived for a minute: the missing acknowledgements never will
            if receiving not in done:
                continue
            raw, receiving = receiving.result(), None
            for message in _messages(raw):
                if message.get("type") == "op" and message.get("client_op_id") in sent:
                    latencies.append(time.monotonic() - sent[message["client_op_id"]])
                    acknowledged += 1
        if receiving is not None:
            receiving.cancel()
        await sender


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


async def _load(state: dict[str, Any]) -> dict[str, Any]:
    served: Served = state["served"]
    until = time.monotonic() + DURATION
    timings: list[tuple[str, float, int]] = []
    live: list[float] = []
    await asyncio.gather(
        *(_rest_client(served.url, token, state, n, until, timings) for n, token in enumerate(state["tokens"])),
        *(_live_editor(served, f"editor-{n}", until, live) for n in range(EDITORS)),
    )
    every = [seconds for _, seconds, _ in timings]
    writes = [seconds for kind, seconds, _ in timings if kind == "write"]
    return {
        "requests": len(timings),
        "errors": sum(status >= 500 for _, _, status in timings),
        "p50": _percentile(every, 0.5),
        "p99": _percentile(every, 0.99),
        "writes_p50": _percentile(writes, 0.5),
        "writes_p99": _percentile(writes, 0.99),
        "live_p50": _percentile(live, 0.5),
        "live_p99": _percentile(live, 0.99),
        "live": len(live),
    }


def _run(state: dict[str, Any]) -> float:
    try:
        result = run_async(lambda: _load(state))
    finally:
        _stop(state["served"])
    verdict = "OK" if result["p99"] < P99_TARGET else "MISSED"
    print(
        f"    {result['requests']} requests by {CLIENTS} clients + {result['live']} live edits by {EDITORS} editors "
        f"in {DURATION:g} s: all p50 {result['p50'] * 1000:.0f} ms, p99 {result['p99'] * 1000:.0f} ms "
        f"(target < {P99_TARGET * 1000:.0f}: {verdict}); writes p50 {result['writes_p50'] * 1000:.0f} ms, "
        f"p99 {result['writes_p99'] * 1000:.0f} ms; live edits p50 {result['live_p50'] * 1000:.0f} ms, "
        f"p99 {result['live_p99'] * 1000:.0f} ms; 5xx: {result['errors']}"
    )
    if result["errors"]:
        raise AssertionError(f"{result['errors']} requests answered with a server error")
    return float(result["p99"])


BENCHMARKS = [
    Benchmark(
        f"server load: p99 of every request, {CLIENTS} REST clients + {EDITORS} live editors for {DURATION:g} s",
        _run,
        setup=_setup,
        target=P99_TARGET,
        repeat=1,
        warmup=0,
        returns_figure=True,
    ),
]
