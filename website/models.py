"""The site shell: the user model, the home and standard pages, and the site settings that
drive the navigation and the footer."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock
from .licences import DEFAULT_LICENCE, LICENCE_CHOICES, LICENCE_HELP_TEXT, get_licence


class User(AbstractUser):
    """Volunteers and staff who sign in to the admin. Participants never need an account:
    they reach their pages through signed links."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class HomePage(Page):
    hero_heading = models.CharField(_("hero heading"), max_length=120)
    hero_text = models.TextField(_("hero text"), max_length=600, blank=True)
    hero_link = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("hero link"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_label = models.CharField(_("hero link label"), max_length=60, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_link"),
                FieldPanel("hero_link_label"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_heading"),
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "website.StandardPage",
        "blog.BlogIndexPage",
        "blog.TopicIndexPage",
        "blog.SubmissionGuidelinesPage",
        "postcards.PostcardIndexPage",
        "ambassadors.AmbassadorIndexPage",
        "volunteers.PositionIndexPage",  # volunteers: position descriptions for recruitment
        "reporting.StatisticsIndexPage",  # statistics: public figures (#15)
    ]

    class Meta:
        verbose_name = _("home page")


class StandardPage(Page):
    """About, how it works, the FAQ, the code of conduct: text pages that explain the program."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["website.HomePage", "website.StandardPage"]
    subpage_types = ["website.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class LinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(required=False, label=_("Page"))
    url = blocks.URLBlock(required=False, label=_("Or an address"))
    label = blocks.CharBlock(
        required=False,
        max_length=60,
        label=_("Label"),
        help_text=_("Leave empty to use the page's title in the visitor's language."),
    )

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": _("Choose a page or give an address.")}
            )
        if value.get("url") and not value.get("label"):
            raise blocks.StructBlockValidationError(
                block_errors={"label": _("A link to an address needs a label.")}
            )
        return value


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(
        choices=[
            ("mastodon", "Mastodon"),
            ("bluesky", "Bluesky"),
            ("facebook", "Facebook"),
            ("linkedin", "LinkedIn"),
            ("x", "X"),
            ("other", _("Other")),
        ],
        label=_("Network"),
    )
    url = blocks.URLBlock(label=_("Address"))


class SharedCacheSiteSetting:
    """A site setting read from the shared cache (no query per page) until the content
    changes: saving any setting takes a new content generation (website/pagecache.py).
    The pages and images it points to are cached with it."""

    @classmethod
    def for_site(cls, site):
        if site is None:
            return super().for_site(site)
        from website.pagecache import cached

        parent = super()

        def load():
            setting = parent.for_site(site)
            for field in cls._meta.concrete_fields:
                if field.many_to_one:
                    getattr(setting, field.name)  # kept on the instance, pickled with it
            return setting

        return cached(f"setting:{cls._meta.label_lower}:{site.pk}", load)


@register_setting(icon="site")
class OrganisationSettings(SharedCacheSiteSetting, BaseSiteSetting):
    name = models.CharField(
        _("organisation name"), max_length=120, default="International Librarians Network"
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact address"), blank=True)
    content_licence = models.CharField(
        _("default content licence"),
        max_length=20,
        choices=LICENCE_CHOICES,
        default=DEFAULT_LICENCE,
        help_text=LICENCE_HELP_TEXT,
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())], blank=True, verbose_name=_("social links")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("tagline"),
        FieldPanel("contact_email"),
        FieldPanel("content_licence"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("organisation")

    @property
    def licence(self):
        return get_licence(self.content_licence)


@register_setting(icon="list-ul")
class NavigationSettings(SharedCacheSiteSetting, BaseSiteSetting):
    primary_links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("main menu"))
    footer_links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("footer links"))

    panels = [FieldPanel("primary_links"), FieldPanel("footer_links")]

    class Meta:
        verbose_name = _("navigation")


class OutboundEmail(models.Model):
    """One message to one recipient: every email the site sends is a row here first.

    The `key` names the message's purpose (e.g. ``verify:application:42``) and is unique, so
    asking twice to send the same message makes one row and one email. A row left in
    `SENDING` by a worker that died mid-send is marked `IN_DOUBT`, never sent blindly again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        IN_DOUBT = "in_doubt", _("In doubt")
        CANCELLED = "cancelled", _("Cancelled")

    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.EmailField(_("recipient"), max_length=254, db_index=True)
    template = models.CharField(_("template"), max_length=100)
    context = models.JSONField(_("context"), default=dict, blank=True)
    bulk = models.BooleanField(
        _("bulk"), default=False, help_text=_("Program mail, as opposed to transactional mail.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.template} → {self.to}"
