"""Code-of-conduct complaints and their evidence. Only directors read them; nothing is
deleted, every change is logged (Wagtail log entries, on the complaint's history screen),
and after the retention period the record keeps only its kind of decision and its dates."""

import os

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from postcards.storage import private_storage


class Complaint(models.Model):
    """A report that someone broke the code of conduct, and what the directors decided."""

    # Never listed on the "usage" screens of the applications, rounds and accounts it names.
    wagtail_reference_index_ignore = True

    class About(models.TextChoices):
        PARTICIPANT = "participant", _("A participant")
        VOLUNTEER = "volunteer", _("A volunteer")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        INVESTIGATING = "investigating", _("Investigating")
        DECIDED = "decided", _("Decided")

    class Decision(models.TextChoices):
        NO_ACTION = "no_action", _("No breach found: no action")
        WARNING = "warning", _("A warning")
        REMOVAL = "removal", _("Removal from the program")

    reporter_application = models.ForeignKey(
        "mentoring.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by (participant)"),
    )
    reporter_name = models.CharField(_("reported by"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("reporter's email"), max_length=254, blank=True)
    about = models.CharField(
        _("about"), max_length=12, choices=About.choices, default=About.PARTICIPANT
    )
    subject_application = models.ForeignKey(
        "mentoring.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("about the participant"),
        help_text=_("Their application: a removal bars its address and closes their others."),
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("about the volunteer"),
        help_text=_("Their admin account: a removal ends their admin access."),
    )
    subject_name = models.CharField(_("name of the person"), max_length=150, blank=True)
    subject_email = models.EmailField(_("their email"), max_length=254, blank=True)
    round = models.ForeignKey(
        "mentoring.Round",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("round"),
    )
    partnership = models.ForeignKey(
        "mentoring.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partnership"),
    )
    what_happened = models.TextField(_("what happened"), max_length=10000)
    happened_on = models.DateField(_("when it happened"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    reasons = models.TextField(_("reasons for the decision"), max_length=10000, blank=True)
    actions = models.TextField(
        _("actions"),
        max_length=10000,
        blank=True,
        help_text=_("What was done: conversations, warnings sent, the removal's steps."),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("decided by"),
    )
    removal_done_at = models.DateTimeField(
        _("removal carried out"), null=True, blank=True, editable=False
    )
    barred_email = models.ForeignKey(
        "mentoring.BarredEmail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        editable=False,
        verbose_name=_("barred list entry"),
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        # Nothing is deleted: there is no delete permission to give.
        default_permissions = ("add", "change", "view")

    def __str__(self) -> str:
        return _("Complaint %(number)s") % {"number": self.pk or "-"}

    @property
    def person_email(self) -> str:
        """The address of the person the complaint is about."""
        if self.subject_application_id:
            return self.subject_application.email
        if self.subject_email:
            return self.subject_email
        if self.subject_user_id:
            return self.subject_user.email
        return ""

    def subject_display(self) -> str:
        if self.anonymised_at:
            return _("(anonymised)")
        if self.subject_application_id:
            return self.subject_application.name
        if self.subject_user_id:
            return self.subject_user.get_full_name() or self.subject_user.get_username()
        return self.subject_name or "-"

    subject_display.short_description = _("about")


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"conduct/{instance.complaint_id}/{os.path.basename(filename)}"


class Evidence(models.Model):
    """A file sent with a complaint, kept in the private store (no public address); directors
    download it through the admin."""

    wagtail_reference_index_ignore = True

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=evidence_path, max_length=300, blank=True
    )
    name = models.CharField(_("file name"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(_("file removed"), null=True, blank=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        default_permissions = ()

    def __str__(self) -> str:
        return self.name or _("(removed)")
