"""Where things go on a canvas: the grid geometry shared by the diagram exports.

Steps are columns, lanes are rows as tall as their fullest cell, cards stack
inside their cell, stage headers span their steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stageline.model.blueprint import Blueprint

LABEL_WIDTH = 160
STEP_WIDTH = 220
CARD_WIDTH = 190
CARD_HEIGHT = 80
GAP = 15
STAGE_HEIGHT = 40
STEP_HEIGHT = 50


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int

    @property
    def centre_y(self) -> int:
        return self.y + self.height // 2


@dataclass
class Layout:
    width: int
    height: int
    stages: dict[str, Box] = field(default_factory=dict)
    steps: dict[str, Box] = field(default_factory=dict)
    lanes: dict[str, Box] = field(default_factory=dict)
    cards: dict[str, Box] = field(default_factory=dict)
    card_step: dict[str, str] = field(default_factory=dict)
    lines: list[tuple[str, int]] = field(default_factory=list)  # (title, y) of each line


def layout(bp: Blueprint) -> Layout:
    steps = [step for _, step in bp.steps()]
    width = LABEL_WIDTH + STEP_WIDTH * max(len(steps), 1)
    result = Layout(width=width, height=0)
    x = LABEL_WIDTH
    for stage in bp.stages:
        if stage.steps:
            result.stages[stage.id] = Box(x, 0, STEP_WIDTH * len(stage.steps), STAGE_HEIGHT)
        for step in stage.steps:
            result.steps[step.id] = Box(x, STAGE_HEIGHT, STEP_WIDTH, STEP_HEIGHT)
            x += STEP_WIDTH
    y = STAGE_HEIGHT + STEP_HEIGHT
    for lane in bp.lanes:
        most = max((len(step.cards(lane.id)) for step in steps), default=0)
        height = max(1, most) * (CARD_HEIGHT + GAP) + GAP
        result.lanes[lane.id] = Box(0, y, width, height)
        for step in steps:
            column = result.steps[step.id]
            for i, card in enumerate(step.cards(lane.id)):
                result.cards[card.id] = Box(
                    column.x + (STEP_WIDTH - CARD_WIDTH) // 2,
                    y + GAP + i * (CARD_HEIGHT + GAP),
                    CARD_WIDTH,
                    CARD_HEIGHT,
                )
                result.card_step[card.id] = step.id
        y += height
    for line in bp.lines():
        below = result.lanes[line.below]
        result.lines.append((line.title, below.y))
    result.height = y
    return result
