"""Country ambassadors: their profiles, the public directory, and the promotional pages they
translate into their languages."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from ambassadors.admin_forms import MANAGE_AMBASSADORS, AmbassadorAdminForm, PromoPageForm
from ambassadors.languages import language_name
from ambassadors.regions import REGIONS, region_of

TERM_LENGTH_YEARS = 1
ENGLISH = "en"
ENGLISH_ONLY_STATEMENT = _("The program is conducted in English only.")


def one_term_after(start: date) -> date:
    """The last day of a 12-month term that starts on `start` (29 February lands on the 28th)."""
    try:
        end = start.replace(year=start.year + TERM_LENGTH_YEARS)
    except ValueError:
        end = start.replace(year=start.year + TERM_LENGTH_YEARS, day=28)
    return end - timedelta(days=1)


class AmbassadorQuerySet(models.QuerySet):
    def active(self, today: date | None = None) -> "AmbassadorQuerySet":
        today = today or timezone.localdate()
        return self.filter(resigned_on__isnull=True, term_ends_on__gte=today)

    def in_country(self, code: str) -> "AmbassadorQuerySet":
        return self.filter(countries__country=code.upper()).distinct()


class Ambassador(ClusterableModel):
    """A volunteer who promotes the program in one or more countries. Their address is never
    shown: visitors write to them through the contact form."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admin account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ambassador_profile",
        help_text=_("The account the ambassador signs in with to translate pages."),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    email = models.EmailField(
        _("contact address"),
        help_text=_("Never shown: messages from the contact form are sent here."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("short bio"), max_length=600, blank=True)
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Language codes; the site's languages among them are the ones they translate."),
    )
    term_starts_on = models.DateField(_("term starts"), default=timezone.localdate)
    term_ends_on = models.DateField(
        _("term ends"), blank=True, help_text=_("Leave empty for a 12-month term.")
    )
    recommitted_at = models.DateTimeField(_("last recommitted"), null=True, blank=True)
    resigned_on = models.DateField(_("resigned on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AmbassadorQuerySet.as_manager()
    base_form_class = AmbassadorAdminForm

    panels = [
        FieldPanel("name"),
        FieldPanel("slug", permission=MANAGE_AMBASSADORS),
        FieldPanel("user", permission=MANAGE_AMBASSADORS),
        FieldPanel("email"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("languages", permission=MANAGE_AMBASSADORS),
        InlinePanel("countries", label=_("Countries"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("term_starts_on", permission=MANAGE_AMBASSADORS),
                FieldPanel("term_ends_on", permission=MANAGE_AMBASSADORS),
                FieldPanel("resigned_on", permission=MANAGE_AMBASSADORS),
            ],
            heading=_("Term"),
            permission=MANAGE_AMBASSADORS,
        ),
    ]

    class Meta:
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.term_ends_on:
            self.term_ends_on = one_term_after(self.term_starts_on)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.term_ends_on and self.term_starts_on and self.term_ends_on < self.term_starts_on:
            raise ValidationError({"term_ends_on": _("A term cannot end before it starts.")})

    @property
    def is_active(self) -> bool:
        return self.resigned_on is None and self.term_ends_on >= timezone.localdate()

    @property
    def country_codes(self) -> list[str]:
        return [row.country.code for row in self.countries.all()]

    @property
    def country_names(self) -> str:
        return ", ".join(str(row.country.name) for row in self.countries.all())

    @property
    def site_language_codes(self) -> list[str]:
        """The languages of the site this ambassador translates into (never English)."""
        codes = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
        return [code for code in self.languages if code in codes and code != ENGLISH]

    @property
    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.languages]


class AmbassadorCountry(Orderable):
    ambassador = ParentalKey(Ambassador, related_name="countries", on_delete=models.CASCADE)
    country = CountryField(_("country"))

    panels = [FieldPanel("country")]

    class Meta(Orderable.Meta):
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.UniqueConstraint(
                fields=["ambassador", "country"], name="unique_ambassador_country"
            )
        ]

    def __str__(self) -> str:
        return str(self.country.name)


class AmbassadorIndexPage(RoutablePageMixin, Page):
    """The ambassadors directory: regions and countries, a page per country, the contact form,
    and (as children) the promotional pages of each round."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["ambassadors.PromoPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("ambassadors directory")

    def directory(self) -> list[dict]:
        """Regions, each with its countries and their number of active ambassadors."""
        counts: dict[str, int] = {}
        rows = AmbassadorCountry.objects.filter(ambassador__in=Ambassador.objects.active())
        for code in rows.values_list("country", flat=True):
            counts[code] = counts.get(code, 0) + 1
        regions = []
        for key, label in REGIONS.items():
            entries = [
                {"code": code, "name": countries.name(code), "count": count}
                for code, count in counts.items()
                if region_of(code) == key
            ]
            if entries:
                entries.sort(key=lambda entry: str(entry["name"]))
                regions.append({"key": key, "name": label, "countries": entries})
        return regions

    def current_promo_page(self) -> "PromoPage | None":
        """The newest live promotional page in English, the source of the translations."""
        english = Locale.objects.filter(language_code=ENGLISH).first()
        return (
            PromoPage.objects.live().filter(locale=english).order_by("-first_published_at").first()
        )

    @path("")
    def index_route(self, request):
        return self.render(request, context_overrides={"regions": self.directory()})

    @path("country/<str:code>/")
    def country_route(self, request, code: str):
        from ambassadors.views import country_view

        return country_view(request, self, code)

    @path("contact/<slug:slug>/")
    def contact_route(self, request, slug: str):
        from ambassadors.views import contact_view

        return contact_view(request, self, slug)


class PromoPage(Page):
    """The promotional material of one round: the long form (flyers, mailing lists, blogs),
    the short form (newsletters, social media) and images to download. Ambassadors translate
    it; a translation must say that the program is conducted in English only."""

    # wagtail-localize makes translations as ordinary drafts, edited in Wagtail's own editor,
    # so that they go through the translation review workflow like any other page.
    localize_default_translation_mode = "simple"
    base_form_class = PromoPageForm

    round = models.ForeignKey(
        "mentoring.Round",
        verbose_name=_("round"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="promo_pages",
    )
    english_only_statement = models.CharField(
        _("English-only statement"),
        max_length=300,
        blank=True,
        help_text=_(
            "Required in every language but English: say, in the page's language, that the "
            "program is conducted in English only."
        ),
    )
    short_text = models.TextField(
        _("short form"),
        max_length=600,
        help_text=_("For newsletters and social media: a few sentences."),
    )
    long_text = models.TextField(
        _("long form"),
        help_text=_("For flyers, mailing lists and blogs. Separate paragraphs with a blank line."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("round"),
        FieldPanel("english_only_statement"),
        FieldPanel("short_text"),
        FieldPanel("long_text"),
        InlinePanel("images", label=_("Images to download")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("short_text"),
        index.SearchField("long_text"),
    ]
    parent_page_types = ["ambassadors.AmbassadorIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("promotional page")

    @cached_property
    def is_english(self) -> bool:
        return self.locale.language_code == ENGLISH

    def clean(self) -> None:
        super().clean()
        if self.live and not self.is_english and not self.english_only_statement.strip():
            raise ValidationError({"english_only_statement": self.missing_statement_message()})

    def missing_statement_message(self) -> str:
        with translation.override(self.locale.language_code):
            example = str(ENGLISH_ONLY_STATEMENT)
        return _(
            "A translated promotional page must say that the program is conducted in English "
            "only. Add the statement in this page's language, for example: “%(example)s”"
        ) % {"example": example}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["paragraphs"] = [
            part.strip() for part in self.long_text.replace("\r\n", "\n").split("\n\n")
        ]
        context["paragraphs"] = [part for part in context["paragraphs"] if part]
        context["images"] = self.__dict__.setdefault("_language_tags_rows", {})["images"] = list(
            self.images.all().select_related("image")
        )
        return context


class PromoPageImage(Orderable):
    page = ParentalKey(PromoPage, related_name="images", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("image to download")
        verbose_name_plural = _("images to download")
