"""Complaints: a participant's report from their personal page (acknowledged, directors
told), the audit of every change (Wagtail log entries on the complaint), evidence kept in the
private store, and the anonymisation of decided complaints after the retention period."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from conduct.models import Complaint, Evidence
from mentoring import links
from mentoring.models import Application
from website.models import OutboundEmail
from website.outbox import queue_email

ANONYMISED_EMAIL = "anonymised@invalid.example"
# Fields whose old and new values the audit keeps (no personal data); for the others it
# keeps only the field's name, so the log holds nothing the anonymisation must remove.
AUDITED_VALUES = ("about", "status", "decision", "round", "received_at", "happened_on")


def email_key(complaint: Complaint, what: str) -> str:
    """Every email about a complaint has a key with this prefix (the anonymisation finds them)."""
    return f"conduct:complaint:{complaint.pk}:{what}"


def audit(complaint: Complaint, action: str, user=None, **data: Any) -> None:
    log(instance=complaint, action=action, user=user, data=data)


def directors():
    return (
        get_user_model()
        .objects.filter(groups__name=settings.DIRECTORS_GROUP, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def admin_url(complaint: Complaint) -> str:
    path = reverse("wagtailsnippets_conduct_complaint:edit", args=[complaint.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def notify_directors(complaint: Complaint) -> int:
    """Email each director once that a complaint came in (no details: they read it in the
    admin)."""
    sent = 0
    for director in directors():
        key = email_key(complaint, f"director:{director.pk}")
        if OutboundEmail.objects.filter(key=key).exists():
            continue
        queue_email(
            key,
            director.email,
            "conduct_complaint_received",
            {
                "name": director.get_full_name() or director.get_username(),
                "number": complaint.pk,
                "admin_url": admin_url(complaint),
            },
        )
        sent += 1
    return sent


def add_evidence(complaint: Complaint, upload: UploadedFile, user=None) -> Evidence:
    evidence = Evidence(complaint=complaint, name=upload.name[:200], added_by=user)
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    audit(complaint, "conduct.evidence_added", user, evidence=evidence.pk)
    return evidence


def report_from_participant(
    reporter: Application,
    *,
    subject: Application | None,
    subject_description: str,
    what_happened: str,
    happened_on=None,
    evidence: UploadedFile | None = None,
) -> Complaint:
    """A participant reports a code-of-conduct problem: the complaint is recorded, the
    reporter gets an acknowledgement and each director a notice (once each)."""
    with transaction.atomic():
        complaint = Complaint.objects.create(
            reporter_application=reporter,
            reporter_name=reporter.name,
            reporter_email=reporter.email,
            about=Complaint.About.PARTICIPANT,
            subject_application=subject,
            subject_name=subject.name if subject else subject_description[:150],
            subject_email=subject.email if subject else "",
            round=reporter.round,
            partnership=reporter.partnership if subject else None,
            what_happened=what_happened,
            happened_on=happened_on,
        )
        audit(complaint, "conduct.reported", None, by="participant")
        if evidence is not None:
            add_evidence(complaint, evidence)
        queue_email(
            email_key(complaint, "acknowledgement"),
            reporter.email,
            "conduct_report_received",
            {
                "name": reporter.name,
                "number": complaint.pk,
                "page_url": links.personal_page_url(reporter),
            },
        )
        notify_directors(complaint)
    return complaint


def _value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def record_admin_change(
    complaint: Complaint, user, changes: dict[str, tuple[Any, Any]], created: bool = False
) -> None:
    """After a director saved the complaint in the admin: log what changed (values only for
    the fields without personal data), record who decided and when, and carry out a removal
    decision (safe to repeat)."""
    from conduct.services import removal

    if complaint.status == Complaint.Status.DECIDED and complaint.decided_at is None:
        complaint.decided_at = timezone.now()
        complaint.decided_by = user
        complaint.save(update_fields=["decided_at", "decided_by", "updated_at"])
        changes = {**changes, "decided_by": (None, user.pk if user else None)}
    elif complaint.status != Complaint.Status.DECIDED and complaint.decided_at is not None:
        complaint.decided_at = None
        complaint.decided_by = None
        complaint.save(update_fields=["decided_at", "decided_by", "updated_at"])
    if changes or created:
        audit(
            complaint,
            "conduct.changed",
            user,
            fields=sorted(changes),
            values={
                name: [_value(old), _value(new)]
                for name, (old, new) in changes.items()
                if name in AUDITED_VALUES or name == "decided_by"
            },
        )
    if (
        complaint.status == Complaint.Status.DECIDED
        and complaint.decision == Complaint.Decision.REMOVAL
    ):
        removal.carry_out(complaint, by=user)


def retention_cutoff():
    return timezone.now() - timedelta(days=settings.CONDUCT_RETENTION_DAYS)


KEPT_LOG_VALUES = ("about", "status", "decision", "received_at", "happened_on")
"""What the history of an anonymised complaint keeps: the names of the fields changed and
the values of these; no ids of applications, partnerships, accounts or files."""


def _strip_log(complaint: Complaint) -> None:
    from wagtail.models import ModelLogEntry

    for entry in ModelLogEntry.objects.for_instance(complaint):
        data = entry.data or {}
        kept: dict[str, Any] = {}
        if isinstance(data.get("fields"), list):
            kept["fields"] = data["fields"]
        values = data.get("values")
        if isinstance(values, dict):
            kept["values"] = {k: v for k, v in values.items() if k in KEPT_LOG_VALUES}
        if kept != data:
            entry.data = kept
            entry.save(update_fields=["data"])


def anonymise(complaint: Complaint) -> bool:
    """Remove the names, addresses, free text and evidence files of a complaint; its kind,
    status, decision and dates stay. True if it changed something."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.anonymised_at:
            return False
        for evidence in complaint.evidence.filter(removed_at__isnull=True):
            if evidence.file:
                evidence.file.delete(save=False)
            evidence.file = ""
            evidence.name = ""
            evidence.removed_at = timezone.now()
            evidence.save()
        complaint.reporter_application = None
        complaint.reporter_name = ""
        complaint.reporter_email = ""
        complaint.subject_application = None
        complaint.subject_user = None
        complaint.subject_name = ""
        complaint.subject_email = ""
        complaint.partnership = None
        # The barred list entry stays (the person stays barred); the complaint no longer
        # says whose address it is.
        complaint.barred_email = None
        complaint.what_happened = ""
        complaint.reasons = ""
        complaint.actions = ""
        complaint.anonymised_at = timezone.now()
        complaint.save()
        OutboundEmail.objects.filter(key__startswith=email_key(complaint, "")).update(
            to=ANONYMISED_EMAIL, context={}, subject="", last_error=""
        )
        _strip_log(complaint)
        audit(complaint, "conduct.anonymised")
    return True


def anonymise_expired() -> list[int]:
    """Beat's daily job: anonymise the complaints decided longer ago than the retention
    period (`CONDUCT_RETENTION_DAYS`), and those never decided that came in longer ago."""
    from django.db.models import Q

    cutoff = retention_cutoff()
    due = (
        Complaint.objects.filter(anonymised_at__isnull=True)
        .filter(
            Q(status=Complaint.Status.DECIDED, decided_at__lt=cutoff)
            | (~Q(status=Complaint.Status.DECIDED) & Q(received_at__lt=cutoff))
        )
        .values_list("pk", flat=True)
    )
    return [pk for pk in list(due) if anonymise(Complaint(pk=pk))]
