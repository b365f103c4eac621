"""Current state and future state: a future state starts as a copy of a
current-state blueprint (`state: future`) and stays linked to it, so both
can always show what the redesign changes.

The file format has no field for the link (a blueprint is one scenario in one
state), so it is kept in the `state_links` table; the YAML of both stays plain
format v1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from stageline.model.operations import SetProperty
from stageline.server.db import Database
from stageline.server.db.models import BlueprintRecord, StateLink
from stageline.server.services.access import Action, Role
from stageline.server.services.base import Actor, blueprint_role, require_blueprint, workspace_role
from stageline.server.services.blueprints import Blueprints
from stageline.server.services.errors import Forbidden, Invalid


@dataclass(frozen=True)
class Linked:
    record: BlueprintRecord
    role: Role


@dataclass(frozen=True)
class StateLinks:
    """The blueprints linked to one: the current state it was created from
    (for a future state) and the future states created from it. Only those
    the person may see and that are not in the trash."""

    current: Linked | None = None
    futures: list[Linked] = field(default_factory=list)

    @property
    def partner(self) -> Linked | None:
        """The blueprint to compare with by default: the current state, or the newest future state."""
        return self.current or (self.futures[-1] if self.futures else None)

    def __bool__(self) -> bool:
        return self.current is not None or bool(self.futures)


class States:
    def __init__(self, db: Database, blueprints: Blueprints) -> None:
        self.db = db
        self.blueprints = blueprints

    def create_future(self, actor: Actor, blueprint_id: int) -> BlueprintRecord:
        """Copy a current-state blueprint as its future state, in the same
        workspace, linked to it. Needs the editor role in the workspace."""
        opened = self.blueprints.open(actor, blueprint_id)
        if opened.blueprint.state != "current":
            raise Invalid(
                f"'{opened.record.title}' is already a future state; create future states from a current state",
                code="not_current_state",
            )
        future = opened.blueprint.copy_deep()
        SetProperty(field="state", value="future").apply(future)
        how = f"Created as the future state of '{opened.record.title}' (version {opened.record.version})"
        with self.db.write() as session:
            source, _ = require_blueprint(session, actor, blueprint_id, Action.VIEW)
            if workspace_role(session, actor.id, source.workspace_id) is None:
                raise Forbidden(
                    "a future state is created in the workspace of its current state, and you are not a member of it; "
                    "ask an owner of the workspace to invite you as an editor"
                )
            record = self.blueprints.create_in(session, actor, source.workspace_id, future, how)
            session.add(StateLink(future_id=record.id, current_id=source.id, created_by=actor.id))
        return record

    def links(self, actor: Actor, blueprint_id: int) -> StateLinks:
        with self.db.read() as session:
            require_blueprint(session, actor, blueprint_id, Action.VIEW)
            current_id = session.scalar(select(StateLink.current_id).where(StateLink.future_id == blueprint_id))
            futures_of = select(StateLink.future_id).where(StateLink.current_id == blueprint_id)
            future_ids = list(session.scalars(futures_of.order_by(StateLink.future_id)))
            current = self._visible(session, actor, current_id) if current_id is not None else None
            futures = [found for found in (self._visible(session, actor, i) for i in future_ids) if found]
        return StateLinks(current, futures)

    @staticmethod
    def _visible(session: Session, actor: Actor, blueprint_id: int) -> Linked | None:
        record = session.get(BlueprintRecord, blueprint_id)
        if record is None or record.deleted_at is not None:
            return None
        role = blueprint_role(session, actor.id, record)
        return Linked(record, role) if role is not None else None
