"""What a check reports: a finding, where it is, how bad it is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from stageline.model import Card, Place, Stage, Step


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: error 3, warning 2, info 1."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def at_least(self, threshold: Severity) -> bool:
        return self.rank >= threshold.rank


# Keys and list indexes from the top of the file to a field outside the grid:
# ("opportunities", 2, "change", 1) is the second change of the third opportunity.
FieldPath = tuple[str | int, ...]


class Finding(BaseModel):
    """One problem found in a blueprint. Ids are those written in the file;
    a field is None where it does not apply (a blueprint-wide finding has no stage).
    `path` places a finding about a field outside the grid (an opportunity's
    `change`) at that field in the file; it is not part of the JSON."""

    model_config = ConfigDict(frozen=True)

    rule: str
    name: str
    severity: Severity
    message: str
    stage: str | None = None
    step: str | None = None
    lane: str | None = None
    card: str | None = None
    fix: str = ""
    path: FieldPath = ()

    def to_json(self) -> dict[str, str | None]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "stage": self.stage,
            "step": self.step,
            "lane": self.lane,
            "card": self.card,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class Hit:
    """What a rule reports; the runner adds the rule's code, name, severity and fix
    (`fix`, when given, says what to do about this finding in place of the rule's fix)."""

    message: str
    stage: str | None = None
    step: str | None = None
    lane: str | None = None
    card: str | None = None
    path: FieldPath = ()
    fix: str | None = None

    @classmethod
    def at_card(cls, place: Place, card: Card, message: str) -> Hit:
        return cls(message, place.stage.id, place.step.id, place.lane, card.id)

    @classmethod
    def at_step(cls, stage: Stage, step: Step, message: str) -> Hit:
        return cls(message, stage.id, step.id)

    @classmethod
    def at_stage(cls, stage: Stage, message: str) -> Hit:
        return cls(message, stage.id)
