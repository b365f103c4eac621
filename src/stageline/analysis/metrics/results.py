"""The numbers of a blueprint, as a pydantic model with a stable JSON form.

Durations are seconds, money is in the blueprint's currency. `Metrics.headline()`
gives the flat dict the diff, the server and dashboards compare over time.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Part(BaseModel):
    model_config = ConfigDict(frozen=True)


class StepMetrics(Part):
    stage: str
    step: str
    title: str
    customer_time: float = Field(
        description="The step's time for the customer (docs/time-model.md): written waits, plus the longest visible "
        "lane, plus hidden work the customer waits for; seconds."
    )
    present: bool = Field(True, description="False when the customer is not present for the step.")
    wait: float
    backstage_time: float
    cost: float
    cards: int
    fail_points: int
    moments_of_truth: int
    actors: list[str]
    departments: list[str]


class StageMetrics(Part):
    stage: str
    title: str
    steps: int
    cards: int
    customer_time: float = Field(description="Time in service: the steps the customer is present for.")
    elapsed_time: float = Field(description="Every step, including those the customer is not present for.")
    wait: float
    backstage_time: float
    cost: float
    fail_points: int
    fail_point_risk: int
    moments_of_truth: int
    handoffs: int


class Handoffs(Part):
    """Links where work changes hands; a link counts once in `total` even when it is several kinds."""

    total: int
    between_actors: int
    between_departments: int
    internal_interaction: int = Field(description="Links crossing the line of internal interaction.")
    people_to_people: int = Field(0, description="Handoffs between two different people or teams.")
    people_to_system: int = Field(0, description="A person using a system, or a system passing work to a person.")


class Totals(Part):
    stages: int
    steps: int
    cards: int
    links: int
    customer_time: float = Field(description="Time in service (docs/time-model.md), seconds.")
    elapsed_time: float = Field(
        description="Time from the first step to the last, including steps the customer is not present for."
    )
    wait: float
    backstage_time: float
    cost: float
    tolerance: float | None
    tolerance_share: float | None = Field(description="Customer-facing time ÷ tolerance; above 1 is over.")
    moments_of_truth: int
    handoffs: Handoffs
    fail_points: int
    fail_point_risk: int = Field(description="Sum of severity × likelihood over fail points.")
    fail_points_without_recovery: int
    pain_points: int


class FailPointEntry(Part):
    card: str
    text: str
    card_text: str
    stage: str
    step: str
    lane: str
    visible: bool = Field(description="Above the line of visibility: the customer sees the failure.")
    severity: int | None
    likelihood: int | None
    risk: int
    recovery: str | None


class Responsibility(Part):
    """One row of the who-does-what matrix: an actor (or a department with no named actor)."""

    actor: str | None
    department: str | None
    cards: int
    lanes: list[str]
    steps: list[str]


class Dependency(Part):
    """Backstage or support work and the customer steps that depend on it: steps with a
    visible card its result reaches along the links' direction, through hidden work only."""

    card: str
    text: str
    lane: str
    stage: str
    step: str
    steps: list[str]
    actor: str | None = None


class ActorWorkload(Part):
    """One actor's share of the service (stageline.analysis.workload)."""

    actor: str
    kind: str = Field(description="person, team or system")
    seconds: float = Field(description="Work per customer, seconds.")
    share: float = Field(description="Share of the people's (or the systems') work.")
    cards: int
    steps: list[str]
    departments: list[str]
    capacity: int
    utilisation: float | None = Field(description="At the blueprint's arrival rate; None without one or a capacity.")


class PathCard(Part):
    card: str
    text: str
    step: str
    lane: str
    seconds: float = Field(description="The card's wait plus its (mean) duration.")


class CriticalPath(Part):
    """The longest path through the time model: per step the lane that sets its time
    (and the hidden work the customer waits for), with the step's waits."""

    cards: list[str]
    seconds: float
    path: list[PathCard] = Field(default_factory=list)
    longest_wait: PathCard | None = Field(None, description="The card with the longest written wait.")
    slowest_step: str | None = Field(None, description="The step with the most customer time.")


class EmotionPoint(Part):
    stage: str
    step: str
    title: str
    emotion: float | None = Field(description="Mean emotion (−2..+2) of the step's customer cards.")
    pain: list[str]


class Metrics(Part):
    title: str
    currency: str | None
    totals: Totals
    stages: list[StageMetrics]
    steps: list[StepMetrics]
    cards_per_lane: dict[str, int]
    fail_points: list[FailPointEntry] = Field(description="Ranked by risk, highest first.")
    fail_points_by_lane: dict[str, int]
    fail_points_by_side: dict[str, int] = Field(description="`visible` and `hidden`: sides of the line of visibility.")
    responsibilities: list[Responsibility]
    workload: list[ActorWorkload] = Field(default_factory=list, description="People first, then systems.")
    bottleneck: str | None = Field(
        None, description="The busiest person or team: highest utilisation, else largest share of the work."
    )
    single_points_of_failure: list[Dependency] = Field(
        description="Hidden work two or more customer steps need, most depended on first."
    )
    critical_path: CriticalPath
    emotion_curve: list[EmotionPoint]
    findings: dict[str, int] = Field(description="Check findings by severity.")

    def headline(self) -> dict[str, float]:
        """The numbers worth watching over time, flat, all floats."""
        totals = self.totals
        emotions = [point.emotion for point in self.emotion_curve if point.emotion is not None]
        numbers: dict[str, float] = {
            "customer_time": totals.customer_time,
            "elapsed_time": totals.elapsed_time,
            "wait_time": totals.wait,
            "backstage_time": totals.backstage_time,
            "cost": totals.cost,
            "steps": totals.steps,
            "cards": totals.cards,
            "moments_of_truth": totals.moments_of_truth,
            "handoffs": totals.handoffs.total,
            "fail_points": totals.fail_points,
            "fail_point_risk": totals.fail_point_risk,
            "fail_points_without_recovery": totals.fail_points_without_recovery,
            "pain_points": totals.pain_points,
            "single_points_of_failure": len(self.single_points_of_failure),
            "critical_path_time": self.critical_path.seconds,
            "findings_error": self.findings.get("error", 0),
            "findings_warning": self.findings.get("warning", 0),
            "findings_info": self.findings.get("info", 0),
        }
        if totals.tolerance is not None:
            numbers["tolerance_margin"] = totals.tolerance - totals.customer_time
        if emotions:
            numbers["emotion_mean"] = sum(emotions) / len(emotions)
            numbers["emotion_min"] = min(emotions)
        return {name: float(value) for name, value in numbers.items()}
