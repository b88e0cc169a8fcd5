"""Volunteers: the position descriptions (public pages for recruitment), expressions of
interest, each admin user's volunteer record, the versions of the documents volunteers and
applicants accept and every acceptance, and the volunteers' noticeboard."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ambassadors.models import one_term_after
from volunteers.admin_forms import VolunteerRecordForm
from volunteers.roles import CODE_OF_CONDUCT, Role, document_choices, group_name

DUE_SOON_DAYS = 60


class PositionIndexPage(RoutablePageMixin, Page):
    """The volunteer positions open for recruitment, and the form to express interest."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["volunteers.PositionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("volunteer positions")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["positions"] = PositionPage.objects.child_of(self).live().order_by("path")
        return context

    @path("interest/")
    def interest(self, request):
        from volunteers.views import interest_view

        return interest_view(request, self)


class PositionPage(Page):
    """One role's position description: what it is for, its tasks, the time it takes, to whom
    the volunteer reports, and the admin group it grants."""

    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    purpose = RichTextField(_("purpose"))
    tasks = RichTextField(_("tasks"))
    hours_per_week = models.PositiveSmallIntegerField(_("hours a week"), default=2)
    reports_to = models.CharField(_("reports to"), max_length=120)
    screens = RichTextField(
        _("your job in the admin"),
        blank=True,
        help_text=_("A short 'your job here' note shown on the volunteer's admin dashboard."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("role"),
        FieldPanel("purpose"),
        FieldPanel("tasks"),
        FieldPanel("hours_per_week"),
        FieldPanel("reports_to"),
        FieldPanel("screens"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("purpose"), index.SearchField("tasks")]
    parent_page_types = ["volunteers.PositionIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("position description")

    @property
    def group(self) -> str:
        return group_name(self.role)

    @classmethod
    def for_role(cls, role: str) -> "PositionPage | None":
        """The role's description in the site's main language (the one volunteers accept)."""
        pages = cls.objects.live().filter(role=role).select_related("locale")
        default = settings.LANGUAGE_CODE.split("-")[0]
        return pages.filter(locale__language_code=default).first() or pages.first()


class ExpressionOfInterest(models.Model):
    """Someone who would like to volunteer (personal data: directors only)."""

    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("email address"))
    country = CountryField(_("country"), blank=True)
    roles = models.JSONField(_("roles of interest"), default=list, blank=True)
    message = models.TextField(_("about them"), max_length=3000, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def role_labels(self) -> str:
        return ", ".join(str(Role(role).label) for role in self.roles if role in Role.values)


class VolunteerRecordQuerySet(models.QuerySet):
    def serving(self, today: date | None = None) -> "VolunteerRecordQuerySet":
        today = today or timezone.localdate()
        return self.filter(status=VolunteerRecord.Status.ACTIVE, term_ends_on__gte=today)

    def due_within(self, days: int = DUE_SOON_DAYS, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(
            status=VolunteerRecord.Status.ACTIVE,
            term_ends_on__gte=today,
            term_ends_on__lte=today + timedelta(days=days),
        )


class VolunteerRecord(models.Model):
    """An admin user as a volunteer: their roles, country, term and status. Their groups follow
    this record (volunteers.services.records), never the other way round."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ON_BREAK = "break", _("On a break")
        RESIGNED = "resigned", _("Resigned")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admin account"),
        on_delete=models.CASCADE,
        related_name="volunteer_record",
    )
    roles = models.JSONField(_("roles"), default=list, blank=True)
    country = CountryField(_("country"), blank=True)
    started_on = models.DateField(_("started"), default=timezone.localdate)
    term_ends_on = models.DateField(
        _("term ends"), blank=True, help_text=_("Leave empty for a 12-month term.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    reports_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recommitted_at = models.DateTimeField(_("last recommitted"), null=True, blank=True)
    email_digest = models.BooleanField(
        _("weekly email digest"),
        default=False,
        help_text=_("A weekly email of the noticeboard's announcements not yet read."),
    )
    digest_sent_through = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VolunteerRecordQuerySet.as_manager()
    base_form_class = VolunteerRecordForm

    panels = [
        FieldPanel("user"),
        FieldPanel("roles"),
        FieldPanel("country"),
        FieldPanel("reports_to"),
        MultiFieldPanel(
            [FieldPanel("started_on"), FieldPanel("term_ends_on"), FieldPanel("status")],
            heading=_("Term"),
        ),
    ]

    class Meta:
        verbose_name = _("volunteer record")
        verbose_name_plural = _("volunteer records")
        ordering = ["user__first_name", "user__last_name", "user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def save(self, *args, **kwargs) -> None:
        if not self.term_ends_on:
            self.term_ends_on = one_term_after(self.started_on)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.term_ends_on and self.started_on and self.term_ends_on < self.started_on:
            raise ValidationError({"term_ends_on": _("A term cannot end before it starts.")})

    @property
    def is_serving(self) -> bool:
        return self.status == self.Status.ACTIVE and (
            self.term_ends_on is None or self.term_ends_on >= timezone.localdate()
        )

    @property
    def role_labels(self) -> str:
        return ", ".join(str(Role(role).label) for role in self.roles if role in Role.values)

    @property
    def name(self) -> str:
        return str(self)


class DocumentVersion(models.Model):
    """A material change to the code of conduct or a position description: directors add one
    when they publish such a change, and every volunteer concerned accepts it again. A
    document without any is at version 1."""

    document = models.CharField(_("document"), max_length=60, choices=document_choices)
    number = models.PositiveIntegerField(_("version"), editable=False)
    summary = models.TextField(
        _("what changed"), max_length=2000, help_text=_("Shown to those asked to accept it.")
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    panels = [FieldPanel("document"), FieldPanel("summary")]

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_number_per_document")
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()} v{self.number}"


class Acceptance(models.Model):
    """Someone accepted a document at a version: a volunteer (user) or an applicant
    (application). The one record of consent to the code of conduct."""

    document = models.CharField(_("document"), max_length=60, default=CODE_OF_CONDUCT)
    version = models.PositiveIntegerField(_("version"))
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="acceptances",
    )
    application = models.ForeignKey(
        "mentoring.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="acceptances",
    )

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "version"],
                condition=models.Q(user__isnull=False),
                name="user_accepts_a_version_once",
            ),
            models.UniqueConstraint(
                fields=["application", "document", "version"],
                condition=models.Q(application__isnull=False),
                name="application_accepts_a_version_once",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(application__isnull=False),
                name="acceptance_has_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.version}"


class Announcement(models.Model):
    """A message from the directors on the volunteers' noticeboard."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), max_length=10000)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    panels = [FieldPanel("title"), FieldPanel("body"), FieldPanel("published_at")]

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class ReadReceipt(models.Model):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="receipts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_receipts"
    )
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["read_at"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="read_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.announcement}"
