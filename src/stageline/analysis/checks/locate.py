"""Where a finding's stage, step or card is written in its YAML file.

The loader keeps the order of stages, steps and cards (and of opportunities),
so an element's place in the model is also its place in the file's tree; the
tree (libyaml's fast tree or ruamel's round-trip nodes) knows the line and
column of every key and item. A finding about a field outside the grid (an
opportunity's `change`) carries the keys and indexes that lead to it (`path`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from stageline.analysis.checks.finding import FieldPath, Finding
from stageline.model import Blueprint

Position = tuple[int, int]  # 1-based line and column


class Locator:
    """Lines and columns of the stages, steps and cards of one blueprint file."""

    def __init__(self, positions: dict[str, Position], top: Position | None = None, tree: Any = None) -> None:
        self.positions = positions
        self.top = top
        self.tree = tree

    @classmethod
    def empty(cls) -> Locator:
        return cls({})

    @classmethod
    def of(cls, bp: Blueprint, text: str) -> Locator:
        """Positions read from the file's text; empty when it cannot be parsed again."""
        from stageline.formats.errors import FormatError
        from stageline.formats.fast import parse_tree

        try:
            tree = parse_tree(text, "<locate>")
        except FormatError:
            return cls.empty()
        positions: dict[str, Position] = {}
        stages = _get(tree, "stages")
        for si, stage in enumerate(bp.stages):
            stage_node = _item(stages, si)
            _put(positions, stage.id, _item_position(stages, si))
            steps = _get(stage_node, "steps")
            for ti, step in enumerate(stage.steps):
                step_node = _item(steps, ti)
                _put(positions, step.id, _item_position(steps, ti))
                for lane, cards in step.cells.items():
                    cell = _get(step_node, lane)
                    for position, card in enumerate(cards):
                        if isinstance(cell, Sequence) and not isinstance(cell, str):
                            _put(positions, card.id, _item_position(cell, position))
                        elif position == 0:
                            _put(positions, card.id, _key_position(step_node, lane))
        return cls(positions, _key_position(tree, "title"), tree)

    def find(self, finding: Finding) -> Position | None:
        """The most specific place written in the file: the field of its `path`, else
        the card, else the step, else the stage."""
        if finding.path and (found := self.field(finding.path)) is not None:
            return found
        for element in (finding.card, finding.step, finding.stage):
            if element is not None and element in self.positions:
                return self.positions[element]
        if finding.stage is None and finding.step is None and finding.card is None:
            return self.top
        return None

    def field(self, path: FieldPath) -> Position | None:
        """Where the deepest key or item of `path` is written: the item of a list,
        else the key that holds it (`change: X=+1` has no list to index)."""
        node, found = self.tree, None
        for step in path:
            if isinstance(step, int) and isinstance(node, Sequence) and not isinstance(node, str):
                position, node = _item_position(node, step), _item(node, step)
            elif isinstance(step, str) and isinstance(node, Mapping):
                position, node = _key_position(node, step), _get(node, step)
            else:
                break
            if position is None:
                break
            found = position
        return found


def _put(positions: dict[str, Position], element: str, position: Position | None) -> None:
    if position is not None:
        positions[element] = position


def _get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, Mapping) else None


def _item(node: Any, index: int) -> Any:
    if isinstance(node, Sequence) and not isinstance(node, str) and index < len(node):
        return node[index]
    return None


def _item_position(node: Any, index: int) -> Position | None:
    try:
        line, column = node.lc.item(index)
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    return line + 1, column + 1


def _key_position(node: Any, key: str) -> Position | None:
    try:
        line, column = node.lc.key(key)
    except (AttributeError, KeyError, IndexError, TypeError):
        return None
    return line + 1, column + 1
