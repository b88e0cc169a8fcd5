"""Postcards: photos of libraries and workplaces sent by the community, with a short text,
shown in a gallery that can be filtered by country."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from blog.models import LicensedPageMixin, paginate, parent_page
from website.blocks import ALT_TEXT_HELP
from website.pagecache import cached, public

from .panels import SubmittedPhotosPanel
from .storage import private_storage

POSTCARDS_PER_PAGE = 24


class PostcardIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["postcards.PostcardPage"]

    class Meta:
        verbose_name = _("postcard gallery")

    def postcards(self):
        return (
            public(PostcardPage.objects.live())
            .descendant_of(self)
            .order_by("-first_published_at")
            .prefetch_related("photos__image", "photos__submitted_photo__image")
        )

    def countries(self) -> list[tuple[str, str]]:
        """The countries of the live postcards (for the filter), from the shared cache."""

        def compute() -> list[tuple[str, str]]:
            pages = PostcardPage.objects.live().descendant_of(self)
            codes = set(pages.values_list("country", flat=True))
            return sorted(
                ((code, str(countries.name(code))) for code in codes if code),
                key=lambda item: item[1],
            )

        return cached(f"postcard-countries:{self.pk}", compute)

    @path("")
    def index(self, request):
        postcards = self.postcards()
        country = request.GET.get("country", "").upper()[:2]
        if not countries.name(country):
            country = ""
        if country:
            postcards = postcards.filter(country=country)
        context = {
            "postcards": paginate(request, postcards, POSTCARDS_PER_PAGE),
            "country_choices": self.countries(),
            "country": country,
        }
        return self.render(request, context_overrides=context)

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        from blog.feeds import PageFeed

        return PageFeed(self, self.postcards(), atom=False)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from blog.feeds import PageFeed

        return PageFeed(self, self.postcards(), atom=True)(request)


class PostcardPage(LicensedPageMixin, Page):
    text = models.TextField(_("text"), max_length=1500)
    place = models.CharField(_("place"), max_length=150)
    country = CountryField(_("country"))
    sender_name = models.CharField(_("sender's name"), max_length=150)

    content_panels = [
        *Page.content_panels,
        FieldPanel("text"),
        SubmittedPhotosPanel(heading=_("Photos sent with the submission")),
        InlinePanel("photos", label=_("Photos"), min_num=1, max_num=10),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("country"), FieldPanel("sender_name")],
            heading=_("Where and who"),
        ),
        FieldPanel("licence"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("text"),
        index.SearchField("place"),
        index.FilterField("country"),
    ]
    parent_page_types = ["postcards.PostcardIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("postcard")
        verbose_name_plural = _("postcards")

    @property
    def meta_description(self) -> str:
        return self.text[:300]

    def shown_photos(self) -> list:
        """The photos with their images, read once."""
        if not hasattr(self, "_shown_photos"):
            self._shown_photos = list(
                self.photos.all().select_related("image", "submitted_photo__image")
            )
        return self._shown_photos

    @property
    def meta_image(self):
        photos = self.shown_photos()
        return photos[0].public_image if photos else None

    @property
    def meta_image_alt(self) -> str:
        photos = self.shown_photos()
        return photos[0].alt_text if photos else ""

    def feed_author_names(self) -> str:
        return self.sender_name

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["licence"] = self.get_licence(request)
        context["photos"] = self.shown_photos()
        context["postcard_index"] = parent_page(PostcardIndexPage, self)
        return context


class SubmittedPhoto(models.Model):
    """A photo sent with a postcard, already checked and cleaned (re-encoded, no metadata),
    kept in private storage until the postcard is published; then `image` is the public
    Wagtail image made from it and the private file is gone."""

    file = models.FileField(
        _("file"), storage=private_storage, upload_to="submissions/%Y/%m/", blank=True
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("published image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("submitted photo")
        verbose_name_plural = _("submitted photos")

    def __str__(self) -> str:
        return self.original_name or f"#{self.pk}"


class PostcardPhoto(Orderable):
    page = ParentalKey(PostcardPage, related_name="photos", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_photo = models.ForeignKey(
        SubmittedPhoto,
        verbose_name=_("submitted photo"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    alt_text = models.CharField(
        _("description for people who cannot see the photo"),
        max_length=250,
        help_text=ALT_TEXT_HELP,
    )

    panels = [FieldPanel("image"), FieldPanel("alt_text")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def clean(self):
        super().clean()
        if not self.image_id and not self.submitted_photo_id:
            raise ValidationError({"image": _("Choose an image.")})

    @property
    def public_image(self):
        """The Wagtail image to show: chosen in the admin, or made from the sender's photo
        when the postcard was published. None while the photo is still private."""
        if self.image_id:
            return self.image
        if self.submitted_photo_id and self.submitted_photo.image_id:
            return self.submitted_photo.image
        return None

    @property
    def is_private(self) -> bool:
        return self.public_image is None and self.submitted_photo_id is not None
