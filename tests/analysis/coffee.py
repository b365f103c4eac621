"""A small blueprint that passes every check, and variations of it written in YAML.

`coffee()` with no arguments is clean; each keyword replaces one part, so a
test states exactly what it changes.
"""

from __future__ import annotations

import textwrap

import stageline
from stageline.model import Blueprint

CUSTOMER = "{id: ask, text: Order a flat white, basis: observed, duration: 1m}"
FRONTSTAGE = "{id: take, text: Take the order, actor: Barista, department: Cafe, duration: 1m, basis: observed}"
BACKSTAGE = "{id: brew, text: Brew the coffee, actor: Barista, department: Cafe, duration: 2m}"
SUPPORT = "{id: machine, text: Espresso machine, actor: Facilities, department: Cafe}"
LINKS = """
  - {from: ask, to: take, two_way: true}
  - {from: take, to: brew}
  - {from: brew, to: machine}
"""


def coffee_yaml(
    *,
    evidence: str | None = "Menu board",
    customer: str | None = CUSTOMER,
    frontstage: str | None = FRONTSTAGE,
    backstage: str | None = BACKSTAGE,
    support: str | None = SUPPORT,
    links: str = LINKS,
    top: str = "tolerance: 10m",
    state: str = "current",
    steps: str = "",
    stages: str = "",
    tail: str = "",
    lanes: str = "",
) -> str:
    cells = {"evidence": evidence, "customer": customer, "frontstage": frontstage, "backstage": backstage,
             "support": support}  # fmt: skip
    step = "\n".join(f"        {lane}: {value}" for lane, value in cells.items() if value is not None)
    parts = [
        "stageline: 1",
        "title: Coffee to go",
        f"state: {state}",
        textwrap.dedent(top).strip(),
        textwrap.dedent(lanes).strip(),
        "stages:",
        "  - id: buy",
        "    title: Buy",
        "    steps:",
        "      - id: order",
        step,
        textwrap.indent(textwrap.dedent(steps).strip("\n"), "      "),
        textwrap.indent(textwrap.dedent(stages).strip("\n"), "  "),
        ("links:" + links.rstrip()) if links.strip() else "",
        textwrap.dedent(tail).strip(),
    ]
    return "\n".join(part for part in parts if part.strip()) + "\n"


def coffee(**changes: str | None) -> Blueprint:
    return stageline.loads(coffee_yaml(**changes))  # type: ignore[arg-type]
