"""Feature encoding: a list of applicants becomes a table of small integer arrays and bitmasks.

Everything the scoring needs is turned into numpy arrays once per run, so scoring a block of
pairs is a handful of vectorised lookups and bit operations:

- codes (index into :mod:`codes` tuples) for country, region, sector and career stage;
- wish masks: bit ``s`` of ``sector_wish`` is set when a partner in sector ``s`` meets the
  applicant's sector wish ("same", "different", "any" or an explicit set all become a mask);
  likewise ``stage_wish`` over career stages and ``region_wish`` over regions;
- ``interests``: a 20-bit mask; ``languages``: a mask over the pool's non-English languages;
- ``availability``: the 168 hours of the week in UTC (three 64-bit words), built from the
  local slots and the UTC offset (rounded to the hour); an empty slot set means all slots.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from mentoring.matching import codes
from mentoring.matching.records import Applicant

HOURS_PER_WEEK = 168
AVAILABILITY_WORDS = 3
# Interests are one 64-bit mask per person: a pool may use up to 64 different ones.
MAX_INTERESTS = 64
MAX_YEARS = 60

_SECTOR_INDEX = {code: k for k, code in enumerate(codes.SECTORS)}
_STAGE_INDEX = {code: k for k, code in enumerate(codes.CAREER_STAGES)}
_REGION_INDEX = {code: k for k, code in enumerate(codes.REGIONS)}
_ALL_SECTORS = (1 << len(codes.SECTORS)) - 1
_ALL_STAGES = (1 << len(codes.CAREER_STAGES)) - 1
_ALL_REGIONS = (1 << len(codes.REGIONS)) - 1


def _wish_mask(wish: str | frozenset[str], own: int, index: dict[str, int], full: int) -> int:
    if wish == "any":
        return full
    if wish == "same":
        return 1 << own
    if wish == "different":
        return full & ~(1 << own)
    mask = 0
    for code in wish:
        mask |= 1 << index[code]
    return mask


def _slot_bits(slot: str) -> int:
    """The hours of the week (from Monday 00:00) a local ``slot`` covers, as bits."""
    day, part = slot.split("-")
    start, end = codes.DAY_PARTS[part]
    base = codes.DAYS.index(day) * 24
    return sum(1 << hour for hour in range(base + start, base + end))


_SLOT_BITS = {slot: _slot_bits(slot) for slot in codes.SLOTS}
_WEEK = (1 << HOURS_PER_WEEK) - 1


@lru_cache(maxsize=4096)
def _availability_bits(slots: frozenset[str], offset_hours: int) -> int:
    """The UTC hours of the week covered by local ``slots`` at a whole-hour UTC offset: the
    local hours, rotated back by the offset."""
    bits = 0
    for slot in slots or codes.SLOTS:
        bits |= _SLOT_BITS[slot]
    shift = offset_hours % HOURS_PER_WEEK
    return ((bits >> shift) | (bits << (HOURS_PER_WEEK - shift))) & _WEEK


@dataclass(frozen=True, eq=False)
class Features:
    """The pool as arrays; row ``k`` is ``ids[k]``."""

    ids: tuple[Hashable, ...]
    country: np.ndarray
    region: np.ndarray
    sector: np.ndarray
    sector_wish: np.ndarray
    stage: np.ndarray
    stage_wish: np.ndarray
    region_wish: np.ndarray
    years: np.ndarray
    interests: np.ndarray
    interest_count: np.ndarray
    availability: np.ndarray
    languages: np.ndarray
    language_codes: tuple[str, ...]
    interest_codes: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.ids)

    def take(self, rows: np.ndarray) -> Features:
        """The sub-pool of the given rows, in that order."""
        return Features(
            ids=tuple(self.ids[k] for k in rows.tolist()),
            country=self.country[rows],
            region=self.region[rows],
            sector=self.sector[rows],
            sector_wish=self.sector_wish[rows],
            stage=self.stage[rows],
            stage_wish=self.stage_wish[rows],
            region_wish=self.region_wish[rows],
            years=self.years[rows],
            interests=self.interests[rows],
            interest_count=self.interest_count[rows],
            availability=self.availability[rows],
            languages=self.languages[rows],
            language_codes=self.language_codes,
            interest_codes=self.interest_codes,
        )


def encode(applicants: Sequence[Applicant]) -> Features:
    """Encode applicants as arrays. Ids must be unique."""
    n = len(applicants)
    ids = tuple(a.id for a in applicants)
    if len(set(ids)) != n:
        raise ValueError("applicant ids must be unique")
    countries = sorted({a.country for a in applicants})
    country_index = {code: k for k, code in enumerate(countries)}
    language_codes = tuple(
        sorted({code for a in applicants for code in a.languages} - {codes.ENGLISH})
    )
    language_bit = {code: k for k, code in enumerate(language_codes)}
    language_words = max(1, -(-len(language_codes) // 64))
    interest_codes = tuple(sorted({code for a in applicants for code in a.interests}))
    if len(interest_codes) > MAX_INTERESTS:
        raise ValueError(
            f"a pool can use at most {MAX_INTERESTS} different interests, "
            f"this one uses {len(interest_codes)}"
        )
    interest_bit = {code: 1 << k for k, code in enumerate(interest_codes)}

    country = np.empty(n, np.int32)
    region = np.empty(n, np.int8)
    sector = np.empty(n, np.int8)
    sector_wish = np.empty(n, np.int32)
    stage = np.empty(n, np.int8)
    stage_wish = np.empty(n, np.int32)
    region_wish = np.empty(n, np.int32)
    years = np.empty(n, np.int16)
    interests = np.empty(n, np.uint64)
    interest_count = np.empty(n, np.int8)
    availability = np.zeros((n, AVAILABILITY_WORDS), np.uint64)
    languages = np.zeros((n, language_words), np.uint64)
    word_mask = (1 << 64) - 1

    for k, a in enumerate(applicants):
        country[k] = country_index[a.country]
        region[k] = _REGION_INDEX[a.region]
        own_sector = _SECTOR_INDEX[a.sector]
        sector[k] = own_sector
        sector_wish[k] = _wish_mask(a.wants_sector, own_sector, _SECTOR_INDEX, _ALL_SECTORS)
        own_stage = _STAGE_INDEX[a.career_stage]
        stage[k] = own_stage
        stage_wish[k] = _wish_mask(a.wants_career_stage, own_stage, _STAGE_INDEX, _ALL_STAGES)
        preferred = 0
        for code in a.preferred_regions:
            preferred |= 1 << _REGION_INDEX[code]
        region_wish[k] = preferred or _ALL_REGIONS
        years[k] = min(int(a.years_experience), MAX_YEARS)
        mask = 0
        for code in a.interests:
            mask |= interest_bit[code]
        interests[k] = mask
        interest_count[k] = len(a.interests)
        bits = _availability_bits(a.availability, round(a.utc_offset_hours))
        for word in range(AVAILABILITY_WORDS):
            availability[k, word] = (bits >> (64 * word)) & word_mask
        for code in a.languages:
            bit = language_bit.get(code)
            if bit is not None:
                languages[k, bit // 64] |= np.uint64(1 << (bit % 64))

    return Features(
        ids=ids,
        country=country,
        region=region,
        sector=sector,
        sector_wish=sector_wish,
        stage=stage,
        stage_wish=stage_wish,
        region_wish=region_wish,
        years=years,
        interests=interests,
        interest_count=interest_count,
        availability=availability,
        languages=languages,
        language_codes=language_codes,
        interest_codes=interest_codes,
    )


def _bits(values: np.ndarray, width: int) -> np.ndarray:
    shifts = np.arange(width, dtype=values.dtype)
    return ((values[:, None] >> shifts) & values.dtype.type(1)).astype(np.float32)


def embedding(features: Features) -> np.ndarray:
    """Points in a space where people who look alike to others lie close together.

    Used only to group the pool into blocks for candidate pruning (see :mod:`candidates`):
    the closer the members of a block are on the categorical wishes, interests, experience
    and availability, the tighter the per-block score bounds and the less is scored.
    """
    n = features.n
    hours = np.concatenate(
        [_bits(features.availability[:, word], 64) for word in range(AVAILABILITY_WORDS)], axis=1
    )[:, :HOURS_PER_WEEK]
    four_hour_blocks = hours.reshape(n, HOURS_PER_WEEK // 4, 4).mean(axis=2)
    parts = [
        np.eye(len(codes.SECTORS), dtype=np.float32)[features.sector] * 1.0,
        _bits(features.sector_wish.astype(np.uint32), len(codes.SECTORS)) * 0.7,
        np.eye(len(codes.CAREER_STAGES), dtype=np.float32)[features.stage] * 0.6,
        _bits(features.stage_wish.astype(np.uint32), len(codes.CAREER_STAGES)) * 0.4,
        np.eye(len(codes.REGIONS), dtype=np.float32)[features.region] * 0.5,
        _bits(features.region_wish.astype(np.uint32), len(codes.REGIONS)) * 0.3,
        (np.minimum(features.years, 40)[:, None] / 20).astype(np.float32) * 0.8,
        _bits(features.interests, len(features.interest_codes)) * 0.5,
        four_hour_blocks * 0.3,
    ]
    return np.ascontiguousarray(np.concatenate(parts, axis=1), dtype=np.float32)
