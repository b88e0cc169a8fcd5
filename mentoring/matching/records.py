"""The inputs of a matching run: one applicant of the pool, and the round's hard rules.

These are plain frozen records: the Django side maps its application model onto
:class:`Applicant` and its special requests onto :class:`Rules`; the engine never sees a model.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from mentoring.matching import codes


def _code_set(values: Iterable[str], allowed: Iterable[str], what: str) -> frozenset[str]:
    if isinstance(values, str):
        raise TypeError(f"{what} must be a collection of codes, not the string {values!r}")
    result = frozenset(value.lower() for value in values)
    unknown = result - set(allowed)
    if unknown:
        raise ValueError(f"unknown {what} code(s): {sorted(unknown)}")
    return result


@dataclass(frozen=True, slots=True)
class Applicant:
    """One confirmed applicant of a round.

    ``id``
        Anything hashable that names the applicant (the Django side uses the primary key).
    ``country``
        ISO 3166-1 alpha-2 code, e.g. ``"AU"``. Partners always live in different countries.
    ``sector``
        One of :data:`codes.SECTORS`: academic, public, school, special, government, health,
        law, national, other.
    ``career_stage``
        One of :data:`codes.CAREER_STAGES`: student, early, mid, senior.
    ``years_experience``
        Whole years of library and information work (0 or more).
    ``utc_offset_hours``
        The applicant's offset from UTC in hours, e.g. ``10.0`` for Sydney, ``5.5`` for Delhi.
    ``availability``
        Weekly slots in the applicant's local time, codes ``"<day>-<part>"`` with day in
        mon..sun and part ``am`` (06-12), ``pm`` (12-18) or ``eve`` (18-24), e.g.
        ``{"mon-eve", "sat-am"}``. Empty means "any of them".
    ``languages``
        ISO 639-1 codes the applicant can work in. English is assumed for everyone, so only
        other languages count as shared.
    ``interests``
        Codes of the interests the applicant chose (the site's editable list; the synthetic
        pools use :data:`codes.INTERESTS`). A pool may use up to 64 different ones.
    ``wants_sector``
        ``"same"``, ``"different"``, ``"any"``, or a set of sector codes the partner should
        work in (e.g. ``{"academic"}`` for a public librarian who asked for an academic).
    ``wants_career_stage``
        ``"same"``, ``"different"`` or ``"any"``.
    ``preferred_regions``
        Regions (:data:`codes.REGIONS`) the applicant would like the partner to live in;
        empty means no preference.
    ``role``
        Free-text role code (e.g. ``"reference librarian"``); carried for display, not scored.
    ``region``
        World region of ``country``; derived from the built-in table when not given.
    """

    id: Hashable
    country: str
    sector: str
    career_stage: str
    years_experience: int = 0
    utc_offset_hours: float = 0.0
    availability: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    wants_sector: str | frozenset[str] = "any"
    wants_career_stage: str = "any"
    preferred_regions: frozenset[str] = frozenset()
    role: str = ""
    region: str | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "country", self.country.upper())
        if self.sector not in codes.SECTORS:
            raise ValueError(f"unknown sector {self.sector!r}")
        if self.career_stage not in codes.CAREER_STAGES:
            raise ValueError(f"unknown career stage {self.career_stage!r}")
        if self.years_experience < 0:
            raise ValueError("years_experience must be 0 or more")
        if not -12.0 <= self.utc_offset_hours <= 14.0:
            raise ValueError(f"utc_offset_hours out of range: {self.utc_offset_hours}")
        put(self, "availability", _code_set(self.availability, codes.SLOTS, "availability"))
        if isinstance(self.languages, str):
            raise TypeError("languages must be a collection of ISO 639-1 codes")
        put(self, "languages", frozenset(code.lower() for code in self.languages))
        if isinstance(self.interests, str) or not all(
            isinstance(code, str) and code.strip() for code in self.interests
        ):
            raise TypeError("interests must be a collection of non-empty codes")
        put(self, "interests", frozenset(code.strip().lower() for code in self.interests))
        if isinstance(self.wants_sector, str):
            if self.wants_sector not in codes.WISHES:
                raise ValueError(f"unknown sector wish {self.wants_sector!r}")
        else:
            wanted = _code_set(self.wants_sector, codes.SECTORS, "wanted sector")
            if not wanted:
                raise ValueError("wants_sector as a set must name at least one sector")
            put(self, "wants_sector", wanted)
        if self.wants_career_stage not in codes.WISHES:
            raise ValueError(f"unknown career stage wish {self.wants_career_stage!r}")
        put(
            self,
            "preferred_regions",
            _code_set(self.preferred_regions, codes.REGIONS, "preferred region"),
        )
        if self.region is None:
            put(self, "region", codes.region_of(self.country))
        elif self.region not in codes.REGIONS:
            raise ValueError(f"unknown region {self.region!r}")


def _pair_set(pairs: Iterable[Iterable[Hashable]], what: str) -> frozenset[frozenset[Hashable]]:
    result = set()
    for pair in pairs:
        members = frozenset(pair)
        if len(members) != 2:
            raise ValueError(f"a {what} pair needs two different people: {pair!r}")
        result.add(members)
    return frozenset(result)


@dataclass(frozen=True)
class Rules:
    """The round's hard rules besides "different countries" (which always holds).

    ``pinned``
        Pairs the directors fixed by hand. They are kept as given, first, and their members
        leave the pool. A person may be in one pin only; a pin may break a hard criterion
        (the directors' choice) but not the country rule, a forbidden pair or earlier
        partners.
    ``forbidden``
        Pairs that must never be formed (special requests, code-of-conduct decisions).
    ``past_partners``
        Pairs that were partners in an earlier round; never formed again. Pairs naming people
        outside the pool are ignored, so the full history can be passed.
    """

    pinned: tuple[tuple[Hashable, Hashable], ...] = ()
    forbidden: frozenset[frozenset[Hashable]] = field(default_factory=frozenset)
    past_partners: frozenset[frozenset[Hashable]] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        pinned = tuple(tuple(pair) for pair in self.pinned)
        for pair in pinned:
            if len(pair) != 2 or pair[0] == pair[1]:
                raise ValueError(f"a pinned pair needs two different people: {pair!r}")
        object.__setattr__(self, "pinned", pinned)
        object.__setattr__(self, "forbidden", _pair_set(self.forbidden, "forbidden"))
        object.__setattr__(self, "past_partners", _pair_set(self.past_partners, "past partner"))

    def never(self) -> frozenset[frozenset[Hashable]]:
        """Every pair that may not be formed: forbidden pairs and earlier partners."""
        return self.forbidden | self.past_partners
