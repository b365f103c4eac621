"""Actors as identities: who a card's `actor` text refers to.

A blueprint may declare its actors (`actors:` with name, kind, department,
aliases, capacity, hours). Cards name an actor by its name or an alias; names
compare without regard to case, punctuation or spacing. Undeclared actor names
stand for themselves. Checks, metrics, workload and simulation all resolve
names here, so "Doctor" declared as an alias of "ED physician" is one actor
everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from rapidfuzz import fuzz

from stageline.model import Actor, Blueprint, Card

Kind = Literal["person", "team", "system"]

_WORD = re.compile(r"[a-z0-9]+")
# Words that mark an undeclared actor as a system or a team (workload reports them apart).
SYSTEM_WORDS = frozenset(
    {
        "system",
        "systems",
        "app",
        "application",
        "portal",
        "website",
        "web",
        "database",
        "db",
        "crm",
        "erp",
        "pms",
        "ehr",
        "emr",
        "api",
        "platform",
        "software",
        "engine",
        "kiosk",
        "terminal",
        "printer",
        "scanner",
        "bot",
        "chatbot",
        "ivr",
        "email",
        "sms",
        "tool",
        "machine",
        "pos",
        "ledger",
        "gateway",
        "register",
        "it",
    }
)
# Words that make a system wherever they stand in the name ("PMS lookup", "CRM record").
STRONG_SYSTEM_WORDS = frozenset({"pms", "crm", "erp", "ehr", "emr", "api", "ivr", "pos", "system", "systems", "app"})
TEAM_WORDS = frozenset(
    {"team", "department", "dept", "desk", "office", "unit", "staff", "crew", "centre", "center", "services"}
)
PLACEHOLDERS = frozenset(
    {"tbd", "tba", "tbc", "todo", "to do", "n a", "na", "none", "unknown", "someone", "somebody", "anyone", "xxx", "x"}
)


@lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """Lower case, words only: 'Front-desk  Clerk.' → 'front desk clerk'."""
    return " ".join(_WORD.findall(name.casefold()))


def is_placeholder(name: str | None) -> bool:
    """'TBD', '?', 'someone', 'n/a', '-' and the like: an owner nobody has named."""
    if name is None:
        return False
    words = normalise(name)
    return not words or words in PLACEHOLDERS or words.startswith(("tbd ", "to be ", "someone "))


def _initials(words: str) -> str:
    return "".join(word[0] for word in words.split())


def _singular(words: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words.split())


def same_actor_spelling(a: str, b: str) -> bool:
    """Two names that are very likely one actor spelt two ways: the same words,
    a plural, a typo, or initials ("RR" for "Registered rep")."""
    x, y = normalise(a), normalise(b)
    if not x or not y or x == y:
        return bool(x) and x == y
    if _singular(x) == _singular(y) or x.replace(" ", "") == y.replace(" ", ""):
        return True
    short, long = sorted((x, y), key=len)
    if " " not in short and 2 <= len(short) <= 5 and len(long.split()) >= 2 and short == _initials(long):
        return True
    return min(len(x), len(y)) >= 6 and fuzz.ratio(x, y) >= 88


def near_actor_name(a: str, b: str) -> bool:
    """`same_actor_spelling`, or one name is the other with words left out
    ("Clerk" for "Front desk clerk"): close enough that a resource must not
    silently miss the card."""
    if same_actor_spelling(a, b):
        return True
    x, y = set(normalise(a).split()), set(normalise(b).split())
    return bool(x and y) and (x <= y or y <= x)


@dataclass(frozen=True)
class ResolvedActor:
    name: str  # the declared name, or the name as first written on a card
    kind: Kind
    department: str | None
    declared: bool


class Roster:
    """The actors of a blueprint: declared ones and the names cards use."""

    def __init__(self, bp: Blueprint) -> None:
        self.bp = bp
        self._kinds: dict[str, Kind] = {}
        self.declared: dict[str, Actor] = {}
        for actor in bp.actors:
            for name in actor.names:
                self.declared.setdefault(normalise(name), actor)

    def canonical(self, name: str) -> str:
        """The declared name an actor text refers to, or the text itself."""
        actor = self.declared.get(normalise(name))
        return actor.name if actor is not None else name

    def actor(self, name: str) -> Actor | None:
        return self.declared.get(normalise(name))

    def of_card(self, card: Card) -> str | None:
        """The actor of a card (canonical), or its department when it names no actor."""
        if card.actor and not is_placeholder(card.actor):
            return self.canonical(card.actor)
        if card.department and not is_placeholder(card.department):
            return card.department
        return None

    def kind(self, name: str, lane: str | None = None) -> Kind:
        """Person, team or system: as declared, else from the name's words ("Booking system", "Housekeeping team")."""
        found = self._kinds.get(name)
        if found is None:
            found = self._kinds[name] = self._kind(name)
        return found

    def _kind(self, name: str) -> Kind:
        actor = self.actor(name)
        if actor is not None:
            return actor.kind
        words = normalise(name).split()
        if not words:
            return "person"
        if words[-1] in SYSTEM_WORDS or set(words) & STRONG_SYSTEM_WORDS:
            return "system"
        if words[-1] in TEAM_WORDS:
            return "team"
        return "person"

    def department(self, name: str, card: Card | None = None) -> str | None:
        actor = self.actor(name)
        if actor is not None and actor.department:
            return actor.department
        return card.department if card is not None else None

    @cached_property
    def used(self) -> list[str]:
        """Actor names as written on cards, in order of first use, each once."""
        seen: dict[str, None] = {}
        for _, card in self.bp.cards():
            if card.actor and not is_placeholder(card.actor):
                seen.setdefault(card.actor, None)
        return list(seen)

    def resolved(self, name: str, lane: str | None = None, card: Card | None = None) -> ResolvedActor:
        canonical = self.canonical(name)
        return ResolvedActor(
            canonical, self.kind(canonical, lane), self.department(canonical, card), canonical in self.names()
        )

    def names(self) -> set[str]:
        return {actor.name for actor in self.bp.actors}


def actor_of(bp: Blueprint, cards: Iterable[Card]) -> dict[str, str]:
    """Card id → canonical actor (or department) for the cards that name one."""
    roster = Roster(bp)
    found = {}
    for card in cards:
        owner = roster.of_card(card)
        if owner is not None:
            found[card.id] = owner
    return found
