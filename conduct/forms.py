"""The participant's report form (on their personal page) and the directors' complaint form."""

import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from conduct.models import Complaint
from conduct.services import removal
from mentoring.models import Application
from website.public_forms import HoneypotMixin

EVIDENCE_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "gif", "webp", "txt", "docx", "odt", "eml")
OTHER = "other"
MAX_EVIDENCE_FILES = 20
"""Files a complaint may hold; more is refused with a message."""

ZIP = (b"PK\x03\x04",)
MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "docx": ZIP,
    "odt": ZIP,
}
"""How a file of each kind begins; "webp", "txt" and "eml" are checked in `looks_like`."""


def looks_like(upload, extension: str) -> bool:
    """Whether the file's first bytes are those of its kind (not only its name)."""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension in {"txt", "eml"}:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            return error.start >= len(head) - 3
        return True
    return any(head.startswith(magic) for magic in MAGIC[extension])


def check_evidence(upload):
    """A file of a kind we accept, not larger than CONDUCT_EVIDENCE_MAX_BYTES."""
    if upload is None:
        return upload
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            _("Send a file of one of these kinds: %(kinds)s.")
            % {"kinds": ", ".join(EVIDENCE_EXTENSIONS)}
        )
    limit = settings.CONDUCT_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(size)s MB.") % {"size": limit // (1024 * 1024)}
        )
    if not looks_like(upload, extension):
        raise ValidationError(
            _("This file is not a %(kind)s file as its name says: send the original file.")
            % {"kind": extension.upper()}
        )
    return upload


class ReportForm(HoneypotMixin):
    about = forms.ChoiceField(label=_("Who is it about?"), widget=forms.RadioSelect)
    about_other = forms.CharField(
        label=_("If someone else: who?"),
        max_length=150,
        required=False,
        help_text=_("Their name, or how you know them."),
    )
    what_happened = forms.CharField(
        label=_("What happened?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("In your own words: what was said or done, and where."),
    )
    happened_on = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    evidence = forms.FileField(
        label=_("A file that shows it (optional)"),
        required=False,
        help_text=_("A screenshot, an email or a document; only the directors will see it."),
    )

    def __init__(self, *args, reporter: Application, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partners = {str(partner.pk): partner for partner in reporter.partners()}
        self.fields["about"].choices = [
            *[
                (pk, _("My partner, %(name)s") % {"name": partner.name})
                for pk, partner in self.partners.items()
            ],
            (OTHER, _("Someone else in the program")),
        ]
        if len(self.partners) == 0:
            self.fields["about"].initial = OTHER

    def clean_evidence(self):
        return check_evidence(self.cleaned_data.get("evidence"))

    def clean(self):
        data = super().clean()
        if data.get("about") == OTHER and not data.get("about_other", "").strip():
            self.add_error("about_other", _("Tell us who it is about."))
        return data

    @property
    def subject(self) -> Application | None:
        return self.partners.get(self.cleaned_data["about"])


class ComplaintAdminForm(WagtailAdminModelForm):
    new_evidence = forms.FileField(
        label=_("Add a file as evidence"),
        required=False,
        help_text=_(
            "Kept in private storage; only directors can open it. Files are never deleted."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("subject_user")
        user = getattr(self, "for_user", None)
        if field is not None and user is not None and not user.is_superuser:
            # Only the accounts this director may manage (and the one already named).
            from django.contrib.auth import get_user_model
            from django.db.models import Q

            from website.permissions import UserPermissionPolicy

            manageable = UserPermissionPolicy(
                get_user_model()
            ).instances_user_has_any_permission_for(user, ["change"])
            current = Q(pk=self.instance.subject_user_id) if self.instance.subject_user_id else Q()
            field.queryset = get_user_model().objects.filter(
                Q(pk__in=manageable.values("pk")) | current
            )

    def clean_new_evidence(self):
        upload = check_evidence(self.cleaned_data.get("new_evidence"))
        if upload and self.instance.pk and (self.instance.evidence.count() >= MAX_EVIDENCE_FILES):
            raise ValidationError(
                _("This complaint already holds %(count)s files, the most it can hold.")
                % {"count": MAX_EVIDENCE_FILES}
            )
        return upload

    def clean(self):
        data = super().clean()
        status, decision = data.get("status"), data.get("decision")
        if status == Complaint.Status.DECIDED and not decision:
            self.add_error("decision", _("Choose the decision before marking it decided."))
        if decision and status != Complaint.Status.DECIDED:
            self.add_error("status", _("A complaint with a decision is decided."))
        if decision == Complaint.Decision.REMOVAL:
            about = data.get("about")
            has_person = data.get("subject_application") or data.get("subject_email")
            if about == Complaint.About.VOLUNTEER:
                has_person = data.get("subject_user")
            if not has_person:
                self.add_error(
                    "subject_application" if about != Complaint.About.VOLUNTEER else "subject_user",
                    _("Say who is removed: their application, address or admin account."),
                )
            subject_user = data.get("subject_user")
            if (
                about == Complaint.About.VOLUNTEER
                and subject_user
                and not removal.may_remove_account(getattr(self, "for_user", None), subject_user)
            ):
                self.add_error(
                    "subject_user",
                    _(
                        "You may not remove this account (a superuser or a director): "
                        "ask a superuser to decide this removal."
                    ),
                )
        if self.instance.pk and self.instance.anonymised_at:
            raise ValidationError(_("This complaint was anonymised and can no longer change."))
        return data
