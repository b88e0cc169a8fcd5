"""`make bench`: the directors' statistics dashboard with 50,000 participants over 20 rounds
(19 finished, one running), with end-of-round survey answers from most participants, seeded
by bulk inserts into a temporary SQLite database: the
time and the query count of the first render (every finished round counted and stored) and
of the renders after it (finished rounds read back, the running one counted live). The
target is 300 ms.

    python -m reporting.benchmark [--participants 50000] [--rounds 20] [--repeat 5]
"""

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

TARGET_MS = 300
COUNTRIES = ["AU", "BR", "CA", "DE", "FR", "GB", "IN", "JP", "KE", "MX", "NG", "NP", "PE", "PH"]
SECTORS = ["academic", "public", "school", "special", "government", "health", "law", "national"]
STAGES = ["student", "early", "mid", "senior"]
BATCH = 5000


def prepare_environment(folder: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "website.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "CELERY_BROKER_URL": "",
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(folder / "media"),
        }
    )


def seed(participants: int, rounds: int) -> int:
    """Rounds four months apart, the last one running; every participant placed in a pair,
    asked both check-ins, and four in five answered the end-of-round survey; a fifth more
    applicants who were not placed; three campaigns. Returns the number of survey answers."""
    import json

    from django.utils import timezone

    from campaigns.models import Campaign, Delivery
    from mentoring.models import (
        Application,
        CheckIn,
        MatchRun,
        Partnership,
        Person,
        Round,
    )
    from surveys.models import MatchingMethod, Survey, SurveyResponse
    from surveys.templates_data import partner_satisfaction_body
    from website.models import OutboundEmail

    rng = random.Random(15)
    now = timezone.now()
    per_round = participants // rounds
    body = json.dumps(partner_satisfaction_body())
    answered = 0
    for r in range(rounds):
        opens = now - timedelta(days=60 + 120 * (rounds - 1 - r))
        round_ = Round.objects.create(
            name=f"Round {r + 1}",
            slug=f"round-{r + 1}",
            application_opens_at=opens,
            application_closes_at=opens + timedelta(days=14),
            confirmation_deadline=opens + timedelta(days=21),
            matching_date=opens + timedelta(days=24),
            starts_on=(opens + timedelta(days=30)).date(),
            ends_on=(opens + timedelta(days=30 + 90)).date(),
        )
        MatchRun.objects.create(
            round=round_,
            status=MatchRun.Status.APPROVED,
            ratio=0.95 + rng.random() / 20,
            approved_at=opens + timedelta(days=25),
        )
        partnerships = Partnership.objects.bulk_create(
            [
                Partnership(
                    round=round_,
                    score=round(40 + rng.random() * 60, 1),
                    reasons={"wishes": [{"who": "a", "met": rng.random() < 0.8}]},
                    flagged_at=now if rng.random() < 0.1 else None,
                )
                for _ in range(per_round // 2)
            ],
            batch_size=BATCH,
        )
        unplaced = per_round // 5
        emails = [f"r{r}p{i}@bench.example.org" for i in range(per_round + unplaced)]
        people = Person.objects.bulk_create(
            [Person(email_normalised=email) for email in emails], batch_size=BATCH
        )
        applications = []
        for i, (email, person) in enumerate(zip(emails, people, strict=True)):
            placed = i < per_round
            applications.append(
                Application(
                    round=round_,
                    person=person,
                    status=Application.Status.MATCHED if placed else Application.Status.WAITLISTED,
                    partnership=partnerships[i // 2] if placed else None,
                    name=f"Bench Person {i}",
                    email=email,
                    email_normalised=email,
                    country=rng.choice(COUNTRIES),
                    sector=rng.choice(SECTORS),
                    role="Librarian",
                    career_stage=rng.choice(STAGES),
                    years_experience=rng.randrange(30),
                    agreed_code_of_conduct_at=opens,
                    agreed_requirements_at=opens,
                    consent_version="bench",
                )
            )
        made = Application.objects.bulk_create(applications, batch_size=BATCH)
        CheckIn.objects.bulk_create(
            [
                CheckIn(
                    application=application,
                    day=day,
                    heard_from_partner=True,
                    answered_at=now if rng.random() < 0.7 else None,
                )
                for application in made[:per_round]
                for day in (7, 14)
            ],
            batch_size=BATCH,
        )
        survey = Survey.objects.create(
            title=f"End of round {r + 1}",
            kind=Survey.Kind.ROUND,
            round=round_,
            moment=Survey.Moment.END_OF_ROUND,
            body=body,
        )
        responses = SurveyResponse.objects.bulk_create(
            [
                SurveyResponse(
                    survey=survey,
                    application=application,
                    round=round_,
                    country=application.country,
                    sector=application.sector,
                    partnership_id=application.partnership_id,
                    matching_method=rng.choice(list(MatchingMethod.values)),
                    answers={
                        "satisfaction": str(rng.randint(1, 5)),
                        "recommend": str(rng.randint(0, 10)),
                    },
                )
                for application in made[:per_round]
                if rng.random() < 0.8
            ],
            batch_size=BATCH,
        )
        answered += len(responses)
    for c in range(3):
        campaign = Campaign.objects.create(
            name=f"Bench news {c + 1}", subject="News", status=Campaign.Status.SENT, started_at=now
        )
        outbound = OutboundEmail.objects.bulk_create(
            [
                OutboundEmail(key=f"bench:{c}:{i}", to=f"c{i}@bench.example.org", template="x")
                for i in range(1000)
            ],
            batch_size=BATCH,
        )
        Delivery.objects.bulk_create(
            [
                Delivery(
                    outbound=email,
                    campaign=campaign,
                    email_normalised=email.to,
                    delivered_at=now if rng.random() < 0.95 else None,
                    opened_at=now if rng.random() < 0.4 else None,
                    clicked_at=now if rng.random() < 0.1 else None,
                )
                for email in outbound
            ],
            batch_size=BATCH,
        )
    return answered


def director_client():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def render(client) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # the seeding filled the log: count from empty
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get("/admin/statistics/")
        elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="statistics-bench-") as folder:
        prepare_environment(Path(folder))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=OFF")
        print("Preparing a temporary database (migrations)...", flush=True)
        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        answered = seed(args.participants, args.rounds)
        print(
            f"Seeded {args.participants:,} participants over {args.rounds} rounds, "
            f"{answered:,} end-of-round survey answers, in {time.perf_counter() - began:.1f} s.",
            flush=True,
        )
        client = director_client()
        cold, cold_queries = render(client)
        print(
            f"First render (every finished round counted and stored): {cold:.0f} ms, "
            f"{cold_queries} queries"
        )
        warm = [render(client) for _ in range(args.repeat)]
        times = [ms for ms, _q in warm]
        median = statistics.median(times)
        print(
            f"Dashboard render, {args.repeat} times: median {median:.0f} ms "
            f"(best {min(times):.0f}, worst {max(times):.0f}), {warm[-1][1]} queries; "
            f"target ≤ {TARGET_MS} ms: {'met' if median <= TARGET_MS else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
