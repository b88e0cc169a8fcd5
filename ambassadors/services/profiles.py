"""An ambassador's admin account follows their profile: while their term runs they are in the
Ambassadors group and in the group of each site language they speak; after it, in neither."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ambassadors.models import Ambassador
from ambassadors.services.locales import locale_groups


def current_record(user):
    """The user's volunteer record as stored now (not a copy cached on the user object)."""
    try:
        model = apps.get_model("volunteers", "VolunteerRecord")
    except LookupError:
        return None
    return model.objects.filter(user=user).first()


@transaction.atomic
def sync_groups(ambassador: Ambassador) -> None:
    user = ambassador.user
    if user is None:
        return
    by_language = locale_groups()
    wanted = set()
    # A volunteer record (volunteers.services.records) outranks the profile: on a break,
    # resigned, or without the ambassador role (a director took it away), no groups.
    record = current_record(user)
    if ambassador.is_active and (
        record is None or (record.is_serving and "ambassador" in record.roles)
    ):
        wanted = {
            by_language[code] for code in ambassador.site_language_codes if code in by_language
        }
        wanted |= set(Group.objects.filter(name=settings.AMBASSADORS_GROUP))
    managed = set(by_language.values()) | set(Group.objects.filter(name=settings.AMBASSADORS_GROUP))
    current = set(user.groups.all())
    user.groups.remove(*((current & managed) - wanted))
    user.groups.add(*(wanted - current))


def end_lapsed_terms() -> int:
    """Take the ambassadors' groups away from those whose term has ended; returns how many."""
    today = timezone.localdate()
    lapsed = Ambassador.objects.filter(
        term_ends_on__lt=today, user__groups__name=settings.AMBASSADORS_GROUP
    ).distinct()
    count = 0
    for ambassador in lapsed.select_related("user"):
        sync_groups(ambassador)
        count += 1
    return count
