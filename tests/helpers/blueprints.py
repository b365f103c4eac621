"""Blueprints built in code, for tests that need one without a file."""

from __future__ import annotations

from stageline.model import Blueprint, BlueprintBuilder


def small_blueprint() -> Blueprint:
    """A small but complete blueprint: every lane, a link across each line, a fail point."""
    return (
        BlueprintBuilder("Overnight hotel stay", tolerance="2h", scenario="Business traveller, one night")
        .stage("arrival", "Arrival")
        .step(
            "check-in",
            evidence=["Desk", "Key card"],
            customer={"text": "Check in", "wait": "8m", "emotion": -1},
            frontstage={
                "id": "registration",
                "text": "Process registration",
                "actor": "Front desk clerk",
                "duration": "4m",
                "fail": {"text": "Room not ready", "recovery": "Offer lounge access", "severity": 4, "likelihood": 2},
            },
            backstage={"text": "Prepare key card", "actor": "Front desk clerk", "duration": "1m"},
            support="Registration system",
        )
        .stage("stay", "Stay")
        .step(
            "room",
            evidence="Room",
            customer={"text": "Go to the room", "duration": "5m", "emotion": 1},
            frontstage={"text": "Bellhop carries bags", "actor": "Bellhop", "duration": "5m"},
            backstage={"text": "Housekeeping readies room", "actor": "Housekeeping", "duration": "30m"},
            support="Housekeeping schedule",
        )
        .link("check-in.customer", "registration", two_way=True, label="Registration details")
        .link("registration", "check-in.backstage")
        .link("check-in.backstage", "check-in.support")
        .link("room.backstage", "room.support")
        .opportunity("mobile-key", "Mobile check-in", targets=["check-in.customer"], value=4, effort=3)
        .build()
    )
