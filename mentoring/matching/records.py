"""The inputs of a matching run: one applicant of the pool, and the round's hard rules.

These are plain frozen records: the Django side maps its application model onto
:class:`Applicant` and its special requests onto :class:`Rules`; the engine never sees a model.
A malformed field (a missing country, a NaN or infinite number, an unknown code) is refused
when the record is built, with an :class:`InvalidApplicant` naming the applicant and the field.
"""

from __future__ import annotations

import decimal
import math
import numbers
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from mentoring.matching import codes

MAX_YEARS_EXPERIENCE = 80


class InvalidApplicant(ValueError):
    """A field of an applicant's record is malformed; names the applicant and the field."""

    def __init__(self, applicant_id: Hashable, field_name: str, problem: str) -> None:
        self.applicant_id = applicant_id
        self.field = field_name
        self.problem = problem
        super().__init__(f"applicant {applicant_id!r}: {field_name} {problem}")


def _number(value: object) -> float | None:
    """``value`` as a float if it is a finite real number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | decimal.Decimal):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _codes(value: object) -> frozenset[str] | None:
    """A collection of non-empty strings, stripped and lower-cased; None if it is not one."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return None
    items = list(value)
    if not all(isinstance(item, str) and item.strip() for item in items):
        return None
    return frozenset(item.strip().lower() for item in items)


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
        Years of library and information work, 0 to 80 (a fraction is truncated).
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

        def refuse(field_name: str, problem: str) -> InvalidApplicant:
            return InvalidApplicant(self.id, field_name, problem)

        try:
            hash(self.id)
        except TypeError:
            raise refuse("id", "must be hashable") from None
        if self.id is None or self.id == "":
            raise refuse("id", "is missing")
        if not isinstance(self.country, str) or not self.country.strip():
            raise refuse("country", "is missing")
        country = self.country.strip().upper()
        if len(country) != 2 or not country.isascii() or not country.isalpha():
            raise refuse("country", f"must be a two-letter ISO 3166-1 code, not {self.country!r}")
        put(self, "country", country)
        if not isinstance(self.sector, str) or self.sector not in codes.SECTORS:
            raise refuse("sector", f"is not a known sector: {self.sector!r}")
        if not isinstance(self.career_stage, str) or self.career_stage not in codes.CAREER_STAGES:
            raise refuse("career_stage", f"is not a known career stage: {self.career_stage!r}")
        years = _number(self.years_experience)
        if years is None or not 0 <= years <= MAX_YEARS_EXPERIENCE:
            raise refuse(
                "years_experience",
                f"must be a number from 0 to {MAX_YEARS_EXPERIENCE}, not {self.years_experience!r}",
            )
        offset = _number(self.utc_offset_hours)
        if offset is None or not -12.0 <= offset <= 14.0:
            problem = f"must be a number from -12 to 14, not {self.utc_offset_hours!r}"
            raise refuse("utc_offset_hours", problem)
        put(self, "utc_offset_hours", offset)
        for name, allowed in (
            ("availability", codes.SLOTS),
            ("languages", None),
            ("interests", None),
            ("preferred_regions", codes.REGIONS),
        ):
            value = _codes(getattr(self, name))
            if value is None:
                raise refuse(name, "must be a collection of non-empty codes")
            unknown = sorted(value - set(allowed)) if allowed is not None else []
            if unknown:
                raise refuse(name, f"has unknown code(s): {unknown}")
            put(self, name, value)
        if isinstance(self.wants_sector, str):
            if self.wants_sector not in codes.WISHES:
                raise refuse("wants_sector", f"is not a known wish: {self.wants_sector!r}")
        else:
            wanted = _codes(self.wants_sector)
            if wanted is None:
                raise refuse("wants_sector", "must be a wish or a collection of sector codes")
            if not wanted:
                raise refuse("wants_sector", "as a set must name at least one sector")
            unknown = sorted(wanted - set(codes.SECTORS))
            if unknown:
                raise refuse("wants_sector", f"has unknown sector(s): {unknown}")
            put(self, "wants_sector", wanted)
        if not isinstance(self.wants_career_stage, str) or (
            self.wants_career_stage not in codes.WISHES
        ):
            raise refuse("wants_career_stage", f"is not a known wish: {self.wants_career_stage!r}")
        if not isinstance(self.role, str):
            raise refuse("role", "must be text")
        if self.region is None:
            region = codes.COUNTRY_REGIONS.get(country)
            if region is None:
                raise refuse("country", f"{country!r} is not known; give its region")
            put(self, "region", region)
        elif self.region not in codes.REGIONS:
            raise refuse("region", f"is not a known region: {self.region!r}")


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
