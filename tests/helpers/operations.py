"""A hypothesis generator of operations aimed at a blueprint's current state."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from stageline.model import Blueprint, Card, Lane, Link, Opportunity, Stage, Step
from stageline.model.operations import (
    AddCard,
    AddLane,
    AddLink,
    AddOpportunity,
    AddStage,
    AddStep,
    MoveCard,
    MoveLane,
    MoveOpportunity,
    MoveStage,
    MoveStep,
    Operation,
    RemoveCard,
    RemoveLane,
    RemoveLink,
    RemoveOpportunity,
    RemoveStage,
    RemoveStep,
    Rename,
    SetProperty,
)

names = st.text(alphabet="abcdefghij", min_size=1, max_size=3)


def _existing(bp: Blueprint) -> dict[str, list[str]]:
    index = bp.index
    return {
        "card": sorted(index.cards),
        "step": sorted(index.steps),
        "stage": sorted(index.stages),
        "lane": [lane.id for lane in bp.lanes],
        "opportunity": sorted(index.opportunities),
        "link": sorted(index.links),
    }


@st.composite
def operation(draw: st.DrawFn, bp: Blueprint) -> Operation:
    """Any operation, aimed mostly at elements that exist (some deliberately invalid)."""
    have = _existing(bp)

    def pick(kind: str) -> str:
        pool = have[kind]
        return draw(st.sampled_from(pool)) if pool and draw(st.integers(0, 9)) else draw(names)

    small_index = st.integers(-1, 4)
    kind = draw(
        st.sampled_from(
            [
                "add_stage",
                "remove_stage",
                "move_stage",
                "add_step",
                "remove_step",
                "move_step",
                "add_lane",
                "remove_lane",
                "move_lane",
                "add_card",
                "remove_card",
                "move_card",
                "add_link",
                "remove_link",
                "add_opportunity",
                "remove_opportunity",
                "move_opportunity",
                "set",
                "rename",
            ]
        )
    )
    new_id = draw(names.map(lambda s: "n" + s))
    if kind == "add_stage":
        steps = [Step(id=new_id + "-s", cells={"customer": [Card(id=new_id + "-c", text="Do it")]})]
        return AddStage(stage=Stage(id=new_id, title="New", steps=steps), index=draw(st.none() | small_index))
    if kind == "remove_stage":
        return RemoveStage(id=pick("stage"))
    if kind == "move_stage":
        return MoveStage(id=pick("stage"), index=draw(small_index))
    if kind == "add_step":
        return AddStep(stage=pick("stage"), step=Step(id=new_id), index=draw(st.none() | small_index))
    if kind == "remove_step":
        return RemoveStep(id=pick("step"))
    if kind == "move_step":
        return MoveStep(id=pick("step"), stage=pick("stage"), index=draw(small_index))
    if kind == "add_lane":
        lane = Lane(id=new_id, title="Custom", visible=draw(st.booleans()))
        return AddLane(lane=lane, index=draw(st.none() | small_index))
    if kind == "remove_lane":
        return RemoveLane(id=pick("lane"))
    if kind == "move_lane":
        return MoveLane(id=pick("lane"), index=draw(small_index))
    if kind == "add_card":
        text = draw(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=8))
        card = Card(id=new_id, text=text, emotion=draw(st.none() | st.integers(-2, 2)))
        return AddCard(step=pick("step"), lane=pick("lane"), card=card, index=draw(st.none() | small_index))
    if kind == "remove_card":
        return RemoveCard(id=pick("card"))
    if kind == "move_card":
        return MoveCard(id=pick("card"), step=pick("step"), lane=pick("lane"), index=draw(st.none() | small_index))
    if kind == "add_link":
        link = Link(source=pick("card"), target=pick("card"), two_way=draw(st.booleans()))
        return AddLink(link=link, index=draw(st.none() | small_index))
    if kind == "remove_link":
        key = pick("link")
        source, _, target = key.partition("->")
        return RemoveLink(source=source, target=target or "x")
    if kind == "add_opportunity":
        targets = draw(st.lists(st.sampled_from(have["card"] or ["zz"]), max_size=2, unique=True))
        return AddOpportunity(opportunity=Opportunity(id=new_id, title="Idea", targets=targets))
    if kind == "remove_opportunity":
        return RemoveOpportunity(id=pick("opportunity"))
    if kind == "move_opportunity":
        return MoveOpportunity(id=pick("opportunity"), index=draw(small_index))
    if kind == "rename":
        return Rename(id=pick(draw(st.sampled_from(["card", "step", "stage", "opportunity", "lane"]))), new_id=new_id)
    target_kind = draw(st.sampled_from(list(_FIELDS)))
    target = None if target_kind == "blueprint" else pick(target_kind)
    field, value = draw(st.sampled_from(_FIELDS[target_kind] + _INVALID_FIELDS))
    return SetProperty(target=target, field=field, value=value)


_FIELDS: dict[str, list[tuple[str, Any]]] = {
    "card": [
        ("text", "Renamed"),
        ("actor", "Clerk"),
        ("actor", None),
        ("duration", "5m"),
        ("emotion", 2),
        ("duration", {"dist": "exponential", "mean": 60}),
        ("fail", {"text": "Breaks", "severity": 2}),
        ("tags", ["a", "b"]),
        ("basis", "observed"),
        ("emotion", 7),
        ("basis", "guessed"),
    ],
    "step": [("title", "T"), ("title", None)],
    "stage": [("title", "Stage"), ("title", None)],
    "lane": [("title", "Lane"), ("visible", False), ("visible", True)],
    "opportunity": [
        ("value", 3),
        ("status", "done"),
        ("status", "in-progress"),
        ("targets", []),
        ("targets", ["nowhere"]),
        ("value", 9),
        ("change", "Desk=+1"),
        ("change", ["a.duration=*0.5", ""]),
        ("due", "2027-03-31"),
        ("due", "2027-02-30"),
        ("due", 20270331),
        ("measure", "Time to key"),
    ],
    "link": [("two_way", True), ("label", "L"), ("from", "x"), ("p", 0.5), ("p", 2)],
    "blueprint": [("tolerance", "1h"), ("state", "future"), ("title", "B"), ("lanes", []), ("tolerance", "soon")],
}
_INVALID_FIELDS: list[tuple[str, Any]] = [("id", "x"), ("cells", {}), ("nonsense", 1)]
