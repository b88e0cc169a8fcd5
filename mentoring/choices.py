"""Labelled choices for the application form. The codes are the matching engine's own
(`mentoring.matching.codes`), so what people choose is what the engine scores."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mentoring.matching import codes
from mentoring.matching.hierarchy import Criterion


class Sector(models.TextChoices):
    ACADEMIC = "academic", _("Academic or research library")
    PUBLIC = "public", _("Public library")
    SCHOOL = "school", _("School library")
    SPECIAL = "special", _("Special library")
    GOVERNMENT = "government", _("Government library")
    HEALTH = "health", _("Health or medical library")
    LAW = "law", _("Law library")
    NATIONAL = "national", _("National or state library")
    OTHER = "other", _("Other information service")


class CareerStage(models.TextChoices):
    STUDENT = "student", _("Student of library and information science")
    EARLY = "early", _("Early career (up to 5 years)")
    MID = "mid", _("Mid career")
    SENIOR = "senior", _("Senior or leadership role")


class Wish(models.TextChoices):
    SAME = "same", _("The same as mine")
    DIFFERENT = "different", _("Different from mine")
    ANY = "any", _("No preference")


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    NORTHERN_AMERICA = "northern_america", _("Northern America")
    LATIN_AMERICA = "latin_america_caribbean", _("Latin America and the Caribbean")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")


DAY_LABELS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}
PART_LABELS = {"am": _("morning"), "pm": _("afternoon"), "eve": _("evening")}
AVAILABILITY_CHOICES = [
    (slot, format_lazy("{} {}", DAY_LABELS[slot.split("-")[0]], PART_LABELS[slot.split("-")[1]]))
    for slot in codes.SLOTS
]

LANGUAGE_CHOICES = [
    ("ar", _("Arabic")),
    ("bn", _("Bengali")),
    ("zh", _("Chinese")),
    ("nl", _("Dutch")),
    ("fil", _("Filipino")),
    ("fr", _("French")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("hi", _("Hindi")),
    ("id", _("Indonesian")),
    ("it", _("Italian")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("ms", _("Malay")),
    ("mi", _("Māori")),
    ("fa", _("Persian")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("sw", _("Swahili")),
    ("sv", _("Swedish")),
    ("ta", _("Tamil")),
    ("th", _("Thai")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("ur", _("Urdu")),
    ("vi", _("Vietnamese")),
    ("yo", _("Yoruba")),
]


CRITERION_LABELS = {
    Criterion.SECTOR_WISH: _("Sector wish"),
    Criterion.INTERESTS: _("Shared interests"),
    Criterion.EXPERIENCE: _("Experience"),
    Criterion.TIME_ZONE: _("Time-zone and availability overlap"),
    Criterion.CAREER_STAGE_WISH: _("Career-stage wish"),
    Criterion.REGION_WISH: _("Region wish"),
    Criterion.LANGUAGES: _("Shared languages"),
}
"""The matching criteria by name, for the directors' screens and the rule warnings."""
HARD_ALLOWED = frozenset(
    {Criterion.SECTOR_WISH, Criterion.CAREER_STAGE_WISH, Criterion.REGION_WISH}
)
"""The criteria a round may make hard (a wish that must be met)."""
