"""The link graph: strongly connected components, longest chains, reachability."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from stageline.analysis.graph import DisjointSets, LinkGraph, longest_chain, strongly_connected_components
from stageline.model import BlueprintBuilder

edges_strategy = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20)


def _graph(edges: list[tuple[int, int]]) -> tuple[list[str], dict[str, list[str]]]:
    nodes = [f"n{i}" for i in range(8)]
    successors: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        successors[f"n{a}"].append(f"n{b}")
    return nodes, successors


def _reaches(successors: dict[str, list[str]], start: str) -> set[str]:
    seen, frontier = {start}, [start]
    while frontier:
        for nxt in successors[frontier.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return seen


@given(edges_strategy)
def test_components_are_exactly_mutual_reachability(edges: list[tuple[int, int]]) -> None:
    nodes, successors = _graph(edges)
    components = strongly_connected_components(nodes, successors)
    assert sorted(itertools.chain.from_iterable(components)) == sorted(nodes)
    owner = {node: i for i, component in enumerate(components) for node in component}
    reach = {node: _reaches(successors, node) for node in nodes}
    for a, b in itertools.product(nodes, nodes):
        assert (owner[a] == owner[b]) == (b in reach[a] and a in reach[b])
    # Reverse topological order: an edge never points to a later component.
    for a, b in edges:
        assert owner[f"n{b}"] <= owner[f"n{a}"]


@given(edges_strategy, st.lists(st.integers(0, 9), min_size=8, max_size=8))
def test_longest_chain_on_acyclic_graphs_matches_brute_force(edges: list[tuple[int, int]], weights: list[int]) -> None:
    acyclic = [(a, b) for a, b in edges if a < b]
    nodes, successors = _graph(acyclic)
    weight = {f"n{i}": float(w) for i, w in enumerate(weights)}
    chain = longest_chain(nodes, successors, weight.__getitem__)

    def best(node: str) -> float:
        return weight[node] + max((best(nxt) for nxt in successors[node]), default=0.0)

    assert chain.seconds == max(best(node) for node in nodes)
    assert sum(weight[node] for node in chain.cards) == chain.seconds
    for a, b in itertools.pairwise(chain.cards):
        assert b in successors[a]


def test_longest_chain_counts_a_loop_once() -> None:
    nodes = ["a", "b", "c", "d"]
    successors = {"a": ["b"], "b": ["c"], "c": ["b", "d"], "d": []}
    chain = longest_chain(nodes, successors, lambda _: 1.0)
    assert chain.cards == ["a", "b", "c", "d"] and chain.seconds == 4.0


def test_deep_chains_do_not_hit_the_recursion_limit() -> None:
    nodes = [f"n{i}" for i in range(20_000)]
    successors = {a: [b] for a, b in itertools.pairwise(nodes)}
    assert len(strongly_connected_components(nodes, successors)) == len(nodes)
    assert longest_chain(nodes, successors, lambda _: 1.0).seconds == len(nodes)


def _linked() -> LinkGraph:
    bp = (
        BlueprintBuilder("Graph")
        .stage("s", "S")
        .step("one", customer={"id": "c1", "text": "C1"}, backstage={"id": "b1", "text": "B1"})
        .step("two", customer={"id": "c2", "text": "C2"}, backstage={"id": "b2", "text": "B2"})
        .link("b2", "c1", two_way=True)
        .link("b1", "b2")
        .link("b2", "b1")
        .build()
    )
    return LinkGraph.of(bp)


def test_two_way_links_flow_in_reading_order_and_are_no_loops() -> None:
    graph = _linked()
    assert graph.flow["c1"] == ["b2"] and "c1" not in graph.flow["b2"]
    assert graph.rework_loops() == [["b1", "b2"]]
    assert set(graph.neighbours["b2"]) == {"c1", "b1"}


def test_reachable_enters_only_accepted_cards() -> None:
    graph = _linked()
    assert graph.reachable(["c1"], lambda card: card.startswith("b")) == {"b1", "b2"}
    assert graph.reachable(["c1"], lambda card: card == "c2") == set()


def test_disjoint_sets() -> None:
    sets = DisjointSets("abcd")
    sets.union("a", "b")
    sets.union("c", "d")
    assert sets.find("a") == sets.find("b") != sets.find("c") == sets.find("d")
