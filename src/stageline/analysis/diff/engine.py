"""Compare two blueprints: match their elements, then report what was added,
removed, changed and moved, and how the headline numbers moved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from stageline.analysis.diff.deltas import metric_deltas
from stageline.analysis.diff.fields import compare, values
from stageline.analysis.diff.matching import Matching, match
from stageline.analysis.diff.order import out_of_order
from stageline.analysis.diff.result import BlueprintDiff, Change, Entry, Kind, Location, Move
from stageline.model import Blueprint, Card, Link, Opportunity, Place


def diff(old: Blueprint, new: Blueprint, *, metrics: bool = True) -> BlueprintDiff:
    """What changed from `old` to `new`. With `metrics`, also the headline
    numbers and check findings of both (needs the metrics and checks engines)."""
    matching = match(old, new)
    result = BlueprintDiff(old=old, new=new)
    _Comparison(old, new, matching, result).run()
    result.matches = {
        "lane": dict(matching.lanes),
        "stage": dict(matching.stages),
        "step": dict(matching.steps),
        "card": dict(matching.cards),
        "link": dict(matching.links),
        "opportunity": dict(matching.opportunities),
    }
    if metrics:
        result.metrics = metric_deltas(old, new)
    return result


def card_label(card: Card) -> str:
    return card.text


def link_label(texts: dict[str, str], link: Link) -> str:
    """`Check in ↔ Register guest`, from the texts of the cards by id."""
    arrow = "↔" if link.two_way else "→"
    return f"{texts.get(link.source, link.source)} {arrow} {texts.get(link.target, link.target)}"


def card_location(place: Place) -> Location:
    return Location("card", place.position, place.stage.id, place.step.id, place.lane)


class _Comparison:
    def __init__(self, old: Blueprint, new: Blueprint, matching: Matching, result: BlueprintDiff) -> None:
        self.old, self.new, self.matching, self.result = old, new, matching, result

    def run(self) -> None:
        self._blueprint()
        self._lanes()
        self._stages()
        self._steps()
        self._cards()
        self._links()
        self._opportunities()

    # -- helpers -------------------------------------------------------------
    def _change(
        self,
        kind: Kind,
        old_id: str | None,
        new_id: str | None,
        label: str,
        fields: dict[str, tuple[object, object]],
        at: Location | None = None,
    ) -> None:
        if old_id != new_id and kind != "link":
            fields = {"id": (old_id, new_id), **fields}
        if fields:
            self.result.changed.append(Change(kind, new_id, old_id, label, fields, at))

    def _additions(self, kind: Kind, items: Iterator[tuple[str, str, Location]], matched: set[str]) -> None:
        for element_id, label, at in items:
            if element_id not in matched:
                self.result.added.append(Entry(kind, element_id, label, at))

    def _removals(self, kind: Kind, items: Iterator[tuple[str, str, Location]], matches: dict[str, str]) -> None:
        for element_id, label, at in items:
            if element_id not in matches:
                self.result.removed.append(Entry(kind, element_id, label, at))

    def _reorders(
        self,
        kind: Kind,
        groups: dict[object, tuple[list[str], list[str]]],
        locate_old: Callable[[str], Location],
        locate_new: Callable[[str], Location],
        label: Callable[[str], str],
        already: set[str],
    ) -> None:
        """Report elements (new ids) that left their place among the same neighbours."""
        reverse = {new: old for old, new in self._table(kind).items()}
        for before, after in groups.values():
            for new_id in sorted(out_of_order(before, after) - already, key=after.index):
                old_id = reverse[new_id]
                self.result.moved.append(
                    Move(kind, new_id, old_id, label(new_id), locate_old(old_id), locate_new(new_id))
                )

    def _table(self, kind: Kind) -> dict[str, str]:
        m = self.matching
        tables = {
            "lane": m.lanes,
            "stage": m.stages,
            "step": m.steps,
            "card": m.cards,
            "link": m.links,
            "opportunity": m.opportunities,
        }
        return tables[kind]

    # -- the blueprint's own properties ----------------------------------------
    def _blueprint(self) -> None:
        fields = compare(self.old, self.new, "blueprint")
        if fields:
            self.result.changed.append(Change("blueprint", None, None, self.new.title, fields))

    # -- lanes ---------------------------------------------------------------
    def _lanes(self) -> None:
        old, new, table = self.old, self.new, self.matching.lanes
        self._removals("lane", ((lane.id, lane.title, Location("lane", i)) for i, lane in enumerate(old.lanes)), table)
        matched = set(table.values())
        for i, lane in enumerate(new.lanes):
            if lane.id not in matched:
                self.result.added.append(Entry("lane", lane.id, lane.title, Location("lane", i)))
        for old_id, new_id in table.items():
            lane = new.lane(new_id)
            self._change(
                "lane",
                old_id,
                new_id,
                lane.title,
                compare(old.lane(old_id), lane, "lane"),
                Location("lane", new.index.lanes[new_id]),
            )
        before = [table[i] for i in old.lane_ids() if i in table]
        after = [i for i in new.lane_ids() if i in matched]
        self._reorders(
            "lane",
            {None: (before, after)},
            lambda i: Location("lane", old.index.lanes[i]),
            lambda i: Location("lane", new.index.lanes[i]),
            lambda i: new.lane(i).title,
            set(),
        )

    # -- stages --------------------------------------------------------------
    def _stage_at(self, bp: Blueprint, stage_id: str) -> Location:
        return Location("stage", bp.stages.index(bp.stage(stage_id)))

    def _stages(self) -> None:
        old, new, table = self.old, self.new, self.matching.stages
        self._removals("stage", ((s.id, s.title, self._stage_at(old, s.id)) for s in old.stages), table)
        reverse = {n: o for o, n in table.items()}
        matched = set(reverse)
        self._additions("stage", ((s.id, s.title, self._stage_at(new, s.id)) for s in new.stages), matched)
        for stage in new.stages:
            old_id = reverse.get(stage.id)
            if old_id is not None:
                fields = compare(old.stage(old_id), stage, "stage")
                self._change("stage", old_id, stage.id, stage.title, fields, self._stage_at(new, stage.id))
        before = [table[s.id] for s in old.stages if s.id in table]
        after = [s.id for s in new.stages if s.id in matched]
        self._reorders(
            "stage",
            {None: (before, after)},
            lambda i: self._stage_at(old, i),
            lambda i: self._stage_at(new, i),
            lambda i: new.stage(i).title,
            set(),
        )

    # -- steps ---------------------------------------------------------------
    @staticmethod
    def _step_at(bp: Blueprint, step_id: str) -> Location:
        stage, step = bp.index.steps[step_id]
        return Location("step", stage.steps.index(step), stage=stage.id)

    def _steps(self) -> None:
        old, new, table = self.old, self.new, self.matching.steps
        self._removals("step", ((st.id, st.display_title, self._step_at(old, st.id)) for _, st in old.steps()), table)
        reverse = {n: o for o, n in table.items()}
        self._additions(
            "step", ((st.id, st.display_title, self._step_at(new, st.id)) for _, st in new.steps()), set(reverse)
        )
        relocated: set[str] = set()
        groups: dict[object, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for stage, step in new.steps():
            old_id = reverse.get(step.id)
            if old_id is None:
                continue
            old_stage, old_step = old.index.steps[old_id]
            self._change(
                "step",
                old_id,
                step.id,
                step.display_title,
                compare(old_step, step, "step"),
                self._step_at(new, step.id),
            )
            if self.matching.stages.get(old_stage.id) != stage.id:
                relocated.add(step.id)
                self.result.moved.append(
                    Move(
                        "step",
                        step.id,
                        old_id,
                        step.display_title,
                        self._step_at(old, old_id),
                        self._step_at(new, step.id),
                    )
                )
            else:
                groups[stage.id][1].append(step.id)
        for old_stage in old.stages:
            for step in old_stage.steps:
                new_id = table.get(step.id)
                if new_id is not None and new_id not in relocated:
                    groups[self.matching.stages[old_stage.id]][0].append(new_id)
        self._reorders(
            "step",
            groups,
            lambda i: self._step_at(old, i),
            lambda i: self._step_at(new, i),
            lambda i: new.step(i).display_title,
            relocated,
        )

    # -- cards ---------------------------------------------------------------
    def _cards(self) -> None:
        old, new, table = self.old, self.new, self.matching.cards
        old_places, new_places = old.index.cards, new.index.cards
        new_texts = {card.id: card.text for _, card in new.cards()}
        self._removals("card", ((c.id, c.text, card_location(p)) for p, c in old.cards()), table)
        reverse = {n: o for o, n in table.items()}
        self._additions("card", ((c.id, c.text, card_location(p)) for p, c in new.cards()), set(reverse))
        relocated: set[str] = set()
        groups: dict[object, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for place, card in new.cards():
            old_id = reverse.get(card.id)
            if old_id is None:
                continue
            old_place = old_places[old_id]
            old_card = old_place.step.cells[old_place.lane][old_place.position]
            self._change("card", old_id, card.id, card.text, compare(old_card, card, "card"), card_location(place))
            same_cell = (
                self.matching.steps.get(old_place.step.id) == place.step.id
                and self.matching.lanes.get(old_place.lane) == place.lane
            )
            if same_cell:
                groups[(place.step.id, place.lane)][1].append(card.id)
            else:
                relocated.add(card.id)
                self.result.moved.append(
                    Move("card", card.id, old_id, card.text, card_location(old_place), card_location(place))
                )
        for _, card in old.cards():
            new_id = table.get(card.id)
            if new_id is not None and new_id not in relocated:
                new_place = new_places[new_id]
                groups[(new_place.step.id, new_place.lane)][0].append(new_id)
        self._reorders(
            "card",
            groups,
            lambda i: card_location(old_places[i]),
            lambda i: card_location(new_places[i]),
            lambda i: new_texts[i],
            relocated,
        )

    # -- links ---------------------------------------------------------------
    def _links(self) -> None:
        old, new, m = self.old, self.new, self.matching
        old_texts = {card.id: card.text for _, card in old.cards()}
        new_texts = {card.id: card.text for _, card in new.cards()}
        old_links = old.index.links
        for i, link in enumerate(old.links):
            if link.key not in m.links:
                self.result.removed.append(Entry("link", link.key, link_label(old_texts, link), Location("link", i)))
        reverse = {n: o for o, n in m.links.items()}
        for i, link in enumerate(new.links):
            at = Location("link", i)
            old_key = reverse.get(link.key)
            if old_key is None:
                self.result.added.append(Entry("link", link.key, link_label(new_texts, link), at))
                continue
            old_link = old_links[old_key]
            fields = compare(old_link, link, "link")
            if old_key in m.reversed_links and not (old_link.two_way and link.two_way):
                fields = {"from": (old_link.source, link.source), "to": (old_link.target, link.target), **fields}
            if fields:
                self.result.changed.append(Change("link", link.key, old_key, link_label(new_texts, link), fields, at))

    # -- opportunities ---------------------------------------------------------
    def _opportunities(self) -> None:
        old, new, m = self.old, self.new, self.matching
        index = {o.id: i for i, o in enumerate(new.opportunities)}
        old_index = {o.id: i for i, o in enumerate(old.opportunities)}
        self._removals(
            "opportunity",
            ((o.id, o.title, Location("opportunity", old_index[o.id])) for o in old.opportunities),
            m.opportunities,
        )
        reverse = {n: o for o, n in m.opportunities.items()}
        self._additions(
            "opportunity",
            ((o.id, o.title, Location("opportunity", index[o.id])) for o in new.opportunities),
            set(reverse),
        )
        for opportunity in new.opportunities:
            old_id = reverse.get(opportunity.id)
            if old_id is not None:
                before = old.opportunity(old_id)
                fields = self._opportunity_fields(before, opportunity)
                self._change(
                    "opportunity",
                    old_id,
                    opportunity.id,
                    opportunity.title,
                    fields,
                    Location("opportunity", index[opportunity.id]),
                )
        before_order = [m.opportunities[o.id] for o in old.opportunities if o.id in m.opportunities]
        after_order = [o.id for o in new.opportunities if o.id in reverse]
        self._reorders(
            "opportunity",
            {None: (before_order, after_order)},
            lambda i: Location("opportunity", old_index[i]),
            lambda i: Location("opportunity", index[i]),
            lambda i: new.opportunity(i).title,
            set(),
        )

    def _opportunity_fields(self, old: Opportunity, new: Opportunity) -> dict[str, tuple[object, object]]:
        # Targets are cards: a renamed card is still the same target.
        translated = values(old, "opportunity")
        if old.targets:
            translated["targets"] = [self.matching.cards.get(t, t) for t in old.targets]
        fields = compare(old, new, "opportunity", old_values=translated)
        if "targets" in fields:
            fields["targets"] = (list(old.targets), fields["targets"][1])
        return fields
