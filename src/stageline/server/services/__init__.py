"""The domain layer: the only code that reads and writes the tables.

Every public method takes the acting person and checks their role before it
touches anything (see `access.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from stageline.formats.ingest import Limits
from stageline.server.db import Database
from stageline.server.security.passwords import Passwords
from stageline.server.security.ratelimit import SigninLimiter
from stageline.server.services.accounts import Accounts
from stageline.server.services.blueprints import Blueprints
from stageline.server.services.cases import BusinessCases
from stageline.server.services.comments import Comments
from stageline.server.services.comparisons import Comparisons
from stageline.server.services.documents import DocumentCache
from stageline.server.services.importing import import_limits
from stageline.server.services.insights import Insights
from stageline.server.services.opportunities import Opportunities
from stageline.server.services.sharing import Sharing
from stageline.server.services.simulate import Simulations
from stageline.server.services.states import States
from stageline.server.services.workspaces import Workspaces
from stageline.server.settings import Settings


@dataclass
class Services:
    db: Database
    accounts: Accounts
    workspaces: Workspaces
    blueprints: Blueprints
    sharing: Sharing
    comments: Comments
    insights: Insights
    simulations: Simulations
    states: States
    comparisons: Comparisons
    opportunities: Opportunities
    cases: BusinessCases
    # How large a file the web app imports (journey maps, blueprints, event logs): the server's setting.
    import_limits: Limits = field(default_factory=import_limits)

    @classmethod
    def build(cls, db: Database, settings: Settings) -> Services:
        cache = DocumentCache()
        passwords = Passwords(settings.password_time_cost, settings.password_memory_cost)
        limiter = SigninLimiter(settings.signin_failures, settings.signin_window_seconds)
        blueprints = Blueprints(db, cache, settings.trash_days)
        simulations = Simulations(blueprints)
        states = States(db, blueprints)
        cases = BusinessCases(blueprints, states, simulations)
        blueprints.committed.append(cases.started)
        return cls(
            db=db,
            accounts=Accounts(db, passwords, limiter, settings.session_days),
            workspaces=Workspaces(db),
            blueprints=blueprints,
            sharing=Sharing(db, cache),
            comments=Comments(db, cache),
            insights=Insights(),
            simulations=simulations,
            states=states,
            comparisons=Comparisons(blueprints),
            opportunities=Opportunities(blueprints),
            cases=cases,
            import_limits=import_limits(settings.max_import_bytes),
        )
