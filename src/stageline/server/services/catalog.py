"""The blueprint templates people can start from (`stageline.templates`)."""

from __future__ import annotations

from dataclasses import dataclass

from stageline import templates
from stageline.model import Blueprint
from stageline.server.services.documents import parse
from stageline.server.services.errors import NotFound


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    title: str
    description: str


def available() -> list[TemplateInfo]:
    """Every template, with its title and a line about it."""
    found = []
    for item in templates.list_templates():
        try:
            blueprint = template_blueprint(item.name)
        except Exception:  # a template that does not load is left out of the list
            continue
        found.append(TemplateInfo(item.name, blueprint.title, item.description or blueprint.scenario or ""))
    return found


def template_text(name: str) -> str:
    names = templates.template_names()
    if name not in names:
        raise NotFound(f"no template named {name!r}; choose one of: {', '.join(names)}")
    return templates.template_text(name)


def template_blueprint(name: str) -> Blueprint:
    return parse(template_text(name), source=f"template {name}")
