"""Factories for volunteers: position descriptions, records (saved through the service, so
the groups follow) and announcements."""

import factory
import wagtail_factories
from django.utils import timezone

from volunteers.models import Announcement, PositionIndexPage, PositionPage, VolunteerRecord
from volunteers.services import records


class PositionIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PositionIndexPage

    title = "Volunteer with us"
    slug = "volunteer"


class PositionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PositionPage

    title = factory.LazyAttribute(lambda page: page.role.replace("_", " ").capitalize())
    slug = factory.LazyAttribute(lambda page: page.role.replace("_", "-"))
    role = "content_officer"
    purpose = "<p>Keep the pages accurate.</p>"
    tasks = "<ul><li>Write pages</li></ul>"
    hours_per_week = 2
    reports_to = "The directors"
    screens = "<p>Edit pages and submit them for review.</p>"


def make_record(user, roles: list[str], *, by=None, **fields) -> VolunteerRecord:
    """A record saved as a director would save it: the user's groups follow."""
    record = VolunteerRecord(user=user, roles=roles, **fields)
    return records.save_record(record, by=by)


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    title = factory.Sequence(lambda n: f"Announcement {n}")
    body = "News for the volunteers."
    published_at = factory.LazyFunction(timezone.now)
