"""Demo rounds, one at every stage of a round's life, with applicants drawn from the
matching engine's synthetic pools (the network's real country mix, fictional names), each
with the interests they ticked:

- Rounds 4 and 5: finished, with their partnerships;
- Round 6: running, with the day 7 and day 14 check-ins, a re-match of four people whose
  partners went silent, and a report of a silent partner waiting for a director;
- Round 7: ready to match: applications closed, the country cap applied, applicants
  confirmed, the confirmation deadline passed;
- Round 8: confirming: asked to confirm, about half have;
- Round 9: applications open, with partner pathways and the interest list told;
- Round 10: upcoming.

What the round schedule would already have done (emails, check-ins) is done, and those
emails are marked sent, so the worker's first pass of the schedule finds nothing to repeat.
"""

import random
from datetime import datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone
from faker import Faker
from wagtail.models import Site

from mentoring.matching.synthetic import synthetic_pool
from mentoring.models import (
    Application,
    CheckIn,
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
from mentoring.services import applications as application_service
from mentoring.services import approval, checkins, interest, rounds, runs
from website.models import OutboundEmail, StandardPage

# (name, slug, days from now to the opening of its applications, applicants): 400 in all.
ROUNDS = [
    ("Round 4", "round-4", -480, 30),
    ("Round 5", "round-5", -300, 60),
    ("Round 6", "round-6", -69, 60),
    ("Round 7", "round-7", -40, 50),
    ("Round 8", "round-8", -30, 60),
    ("Round 9", "round-9", -12, 140),
    ("Round 10", "round-10", 170, 0),
]
INTEREST_LIST_SIZE = 30
RETURNING = 15
REPORT_NOTE = (
    "We agreed to meet on the 3rd and my partner did not come; two emails since, no answer."
)

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
    if Round.objects.filter(slug__in=[slug for _n, slug, _d, _s in ROUNDS]).exists():
        out.write("Demo rounds already exist; kept as they are.")
        return
    rng = random.Random(seed)
    fake = Faker(FAKER_LOCALES)
    fake.seed_instance(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    first_email = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    link_program_texts()
    made = {
        slug: make_round(name, slug, now + timedelta(days=days)) for name, slug, days, _n in ROUNDS
    }
    sizes = {slug: size for _name, slug, _days, size in ROUNDS}
    people = {}
    for offset, slug in enumerate(["round-4", "round-5", "round-6", "round-7", "round-8"]):
        people[slug] = make_applications(
            made[slug], sizes[slug], seed + offset, rng, fake, status=Application.Status.VERIFIED
        )

    for slug in ("round-4", "round-5"):
        confirm(made[slug], people[slug], share=1.0)
        finish(made[slug], match_and_approve(made[slug], seed))
    run_round_six(made["round-6"], people["round-6"], seed, rng, now)
    for slug in ("round-7", "round-8"):
        rounds.apply_country_cap(made[slug])
        rounds.request_confirmations(made[slug])
    confirm(made["round-7"], people["round-7"], share=0.85, rng=rng)
    confirm(made["round-8"], people["round-8"], share=0.5, rng=rng)

    open_round = made["round-9"]
    make_applications(
        open_round,
        sizes["round-9"],
        seed + 9,
        rng,
        fake,
        status=None,
        returning=people["round-5"][:RETURNING],
        pathways=make_pathways(open_round),
    )
    make_interest_list(rng, fake)
    interest.notify_round_open(open_round)
    OutboundEmail.objects.filter(pk__gt=first_email, status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.SENT, sent_at=F("created_at")
    )
    leave_one_in_doubt(people["round-8"])
    out.write(
        "Demo rounds: 4 and 5 finished, 6 running (a report waits), 7 ready to match, "
        "8 confirming, 9 open for applications, 10 upcoming; "
        f"{Application.objects.count()} applications, {INTEREST_LIST_SIZE} on the interest list."
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
    """A round with the usual rhythm: four weeks of applications, ten days to confirm,
    partnerships from 24 days after the close, for 120 days."""
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


def make_applications(
    round: Round,
    size: int,
    seed: int,
    rng: random.Random,
    fake: Faker,
    status: str | None,
    returning: list[Application] | tuple = (),
    pathways: list[Pathway] | tuple = (),
) -> list[Application]:
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
        application = Application(
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
        # A ParentalManyToManyField is stored by the save that follows setting it.
        application.interests.set([interests[c] for c in record.interests if c in interests])
        application.save()
        Application.objects.filter(pk=application.pk).update(created_at=created)
        made.append(application)
    return made


def _open_round_status(rng: random.Random) -> str:
    return Application.Status.UNVERIFIED if rng.random() < 0.12 else Application.Status.VERIFIED


def _email(name: str, index: int, round: Round) -> str:
    local = "".join(c for c in name.lower() if c.isascii() and c.isalnum()) or "applicant"
    return f"{local[:20]}.{round.slug}.{index}@example.org"


def confirm(
    round: Round, made: list[Application], share: float, rng: random.Random | None = None
) -> None:
    """A share of the round's verified applicants confirmed, two days after the close."""
    waiting = Application.objects.filter(
        pk__in=[a.pk for a in made], status=Application.Status.VERIFIED
    ).order_by("pk")
    chosen = [a.pk for a in waiting if rng is None or rng.random() < share]
    Application.objects.filter(pk__in=chosen).update(
        status=Application.Status.CONFIRMED,
        confirmed_at=round.application_closes_at + timedelta(days=2),
    )


def match_and_approve(
    round: Round,
    seed: int,
    kind: str = MatchRun.Kind.ROUND,
    pool: list[int] | None = None,
) -> MatchRun:
    """A real run of the engine over the round's confirmed applicants (or a re-match pool),
    approved: the partnerships are made and the introductions queued."""
    run = MatchRun.objects.create(
        round=round,
        kind=kind,
        hierarchy=round.hierarchy,
        seed=seed,
        hard_criteria=round.hard_criteria,
        odd_pool=round.odd_pool,
        requested_pool=pool or [],
    )
    runs.execute_run(run.pk)
    approval.approve(MatchRun.objects.get(pk=run.pk))
    return run


def finish(round: Round, run: MatchRun) -> None:
    """A past round: its partnerships began on its first day and ended on its last."""
    Partnership.objects.filter(round=round).update(
        published_at=round.start_datetime, ended_at=round.end_datetime
    )
    MatchRun.objects.filter(pk=run.pk).update(approved_at=round.start_datetime)
    Round.objects.filter(pk=round.pk).update(
        cap_applied_at=round.application_closes_at + timedelta(minutes=5)
    )


def run_round_six(
    round: Round, made: list[Application], seed: int, rng: random.Random, now: datetime
) -> None:
    """A running round 17 days in: both check-ins out and mostly answered; four people whose
    partners went silent said so on day 7 and were re-matched; one person has since reported
    a silent partner, which waits for a director."""
    confirm(round, made, share=1.0)
    run = match_and_approve(round, seed)
    Partnership.objects.filter(round=round).update(published_at=round.start_datetime)
    MatchRun.objects.filter(pk=run.pk).update(approved_at=round.start_datetime)
    Round.objects.filter(pk=round.pk).update(
        cap_applied_at=round.application_closes_at + timedelta(minutes=5)
    )
    checkins.send_check_ins(round, now)
    pairs = [
        sorted(partnership.members.all(), key=lambda member: member.pk)
        for partnership in Partnership.objects.filter(round=round).order_by("pk")
    ]
    pairs = [members for members in pairs if len(members) == 2]
    said_no, reported = pairs[:4], pairs[4]
    silent = {members[1].pk for members in [*said_no, reported]}
    for check_in in CheckIn.objects.filter(application__round=round).exclude(
        application__in=silent
    ):
        if rng.random() < 0.1:
            continue  # some never answer one of the two
        check_in.heard_from_partner = True
        check_in.answered_at = round.start_datetime + timedelta(days=check_in.day + 1)
        check_in.save(update_fields=["heard_from_partner", "answered_at"])
    for first, _partner in said_no:
        checkins.answer(first, 7, heard_from_partner=False)
    match_and_approve(round, seed, kind=MatchRun.Kind.REMATCH, pool=runs.rematch_pool(round))
    reporter = Application.objects.get(pk=reported[0].pk)
    application_service.report_unresponsive_partner(reporter, REPORT_NOTE)


def leave_one_in_doubt(made: list[Application]) -> None:
    """One confirmation request whose worker stopped while sending it: in the Outbox, a
    director decides whether it went."""
    message = (
        OutboundEmail.objects.filter(
            key__in=[f"confirm-request:{application.pk}" for application in made]
        )
        .order_by("pk")
        .first()
    )
    if message:
        OutboundEmail.objects.filter(pk=message.pk).update(
            status=OutboundEmail.Status.IN_DOUBT, attempts=1, sent_at=None
        )


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
