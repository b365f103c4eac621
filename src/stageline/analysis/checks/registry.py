"""The rules: each with a stable code, a name, a severity and the reasoning behind it.

Codes never change meaning once published (scripts and `ignore:` lists depend
on them); the hundreds group rules by theme:

    SL1xx structure    the grid: stages, steps and the five lanes
    SL2xx lines        interaction and visibility: who sees and answers what
    SL3xx fail points  where the service breaks and how it recovers
    SL4xx time         waits, time standards, the customer's tolerance and the simulated load
    SL5xx ownership    actors, departments and handoffs
    SL6xx waste        orphan work, redundant work, rework loops
    SL7xx experience   pain, emotion, evidence and the opportunities that address them
    SL9xx configuration the check settings themselves
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stageline.analysis.checks.finding import Hit, Severity
from stageline.model.integrity import suggest

if TYPE_CHECKING:
    from stageline.analysis.checks.context import Context

RuleFunction = Callable[["Context"], Iterable[Hit]]

CODE = re.compile(r"^SL\d{3}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
GROUP_PREFIX = re.compile(r"^SL\d{1,2}$", re.IGNORECASE)
GROUPS = {
    "SL1": "Structure",
    "SL2": "Lines of interaction and visibility",
    "SL3": "Fail points",
    "SL4": "Time",
    "SL5": "Ownership and handoffs",
    "SL6": "Waste",
    "SL7": "Customer experience",
    "SL9": "Configuration",
}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    fix: str
    example: str
    run: RuleFunction

    @property
    def group(self) -> str:
        return GROUPS[self.code[:3]]


class UnknownRuleError(ValueError):
    """A rule named in --select, --ignore or an API call that does not exist."""


_RULES: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}


def rule(
    code: str, name: str, severity: Severity, *, summary: str, rationale: str, fix: str, example: str
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under a code and a name."""

    def register(run: RuleFunction) -> RuleFunction:
        if not CODE.match(code) or code[:3] not in GROUPS:
            raise ValueError(f"rule code {code!r} must look like SL101 and belong to a group")
        if not NAME.match(name):
            raise ValueError(f"rule name {name!r} must be kebab-case")
        if code in _RULES or name in _BY_NAME:
            raise ValueError(f"rule {code} {name} is registered twice")
        registered = Rule(code, name, severity, summary, rationale.strip(), fix.strip(), example.strip() + "\n", run)
        _RULES[code] = registered
        _BY_NAME[name] = registered
        return run

    return register


def _load() -> None:
    # The rule modules register themselves on import.
    import stageline.analysis.checks.rules  # noqa: F401


def all_rules() -> list[Rule]:
    """Every rule, by code."""
    _load()
    return [_RULES[code] for code in sorted(_RULES)]


def get(token: str) -> Rule | None:
    """The rule with this code (any case) or name."""
    _load()
    return _RULES.get(token.strip().upper()) or _BY_NAME.get(token.strip().lower())


def split_tokens(values: Iterable[str]) -> Iterator[str]:
    """Tokens from repeated and comma-separated options: ['SL101,SL2', 'fail-point'] → 3 tokens."""
    for value in [values] if isinstance(values, str) else values:
        for token in value.split(","):
            if token.strip():
                yield token.strip()


def resolve(values: Iterable[str]) -> set[str]:
    """The codes meant by codes, names or group prefixes (`SL3` is every SL3xx rule).

    Raises UnknownRuleError naming every token that matches nothing, with a suggestion."""
    codes: set[str] = set()
    unknown: list[str] = []
    for token in split_tokens(values):
        found = expand(token)
        if found:
            codes |= found
        else:
            unknown.append(token)
    if unknown:
        listed = "; ".join(unknown_message(token) for token in unknown)
        raise UnknownRuleError(f"{listed}; `stageline check --list-rules` shows every rule")
    return codes


def expand(token: str) -> set[str]:
    """Codes matched by one token; empty when it names no rule."""
    _load()
    if GROUP_PREFIX.match(token):
        prefix = token.upper()
        return {code for code in _RULES if code.startswith(prefix)}
    found = get(token)
    return {found.code} if found else set()


def unknown_message(token: str) -> str:
    _load()
    hint = suggest(token.lower(), list(_BY_NAME)) or suggest(token.upper(), list(_RULES))
    return f"unknown rule {token!r}{hint}"
