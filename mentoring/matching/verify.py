"""Independent checks of a result: the hard rules, and reference totals to compare against.

``rule_violations`` re-derives every rule from the applicants themselves (not from the
engine's arrays), so tests and the benchmark can say "every hard rule holds" with some
confidence. ``exact_total`` (rustworkx's exact general matching on every allowed pair, most
pairs first) and ``greedy_total`` (heaviest allowed pair first) are the yardsticks of the
benchmark; both score every pair, so they are for pools of a few thousand at most.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

import numpy as np
import rustworkx as rx

from mentoring.matching.candidates import NeverPairs
from mentoring.matching.engine import MatchResult, Pair
from mentoring.matching.features import encode
from mentoring.matching.hierarchy import Hierarchy
from mentoring.matching.records import Applicant, Rules
from mentoring.matching.scoring import Scorer, score_pairs


def _broken_rule(
    a: Applicant, b: Applicant, rules: Rules, hard_broken: bool, pinned: bool
) -> str | None:
    if a.country == b.country:
        return "same country"
    if frozenset((a.id, b.id)) in rules.forbidden:
        return "forbidden pair"
    if frozenset((a.id, b.id)) in rules.past_partners:
        return "earlier partners"
    if hard_broken and not pinned:
        return "hard criterion broken"
    return None


def rule_violations(
    pool: Sequence[Applicant], hierarchy: Hierarchy, rules: Rules, result: MatchResult
) -> list[str]:
    """Every way the result breaks a hard rule or loses someone; empty when all is well."""
    problems: list[str] = []
    by_id = {a.id: a for a in pool}
    position = {a.id: k for k, a in enumerate(pool)}
    links: list[tuple[Pair, str]] = [(pair, "pair") for pair in result.pairs]
    for triad in result.triads:
        links.extend((link, "triad") for link in triad.links)
    placed: Counter[Hashable] = Counter()
    for pair in result.pairs:
        placed.update((pair.a, pair.b))
    for triad in result.triads:
        placed.update(triad.members)
    placed.update(person.id for person in result.unmatched)
    for person, times in placed.items():
        if person not in by_id:
            problems.append(f"{person!r} is not in the pool")
        elif times > 1:
            problems.append(f"{person!r} appears {times} times")
    missing = set(by_id) - set(placed)
    if missing:
        problems.append(f"{len(missing)} people are neither matched nor reported unmatched")
    pinned = {frozenset(pin) for pin in rules.pinned}
    formed = {frozenset((pair.a, pair.b)) for pair in result.pairs}
    problems.extend(f"pinned pair {tuple(pin)!r} was not kept" for pin in pinned - formed)
    if links:
        i = np.array([position[link.a] for link, _ in links])
        j = np.array([position[link.b] for link, _ in links])
        expected = score_pairs(pool, hierarchy, i, j)
        scorer = Scorer(encode(pool), hierarchy)
        broken = scorer.pairs(i, j) < 0
        for k, (link, kind) in enumerate(links):
            is_pin = frozenset((link.a, link.b)) in pinned
            rule = _broken_rule(by_id[link.a], by_id[link.b], rules, bool(broken[k]), is_pin)
            if rule:
                problems.append(f"{kind} ({link.a!r}, {link.b!r}): {rule}")
            if abs(expected[k] - link.score) > 1e-9:
                problems.append(f"{kind} ({link.a!r}, {link.b!r}): score {link.score} is wrong")
            parts = round(sum(c["points"] for c in link.reasons["criteria"]) * 10)
            if parts != round(link.score * 10):
                problems.append(f"{kind} ({link.a!r}, {link.b!r}): reasons do not add up")
    return problems


def _allowed_edges(
    pool: Sequence[Applicant], hierarchy: Hierarchy, rules: Rules
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pinned index pairs, and every allowed pair among the others with its score (tenths)."""
    features = encode(pool)
    index = {person: k for k, person in enumerate(features.ids)}
    pins = np.array([(index[a], index[b]) for a, b in rules.pinned], np.int64).reshape(-1, 2)
    never = [tuple(index[p] for p in pair) for pair in rules.never() if pair <= index.keys()]
    never_array = np.array(never, np.int64).reshape(-1, 2)
    forbidden = NeverPairs.from_pairs(features.n, never_array[:, 0], never_array[:, 1])
    scorer = Scorer(features, hierarchy)
    free = np.setdiff1d(np.arange(features.n), pins.ravel())
    rows, cols, scores = [], [], []
    for start in range(0, free.size, 256):
        block_rows = free[start : start + 256]
        block = scorer.block(block_rows, free)
        forbidden.mask(block, block_rows, free)
        r, c = np.nonzero(block >= 0)
        upper = free[c] > block_rows[r]
        rows.append(block_rows[r[upper]])
        cols.append(free[c[upper]])
        scores.append(block[r[upper], c[upper]].astype(np.int64))
    plain = Scorer(features, hierarchy, rules=False)
    pin_scores = plain.pairs(pins[:, 0], pins[:, 1]).astype(np.int64) if pins.size else []
    return (
        np.concatenate(rows) if rows else np.zeros(0, np.int64),
        np.concatenate(cols) if cols else np.zeros(0, np.int64),
        np.concatenate(scores) if scores else np.zeros(0, np.int64),
        np.asarray(pin_scores, np.int64),
    )


def exact_total(pool: Sequence[Applicant], hierarchy: Hierarchy, rules: Rules) -> float:
    """The best total of any allowed matching with the most pairs (rustworkx, exact)."""
    rows, cols, scores, pin_scores = _allowed_edges(pool, hierarchy, rules)
    graph = rx.PyGraph()
    graph.add_nodes_from(range(len(pool)))
    graph.add_edges_from(list(zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True)))
    matching = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    weight = dict(zip(zip(rows.tolist(), cols.tolist(), strict=True), scores.tolist(), strict=True))
    total = sum(weight[(min(a, b), max(a, b))] for a, b in matching)
    return (total + int(pin_scores.sum())) / 10


def greedy_total(
    pool: Sequence[Applicant], hierarchy: Hierarchy, rules: Rules
) -> tuple[float, int]:
    """Total and unmatched count of "heaviest allowed pair first" (pins kept)."""
    rows, cols, scores, pin_scores = _allowed_edges(pool, hierarchy, rules)
    order = np.lexsort((cols, rows, -scores))
    used = np.zeros(len(pool), bool)
    for a, b in rules.pinned:
        used[[k for k, p in enumerate(pool) if p.id in (a, b)]] = True
    total = int(pin_scores.sum())
    for k in order.tolist():
        a, b = rows[k], cols[k]
        if not used[a] and not used[b]:
            used[a] = used[b] = True
            total += int(scores[k])
    return total / 10, int((~used).sum())
