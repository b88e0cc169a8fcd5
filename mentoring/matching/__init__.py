"""The matching engine: confirmed applicants in, pairs (and a certificate of their quality) out.

No Django here: plain records and numpy. A round's confirmed applicants form one pool; each
gets one partner from the same pool (a maximum-weight matching of a general graph, with the
most pairs first). Partners always live in different countries, earlier partners are never
paired again, pinned pairs are kept and forbidden pairs never formed.

A worked example::

    >>> from mentoring.matching import Applicant, Hierarchy, Rules, match, score_pairs
    >>> pool = [
    ...     Applicant(id=1, country="AU", sector="public", career_stage="early",
    ...               years_experience=3, utc_offset_hours=10,
    ...               availability={"mon-eve", "wed-eve"},
    ...               interests={"outreach_marketing", "children_youth", "digital"},
    ...               wants_sector={"academic"}),
    ...     Applicant(id=2, country="GB", sector="academic", career_stage="mid",
    ...               years_experience=9, utc_offset_hours=0,
    ...               availability={"mon-am", "wed-am"},
    ...               interests={"digital", "data", "outreach_marketing"},
    ...               wants_sector="different"),
    ...     Applicant(id=3, country="AU", sector="public", career_stage="mid",
    ...               years_experience=12, utc_offset_hours=10,
    ...               interests={"children_youth", "community"}, languages={"es"}),
    ...     Applicant(id=4, country="MX", sector="school", career_stage="senior",
    ...               years_experience=25, utc_offset_hours=-6,
    ...               interests={"children_youth", "community", "advocacy"},
    ...               languages={"es", "en"}, wants_career_stage="different"),
    ...     Applicant(id=5, country="KE", sector="academic", career_stage="student",
    ...               years_experience=1, utc_offset_hours=3,
    ...               interests={"data", "research_support"}, preferred_regions={"europe"}),
    ... ]
    >>> hierarchy = Hierarchy()  # the ILN's order and weights; Hierarchy(hard={...}) for hard ones
    >>> score_pairs(pool, hierarchy, [0, 0], [1, 2]).tolist()  # vectorised, 0-100
    [80.9, 60.8]
    >>> result = match(pool, hierarchy, Rules(forbidden=[(2, 5)]), seed=1)  # odd="triad"
    >>> [(pair.a, pair.b, pair.score) for pair in result.pairs]
    [(1, 2, 80.9)]
    >>> [(triad.members, triad.score) for triad in result.triads]
    [((3, 4, 5), 69.8)]
    >>> result.total, result.upper_bound, result.ratio, result.unmatched
    (171.3, 171.3, 1.0, ())
    >>> reasons = result.pairs[0].reasons  # plain data, ready for a JSONField
    >>> [(c["criterion"], c["points"]) for c in reasons["criteria"]][:3]
    [('sector_wish', 34.8), ('interests', 14.5), ('experience', 10.4)]
    >>> reasons["wishes"][0]
    {'who': 'a', 'criterion': 'sector_wish', 'wanted': ['academic'], 'met': True}
    >>> reasons["shared"]
    {'interests': ['digital', 'outreach_marketing'], 'languages': [], 'overlap_hours': 8}
    >>> waitlisted = match(pool, hierarchy, Rules(forbidden=[(2, 5)]), seed=1, odd="waitlist")
    >>> [(p.a, p.b) for p in waitlisted.pairs], waitlisted.unmatched
    ([(1, 2), (3, 4)], (Unmatched(id=5, reason='waitlist'),))

The public API:

:class:`Applicant` (:mod:`records`)
    One applicant (a malformed field raises :class:`InvalidApplicant`, naming the applicant
    and the field); the fields and their codes are documented on the class and listed in
    :mod:`codes` (sectors, career stages, world regions, weekly slots; interests are the
    site's own codes, up to 64 in a pool, and :data:`codes.INTERESTS` is the starting list).
:class:`Hierarchy`, :class:`Criterion` (:mod:`hierarchy`)
    Ordered criteria with weights (normalised so a perfect pair scores 100) and the criteria
    made hard. What each criterion measures is in :mod:`scoring`.
:class:`Rules` (:mod:`records`)
    Pinned pairs, forbidden pairs, earlier partners.
:func:`score_pairs(pool, hierarchy, i, j) <scoring.score_pairs>`
    Scores (0-100, steps of 0.1) of the pairs ``(pool[i[k]], pool[j[k]])``.
:func:`explain_pairs(pool, hierarchy, i, j) <reasons.explain_pairs>`
    The reasons for those pairs, in the format the engine writes on its own (a pair made by
    hand is explained alike).
:func:`match(pool, hierarchy, rules, seed, *, odd="triad", progress=None) <engine.match>`
    A :class:`MatchResult`: ``pairs`` (:class:`Pair`: ``a``, ``b``, ``score``, ``reasons``,
    ``pinned``), ``triads`` (:class:`Triad`: ``members``, ``score`` = mean of its three pair
    scores, ``links``), ``unmatched`` (:class:`Unmatched`: ``id``, ``reason``), ``total``,
    ``upper_bound``, ``ratio``, ``worst_pair``, ``pairs_below_50``, ``unmatched_count``,
    ``timings`` (seconds per phase) and ``stats``. The reasons format is in :mod:`reasons`.

How it works: :mod:`features` encodes the pool as arrays; :mod:`scoring` scores blocks of
pairs with lookup tables and popcounts, in one loop compiled with numba
(:mod:`block_kernel`); :mod:`candidates` finds each person's best allowed partners without
scoring every pair (scikit-learn clustering bounds what whole blocks of people can offer),
ties broken by a seeded key per person, and gives people who share a profile, and people
the lists cannot pair, partners enough; :mod:`assignment` solves a
sparse assignment problem (scipy), repairs its cycles into pairs and improves the result
with exact re-solves of small windows (rustworkx) and pair swaps (where one country holds
most of the pool, the people outside it are assigned partners in it, one-sided, so that its
surplus does not compete for them); people still left over are
paired among themselves until no two of them may be paired (the matching is maximal);
:mod:`bounds` certifies an upper bound on the best possible total (where a country holds
most of the pool, one that leaves its surplus out, at the optimum on such pools). Pools of
up to 300 people (outside pins) keep every allowed pair as a candidate and are solved
exactly, bound included. Time and quality at 200 to 100,000 people: :mod:`benchmark`.
:mod:`synthetic` makes seeded pools shaped like the ILN's and :mod:`benchmark` measures speed
and quality on them (``python -m mentoring.matching.benchmark``); :mod:`verify` checks a
result's hard rules independently.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from mentoring.matching.hierarchy import DEFAULT_WEIGHTS, Criterion, Hierarchy
from mentoring.matching.reasons import explain_pairs
from mentoring.matching.records import Applicant, InvalidApplicant, Rules
from mentoring.matching.scoring import score_pairs

if TYPE_CHECKING:
    from mentoring.matching.engine import (
        MatchResult,
        Pair,
        RuleConflict,
        Triad,
        Unmatched,
        match,
    )

_ENGINE_NAMES = frozenset({"MatchResult", "Pair", "RuleConflict", "Triad", "Unmatched", "match"})


def __getattr__(name: str):
    """The engine's names, imported on first use: the engine brings scikit-learn, scipy,
    rustworkx and the compiled block scorer (about 250 MiB), which a process that only
    scores or explains a few pairs (the admin's hand edits) does without."""
    if name in _ENGINE_NAMES:
        return getattr(importlib.import_module("mentoring.matching.engine"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_WEIGHTS",
    "Applicant",
    "Criterion",
    "Hierarchy",
    "InvalidApplicant",
    "MatchResult",
    "Pair",
    "RuleConflict",
    "Rules",
    "Triad",
    "Unmatched",
    "explain_pairs",
    "match",
    "score_pairs",
]
