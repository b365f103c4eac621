"""Large, realistic-looking blueprints for benchmarks, built deterministically.

    from benchmarks.generate import generate_blueprint
    bp = generate_blueprint(cards=1000, links=2000, seed=0)

Cards fill steps lane by lane (one to three per cell, customer lane always
present), carry actors, departments, durations, waits, costs, fail points and
emotions in realistic proportions, and link mostly to cards a few steps away,
as handoffs do. The same arguments always give the same blueprint.
"""

from __future__ import annotations

import random

from stageline.model import Blueprint, Card, Distribution, FailPoint, Link, Opportunity, Stage, Step
from stageline.model.elements import DEFAULT_LANES

VERBS = (
    "Check",
    "Enter",
    "Confirm",
    "Send",
    "Prepare",
    "Review",
    "Update",
    "Schedule",
    "Print",
    "Record",
    "Approve",
    "Notify",
    "Collect",
    "Assign",
    "Verify",
    "Deliver",
    "Explain",
    "Book",
    "Scan",
    "File",
)
OBJECTS = (
    "the booking",
    "customer details",
    "the invoice",
    "a reminder",
    "the order",
    "the payment",
    "the form",
    "stock levels",
    "the appointment",
    "the delivery slot",
    "ID documents",
    "the refund",
    "the contract",
    "a receipt",
    "the case notes",
    "loyalty points",
    "the room",
    "the parcel",
    "the claim",
    "a survey",
)
ACTORS = {
    "frontstage": [("Front desk clerk", "Front office"), ("Agent", "Contact centre"), ("Courier", "Logistics"),
                   ("Website", "Digital"), ("App", "Digital")],
    "backstage": [("Back office clerk", "Operations"), ("Supervisor", "Operations"), ("Analyst", "Finance"),
                  ("Warehouse picker", "Logistics")],
    "support": [("CRM", "IT"), ("Payment provider", "Finance"), ("ERP", "IT"), ("Scheduler", "IT")],
}  # fmt: skip
CELL_WEIGHTS = {"evidence": 0.7, "customer": 1.0, "frontstage": 0.9, "backstage": 0.8, "support": 0.7}


def _text(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"


def _card(rng: random.Random, card_id: str, lane: str) -> Card:
    data: dict[str, object] = {"id": card_id, "text": _text(rng)}
    if lane in ACTORS:
        actor, department = rng.choice(ACTORS[lane])
        data |= {"actor": actor, "department": department}
    if lane != "evidence":
        if rng.random() < 0.15:
            low = rng.randint(1, 5) * 60.0
            data["duration"] = Distribution(dist="triangular", min=low, mode=low * 1.5, max=low * 3)
        else:
            data["duration"] = rng.randint(1, 20) * 60.0
        data["cost"] = round(rng.uniform(0, 10), 2)
        data["basis"] = rng.choice(("observed", "assumed"))
    if lane == "customer":
        data["emotion"] = rng.randint(-2, 2)
        if rng.random() < 0.3:
            data["wait"] = rng.randint(1, 15) * 60.0
        if rng.random() < 0.15:
            data["pain"] = f"Has to {_text(rng).lower()} twice"
    if lane in ("frontstage", "backstage") and rng.random() < 0.12:
        data["fail"] = FailPoint(
            text=f"{_text(rng)} fails",
            recovery=None if rng.random() < 0.2 else "Escalate to the supervisor",
            severity=rng.randint(1, 5),
            likelihood=rng.randint(1, 5),
        )
    return Card.model_validate(data)


def generate_blueprint(cards: int = 1000, links: int = 2000, seed: int = 0) -> Blueprint:
    """A blueprint with exactly `cards` cards and `links` links (as many as can exist)."""
    rng = random.Random(seed)
    placed: list[str] = []
    step_of: list[int] = []
    stages: list[Stage] = []
    step_number = 0
    while len(placed) < cards:
        if not stages or len(stages[-1].steps) >= 8:
            stages.append(Stage(id=f"stage-{len(stages) + 1}", title=f"Stage {len(stages) + 1}"))
        step_id = f"step-{step_number + 1}"
        cells: dict[str, list[Card]] = {}
        for lane in DEFAULT_LANES:
            if len(placed) >= cards or rng.random() > CELL_WEIGHTS[lane]:
                continue
            count = 1 if lane == "customer" else rng.choice((1, 1, 2, 3))
            for _ in range(min(count, cards - len(placed))):
                card_id = f"c{len(placed) + 1}"
                cells.setdefault(lane, []).append(_card(rng, card_id, lane))
                placed.append(card_id)
                step_of.append(step_number)
        stages[-1].steps.append(Step(id=step_id, title=f"Step {step_number + 1}", cells=cells))
        step_number += 1

    chosen: list[Link] = []
    taken: set[tuple[str, str]] = set()
    possible = len(placed) * (len(placed) - 1) // 2
    attempts = 0
    while len(chosen) < min(links, possible) and attempts < links * 50:
        attempts += 1
        a = rng.randrange(len(placed))
        # Most handoffs stay within a few steps; some reach across the journey.
        b = a + rng.randint(-12, 12) if rng.random() < 0.9 else rng.randrange(len(placed))
        if not 0 <= b < len(placed) or a == b:
            continue
        source, target = placed[a], placed[b]
        if (source, target) in taken or (target, source) in taken:
            continue
        taken.add((source, target))
        chosen.append(Link(source=source, target=target, two_way=rng.random() < 0.2))

    opportunities = [
        Opportunity(id=f"opportunity-{i + 1}", title=f"Improve {_text(rng).lower()}",
                    targets=rng.sample(placed, k=min(2, len(placed))))
        for i in range(max(1, cards // 100))
    ]  # fmt: skip
    return Blueprint(title=f"Generated blueprint ({cards} cards, {links} links)", tolerance=8 * 3600.0,
                     stages=stages, links=chosen, opportunities=opportunities)  # fmt: skip
