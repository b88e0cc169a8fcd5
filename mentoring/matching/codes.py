"""The fixed vocabularies of an application: sectors, career stages, interests, regions, slots.

Every field of an :class:`~mentoring.matching.records.Applicant` that is a code takes its values
from here, so the Django forms, the synthetic pools and the scoring tables agree on one list.
The country table maps ISO 3166-1 alpha-2 codes to six world regions after the UN M49
geoscheme (Northern America is split from Latin America and the Caribbean, as the M49 does).
"""

from __future__ import annotations

SECTORS: tuple[str, ...] = (
    "academic",
    "public",
    "school",
    "special",
    "government",
    "health",
    "law",
    "national",
    "other",
)

CAREER_STAGES: tuple[str, ...] = ("student", "early", "mid", "senior")

INTERESTS: tuple[str, ...] = (
    "reference",
    "cataloguing",
    "collections",
    "digital",
    "data",
    "technology",
    "information_literacy",
    "instruction",
    "research_support",
    "scholarly_communication",
    "open_access",
    "archives",
    "preservation",
    "children_youth",
    "community",
    "outreach_marketing",
    "advocacy",
    "diversity_inclusion",
    "leadership",
    "management",
)

REGIONS: tuple[str, ...] = (
    "africa",
    "northern_america",
    "latin_america_caribbean",
    "asia",
    "europe",
    "oceania",
)

WISHES: tuple[str, ...] = ("same", "different", "any")

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DAY_PARTS: dict[str, tuple[int, int]] = {"am": (6, 12), "pm": (12, 18), "eve": (18, 24)}
"""Local hours covered by each part of a day, as [start, end)."""

SLOTS: tuple[str, ...] = tuple(f"{day}-{part}" for day in DAYS for part in DAY_PARTS)
"""Weekly availability slots in the applicant's local time, e.g. ``"mon-am"``."""

ENGLISH = "en"
"""The program runs in English, so English is shared by everyone and never counts as shared."""

_COUNTRIES_BY_REGION: dict[str, str] = {
    "africa": (
        "DZ EG LY MA SD TN EH IO BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS TZ UG ZM ZW TF "
        "AO CM CF TD CG CD GQ GA ST BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN "
        "SL TG"
    ),
    "northern_america": "BM CA GL PM US",
    "latin_america_caribbean": (
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI BZ "
        "CR SV GT HN MX NI PA AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"
    ),
    "asia": (
        "KZ KG TJ TM UZ CN HK MO KP JP MN KR TW BN KH ID LA MY MM PH SG TH TL VN AF BD BT IN IR "
        "MV NP PK LK AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"
    ),
    "europe": (
        "BY BG CZ HU PL MD RO RU SK UA AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB AL AD BA "
        "HR GI GR VA IT MT ME MK PT SM RS SI ES AT BE FR DE LI LU MC NL CH"
    ),
    "oceania": (
        "AU NZ NF HM CX CC FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF"
    ),
}

COUNTRY_REGIONS: dict[str, str] = {
    country: region
    for region, countries in _COUNTRIES_BY_REGION.items()
    for country in countries.split()
}
"""ISO 3166-1 alpha-2 country code to world region (a code of :data:`REGIONS`)."""


def region_of(country: str) -> str:
    """The world region of an ISO 3166-1 alpha-2 country code (case-insensitive)."""
    try:
        return COUNTRY_REGIONS[country.upper()]
    except KeyError:
        raise ValueError(f"unknown country code {country!r}; pass the region explicitly") from None
