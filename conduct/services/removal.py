"""A removal under the code of conduct, the one way to remove someone.

`carry_out(complaint, by=...)` does each step once, and may be run again (a second run, or
one after a failure half-way, does only what is left):

1. bars the person's normalised address from later rounds (the barred list entry is linked
   to the decision);
2. closes their open applications, in every round not yet finished (status "removed"; a
   finished round is history and stays as it was);
3. ends the partnerships they are in (in rounds not finished), and offers each partner of a
   partnership this removal ended a re-match: the partner joins the round's re-match pool
   (`mentoring.services.runs.rematch_pool`) and is emailed;
4. for a volunteer, ends their admin access (`end_admin_access`);
5. emails the person a neutral notice.

Every step that changed something is logged on the complaint (its history screen)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from conduct.models import Complaint
from conduct.services.complaints import audit, email_key
from mentoring import links
from mentoring.models import Application, BarredEmail, Partnership, Person, RoundStatus
from mentoring.normalise import normalise_email
from volunteers.services.records import end_volunteer
from website.models import OutboundEmail
from website.outbox import queue_email

OPEN = {
    Application.Status.UNVERIFIED,
    Application.Status.VERIFIED,
    Application.Status.CONFIRMED,
    Application.Status.WAITLISTED,
    Application.Status.MATCHED,
    Application.Status.UNMATCHED,
}
"""Applications a removal closes: everything not already over."""


class RemovalError(Exception):
    pass


def may_remove_account(by, user) -> bool:
    """Whether `by` may take `user`'s admin access away: only someone who may manage that
    account (a director cannot lock out a superuser or another director)."""
    from django.contrib.auth import get_user_model

    from website.permissions import UserPermissionPolicy

    if by is None:
        return True
    policy = UserPermissionPolicy(get_user_model())
    return policy.user_has_permission_for_instance(by, "change", user)


def end_admin_access(user, *, by=None, reason: str = "") -> bool:
    """Take away a removed volunteer's admin access: their volunteer record ends as a
    resignation does (`volunteers.services.records.end_volunteer`: every role group goes),
    and their account is made inactive, so a session they still hold is refused at its next
    request and they cannot sign in again. Logged on the account. True if it changed
    something."""
    if user is None:
        return False
    if not may_remove_account(by, user):
        raise RemovalError(_("You may not remove this account: ask a superuser."))
    with transaction.atomic():
        groups = list(user.groups.values_list("name", flat=True))
        if not groups and not user.is_active:
            return False
        end_volunteer(user, by=by, reason=reason)
        user.groups.clear()
        user.is_active = False
        user.save(update_fields=["is_active"])
        from wagtail.log_actions import log

        log(
            instance=user,
            action="conduct.admin_access_ended",
            user=by,
            data={"groups": groups, "reason": reason},
        )
    return True


def _bar(complaint: Complaint, email: str, by) -> bool:
    normalised = normalise_email(email)
    barred, created = BarredEmail.objects.get_or_create(
        email_normalised=normalised,
        defaults={
            # Neutral: the barred list is read by data officers; the link to the
            # complaint is kept on the complaint (its barred list entry) alone.
            "reason": _("Barred by a decision of the directors")
        },
    )
    if complaint.barred_email_id == barred.pk:
        return False
    complaint.barred_email = barred
    complaint.save(update_fields=["barred_email", "updated_at"])
    audit(complaint, "conduct.removal.barred", by, barred=barred.pk, new=created)
    return True


def _applications(complaint: Complaint, email: str) -> list[Application]:
    people = Person.objects.filter(email_normalised=normalise_email(email))
    found = Application.objects.filter(person__in=people)
    if complaint.subject_application_id:
        found = found | Application.objects.filter(
            person_id=complaint.subject_application.person_id
        )
    return list(found.select_related("round").distinct().order_by("pk"))


def _close_application(complaint: Complaint, application: Application, by) -> bool:
    now = timezone.now()
    closed = Application.objects.filter(pk=application.pk, status__in=OPEN).update(
        status=Application.Status.REMOVED, withdrawn_at=now, updated_at=now
    )
    if closed:
        audit(complaint, "conduct.removal.application_closed", by, application=application.pk)
    return bool(closed)


def _end_partnership(complaint: Complaint, application: Application, by) -> bool:
    if not application.partnership_id:
        return False
    now = timezone.now()
    ended = Partnership.objects.filter(pk=application.partnership_id, ended_at__isnull=True).update(
        ended_at=now
    )
    Partnership.objects.filter(pk=application.partnership_id, flagged_at__isnull=True).update(
        flagged_at=now
    )
    if ended:
        audit(
            complaint,
            "conduct.removal.partnership_ended",
            by,
            partnership=application.partnership_id,
        )
    return bool(ended)


def _ended_by(complaint: Complaint, partnership_id: int | None) -> bool:
    """Whether this removal ended the partnership (now or on an earlier run): only then is
    the partner offered a re-match."""
    if not partnership_id:
        return False
    return (
        ModelLogEntry.objects.for_instance(complaint)
        .filter(action="conduct.removal.partnership_ended", data__partnership=partnership_id)
        .exists()
    )


def _offer_rematch(complaint: Complaint, application: Application, by) -> int:
    """Email each partner still in the round that a new partner will be found (they are in
    the re-match pool now that their partnership ended with a removal)."""
    if not application.partnership_id:
        return 0
    offered = 0
    partners = Application.objects.filter(
        partnership_id=application.partnership_id, status=Application.Status.MATCHED
    ).exclude(pk=application.pk)
    for partner in partners.select_related("round"):
        key = email_key(complaint, f"rematch:{partner.pk}")
        if OutboundEmail.objects.filter(key=key).exists():
            continue
        queue_email(
            key,
            partner.email,
            "conduct_rematch_offer",
            {
                "name": partner.name,
                "round": partner.round.name,
                "page_url": links.personal_page_url(partner),
            },
        )
        audit(complaint, "conduct.removal.rematch_offered", by, application=partner.pk)
        offered += 1
    return offered


def _notify(complaint: Complaint, email: str, name: str, by) -> bool:
    key = email_key(complaint, "removal-notice")
    if not email or OutboundEmail.objects.filter(key=key).exists():
        return False
    queue_email(key, email, "conduct_removal_notice", {"name": name})
    audit(complaint, "conduct.removal.notice_sent", by)
    return True


def carry_out(complaint: Complaint, *, by=None) -> list[str]:
    """Carry out a removal decision; the names of the steps done now (empty on a rerun)."""
    done: list[str] = []
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("subject_application", "subject_user")
            .get(pk=complaint.pk)
        )
        if complaint.decision != Complaint.Decision.REMOVAL:
            raise RemovalError(_("This complaint has no removal decision."))
        email = complaint.person_email
        volunteer = complaint.about == Complaint.About.VOLUNTEER and complaint.subject_user_id
        if not email and not volunteer:
            raise RemovalError(_("Say who the complaint is about before removing them."))
        if email and _bar(complaint, email, by):
            done.append("barred")
        for application in _applications(complaint, email) if email else []:
            if application.round.status == RoundStatus.FINISHED:
                # A finished round is history: its applications and partnerships stay.
                continue
            was_matched = application.status == Application.Status.MATCHED
            if _close_application(complaint, application, by):
                done.append(f"application:{application.pk}")
            if was_matched and _end_partnership(complaint, application, by):
                done.append(f"partnership:{application.partnership_id}")
            if _ended_by(complaint, application.partnership_id):
                offered = _offer_rematch(complaint, application, by)
                done.extend(["rematch_offer"] * offered)
        if complaint.about == Complaint.About.VOLUNTEER and end_admin_access(
            complaint.subject_user,
            by=by,
            reason=_("Ended by a decision of the directors"),
        ):
            audit(
                complaint,
                "conduct.removal.admin_access_ended",
                by,
                account=complaint.subject_user_id,
            )
            done.append("admin_access")
        name = complaint.subject_display() if not complaint.subject_name else complaint.subject_name
        if _notify(complaint, email, name, by):
            done.append("notice")
        if complaint.removal_done_at is None:
            complaint.removal_done_at = timezone.now()
            complaint.save(update_fields=["removal_done_at", "updated_at"])
    return done


def remove_application(application: Application, *, by=None) -> Complaint:
    """The applications listing's bulk action "Remove under the code of conduct": the
    decision is recorded as a complaint (decided, removal) and carried out like any other."""
    with transaction.atomic():
        complaint = Complaint.objects.filter(
            subject_application=application, decision=Complaint.Decision.REMOVAL
        ).first()
        if complaint is None:
            now = timezone.now()
            complaint = Complaint.objects.create(
                about=Complaint.About.PARTICIPANT,
                reporter_name=(by.get_full_name() or by.get_username()) if by else "",
                subject_application=application,
                subject_name=application.name,
                subject_email=application.email,
                round=application.round,
                partnership=application.partnership,
                what_happened=_("Removed from the applications listing by a director."),
                status=Complaint.Status.DECIDED,
                decision=Complaint.Decision.REMOVAL,
                decided_at=now,
                decided_by=by,
                received_at=now,
            )
            audit(
                complaint,
                "conduct.changed",
                by,
                fields=["decision", "status"],
                values={"decision": [None, "removal"], "status": [None, "decided"]},
            )
        carry_out(complaint, by=by)
    return complaint
