"""Check findings, as far as rendering needs them: where each one points.

The render package reads findings through a Protocol so that it neither
imports the checks module eagerly nor depends on its concrete class.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from stageline.model.blueprint import Blueprint

SEVERITY_ORDER = ("error", "warning", "info")


class FindingLike(Protocol):
    """What rendering reads from a finding (`stageline.analysis.checks.Finding` has it all)."""

    @property
    def rule(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> Any: ...  # a string or a str-valued enum
    @property
    def message(self) -> str: ...
    @property
    def stage(self) -> str | None: ...
    @property
    def step(self) -> str | None: ...
    @property
    def lane(self) -> str | None: ...
    @property
    def card(self) -> str | None: ...
    @property
    def fix(self) -> str | None: ...


def severity_of(finding: FindingLike) -> str:
    value = getattr(finding.severity, "value", finding.severity)
    text = str(value).lower()
    return text if text in SEVERITY_ORDER else "warning"


def worst(findings: list[FindingLike]) -> str:
    return min((severity_of(f) for f in findings), key=SEVERITY_ORDER.index, default="info")


@dataclass
class FindingMarks:
    """Findings grouped by the element they are drawn on."""

    all: list[FindingLike] = field(default_factory=list)
    cards: dict[str, list[FindingLike]] = field(default_factory=lambda: defaultdict(list))
    cells: dict[tuple[str, str], list[FindingLike]] = field(default_factory=lambda: defaultdict(list))
    steps: dict[str, list[FindingLike]] = field(default_factory=lambda: defaultdict(list))
    stages: dict[str, list[FindingLike]] = field(default_factory=lambda: defaultdict(list))


def mark(bp: Blueprint, findings: list[FindingLike]) -> FindingMarks:
    """Attach each finding to the most specific element it names that exists."""
    marks = FindingMarks(all=list(findings))
    index = bp.index
    for finding in findings:
        card = getattr(finding, "card", None)
        step = getattr(finding, "step", None)
        lane = getattr(finding, "lane", None)
        stage = getattr(finding, "stage", None)
        if card and card in index.cards:
            marks.cards[card].append(finding)
        elif step and lane and step in index.steps and lane in index.lanes:
            cards = index.steps[step][1].cells.get(lane)
            if cards:
                marks.cards[cards[0].id].append(finding)
            else:
                marks.cells[(step, lane)].append(finding)
        elif step and step in index.steps:
            marks.steps[step].append(finding)
        elif stage and stage in index.stages:
            marks.stages[stage].append(finding)
    return marks
