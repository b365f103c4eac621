"""Blueprint documents as stored: canonical YAML text in, model out.

Parsing is the expensive part of reading a blueprint, and a stored version
never changes, so parsed versions are kept in a small cache, shared by
every reader; a caller that changes one gets a copy of its own (made outside
the cache's lock, and only of what it changes when it applies operations). The JSON of a
version's document is kept too, so JSON reads neither parse nor copy.
"""

from __future__ import annotations

import json
import re
from typing import Any

from stageline.formats import yaml_format
from stageline.model import Blueprint
from stageline.model.text import find_bad_text
from stageline.server.services.errors import Invalid
from stageline.server.services.recent import Recent


def parse(text: str, source: str = "upload") -> Blueprint:
    """A blueprint from YAML text; problems come back with line and column."""
    from stageline.formats.errors import FormatError

    try:
        blueprint: Blueprint = yaml_format.loads(text, source=source)
    except FormatError as error:
        problems = [problem.to_json() for problem in error.problems]
        first = error.problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise Invalid(
            f"line {first.line}, column {first.column}: {first.message}{more}",
            details={"problems": problems},
            code="invalid_yaml",
        ) from None
    return blueprint


# How the YAML writer escapes what text must not hold (NUL, control
# characters, lone surrogates): an odd number of backslashes, then the escape.
_UNSTORABLE_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*\\(?:0|a|b|v|f|e|x[01][0-9a-fA-F]|u[dD][89a-fA-F][0-9a-fA-F]{2}|u[fF]{3}[eEfF])"
)


def serialise(blueprint: Blueprint) -> str:
    """The stored form of `blueprint`; refuses (422, naming the field) text that
    could not be read back or stored, whichever way it got into the model."""
    text: str = yaml_format.dumps(blueprint)
    if "\\" in text and _UNSTORABLE_ESCAPE.search(text):  # a backslash is rare: most documents skip the scan
        bad = find_bad_text(blueprint.model_dump(mode="python", by_alias=True, exclude_none=True))
        if bad is not None:
            raise Invalid(f"{bad[0]} {bad[1]}", details={"field": bad[0]})
    return text


def document_data(text: str) -> dict[str, Any]:
    """A stored YAML document as JSON-ready data (same shape as the file)."""
    from stageline.formats import fast

    tree = fast.tree(text) if fast.ENABLED else None
    if tree is not None:
        return tree
    from ruamel.yaml import YAML

    data: dict[str, Any] = YAML(typ="safe", pure=True).load(text)
    return data


def document_json(text: str) -> str:
    """The JSON text of a stored document, written as the API's JSON responses write it."""
    return json.dumps(document_data(text), ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))


def search_text(blueprint: Blueprint) -> str:
    """Everything a search should find a blueprint by, lower-cased."""
    parts = [blueprint.title, blueprint.scenario, blueprint.persona, blueprint.goal]
    for stage in blueprint.stages:
        parts.append(stage.title)
        for step in stage.steps:
            parts.append(step.title)
    for _, card in blueprint.cards():
        parts.extend([card.text, card.actor, card.pain, card.notes])
    parts.extend(opportunity.title for opportunity in blueprint.opportunities)
    return "\n".join(part for part in parts if part).lower()


class DocumentCache:
    """Parsed versions, and the JSON of their documents, by (blueprint id, version number)."""

    def __init__(self, size: int = 256) -> None:
        self._items = Recent(size)
        self._json = Recent(size)

    def get(self, blueprint_id: int, version: int, text: str) -> Blueprint:
        """That version as a blueprint of the caller's own, to change at will."""
        return self.shared(blueprint_id, version, text).copy_deep()  # outside the lock: nothing changes it

    def shared(self, blueprint_id: int, version: int, text: str) -> Blueprint:
        """That version as the cache keeps it, shared with every other caller: read
        it, or change a copy (`copy_deep`, or `operations.copy_for` to apply
        operations), never the blueprint itself."""
        key = (blueprint_id, version)
        cached: Blueprint | None = self._items.lookup(key)
        if cached is not None:
            return cached
        parsed = parse(text, source=f"blueprint {blueprint_id} version {version}")
        parsed.index  # noqa: B018 -- built once here, never while readers share it
        self.put(blueprint_id, version, parsed, copy=False)
        return parsed

    def put(self, blueprint_id: int, version: int, blueprint: Blueprint, copy: bool = True) -> None:
        """Keep `blueprint` as that version; `copy=False` when the caller will never change it again."""
        self._items.put((blueprint_id, version), blueprint.copy_deep() if copy else blueprint)

    def json_text(self, blueprint_id: int, version: int, text: str) -> str:
        """The document of a version as JSON text (see `document_json`)."""
        return self._json.get((blueprint_id, version), lambda: document_json(text))

    def forget(self, blueprint_id: int) -> None:
        for table in (self._items, self._json):
            table.forget(lambda key: key[0] == blueprint_id)
