"""The links of a blueprint as a graph: reachability, loops and the longest chain.

Checks and metrics share one reading of the arrows (NN/g, Gibbons 2017):

* a one-way link is a handoff: work flows from `source` to `target`;
* a two-way link is a codependency: each side needs the other. For flow it is
  oriented in reading order (earlier step first, then upper lane first), so a
  codependency never looks like a loop by itself. Rework loops are cycles of
  handoffs only.

Everything here is linear in cards plus links; a blueprint of thousands of
cards is analysed in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from stageline.model import Blueprint


def strongly_connected_components(nodes: Sequence[str], successors: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so that long chains do not hit the recursion limit.

    Components come out in reverse topological order (a component before the
    ones that lead to it); nodes inside a component keep their discovery order.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            following = successors.get(node, ())
            descended = False
            while child < len(following):
                nxt = following[child]
                child += 1
                if nxt not in index:
                    work.append((node, child))
                    work.append((nxt, 0))
                    descended = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if descended:
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                component.reverse()
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


@dataclass
class Chain:
    """The longest chain through the links, weighted by card durations."""

    cards: list[str]
    seconds: float


def longest_chain(
    nodes: Sequence[str], successors: Mapping[str, Sequence[str]], weight: Callable[[str], float]
) -> Chain:
    """The heaviest path after condensing cycles: each loop counts once, its cards in order."""
    components = strongly_connected_components(nodes, successors)
    owner: dict[str, int] = {}
    for number, component in enumerate(components):
        for node in component:
            owner[node] = number
    component_weight = [sum(weight(node) for node in component) for component in components]
    best = [0.0] * len(components)
    after: list[int | None] = [None] * len(components)
    # Tarjan emits sinks first, so every successor component is final before
    # the components that lead to it are scored.
    for number, component in enumerate(components):
        tail, tail_weight = None, 0.0
        for node in component:
            for nxt in successors.get(node, ()):
                other = owner[nxt]
                if other != number and best[other] > tail_weight:
                    tail, tail_weight = other, best[other]
        best[number] = component_weight[number] + tail_weight
        after[number] = tail
    if not components:
        return Chain([], 0.0)
    # Ties go to the component met first in reading order.
    order = nodes_order(nodes)
    first_seen = [min(order[node] for node in component) for component in components]
    start = max(range(len(components)), key=lambda n: (best[n], -first_seen[n]))
    path: list[str] = []
    current: int | None = start
    while current is not None:
        path.extend(components[current])
        current = after[current]
    return Chain(path, best[start])


def nodes_order(nodes: Sequence[str]) -> dict[str, int]:
    return {node: i for i, node in enumerate(nodes)}


@dataclass
class LinkGraph:
    """Cards as nodes, links as edges, in the blueprint's reading order."""

    nodes: list[str]
    flow: dict[str, list[str]] = field(default_factory=dict)
    handoffs: dict[str, list[str]] = field(default_factory=dict)
    neighbours: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, bp: Blueprint) -> LinkGraph:
        lane_rank = {lane.id: i for i, lane in enumerate(bp.lanes)}
        order: dict[str, tuple[int, int, int]] = {}
        nodes: list[str] = []
        step_rank = bp.index.step_order
        for place, card in bp.cards():
            order[card.id] = (step_rank[place.step.id], lane_rank.get(place.lane, len(lane_rank)), place.position)
            nodes.append(card.id)
        graph = cls(nodes, {n: [] for n in nodes}, {n: [] for n in nodes}, {n: [] for n in nodes})
        for link in bp.links:
            if link.source not in order or link.target not in order:
                continue  # integrity reports dangling links; analysis skips them
            graph.neighbours[link.source].append(link.target)
            graph.neighbours[link.target].append(link.source)
            if link.two_way:
                first, second = sorted((link.source, link.target), key=order.__getitem__)
                graph.flow[first].append(second)
            else:
                graph.flow[link.source].append(link.target)
                graph.handoffs[link.source].append(link.target)
        return graph

    def rework_loops(self) -> list[list[str]]:
        """Cycles of one-way handoffs, each as the cards it passes through in reading order."""
        order = nodes_order(self.nodes)
        loops = [c for c in strongly_connected_components(self.nodes, self.handoffs) if len(c) > 1]
        loops = [sorted(loop, key=order.__getitem__) for loop in loops]
        return sorted(loops, key=lambda loop: order[loop[0]])

    def critical_path(self, weight: Callable[[str], float]) -> Chain:
        return longest_chain(self.nodes, self.flow, weight)

    def reachable(self, starts: Iterable[str], through: Callable[[str], bool]) -> set[str]:
        """Cards reached from `starts` along links in either direction, entering only cards `through` accepts."""
        seen: set[str] = set()
        frontier = list(starts)
        while frontier:
            node = frontier.pop()
            for nxt in self.neighbours.get(node, ()):
                if nxt not in seen and through(nxt):
                    seen.add(nxt)
                    frontier.append(nxt)
        return seen


class DisjointSets:
    """Union-find with path halving: connected groups in near-linear time."""

    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[root_b] = root_a
