"""Demo volunteers: the position descriptions of every role under a "Volunteer with us" page,
a volunteer record for each demo account (some terms end within 60 days), their acceptance of
the current code of conduct and position descriptions (so the demo sign-ins go straight to the
dashboard), two announcements and one expression of interest. Rerunnable."""

from datetime import timedelta
from typing import TextIO

from django.utils import timezone
from wagtail.models import Site

from ambassadors.demo import ACCOUNTS as AMBASSADOR_ACCOUNTS
from ambassadors.models import Ambassador, one_term_after
from volunteers import demo_content
from volunteers.models import (
    Announcement,
    ExpressionOfInterest,
    PositionIndexPage,
    PositionPage,
    VolunteerRecord,
)
from volunteers.services import agreements, records
from website.models import HomePage, User

# Demo account, its roles, and how many days ago its term started (330: due within 60 days).
ACCOUNTS = [
    ("director", ["director"], 120),
    ("content", ["content_officer"], 330),
    ("editor", ["guest_editor"], 200),
    ("social", ["social_coordinator"], 340),
    ("comms", ["communications_officer"], 60),
    ("data", ["data_officer"], 310),
] + [(username, ["ambassador"], 0) for username in AMBASSADOR_ACCOUNTS]


def build(out: TextIO, seed: int) -> None:
    home = HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)
    index = build_positions(home)
    made = build_records()
    build_announcements()
    if not ExpressionOfInterest.objects.exists():
        ExpressionOfInterest.objects.create(
            name="Noor Haddad",
            email="noor.haddad@example.org",
            country="JO",
            roles=["ambassador", "content_officer"],
            message="I run a small public library in Amman and would love to help in Arabic.",
        )
    out.write(
        f"Volunteers: {PositionPage.objects.child_of(index).count()} position descriptions, "
        f"{made} volunteer records, {Announcement.objects.count()} announcements."
    )


def build_positions(home: HomePage) -> PositionIndexPage:
    index = PositionIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = PositionIndexPage(
            title=demo_content.INDEX["title"],
            slug=demo_content.INDEX["slug"],
            intro=demo_content.INDEX["intro"],
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    for position in demo_content.POSITIONS:
        if PositionPage.objects.child_of(index).filter(role=position["role"]).exists():
            continue
        page = PositionPage(
            title=position["title"],
            role=position["role"],
            hours_per_week=position["hours"],
            reports_to=position["reports_to"],
            purpose=f"<p>{position['purpose']}</p>",
            tasks="<ul>" + "".join(f"<li>{task}</li>" for task in position["tasks"]) + "</ul>",
            screens=f"<p>{position['screens']}</p>",
        )
        index.add_child(instance=page)
        page.save_revision().publish()
    return index


def build_records() -> int:
    today = timezone.localdate()
    director = User.objects.filter(username="director").first()
    count = 0
    for username, roles, days_ago in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        record = VolunteerRecord.objects.filter(user=user).first()
        if record is None:
            profile = Ambassador.objects.filter(user=user).first()
            starts = profile.term_starts_on if profile else today - timedelta(days=days_ago)
            record = VolunteerRecord(
                user=user,
                roles=roles,
                country=profile.countries.first().country if profile else "",
                started_on=starts,
                term_ends_on=profile.term_ends_on if profile else one_term_after(starts),
                reports_to=director if username != "director" else None,
                email_digest=username in {"content", "ambassador"},
            )
            records.save_record(record, by=None, reason="demo")
        agreements.accept(user, agreements.pending_for(user))
        count += 1
    return count


def build_announcements() -> None:
    director = User.objects.filter(username="director").first()
    now = timezone.now()
    for title, body, days_ago in demo_content.ANNOUNCEMENTS:
        Announcement.objects.get_or_create(
            title=title,
            defaults={
                "body": body,
                "author": director,
                "published_at": now - timedelta(days=days_ago),
            },
        )
