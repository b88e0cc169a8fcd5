"""The one place where a volunteer's record and their admin access change together.

A serving volunteer (active, term not over) is in the group of each of their roles and in
no other role group; one on a break, resigned or whose term has lapsed is in none, and has
no admin access: Wagtail checks the access permission on every request, so a session they
already had is refused from the next request on. Every change is written to Wagtail's log
(who, when, what), which the record's history screen shows."""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from volunteers.models import VolunteerRecord
from volunteers.roles import Role, group_name, role_group_names

TRACKED_FIELDS = ["roles", "country", "started_on", "term_ends_on", "status", "reports_to_id"]


def may_manage(by, record: VolunteerRecord, old_roles: list[str] | None = None) -> bool:
    """Directors manage every record but directors' (as with accounts); superusers all."""
    if by is None or by.is_superuser:
        return True
    if record.user.is_superuser:
        return False
    if record.user.groups.filter(name=settings.DIRECTORS_GROUP).exists():
        return False
    roles = set(record.roles) | set(old_roles or [])
    return Role.DIRECTOR not in roles


def wanted_groups(record: VolunteerRecord) -> set[str]:
    return (
        {group_name(role) for role in record.roles if role in Role.values}
        if (record.is_serving)
        else set()
    )


@transaction.atomic
def sync_groups(record: VolunteerRecord) -> None:
    """Give the record's user exactly the groups their record says (of the role groups). An
    ambassador's language groups come with their ambassador profile, and go with the role."""
    user = record.user
    wanted = wanted_groups(record)
    managed = set(role_group_names())
    current = {group.name: group for group in user.groups.all()}
    ambassador_languages = {
        name for name in current if name.startswith(f"{settings.AMBASSADORS_GROUP}: ")
    }
    to_remove = [current[name] for name in (set(current) & managed) - wanted]
    if settings.AMBASSADORS_GROUP not in wanted:
        to_remove += [current[name] for name in ambassador_languages]
    user.groups.remove(*to_remove)
    user.groups.add(*Group.objects.filter(name__in=wanted - set(current)))
    if not record.is_serving:
        user.user_permissions.clear()
    profile = getattr(user, "ambassador_profile", None)
    if profile is not None and Role.AMBASSADOR in record.roles and record.is_serving:
        from ambassadors.services.profiles import sync_groups as sync_ambassador

        sync_ambassador(profile)


def snapshot(record: VolunteerRecord) -> dict[str, Any]:
    values = {}
    for field in TRACKED_FIELDS:
        value = getattr(record, field)
        if isinstance(value, date):
            value = value.isoformat()
        elif field == "country":
            value = str(value or "")
        elif field == "roles":
            value = sorted(value or [])
        values[field] = value
    return values


@transaction.atomic
def save_record(
    record: VolunteerRecord, *, by, reason: str = "", checked: bool = True
) -> VolunteerRecord:
    """Save a record made or changed in the admin (or by a service), bring the user's groups in
    line with it and log what changed. Refused for a director's record unless by a
    superuser (directors give only the groups below theirs)."""
    before = None
    if record.pk:
        old = VolunteerRecord.objects.select_for_update().filter(pk=record.pk).first()
        before = snapshot(old) if old else None
    if checked and not may_manage(by, record, (before or {}).get("roles")):
        raise PermissionDenied
    record.save()
    after = snapshot(record)
    changes = {
        field: [None if before is None else before[field], after[field]]
        for field in TRACKED_FIELDS
        if before is None or before[field] != after[field]
    }
    sync_groups(record)
    if changes:
        from volunteers.services.agreements import move_acceptance_stamp

        move_acceptance_stamp()
        transaction.on_commit(move_acceptance_stamp)
        log(
            instance=record,
            action="volunteers.create" if before is None else "volunteers.change",
            user=by,
            data={"changes": changes, "reason": reason},
        )
    return record


@transaction.atomic
def delete_record(record: VolunteerRecord, *, by) -> None:
    """Delete a record (superusers): its role groups go first, so no admin access is left
    behind without a record to say why; the deletion is logged."""
    if not may_manage(by, record):
        raise PermissionDenied
    record.roles = []
    sync_groups(record)
    from volunteers.services.agreements import move_acceptance_stamp

    transaction.on_commit(move_acceptance_stamp)
    log(instance=record, action="wagtail.delete", user=by, data={"reason": "record deleted"})
    record.delete()


def roles_from_groups(user) -> list[str]:
    names = set(user.groups.values_list("name", flat=True))
    return [role.value for role in Role if group_name(role) in names]


def ensure_record(user, *, by) -> VolunteerRecord | None:
    """Someone given a role group without a record (on Wagtail's Users screen) gets one with
    those roles, so they too accept the code of conduct and their descriptions before any
    other admin page. Superusers need none. The Users screen has already checked who may
    give which group; the record is logged as made by the one who gave it."""
    if user.is_superuser or VolunteerRecord.objects.filter(user=user).exists():
        return None
    roles = roles_from_groups(user)
    if not roles:
        return None
    record = VolunteerRecord(user=user, roles=roles)
    reason = "given a role group on the Users screen"
    return save_record(record, by=by, reason=reason, checked=False)


def set_status(record: VolunteerRecord, status: str, *, by, reason: str = "") -> VolunteerRecord:
    record = VolunteerRecord.objects.select_related("user").get(pk=record.pk)
    record.status = status
    return save_record(record, by=by, reason=reason)


def end_volunteer(user, *, by, reason: str) -> VolunteerRecord | None:
    """End a volunteer's service (a resignation, or a removal under the code of conduct): the
    record says resigned, every role group goes, and with it admin access. Safe to rerun."""
    record = VolunteerRecord.objects.select_related("user").filter(user=user).first()
    if record is None:
        return None
    if record.status == VolunteerRecord.Status.RESIGNED:
        sync_groups(record)
        return record
    record = set_status(record, VolunteerRecord.Status.RESIGNED, by=by, reason=reason)
    profile = getattr(record.user, "ambassador_profile", None)
    if profile is not None and profile.resigned_on is None:
        type(profile).objects.filter(pk=profile.pk).update(resigned_on=timezone.localdate())
    return record


def end_lapsed_terms() -> int:
    """Take the role groups from those whose term has ended; returns how many."""
    today = timezone.localdate()
    lapsed = VolunteerRecord.objects.filter(
        term_ends_on__lt=today, user__groups__name__in=role_group_names()
    ).distinct()
    count = 0
    for record in lapsed.select_related("user"):
        sync_groups(record)
        log(
            instance=record,
            action="volunteers.change",
            user=None,
            data={"changes": {}, "reason": "term ended"},
        )
        count += 1
    return count
