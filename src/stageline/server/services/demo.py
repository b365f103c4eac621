"""Demo content for `stageline serve --demo`: the example blueprints (from the
source tree) or, when installed from a wheel, the packaged templates."""

from __future__ import annotations

import logging
from pathlib import Path

from stageline.model import Blueprint
from stageline.server.db.models import StateLink, Workspace
from stageline.server.services.base import Actor
from stageline.server.services.blueprints import Blueprints
from stageline.server.services.catalog import available, template_blueprint
from stageline.server.services.documents import parse
from stageline.server.services.errors import ServiceError
from stageline.server.services.workspaces import Workspaces

log = logging.getLogger("stageline.server")
EXAMPLES = Path(__file__).resolve().parents[4] / "examples"
DEMO_WORKSPACE = "Demo blueprints"


def demo_blueprints(examples: Path = EXAMPLES) -> list[tuple[str, Blueprint]]:
    """(where it came from, blueprint) for every example that loads."""
    found: list[tuple[str, Blueprint]] = []
    for path in sorted(examples.glob("*.yaml")) if examples.is_dir() else []:
        try:
            found.append((f"examples/{path.name}", parse(path.read_text(encoding="utf-8"), source=path.name)))
        except (ServiceError, OSError) as error:
            log.warning("demo: skipped %s: %s", path.name, error)
    if not found:
        for template in available():
            try:
                found.append((f"the template '{template.name}'", template_blueprint(template.name)))
            except ServiceError as error:
                log.warning("demo: skipped template %s: %s", template.name, error)
    return found


def seed_demo(workspaces: Workspaces, blueprints: Blueprints, actor: Actor, examples: Path = EXAMPLES) -> Workspace:
    """A workspace full of example blueprints, owned by `actor`. An example in
    the future state is linked to the current state of the same title, as
    "Create the future state" would have done, so Compare has a story to tell."""
    workspace = workspaces.create(actor, DEMO_WORKSPACE)
    with blueprints.db.write() as session:
        current: dict[str, int] = {}
        future: list[tuple[str, int]] = []
        for source, blueprint in demo_blueprints(examples):
            record = blueprints.create_in(session, actor, workspace.id, blueprint, f"Created from {source}")
            if blueprint.state == "future":
                future.append((blueprint.title, record.id))
            else:
                current.setdefault(blueprint.title, record.id)
        for title, future_id in future:
            if title in current:
                session.add(StateLink(future_id=future_id, current_id=current[title], created_by=actor.id))
    return workspace
