"""The people who apply: a person across rounds, their application to one round, the
expression-of-interest list, and the barred list."""

import uuid

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from timezone_field import TimeZoneField
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from mentoring.choices import CareerStage, Sector, Wish
from mentoring.models.rounds import Interest, Pathway, Round
from mentoring.normalise import normalise_email


class Person(models.Model):
    """Someone who has applied, identified by their normalised email across rounds."""

    email_normalised = models.CharField(max_length=254, unique=True)
    inactive_in_round = models.ForeignKey(
        Round,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The last round in which this person left their partner without reply."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.email_normalised


class ApplicationQuerySet(models.QuerySet):
    def in_pool(self) -> "ApplicationQuerySet":
        """Confirmed applicants: the only ones who go to matching."""
        return self.filter(status=Application.Status.CONFIRMED)


class Application(ClusterableModel):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Email not verified")
        VERIFIED = "verified", _("Verified")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        MATCHED = "matched", _("Matched")
        UNMATCHED = "unmatched", _("Not matched")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DUPLICATE = "duplicate", _("Duplicate")
        REMOVED = "removed", _("Removed under the code of conduct")

    PARTICIPANT_STATUSES = (Status.MATCHED,)

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="applications", verbose_name=_("round")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    pathway = models.ForeignKey(
        Pathway,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("pathway"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNVERIFIED, db_index=True
    )

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), max_length=254)
    email_normalised = models.CharField(max_length=254, db_index=True, editable=False)
    country = CountryField(_("country of residence"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    time_zone = TimeZoneField(_("time zone"), default="UTC")
    sector = models.CharField(_("library sector"), max_length=20, choices=Sector.choices)
    role = models.CharField(_("role"), max_length=150)
    career_stage = models.CharField(_("career stage"), max_length=10, choices=CareerStage.choices)
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"), validators=[MaxValueValidator(70)]
    )
    languages = models.JSONField(_("languages besides English"), default=list, blank=True)
    interests = ParentalManyToManyField(
        Interest, blank=True, related_name="applications", verbose_name=_("areas of interest")
    )
    wants_sector = models.CharField(
        _("partner's sector"), max_length=10, choices=Wish.choices, default=Wish.ANY
    )
    wanted_sectors = models.JSONField(_("sectors wanted"), default=list, blank=True)
    wants_career_stage = models.CharField(
        _("partner's career stage"), max_length=10, choices=Wish.choices, default=Wish.ANY
    )
    preferred_regions = models.JSONField(_("regions to prefer"), default=list, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    special_requests = models.TextField(_("special requests"), max_length=2000, blank=True)

    agreed_code_of_conduct_at = models.DateTimeField(_("agreed to the code of conduct"))
    agreed_requirements_at = models.DateTimeField(_("agreed to the participation requirements"))
    consent_version = models.CharField(_("version of the texts agreed to"), max_length=100)

    verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("waitlisted"), null=True, blank=True)
    rolled_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rolled_into",
        help_text=_("The waitlisted application of an earlier round this one continues."),
    )
    suspected_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("possible duplicate of"),
    )
    partnership = models.ForeignKey(
        "Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    access_key = models.UUIDField(default=uuid.uuid4, editable=False)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("round", read_only=True), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("email")]),
        FieldRowPanel([FieldPanel("country"), FieldPanel("city"), FieldPanel("time_zone")]),
        FieldRowPanel([FieldPanel("sector"), FieldPanel("role")]),
        FieldRowPanel([FieldPanel("career_stage"), FieldPanel("years_experience")]),
        FieldPanel("interests"),
        FieldRowPanel([FieldPanel("wants_sector"), FieldPanel("wants_career_stage")]),
        FieldPanel("pathway"),
        FieldPanel("special_requests"),
        FieldPanel("suspected_duplicate_of"),
    ]

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "email_normalised"], name="one_application_per_email_per_round"
            ),
        ]
        indexes = [models.Index(fields=["round", "status", "country"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.round})"

    def save(self, *args, **kwargs) -> None:
        if self.email and not self.erased_at:
            self.email_normalised = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def previously_inactive(self) -> bool:
        """This person left a partner without reply in an earlier round."""
        inactive = self.person.inactive_in_round_id
        return bool(inactive and inactive != self.round_id)

    def interest_names(self) -> str:
        """The areas of interest as one line, for exports."""
        return ", ".join(interest.name for interest in self.interests.all())

    def partners(self) -> list["Application"]:
        if not self.partnership_id:
            return []
        return [
            member
            for member in self.partnership.members.all()
            if member.pk != self.pk and member.status != Application.Status.REMOVED
        ]

    def personal_page_url(self) -> str:
        from mentoring.links import personal_page_url

        return personal_page_url(self)


class InterestedPerson(models.Model):
    """Someone on the expression-of-interest list, emailed when the next round opens."""

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), max_length=254)
    email_normalised = models.CharField(max_length=254, unique=True, editable=False)
    country = CountryField(_("country"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    access_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("email"), FieldPanel("country")]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expression-of-interest list")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def save(self, *args, **kwargs) -> None:
        self.email_normalised = normalise_email(self.email)
        super().save(*args, **kwargs)


class BarredEmail(models.Model):
    """A person removed under the code of conduct: they cannot apply again."""

    email_normalised = models.CharField(_("email"), max_length=254, unique=True)
    reason = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    panels = [FieldPanel("email_normalised"), FieldPanel("reason"), FieldPanel("decided_at")]

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("barred person")
        verbose_name_plural = _("barred people")

    def __str__(self) -> str:
        return self.email_normalised

    def save(self, *args, **kwargs) -> None:
        self.email_normalised = normalise_email(self.email_normalised)
        super().save(*args, **kwargs)
