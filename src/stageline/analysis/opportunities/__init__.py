"""From blueprint to action: each opportunity's simulated business case, and
what a future state means for each team.

    report = cost_opportunities(bp, seed=1, replications=5, load_future=future_loader("hotel.yaml"))
    report.to_json()                     # the contract of `stageline opportunities --format json`
    plan = team_plan(current, future)
    plan.to_json(); plan.to_csv(); plan.to_markdown()

docs/opportunities.md explains both.
"""

from stageline.analysis.opportunities.costing import (
    DEFAULT_REPLICATIONS,
    EFFECTS,
    Costed,
    Effect,
    NotCosted,
    OpportunityError,
    OpportunityReport,
    cost_opportunities,
    future_loader,
    same_service,
)
from stageline.analysis.opportunities.plan import CSV_COLUMNS, Plan, TeamPlan, team_of, team_plan

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_REPLICATIONS",
    "EFFECTS",
    "Costed",
    "Effect",
    "NotCosted",
    "OpportunityError",
    "OpportunityReport",
    "Plan",
    "TeamPlan",
    "cost_opportunities",
    "future_loader",
    "same_service",
    "team_of",
    "team_plan",
]
