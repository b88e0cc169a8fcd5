"""Social auto-posting: the networks' credentials (a site setting, never in code) and one
post per page and network, which is what makes posting exactly once."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from social.content import DEFAULT_TEMPLATES, LIMITS, PLACEHOLDERS, TemplateValidator
from website.encryption import SecretField


class Network(models.TextChoices):
    X = "x", "X"
    FACEBOOK = "facebook", _("Facebook Page")
    LINKEDIN = "linkedin", _("LinkedIn organisation page")
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"


def secret(label: str, help_text: str = "") -> SecretField:
    """A credential: encrypted at rest, and write-only in the admin."""
    return SecretField(label, blank=True, help_text=help_text)


def _template_help(network: str) -> str:
    return gettext(
        "Placeholders: %(placeholders)s. Hashtags come from the page's tags and the ones "
        "always added. Posts are cut to %(limit)s characters: hashtags go first, then the "
        "intro is shortened; the link is never cut."
    ) % {
        "placeholders": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
        "limit": LIMITS[network],
    }


def template(network: str, label: str) -> models.TextField:
    return models.TextField(
        label,
        max_length=1000,
        default=DEFAULT_TEMPLATES[network],
        validators=[TemplateValidator(network)],
        help_text=lazy(_template_help, str)(network),
    )


def network_panel(
    network: str, heading: str, fields: list[str], secrets: list[str]
) -> MultiFieldPanel:
    """A network's switch, its addresses and ids, its secrets (write-only) and its text
    template."""
    return MultiFieldPanel(
        [
            FieldPanel(f"{network}_enabled"),
            *[FieldPanel(name) for name in fields],
            *[FieldPanel(name) for name in secrets],
            FieldPanel(f"{network}_template"),
        ],
        heading=heading,
    )


@register_setting(icon="site")
class SocialSettings(BaseSiteSetting):
    x_enabled = models.BooleanField(_("post to X"), default=False)
    x_api_url = models.URLField(_("X API address"), default="https://api.x.com")
    x_client_id = models.CharField(
        _("X OAuth 2.0 client id"),
        max_length=200,
        blank=True,
        help_text=_('From the app\'s "Keys and tokens" page in the X developer portal.'),
    )
    x_client_secret = secret(
        _("X OAuth 2.0 client secret"), _("Only for a confidential client (a web app).")
    )
    x_access_token = secret(_("X OAuth 2.0 user access token"))
    x_refresh_token = secret(
        _("X OAuth 2.0 refresh token"),
        _(
            "Given with the access token when the app asks for the offline.access scope. "
            "The access token lasts two hours; it is renewed with this one before it expires."
        ),
    )
    x_token_expires_at = models.DateTimeField(
        _("X access token expires"), null=True, blank=True, editable=False
    )
    x_template = template("x", _("text on X"))

    facebook_enabled = models.BooleanField(_("post to the Facebook Page"), default=False)
    facebook_api_url = models.URLField(
        _("Graph API address"), default="https://graph.facebook.com/v21.0"
    )
    facebook_page_id = models.CharField(_("Page id"), max_length=100, blank=True)
    facebook_page_token = secret(_("Page access token"))
    facebook_template = template("facebook", _("text on Facebook"))

    linkedin_enabled = models.BooleanField(_("post to the LinkedIn page"), default=False)
    linkedin_api_url = models.URLField(
        _("LinkedIn API address"), default="https://api.linkedin.com"
    )
    linkedin_organisation_id = models.CharField(_("organisation id"), max_length=100, blank=True)
    linkedin_access_token = secret(_("access token"))
    linkedin_template = template("linkedin", _("text on LinkedIn"))

    mastodon_enabled = models.BooleanField(_("post to Mastodon"), default=False)
    mastodon_url = models.URLField(_("Mastodon server"), blank=True)
    mastodon_access_token = secret(_("Mastodon access token"))
    mastodon_template = template("mastodon", _("text on Mastodon"))

    bluesky_enabled = models.BooleanField(_("post to Bluesky"), default=False)
    bluesky_url = models.URLField(_("Bluesky server (PDS)"), default="https://bsky.social")
    bluesky_handle = models.CharField(_("Bluesky handle"), max_length=200, blank=True)
    bluesky_app_password = secret(_("Bluesky app password"))
    bluesky_template = template("bluesky", _("text on Bluesky"))

    hashtags = models.CharField(
        _("hashtags always added"),
        max_length=200,
        blank=True,
        help_text=_("Space-separated, e.g. #librarians #mentoring"),
    )

    panels = [
        FieldPanel("hashtags"),
        network_panel(
            "x",
            "X",
            ["x_api_url", "x_client_id"],
            ["x_client_secret", "x_access_token", "x_refresh_token"],
        ),
        network_panel(
            "facebook",
            "Facebook",
            ["facebook_api_url", "facebook_page_id"],
            ["facebook_page_token"],
        ),
        network_panel(
            "linkedin",
            "LinkedIn",
            ["linkedin_api_url", "linkedin_organisation_id"],
            ["linkedin_access_token"],
        ),
        network_panel("mastodon", "Mastodon", ["mastodon_url"], ["mastodon_access_token"]),
        network_panel(
            "bluesky", "Bluesky", ["bluesky_url", "bluesky_handle"], ["bluesky_app_password"]
        ),
    ]

    class Meta:
        verbose_name = _("social networks")

    def clean(self) -> None:
        super().clean()
        if self.x_refresh_token and not self.x_client_id:
            raise ValidationError(
                {
                    "x_client_id": _(
                        "The refresh token renews the X access token only with the app's client id."
                    )
                }
            )

    def enabled_networks(self) -> list[str]:
        return [network for network in Network.values if getattr(self, f"{network}_enabled")]


class SocialPost(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        POSTING = "posting", _("Posting")
        IN_DOUBT = "in_doubt", _("In doubt: check the network")
        POSTED = "posted", _("Posted")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    network = models.CharField(_("network"), max_length=10, choices=Network.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    text = models.TextField(_("text"), blank=True)
    remote_id = models.CharField(_("id on the network"), max_length=300, blank=True)
    remote_url = models.URLField(_("link"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("social post")
        verbose_name_plural = _("social queue")
        permissions = [("post_socialpost", _("Can post, retry and skip social posts"))]
        constraints = [
            models.UniqueConstraint(fields=["page", "network"], name="one_post_per_page_network")
        ]

    def __str__(self) -> str:
        return f"{self.page.title} → {self.get_network_display()}"
