"""Rules that hold across a whole blueprint: unique ids, references that
resolve, lanes in an order that gives meaningful lines.

Field-level rules live on the elements; these need the whole picture. The
loader reports every problem found here with its place in the file;
operations keep them true change by change.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from stageline.model.blueprint import Blueprint
from stageline.model.elements import CUSTOMER_LANE, STANDARD_LANES, Lane

Path = tuple[str | int, ...]
RESERVED_STEP_KEYS = frozenset({"id", "title"})


@dataclass(frozen=True)
class Problem:
    """Something wrong with a blueprint, at a path in the model."""

    path: Path
    message: str


def suggest(name: str, choices: list[str] | set[str] | tuple[str, ...]) -> str:
    """' (did you mean x?)' when one of the choices is close to `name`."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def lane_order_problems(lanes: list[Lane]) -> list[str]:
    """Why this order of lanes cannot be drawn with meaningful lines, if it can't."""
    problems: list[str] = []
    ids = [lane.id for lane in lanes]
    if CUSTOMER_LANE not in ids:
        problems.append("the customer lane is required: a blueprint maps what a customer does")
    seen_hidden = None
    for lane in lanes:
        if lane.id in STANDARD_LANES and lane.visible != STANDARD_LANES[lane.id][1]:
            side = "above" if STANDARD_LANES[lane.id][1] else "below"
            problems.append(f"the {lane.id} lane always sits {side} the line of visibility")
        if not lane.visible:
            seen_hidden = seen_hidden or lane.id
        elif seen_hidden:
            problems.append(
                f"lane {lane.id!r} is visible but sits below {seen_hidden!r}, which is not: "
                "put customer-visible lanes above the line of visibility"
            )
    standard = [i for i in ids if i in STANDARD_LANES]
    canonical = [i for i in STANDARD_LANES if i in standard]
    if standard != canonical:
        problems.append(f"standard lanes must keep their order: {', '.join(canonical)}")
    return problems


def check_integrity(bp: Blueprint) -> list[Problem]:
    """Every cross-reference problem in `bp`, in document order."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}

    def claim(element_id: str, what: str, path: Path) -> None:
        if element_id in seen:
            problems.append(Problem(path, f"duplicate id {element_id!r}: already used by {seen[element_id]}"))
        else:
            seen[element_id] = what

    lane_ids = [lane.id for lane in bp.lanes]
    for i, lane in enumerate(bp.lanes):
        if lane.id in RESERVED_STEP_KEYS:
            problems.append(Problem(("lanes", i), f"{lane.id!r} cannot be a lane id: steps use that key"))
        if lane.id in lane_ids[:i]:
            problems.append(Problem(("lanes", i), f"lane {lane.id!r} is listed twice"))
    for message in lane_order_problems(bp.lanes):
        problems.append(Problem(("lanes",), message))
    for lane in bp.lanes:
        seen.setdefault(lane.id, f"lane {lane.id!r}")

    for si, stage in enumerate(bp.stages):
        claim(stage.id, f"stage {stage.id!r}", ("stages", si, "id"))
        for ti, step in enumerate(stage.steps):
            claim(step.id, f"step {step.id!r}", ("stages", si, "steps", ti, "id"))
            for lane_id, cards in step.cells.items():
                if lane_id not in lane_ids:
                    problems.append(
                        Problem(
                            ("stages", si, "steps", ti, "cells", lane_id),
                            f"step {step.id!r} has cards in lane {lane_id!r}, which the blueprint does not have"
                            f"{suggest(lane_id, lane_ids)}; add it to `lanes` or move the cards",
                        )
                    )
                for ci, card in enumerate(cards):
                    claim(
                        card.id, f"a card in step {step.id!r}", ("stages", si, "steps", ti, "cells", lane_id, ci, "id")
                    )

    card_ids = {card.id for _, card in bp.cards()}
    links_seen: dict[tuple[str, str], int] = {}
    for li, link in enumerate(bp.links):
        for end, ref in (("from", link.source), ("to", link.target)):
            if ref not in card_ids:
                problems.append(
                    Problem(("links", li, end), f"link {end} {ref!r}: no card has that id{suggest(ref, card_ids)}")
                )
        if link.source == link.target:
            problems.append(Problem(("links", li), f"a link cannot join card {link.source!r} to itself"))
        pair = (link.source, link.target)
        if pair in links_seen:
            problems.append(Problem(("links", li), f"link {link.key} is listed twice"))
        reverse = links_seen.get((link.target, link.source))
        if reverse is not None and (link.two_way or bp.links[reverse].two_way):
            problems.append(
                Problem(("links", li), f"cards {link.source!r} and {link.target!r} are already linked both ways")
            )
        links_seen[pair] = li

    for oi, opportunity in enumerate(bp.opportunities):
        claim(opportunity.id, f"opportunity {opportunity.id!r}", ("opportunities", oi, "id"))
        for ti, target in enumerate(opportunity.targets):
            if target not in card_ids:
                problems.append(
                    Problem(
                        ("opportunities", oi, "targets", ti),
                        f"opportunity {opportunity.id!r} targets {target!r}: "
                        f"no card has that id{suggest(target, card_ids)}",
                    )
                )
    return problems
