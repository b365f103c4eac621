"""SL6xx: work that serves nobody, work done twice, work done again."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from rapidfuzz import fuzz, process, utils

from stageline.analysis.checks.context import Context
from stageline.analysis.checks.finding import Hit, Severity
from stageline.analysis.checks.registry import rule
from stageline.model import Card, Place
from stageline.model.elements import CUSTOMER_LANE

# token_sort_ratio ≥ 90 keeps reworded duplicates ("Check ID of guest" / "Check
# guest ID") and drops cards that merely share words ("Check in" / "Check out").
SIMILARITY = 90
# Very short texts ("Pay", "Sign") match by accident; they need an exact match.
SHORT_TEXT = 8
EVIDENCE_LANE = "evidence"


@rule(
    "SL601",
    "orphan-work",
    Severity.WARNING,
    summary="Backstage or support work that nothing customer-visible depends on.",
    rationale="""
Everything below the line of visibility exists to support something the
customer experiences (Shostack 1984; Bitner, Ostrom & Morgan 2008). Work that
is neither in a step with a customer-visible card nor linked, directly or
through other cards and their steps, to one serves no customer action on this map: it is
possible waste, or a missing link.

Links count in both directions: work that feeds a contact and work triggered
by one both serve the customer; the arrow only says who starts the handoff.
Sitting in a customer's column is not enough in a blueprint that draws its
dependencies as links (two thirds or more of its hidden cards are linked): a chain
of links in one direction must join the card and something the customer sees,
either the contact triggers the work or the work's result reaches the contact.
Two cards that both only write into the same shared system do not depend on
each other, so touching a system a contact also uses does not count.
""",
    fix="Link the card to the customer-visible work it supports, move it into the step it "
    "serves, or remove it if nothing needs it.",
    example="""
stageline: 1
title: Coffee to go
stages:
  - id: buy
    title: Buy
    steps:
      - id: order
        customer: Order a coffee
        frontstage: {text: Take the order, actor: Barista}
      - id: night
        backstage: {text: Polish the espresso machine, actor: Cleaner}
""",
)
def orphan_work(ctx: Context) -> Iterator[Hit]:
    neighbours = ctx.graph.neighbours
    work = [(place, card) for place, card in ctx.places if ctx.is_backstage(place.lane) or ctx.is_support(place.lane)]
    if not work:
        return
    # A blueprint that draws its dependencies as links says what depends on what;
    # one that draws few links is read by its columns instead.
    draws_links = 3 * sum(bool(neighbours.get(card.id)) for _, card in work) >= 2 * len(work)
    served = _depended_on(ctx)
    for place, card in work:
        if card.id in served:
            continue
        in_customer_step = any(cards and ctx.is_visible(lane) for lane, cards in place.step.cells.items())
        if in_customer_step and not draws_links and not neighbours.get(card.id):
            continue
        yield Hit.at_card(
            place, card, f"{place.lane} work {card.text!r}: nothing the customer sees depends on it through links"
        )


def _depended_on(ctx: Context) -> set[str]:
    """Hidden cards the customer's contacts depend on through the links' direction.

    From every visible card: the work it triggers (its successors), and the work
    that feeds it (its predecessors); and so on from every card found, with one
    exception: a support system a contact merely writes into does not make what
    else writes into it a dependency (a shared system is not a chain).
    Two-way links count both ways."""
    place_of = ctx.place_of
    successors: dict[str, list[str]] = {}
    predecessors: dict[str, list[str]] = {}
    for link in ctx.bp.links:
        if link.source not in place_of or link.target not in place_of:
            continue
        pairs = [(link.source, link.target)] + ([(link.target, link.source)] if link.two_way else [])
        for source, target in pairs:
            successors.setdefault(source, []).append(target)
            predecessors.setdefault(target, []).append(source)
    visible = [card.id for place, card in ctx.places if ctx.is_visible(place.lane)]
    seen: set[str] = set(visible)
    feeds: set[str] = set(visible)  # cards whose feeders are dependencies too
    frontier = list(visible)
    while frontier:
        node = frontier.pop()
        for other in successors.get(node, ()):
            upstream = not ctx.is_support(place_of[other].lane)
            if other not in seen or (upstream and other not in feeds):
                seen.add(other)
                if upstream:
                    feeds.add(other)
                frontier.append(other)
        if node in feeds:
            for other in predecessors.get(node, ()):
                if other not in feeds:
                    seen.add(other)
                    feeds.add(other)
                    frontier.append(other)
    return {card_id for card_id in seen if ctx.is_hidden(place_of[card_id].lane)}


@rule(
    "SL602",
    "near-duplicate-cards",
    Severity.WARNING,
    summary="Two cards in the same lane, done by the same actor, say nearly the same thing.",
    rationale="""
Redundant steps are one of the wastes blueprinting is meant to expose: the
same check, entry or question done twice costs time on both sides of the line
of visibility (Shostack 1984 on execution time and profitability). Two near-
identical cards for the same actor are either repeated work or a step drawn
twice.
""",
    fix="Merge the cards if the work is done once, or reword them to say how they differ; "
    "link them if the second depends on the first.",
    example="""
stageline: 1
title: Hotel stay
stages:
  - id: arrive
    title: Arrive
    steps:
      - id: check-in
        customer: Check in
        frontstage: {text: Check the guest's ID, actor: Clerk}
      - id: keys
        customer: Collect the key card
        frontstage: {text: Check the guest ID, actor: Clerk}
""",
)
def near_duplicate_cards(ctx: Context) -> Iterator[Hit]:
    groups: dict[tuple[str, str], list[tuple[Place, Card]]] = defaultdict(list)
    for place, card in ctx.places:
        if place.lane == EVIDENCE_LANE:
            continue  # the same receipt or screen shown twice is consistency, not waste
        owner = (ctx.roster.of_card(card) or "").casefold()
        groups[(place.lane, owner)].append((place, card))
    for members in groups.values():
        if len(members) < 2:
            continue
        texts = [utils.default_process(card.text) for _, card in members]
        reported: set[int] = set()
        for i in range(len(members) - 1):
            if i in reported or not texts[i]:
                continue
            cutoff = SIMILARITY if len(texts[i]) >= SHORT_TEXT else 100
            matches = process.extract(
                texts[i], texts[i + 1 :], scorer=fuzz.token_sort_ratio, processor=None, score_cutoff=cutoff, limit=None
            )
            first_place, first = members[i]
            for _, score, offset in sorted(matches, key=lambda match: match[2]):
                j = i + 1 + offset
                if j in reported:
                    continue
                reported.add(j)
                place, card = members[j]
                same = "the same text as" if score == 100 else f"nearly the same text ({score:.0f}%) as"
                yield Hit.at_card(
                    place, card, f"{card.text!r} has {same} {first.text!r} in step {first_place.step.display_title!r}"
                )


@rule(
    "SL603",
    "rework-loop",
    Severity.WARNING,
    summary="One-way links form a cycle: work comes back to where it started.",
    rationale="""
A loop of handoffs is rework: a form sent back, a case reopened, a question
asked again. Loops multiply execution time and are a common source of fail
points (Shostack 1984; Chase & Stewart 1994). Two-way links are
codependencies, not loops, so only cycles of one-way links are reported.
""",
    fix="Find why the work returns (missing information, a failed check) and fix it at the "
    "source; if the loop is intended, model the exchange as a two-way link or ignore "
    "the rule on the first card.",
    example="""
stageline: 1
title: Loan application
stages:
  - id: application
    title: Apply
    steps:
      - id: apply
        customer: {id: submit, text: Submit the application}
        frontstage: {id: review, text: Review the application, actor: Advisor}
        backstage: {id: verify, text: Verify income, actor: Underwriter}
links:
  - {from: submit, to: review}
  - {from: review, to: verify}
  - {from: verify, to: review}
""",
)
def rework_loop(ctx: Context) -> Iterator[Hit]:
    for loop in ctx.graph.rework_loops():
        first = loop[0]
        cards = ", ".join(repr(ctx.card_of[card_id].text) for card_id in loop)
        yield Hit.at_card(ctx.place_of[first], ctx.card_of[first], f"rework loop through {len(loop)} cards: {cards}")


# -- the same thing asked or done twice ------------------------------------------
def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that carry no subject: articles, pronouns, the parties themselves.
_STOP = _word_set(
    "a an the of for to and or their his her your our its my with on in at by from into onto about again "
    "once more new same all any some this that these those it them they he she we you i be is are was "
    "were been customer customers client guest patient applicant user caller investor borrower citizen "
    "visitor please then up out over back in person online as re also there here now via using every each "
)
# Verbs of the service asking the customer for something (frontstage cards) ...
ASKING_VERBS = _word_set(
    "ask asks asked request requests requested collect collects take takes note notes record records capture "
    "captures gather gathers obtain obtains check checks verify verifies confirm confirms re-enter reenter "
    "questionnaire form"
)
# ... and of the customer giving it (customer cards).
GIVING_VERBS = _word_set(
    "fill fills complete completes provide provides give gives enter enters re-enter reenter submit submits "
    "upload uploads show shows present presents bring brings send sends hand hands supply supplies sign signs "
    "answer answers tell tells state states repeat repeats describe describes spell spells explain explains "
    "list lists confirm confirms questionnaire form"
)
REQUEST_VERBS = ASKING_VERBS | GIVING_VERBS
# Who is asked, and where, is not what is asked for.
ROLE_WORDS = _word_set(
    "desk counter phone website web app portal email doctor nurse physician clerk agent adviser advisor staff "
    "officer manager receptionist rep representative inspector mechanic cashier waiter broker assistant team "
    "reception front office branch"
)
ASKED_TWICE = 85
DUPLICATE_WORK = 90


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _words(text: str) -> list[str]:
    return [_stem(word) for word in utils.default_process(text).split() if word not in _STOP]


def _subject(
    text: str, parties: frozenset[str] = frozenset(), verbs: frozenset[str] = REQUEST_VERBS
) -> tuple[bool, str]:
    """Whether the card asks for (or hands over) something, and what: its words
    less the verbs, filler words and the names of the parties (who asks is not what)."""
    words = utils.default_process(text).split()
    asks = any(word in verbs for word in words)
    subject = [
        _stem(word)
        for word in words
        if len(word) > 1 and word not in _STOP and word not in REQUEST_VERBS and word not in parties
    ]
    return asks, " ".join(subject)


_CLAUSE = re.compile(r"[,;:]|\band\b|\bthen\b", re.IGNORECASE)


def _subjects(text: str, parties: frozenset[str], verbs: frozenset[str]) -> list[str]:
    """The subjects a card asks about: of the whole text, and of each clause with a request verb
    ("Ask the customer to describe the problem again, and agree a price" asks about the problem)."""
    asks, whole = _subject(text, parties, verbs)
    if not asks:
        return []
    found = [whole] if whole else []
    clauses = [clause for clause in _CLAUSE.split(text) if clause.strip()]
    if len(clauses) > 1:
        for clause in clauses:
            clause_asks, subject = _subject(clause, parties, verbs)
            if clause_asks and subject and subject not in found:
                found.append(subject)
    return found


def _same_subject(a: str, b: str) -> bool:
    """The same thing asked for: one subject contains the other (token set) without a single word lost in
    a longer one ("order" in "dessert order"), or most of the shorter subject's words (two or more) recur."""
    first, second = set(a.split()), set(b.split())
    common = first & second
    if len(common) >= 2 and len(common) >= 0.75 * min(len(first), len(second)):
        return True
    if fuzz.token_set_ratio(a, b) < ASKED_TWICE:
        return False
    return min(a.count(" "), b.count(" ")) >= 1 or fuzz.token_sort_ratio(a, b) >= ASKED_TWICE


def _parties(ctx: Context) -> frozenset[str]:
    names = [card.actor for _, card in ctx.places if card.actor] + [
        name for actor in ctx.bp.actors for name in actor.names
    ]
    words = {word for name in names for word in utils.default_process(name).split()}
    return frozenset(words | ROLE_WORDS)


@rule(
    "SL604",
    "customer-asked-twice",
    Severity.WARNING,
    summary="The customer is asked for the same thing (the same question, the same documents) in two steps or "
    "by two actors.",
    rationale="""
Asking customers again for what they already gave (their details at the desk
after the online form, their symptoms to the doctor after the triage nurse,
the same payslips to the underwriter after the adviser) is the redundancy
customers notice most: it costs their time, signals that the service does not
talk to itself, and is a classic target of service redesign (Shostack 1984 on
redundant steps; the GOV.UK Service Standard: do not ask users for
information you already have). Compared by their subject: the request verbs
(ask, provide, fill in, upload…) and filler words left out, texts are matched
with rapidfuzz's token set ratio. Evidence cards are never compared.
""",
    fix="Ask once and pass the answer on (a link labelled with what is handed over), or show the "
    "customer what they gave before and ask them only to confirm it; ignore the rule on the card if "
    "asking again is deliberate (a safety check).",
    example="""
stageline: 1
title: Emergency visit
stages:
  - id: care
    title: Care
    steps:
      - id: triage
        customer: Describe the symptoms to the triage nurse
        frontstage: {text: Ask about the symptoms, actor: Triage nurse}
      - id: exam
        customer: Describe the symptoms again to the doctor
        frontstage: {text: Examine the patient, actor: ED physician}
""",
)
def customer_asked_twice(ctx: Context) -> Iterator[Hit]:
    parties = _parties(ctx)
    candidates: list[tuple[Place, Card, list[str]]] = []
    for place, card in ctx.places:
        if place.lane != CUSTOMER_LANE and not ctx.is_frontstage(place.lane):
            continue
        verbs = GIVING_VERBS if place.lane == CUSTOMER_LANE else ASKING_VERBS
        subjects = [subject for subject in _subjects(card.text, parties, verbs) if len(subject) >= 3]
        if subjects:
            candidates.append((place, card, subjects))
    if len(candidates) < 2:
        return
    # One cheap pass finds the pairs worth a closer look: texts sharing a subject word.
    by_word: dict[str, set[int]] = defaultdict(set)
    for index, (_, _, subjects) in enumerate(candidates):
        for subject in subjects:
            for word in subject.split():
                by_word[word].add(index)
    reported: set[tuple[str, str]] = set()
    for j, (place, card, subjects) in enumerate(candidates):
        earlier = sorted({i for s in subjects for w in s.split() for i in by_word[w] if i < j})
        for i in earlier:
            first_place, first, first_subjects = candidates[i]
            if first_place.step.id == place.step.id:
                owners = {ctx.roster.of_card(first), ctx.roster.of_card(card)}
                if first_place.lane == CUSTOMER_LANE or place.lane == CUSTOMER_LANE or len(owners) < 2:
                    continue  # one exchange drawn from both sides of the line of interaction
            if not any(_same_subject(a, b) for a in first_subjects for b in subjects):
                continue
            key = (first_place.step.id, place.step.id)
            if key in reported:
                break
            reported.add(key)
            yield Hit.at_card(
                place,
                card,
                f"{card.text!r} asks the customer again for what {first.text!r} "
                f"(step {first_place.step.display_title!r}) already asked",
            )
            break


@rule(
    "SL605",
    "duplicate-work-across-departments",
    Severity.WARNING,
    summary="Two departments (or two different actors) do nearly the same work.",
    rationale="""
The same check, entry or verification done by two departments is redundancy
the customer pays for in time and the company in cost, and it is the typical
waste a blueprint exposes across silos (Shostack 1984; Bitner, Ostrom & Morgan
2008 on internal interaction). `near-duplicate-cards` covers one actor doing
the same thing twice; this rule covers different owners.
""",
    fix="Decide which department owns the work and pass its result on with a labelled link; remove the other card.",
    example="""
stageline: 1
title: Mortgage
stages:
  - id: apply
    title: Apply
    steps:
      - id: submit
        customer: Submit the application
        frontstage: {text: Review the application, actor: Mortgage adviser, department: Sales}
        backstage: {text: Verify the applicant's income, actor: Adviser assistant, department: Sales}
      - id: decide
        customer: Wait for the decision
        backstage: {text: Verify applicant income, actor: Underwriter, department: Credit}
""",
)
def duplicate_work_across_departments(ctx: Context) -> Iterator[Hit]:
    candidates: list[tuple[Place, Card, str, str]] = []
    for place, card in ctx.places:
        if ctx.is_customer_side(place.lane):
            continue
        owner = ctx.roster.of_card(card)
        words = _words(card.text)
        if owner is None or len(words) < 2:
            continue
        department = ctx.roster.department(owner, card) or owner
        candidates.append((place, card, " ".join(words), department))
    if len(candidates) < 2:
        return
    reported: set[int] = set()
    for j, i in _pairs_sharing_words([text for _, _, text, _ in candidates]):
        place, card, _, department = candidates[j]
        first_place, first, _, first_department = candidates[i]
        if j in reported or first_department.casefold() == department.casefold():
            continue
        reported.add(j)
        yield Hit.at_card(
            place,
            card,
            f"{card.text!r} ({department}) repeats {first.text!r} ({first_department}, "
            f"step {first_place.step.display_title!r})",
        )


def _pairs_sharing_words(texts: list[str]) -> Iterator[tuple[int, int]]:
    """(later, earlier) index pairs of near-identical texts, earliest first. Only texts sharing a word other
    than the commonest are compared: near-identical texts share their uncommon words, so the quadratic
    comparison runs only where it can match."""
    frequency: dict[str, int] = defaultdict(int)
    for text in texts:
        for word in set(text.split()):
            frequency[word] += 1
    common = max(8, len(texts) // 20)
    index: dict[str, list[int]] = defaultdict(list)
    for j, text in enumerate(texts):
        words = [w for w in set(text.split()) if frequency[w] <= common] or text.split()
        earlier = sorted({i for w in words for i in index[w]})
        for w in words:
            index[w].append(j)
        for i in earlier:
            if fuzz.token_sort_ratio(texts[i], text) >= DUPLICATE_WORK:
                yield j, i
