"""The blueprint templates people can start from (`stageline.templates`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stageline.model import Blueprint
from stageline.server.services.documents import parse
from stageline.server.services.errors import NotFound


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    title: str
    description: str


def _module() -> Any:
    try:
        import stageline.templates as templates
    except ImportError:
        return None
    return templates


def _name(item: Any) -> str:
    return item if isinstance(item, str) else str(getattr(item, "name", item))


def available() -> list[TemplateInfo]:
    """Every template, with its title and a line about it ([] if none are installed)."""
    module = _module()
    if module is None or not hasattr(module, "list_templates"):
        return []
    found = []
    for item in module.list_templates():
        name = _name(item)
        title = getattr(item, "title", None)
        description = getattr(item, "description", None) or getattr(item, "summary", None)
        if not title:
            try:
                blueprint = template_blueprint(name)
            except Exception:  # a template that does not load is left out of the list
                continue
            title = blueprint.title
            description = description or blueprint.scenario
        found.append(TemplateInfo(name, str(title), str(description or "")))
    return found


def template_text(name: str) -> str:
    module = _module()
    if module is None or not hasattr(module, "template_text"):
        raise NotFound("no templates are installed")
    names = [_name(item) for item in module.list_templates()]
    if name not in names:
        raise NotFound(f"no template named {name!r}; choose one of: {', '.join(names)}")
    text: str = module.template_text(name)
    return text


def template_blueprint(name: str) -> Blueprint:
    return parse(template_text(name), source=f"template {name}")
