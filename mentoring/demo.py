"""Demo rounds: a finished round with its partnerships, an open round with a few hundred
applicants from many countries (some returning), partner pathways and an interest list."""

import random
from datetime import datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.utils import timezone
from faker import Faker
from wagtail.models import Site

from mentoring.matching.synthetic import synthetic_pool
from mentoring.models import (
    Application,
    Interest,
    InterestedPerson,
    MatchRun,
    PartnerOrganisation,
    Partnership,
    Pathway,
    Person,
    ProgramSettings,
    Round,
)
from mentoring.services import matching
from website.models import OutboundEmail, StandardPage

OPEN_ROUND_SIZE = 320
FINISHED_ROUND_SIZE = 80
INTEREST_LIST_SIZE = 30

ZONES = {
    "AU": "Australia/Sydney",
    "US": "America/Chicago",
    "GB": "Europe/London",
    "CA": "America/Toronto",
    "NZ": "Pacific/Auckland",
    "IN": "Asia/Kolkata",
    "NG": "Africa/Lagos",
    "ZA": "Africa/Johannesburg",
    "PH": "Asia/Manila",
    "KE": "Africa/Nairobi",
    "IE": "Europe/Dublin",
    "MY": "Asia/Kuala_Lumpur",
    "SG": "Asia/Singapore",
    "DE": "Europe/Berlin",
    "NL": "Europe/Amsterdam",
    "ES": "Europe/Madrid",
    "IT": "Europe/Rome",
    "FR": "Europe/Paris",
    "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo",
    "AR": "America/Argentina/Buenos_Aires",
    "CO": "America/Bogota",
    "CL": "America/Santiago",
    "PE": "America/Lima",
    "JP": "Asia/Tokyo",
    "CN": "Asia/Shanghai",
    "KR": "Asia/Seoul",
    "ID": "Asia/Jakarta",
    "PK": "Asia/Karachi",
    "BD": "Asia/Dhaka",
    "LK": "Asia/Colombo",
    "NP": "Asia/Kathmandu",
    "GH": "Africa/Accra",
    "UG": "Africa/Kampala",
    "TZ": "Africa/Dar_es_Salaam",
    "ZW": "Africa/Harare",
    "EG": "Africa/Cairo",
    "SA": "Asia/Riyadh",
    "AE": "Asia/Dubai",
    "TR": "Europe/Istanbul",
    "GR": "Europe/Athens",
    "PL": "Europe/Warsaw",
    "SE": "Europe/Stockholm",
    "NO": "Europe/Oslo",
    "FI": "Europe/Helsinki",
    "DK": "Europe/Copenhagen",
    "PT": "Europe/Lisbon",
    "RO": "Europe/Bucharest",
    "UA": "Europe/Kyiv",
    "VN": "Asia/Ho_Chi_Minh",
    "TH": "Asia/Bangkok",
    "FJ": "Pacific/Fiji",
    "PG": "Pacific/Port_Moresby",
}
FAKER_LOCALES = [
    "en_AU",
    "en_US",
    "en_GB",
    "es_ES",
    "pt_BR",
    "fr_FR",
    "de_DE",
    "it_IT",
    "en_IN",
    "ja_JP",
    "nl_NL",
    "pl_PL",
    "tr_TR",
    "id_ID",
    "sw",
]
ROLES = {
    "academic": ["Liaison librarian", "Research services librarian", "Systems librarian"],
    "public": ["Branch librarian", "Children's librarian", "Community programs officer"],
    "school": ["Teacher librarian", "School library coordinator"],
    "special": ["Corporate information specialist", "Museum librarian"],
    "government": ["Parliamentary research librarian", "Records manager"],
    "health": ["Clinical librarian", "Hospital library manager"],
    "law": ["Law librarian", "Legal information officer"],
    "national": ["Digital preservation officer", "Cataloguing librarian"],
    "other": ["Information manager", "Archivist"],
}


def build(out: TextIO, seed: int) -> None:
    if Round.objects.filter(slug__in=["round-8", "round-9"]).exists():
        out.write("Demo rounds already exist; kept as they are.")
        return
    rng = random.Random(seed)
    fake = Faker(FAKER_LOCALES)
    fake.seed_instance(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    link_program_texts()
    finished = make_round("Round 8", "round-8", now - timedelta(days=300))
    open_round = make_round("Round 9", "round-9", now - timedelta(days=12))
    make_round("Round 10", "round-10", now + timedelta(days=170))
    pathways = make_pathways(open_round)

    finished_people = make_applications(
        finished, FINISHED_ROUND_SIZE, seed, rng, fake, status=Application.Status.CONFIRMED
    )
    match_and_approve(finished)
    returning = finished_people[: FINISHED_ROUND_SIZE // 4]
    make_applications(
        open_round,
        OPEN_ROUND_SIZE,
        seed + 1,
        rng,
        fake,
        status=None,
        returning=returning,
        pathways=pathways,
    )
    make_interest_list(rng, fake)
    out.write(
        f"Demo rounds: {finished.name} (finished, {FINISHED_ROUND_SIZE} participants), "
        f"{open_round.name} (applications open, {OPEN_ROUND_SIZE} applicants), "
        f"{INTEREST_LIST_SIZE} people on the interest list."
    )


def link_program_texts() -> None:
    site = Site.objects.get(is_default_site=True)
    texts = ProgramSettings.for_site(site)
    pages = {
        page.slug: page
        for page in StandardPage.objects.filter(
            locale__language_code="en",
            slug__in=["code-of-conduct", "participation-requirements", "privacy"],
        )
    }
    texts.code_of_conduct_page = pages.get("code-of-conduct")
    texts.requirements_page = pages.get("participation-requirements")
    texts.privacy_page = pages.get("privacy")
    texts.save()


def make_round(name: str, slug: str, opens: datetime) -> Round:
    closes = opens + timedelta(days=28)
    starts = (closes + timedelta(days=24)).date()
    return Round.objects.create(
        name=name,
        slug=slug,
        application_opens_at=opens,
        application_closes_at=closes,
        confirmation_deadline=closes + timedelta(days=10),
        matching_date=closes + timedelta(days=14),
        starts_on=starts,
        ends_on=starts + timedelta(days=120),
        cap_applied_at=closes + timedelta(minutes=5) if closes < timezone.now() else None,
    )


def make_pathways(round: Round) -> list[Pathway]:
    pacific = PartnerOrganisation.objects.get_or_create(
        name="Pacific Islands Library Association", defaults={"country": "FJ"}
    )[0]
    students = PartnerOrganisation.objects.get_or_create(
        name="Northern School of Information Studies", defaults={"country": "GB"}
    )[0]
    return [
        Pathway.objects.create(
            round=round, organisation=pacific, kind=Pathway.Kind.MEMBERS_ONLY, code="PACIFIC-NINE"
        ),
        Pathway.objects.create(round=round, organisation=students, kind=Pathway.Kind.SELF_DECLARED),
    ]


def make_applications(round, size, seed, rng, fake, status, returning=(), pathways=()):
    """Applicants drawn from the matching engine's synthetic pools, which follow the
    network's real country mix, with fictional names."""
    interests = {interest.code: interest for interest in Interest.objects.all()}
    pool = synthetic_pool(size, seed=seed)
    made = []
    received = round.application_opens_at
    span = (min(round.application_closes_at, timezone.now()) - received).total_seconds()
    for index, record in enumerate(pool.applicants):
        earlier = returning[index] if index < len(returning) else None
        name = earlier.name if earlier else f"{fake.first_name()} {fake.last_name()}"
        country = earlier.country.code if earlier else record.country
        email = earlier.email if earlier else _email(name, index, round)
        person = (
            earlier.person
            if earlier
            else Person.objects.get_or_create(email_normalised=email.lower())[0]
        )
        application_status = status or _open_round_status(rng)
        created = received + timedelta(seconds=span * (index + 1) / (size + 1))
        application = Application.objects.create(
            round=round,
            person=person,
            status=application_status,
            pathway=rng.choice(pathways) if pathways and rng.random() < 0.08 else None,
            name=name,
            email=email,
            country=country,
            city=fake.city(),
            time_zone=ZoneInfo(ZONES.get(country, "UTC")),
            sector=record.sector,
            role=rng.choice(ROLES[record.sector]),
            career_stage=record.career_stage,
            years_experience=record.years_experience,
            languages=sorted(record.languages),
            wants_sector=(
                record.wants_sector if isinstance(record.wants_sector, str) else "different"
            ),
            wanted_sectors=(
                [] if isinstance(record.wants_sector, str) else sorted(record.wants_sector)
            ),
            wants_career_stage=record.wants_career_stage,
            preferred_regions=sorted(record.preferred_regions),
            availability=sorted(record.availability),
            agreed_code_of_conduct_at=created,
            agreed_requirements_at=created,
            consent_version="coc:demo;req:demo",
            verified_at=created + timedelta(hours=2)
            if application_status != Application.Status.UNVERIFIED
            else None,
        )
        Application.objects.filter(pk=application.pk).update(created_at=created)
        application.interests.set([interests[c] for c in record.interests if c in interests])
        made.append(application)
    return made


def _open_round_status(rng: random.Random) -> str:
    return Application.Status.UNVERIFIED if rng.random() < 0.12 else Application.Status.VERIFIED


def _email(name: str, index: int, round: Round) -> str:
    local = "".join(c for c in name.lower() if c.isascii() and c.isalnum()) or "applicant"
    return f"{local[:20]}.{round.slug}.{index}@example.org"


def match_and_approve(round: Round) -> None:
    """The finished round's partnerships come from a real run of the engine, approved; the
    introductions of this past round are not sent."""
    run = MatchRun.objects.create(
        round=round,
        hierarchy=round.hierarchy,
        seed=8,
        hard_criteria=round.hard_criteria,
        odd_pool=round.odd_pool,
    )
    matching.execute_run(run.pk)
    matching.approve(MatchRun.objects.get(pk=run.pk))
    OutboundEmail.objects.filter(key__startswith="introduction:").update(
        status=OutboundEmail.Status.CANCELLED
    )
    Partnership.objects.filter(round=round).update(
        published_at=round.start_datetime, ended_at=round.end_datetime
    )
    MatchRun.objects.filter(pk=run.pk).update(approved_at=round.start_datetime)


def make_interest_list(rng: random.Random, fake: Faker) -> None:
    for index in range(INTEREST_LIST_SIZE):
        name = f"{fake.first_name()} {fake.last_name()}"
        person = InterestedPerson.objects.create(
            name=name,
            email=f"interested.{index}@example.org",
            country=rng.choice(list(ZONES)),
        )
        if rng.random() < 0.85:
            InterestedPerson.objects.filter(pk=person.pk).update(confirmed_at=timezone.now())
