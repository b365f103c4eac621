"""Issue 17's figures, each side by side with its baseline measured in the same run
(samples interleaved, so a busy machine slows both alike):

- whole processes: `stageline --version` and `stageline validate` against
  `python -c pass`; `stageline render` of 1,000 cards against Graphviz `dot` on
  the same graph when `dot` is installed;
- the server, 10 concurrent clients: the JSON and YAML GET of a 1,000-card
  blueprint against `/api/me` (throughput as a share of it), and one operation
  on that blueprint (applied, stored and acknowledged over HTTP) beside one
  `/api/me` request, and the import of a 1,000-card YAML file as a new
  blueprint beside one `/api/me` request.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import functools
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import connect

from benchmarks.bench_editor import Served, _serve, _stop
from benchmarks.generate import generate_blueprint
from benchmarks.harness import Benchmark
from stageline.formats.yaml_format import dumps

ROOT = Path(__file__).resolve().parent.parent
HOTEL = ROOT / "examples" / "hotel-stay.yaml"
LAUNCH = "import sys; from stageline.cli import main; sys.exit(main(sys.argv[1:]))"
CLIENTS = 10
REQUESTS = 50  # per sample, spread over the clients


def _run(*command: str) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env={"PYTHONPATH": str(ROOT / "src")})


def _stageline(*args: str) -> None:
    _run(sys.executable, "-c", LAUNCH, *args)


PYTHON = Benchmark("python -c pass", lambda _: _run(sys.executable, "-c", "pass"))


@functools.cache
def _big_file() -> Path:
    path = Path(tempfile.mkdtemp(prefix="stageline-speed-")) / "big.yaml"
    path.write_text(dumps(generate_blueprint(cards=1000, links=500, seed=0)))
    return path


@functools.cache
def _dot_file() -> Path:
    """The same 1,000 cards and 500 links as a Graphviz graph, one cluster per stage."""
    from stageline.formats.yaml_format import load

    bp = load(_big_file())
    lines = ["digraph blueprint {", "rankdir=LR; node [shape=box];"]
    for s, stage in enumerate(bp.stages):
        lines.append(f'subgraph cluster_{s} {{ label="{stage.title}";')
        for step in stage.steps:
            for cards in step.cells.values():
                lines.extend(f'"{card.id}" [label="{card.text[:30]}"];' for card in cards)
        lines.append("}")
    lines.extend(f'"{link.source}" -> "{link.target}";' for link in bp.links)
    lines.append("}")
    path = _big_file().with_suffix(".dot")
    path.write_text("\n".join(lines))
    return path


def _render(fmt: str) -> Benchmark:
    out = _big_file().with_suffix(f".{fmt}")
    dot = shutil.which("dot")
    baseline = (
        Benchmark(
            f"Graphviz dot -T{fmt}, same cards and links",
            lambda _: _run(dot, f"-T{fmt}", "-o", f"{out}.dot.{fmt}", str(_dot_file())),
        )
        if dot
        else None
    )
    return Benchmark(
        f"speed: stageline render 1,000 cards to {fmt.upper()} (process)",
        lambda _: _stageline("render", str(_big_file()), "-o", str(out)),
        target=1.0 if fmt == "svg" else 1.5,
        repeat=3,
        baseline=baseline,
        baseline_missing=None if dot else "dot not installed",
    )


# -- the server ----------------------------------------------------------------------
@functools.cache
def _server() -> Served:
    served = _serve(cards=1000, links=500)
    atexit.register(_stop, served)
    served.extra["clients"] = [
        httpx.Client(base_url=served.url, headers={"Authorization": f"Bearer {served.token}"}, timeout=60)
        for _ in range(CLIENTS)
    ]
    served.extra["counter"] = itertools.count()
    return served


def _concurrently(served: Served, path: str, headers: dict[str, str] | None = None) -> None:
    clients: list[httpx.Client] = served.extra["clients"]

    def fetch(n: int) -> None:
        response = clients[n % CLIENTS].get(path, headers=headers)
        response.raise_for_status()

    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(fetch, range(REQUESTS)))


ME = Benchmark(
    f"GET /api/me, {REQUESTS} requests from {CLIENTS} clients", lambda s: _concurrently(s, "/api/me"), setup=_server
)


def _get(kind: str, query: str) -> Benchmark:
    """Cached reads of the big blueprint, as a share of /api/me's throughput."""
    return Benchmark(
        f"speed: GET a 1,000-card blueprint as {kind}, {REQUESTS} requests from {CLIENTS} clients",
        lambda s: _concurrently(s, f"/api/blueprints/{s.blueprint_id}{query}"),
        setup=_server,
        baseline=ME,
        ratio=0.5,
        higher_is_better=True,
    )


def _operation(served: Served) -> None:
    clients: list[httpx.Client] = served.extra["clients"]
    op = {
        "op": "set",
        "target": served.card_ids[0],
        "field": "text",
        "value": f"Edited {next(served.extra['counter'])}",
    }
    response = clients[0].post(f"/api/blueprints/{served.blueprint_id}/operations", json={"operations": [op]})
    response.raise_for_status()


def _live(served: Served) -> Any:
    """A live editor's connection to the big blueprint, past its welcome."""
    if "live" not in served.extra:
        url = f"{served.url.replace('http', 'ws')}/api/blueprints/{served.blueprint_id}/live"
        socket = connect(url, additional_headers={"Authorization": f"Bearer {served.token}"}, max_size=None)
        socket.send(json.dumps({"type": "hello", "client_id": "speed", "seq": 0, "pending": []}))
        _until(socket, lambda message: message.get("type") == "welcome")
        served.extra["live"] = socket
        atexit.register(socket.close)
    return served.extra["live"]


def _until(socket: Any, wanted: Callable[[dict[str, Any]], bool]) -> None:
    while True:
        data = json.loads(socket.recv(timeout=60))
        if any(wanted(message) for message in (data if isinstance(data, list) else [data])):
            return


def _live_operation(served: Served) -> None:
    socket = _live(served)
    n = next(served.extra["counter"])
    op = {"op": "set", "target": served.card_ids[1], "field": "text", "value": f"Live {n}"}
    socket.send(json.dumps({"type": "op", "id": f"speed:{n}", "op": op}))
    _until(socket, lambda message: message.get("type") == "op" and message.get("client_op_id") == f"speed:{n}")


def _import(served: Served) -> None:
    """A 1,000-card Stageline YAML file uploaded as a new blueprint: read, checked, stored."""
    clients: list[httpx.Client] = served.extra["clients"]
    if "workspace" not in served.extra:
        served.extra["workspace"] = clients[0].get("/api/workspaces").raise_for_status().json()[0]["id"]
    response = clients[0].post(
        f"/api/workspaces/{served.extra['workspace']}/blueprints/import",
        files={"file": ("big.yaml", _big_file().read_bytes(), "application/yaml")},
    )
    response.raise_for_status()


def _me_once(served: Served) -> None:
    clients: list[httpx.Client] = served.extra["clients"]
    clients[0].get("/api/me").raise_for_status()


ME_ONCE = Benchmark("GET /api/me, one request", _me_once, setup=_server)

BENCHMARKS = [
    Benchmark(
        "speed: stageline --version (process)",
        lambda _: _stageline("--version"),
        target=0.15,
        repeat=11,
        baseline=PYTHON,
    ),
    Benchmark(
        "speed: stageline validate hotel-stay.yaml (process)",
        lambda _: _stageline("validate", str(HOTEL)),
        target=0.4,
        repeat=7,
        baseline=PYTHON,
    ),
    _render("svg"),
    _render("png"),
    _render("pdf"),
    _get("JSON", ""),
    _get("YAML", "?format=yaml"),
    Benchmark(
        "speed: one operation on a 1,000-card blueprint over HTTP (apply, store, acknowledge)",
        _operation,
        setup=_server,
        target=0.1,
        repeat=15,
        baseline=ME_ONCE,
    ),
    Benchmark(
        "speed: import a 1,000-card YAML file over HTTP (read, check, store)",
        _import,
        setup=_server,
        target=0.5,
        repeat=7,
        baseline=ME_ONCE,
    ),
    Benchmark(
        "speed: one live edit on a 1,000-card blueprint over its WebSocket (apply, log, acknowledge)",
        _live_operation,
        setup=_server,
        target=0.1,
        repeat=15,
        baseline=ME_ONCE,
    ),
]
