"""Fixtures for the render tests: a wide generated blueprint and hand-made findings."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from stageline.model import Blueprint, BlueprintBuilder

WORDS = (
    "check",
    "guest",
    "booking",
    "room",
    "key",
    "card",
    "desk",
    "payment",
    "confirm",
    "order",
    "kitchen",
    "deliver",
    "invoice",
    "email",
    "survey",
    "schedule",
    "review",
    "system",
    "update",
    "notify",
    "queue",
    "wait",
    "arrive",
    "leave",
    "approve",
    "record",
    "handover",
    "supervisor",
)


def wide_blueprint(steps: int = 100, seed: int = 7, links: int | None = None) -> Blueprint:
    """A deterministic blueprint `steps` columns wide, with stacked cells, long words,
    fail points, waits, emotions and links in every direction (back-edges too)."""
    rng = random.Random(seed)
    builder = BlueprintBuilder(f"Generated blueprint, {steps} steps", tolerance="3h", scenario="Stress test")
    card_ids: list[str] = []
    per_stage = 5
    for s in range(0, steps, per_stage):
        builder.stage(f"stage-{s // per_stage}", f"Stage {s // per_stage + 1}: " + " ".join(rng.sample(WORDS, 3)))
        for n in range(s, min(s + per_stage, steps)):
            cells: dict[str, list[dict[str, object]]] = {}
            for lane in ("evidence", "customer", "frontstage", "backstage", "support"):
                count = rng.choice((0, 1, 1, 1, 2)) if lane != "customer" else 1
                cards = []
                for k in range(count):
                    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 14)))
                    if rng.random() < 0.05:
                        text += " Supercalifragilisticexpialidocious-and-then-some-more-letters"
                    card: dict[str, object] = {"id": f"c{n}-{lane}-{k}", "text": text}
                    if lane == "customer":
                        card["emotion"] = rng.randint(-2, 2)
                        if rng.random() < 0.3:
                            card["wait"] = f"{rng.randint(1, 20)}m"
                    if lane in ("frontstage", "backstage"):
                        card["actor"] = rng.choice(("Clerk", "Courier", "Night auditor", "Kitchen"))
                        card["duration"] = f"{rng.randint(1, 30)}m"
                        if rng.random() < 0.15:
                            card["fail"] = {"text": "It goes wrong " + rng.choice(WORDS), "severity": rng.randint(1, 5)}
                    cards.append(card)
                    card_ids.append(str(card["id"]))
                if cards:
                    cells[lane] = cards  # type: ignore[assignment]
            builder.step(f"step-{n}", None if n % 3 else f"Step {n}: {rng.choice(WORDS)}", **cells)  # type: ignore[arg-type]
    wanted = links if links is not None else steps * 2
    seen: set[tuple[str, str]] = set()
    while len(seen) < wanted:
        a = rng.randrange(len(card_ids))
        span = rng.choice((0, 1, 1, 2, 5, 20))
        b = max(0, min(len(card_ids) - 1, a + rng.randint(-span * 8, span * 8)))
        pair = (card_ids[a], card_ids[b])
        if a == b or pair in seen or pair[::-1] in seen:
            continue
        seen.add(pair)
        label = rng.choice((None, None, "handoff", "order details and the guest's preferences"))
        builder.link(pair[0], pair[1], two_way=rng.random() < 0.2, label=label)
    return builder.build()


@dataclass(frozen=True)
class HandFinding:
    """The shape of `stageline.analysis.checks.Finding`, for tests independent of the rules."""

    rule: str
    name: str
    severity: str
    message: str
    stage: str | None = None
    step: str | None = None
    lane: str | None = None
    card: str | None = None
    fix: str | None = None


@pytest.fixture(scope="session")
def wide() -> Blueprint:
    return wide_blueprint(100)


@pytest.fixture
def make_finding() -> type[HandFinding]:
    return HandFinding


@pytest.fixture(scope="session")
def make_wide() -> object:
    return wide_blueprint
