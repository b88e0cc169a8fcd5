"""A campaign's audience: who it goes to, one message per address, without the addresses
on the suppression list."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.services.suppression import suppressed_addresses
from mentoring.models import Application, InterestedPerson

# Applications that never get program mail: unconfirmed addresses, duplicates, people removed.
NEVER = {
    Application.Status.UNVERIFIED,
    Application.Status.DUPLICATE,
    Application.Status.REMOVED,
}
STATUS_CHOICES = [
    (value, label) for value, label in Application.Status.choices if value not in NEVER
]
LANGUAGE_CHOICES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("fr", _("French")),
    ("de", _("German")),
    ("hi", _("Hindi")),
    ("id", _("Indonesian")),
    ("it", _("Italian")),
    ("ja", _("Japanese")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("sw", _("Swahili")),
]


@dataclass(frozen=True)
class Recipient:
    email: str
    email_normalised: str
    name: str
    # The application whose personal page a campaign may link to (none on the interest list).
    application_id: int | None = None
    access_key: str = ""


@dataclass(frozen=True)
class Count:
    recipients: int
    suppressed: int
    without_page: int = 0


def _applicants(campaign: Campaign) -> Iterator[Recipient]:
    applications = Application.objects.filter(erased_at__isnull=True).exclude(status__in=NEVER)
    if campaign.pk and campaign.rounds.exists():
        applications = applications.filter(round__in=campaign.rounds.all())
    if campaign.statuses:
        applications = applications.filter(status__in=campaign.statuses)
    if campaign.countries:
        applications = applications.filter(country__in=[str(c) for c in campaign.countries])
    if campaign.pk and campaign.pathways.exists():
        applications = applications.filter(pathway__in=campaign.pathways.all())
    wanted = set(campaign.languages or [])
    rows = applications.order_by("-created_at").values_list(
        "email", "email_normalised", "name", "languages", "pk", "access_key"
    )
    for email, normalised, name, languages, pk, key in rows.iterator(chunk_size=2000):
        if wanted and not wanted.intersection(languages or []):
            continue
        yield Recipient(email, normalised, name, pk, str(key))


def _interest_list(campaign: Campaign) -> Iterator[Recipient]:
    people = InterestedPerson.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )
    if campaign.countries:
        people = people.filter(country__in=[str(c) for c in campaign.countries])
    rows = people.order_by("-created_at").values_list("email", "email_normalised", "name")
    for email, normalised, name in rows.iterator(chunk_size=2000):
        yield Recipient(email, normalised, name)


def _candidates(campaign: Campaign) -> Iterator[Recipient]:
    if campaign.audience == Campaign.Audience.INTEREST_LIST:
        return _interest_list(campaign)
    return _applicants(campaign)


def _walk(campaign: Campaign) -> tuple[list[Recipient], int]:
    suppressed = suppressed_addresses()
    seen: set[str] = set()
    kept, dropped = [], 0
    for recipient in _candidates(campaign):
        if recipient.email_normalised in seen:
            continue
        seen.add(recipient.email_normalised)
        if recipient.email_normalised in suppressed:
            dropped += 1
            continue
        kept.append(recipient)
    return kept, dropped


def recipients(campaign: Campaign) -> list[Recipient]:
    """One recipient per address (the newest application's name), suppressed ones left out."""
    return _walk(campaign)[0]


def count(campaign: Campaign) -> Count:
    kept, dropped = _walk(campaign)
    without_page = sum(1 for person in kept if not person.application_id)
    return Count(recipients=len(kept), suppressed=dropped, without_page=without_page)
