"""Subcommands of `stageline`. Each module has `register(app)`; add yours to COMMANDS.

`stageline` starts without importing any command: COMMANDS names each one with
its module and the one line `stageline --help` shows, and the module is imported
only when its command runs (or shows its own help). A module listed in MODULES
but not in COMMANDS is registered the old way, imported at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

MODULES: list[str] = [
    "validate",
    "fmt",
    "schema",
    "check",
    "metrics",
    "diff",
    "new",
    "render",
    "import_",
    "export",
    "serve",
    "simulate",
    "opportunities",
    "plan",
    "calibrate",
    "help_",
]

# command name -> (module in stageline.commands, the first paragraph of its help)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "Validate blueprint files against the format and report every problem at once."),
    "fmt": (
        "fmt",
        "Rewrite blueprint files in the canonical form (stable key order, defaults left out, "
        "short maps on one line), keeping their comments.",
    ),
    "schema": ("schema", "Print the JSON Schema (draft 2020-12) of the blueprint file format."),
    "check": ("check", "Check blueprints for gaps, fail points and waste, like a linter for services."),
    "metrics": (
        "metrics",
        "Measure a blueprint: customer-facing time against tolerance, cost, moments of truth, handoffs, "
        "fail points by risk, who does what, single points of failure, the critical path and the emotion "
        "curve. docs/metrics.md defines every number.",
    ),
    "diff": (
        "diff",
        "Compare two blueprints (current and future state, or two versions): what changed and what it gains.",
    ),
    "new": ("new", "Create a blueprint file from a template, ready to edit."),
    "render": (
        "render",
        "Draw a blueprint to put on a wall or share: SVG, PNG, PDF or a self-contained interactive HTML page.",
    ),
    "import": ("import_", "Make a blueprint from a journey map, spreadsheet or Blueprint Signal project."),
    "export": (
        "export",
        "Export a blueprint to XLSX, CSV, draw.io, JSON Canvas, Mermaid, Markdown, a Blueprint Signal project, "
        "the agentic-service-blueprinting IR or slides (PPTX).",
    ),
    "serve": (
        "serve",
        "Run the Stageline web app: a team's blueprints, with accounts, sharing, history and a REST API.",
    ),
    "simulate": (
        "simulate",
        "Simulate customers arriving and moving through the blueprint: queue waits and service times per "
        "card, utilisation and queues per resource, time against tolerance, fail points, the bottlenecks "
        "ranked, and what-if variants with 95 % intervals. docs/simulation.md explains the model and the report.",
    ),
    "opportunities": (
        "opportunities",
        "Simulate every opportunity that says what it changes (`change`, or a `future` state file) against the "
        "current state with common random numbers, and rank them by customer time saved per point of effort: "
        "mean and p90 customer time, share over tolerance, cost per customer, the bottleneck's utilisation and "
        "fail points met, each with a 95 % interval. docs/opportunities.md explains the report.",
    ),
    "plan": (
        "plan",
        "What the future state means for each team (department, or actor where no department is given): cards "
        "added, removed and changed, new and removed handoffs, fail points they now own, and their time per "
        "customer before and after. `--format csv` writes one row per work item in the columns issue trackers "
        "import (Summary, Description, Component/Team, Labels, Due).",
    ),
    "help": ("help_", "Show the help of Stageline, or of one of its commands."),
    "calibrate": (
        "calibrate",
        "Measure the blueprint against event logs: per card the observed durations, the wait before it, a "
        "fitted distribution and its drift from the design; arrivals by hour and weekday; who did the work; "
        "and how many cases follow the blueprint's order. docs/calibration.md explains the report.",
    ),
}


def register_all(app: typer.Typer) -> None:
    """Register the commands of modules not in COMMANDS (imported now); the others load on use."""
    lazy = {module for module, _ in COMMANDS.values()}
    for name in MODULES:
        if name not in lazy:
            importlib.import_module(f"stageline.commands.{name}").register(app)


def load(name: str, rich_markup_mode: Any) -> Any:
    """The real command `name`, built by importing its module and calling its `register`."""
    from typer.main import get_group

    from stageline.commands.readable import ReadableTyper

    module, _ = COMMANDS[name]
    holder = ReadableTyper(rich_markup_mode=rich_markup_mode, pretty_exceptions_enable=False)
    importlib.import_module(f"stageline.commands.{module}").register(holder)
    # A callback makes typer build a group even when the module registers one command.
    holder.callback()(lambda: None)
    return get_group(holder).commands[name]
