"""The blog: posts and guest articles, their authors and tags, the submission guidelines,
and the record of what the community sent in."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from website.blocks import ALT_TEXT_HELP, BaseStreamBlock
from website.licences import LICENCE_CHOICES, Licence, get_licence
from website.pagecache import cached, public

from .blocks import BlogStreamBlock

POSTS_PER_PAGE = 12


class LicensedPageMixin(models.Model):
    """A page published under a Creative Commons licence; empty means the site's default."""

    licence = models.CharField(
        _("licence"),
        max_length=20,
        choices=LICENCE_CHOICES,
        blank=True,
        help_text=_("Leave empty for the site's default licence (CC BY 4.0 unless changed)."),
    )

    class Meta:
        abstract = True

    def get_licence(self, request=None) -> Licence:
        from wagtail.models import Site

        from website.models import OrganisationSettings

        if self.licence:
            return get_licence(self.licence)
        site = Site.find_for_request(request) if request is not None else self.get_site()
        default = OrganisationSettings.for_site(site).content_licence if site else ""
        return get_licence(default)


def parent_page(model, page: Page):
    """The page's parent, of the given type (its only allowed one), from the shared cache."""
    path = page.path[: -page.steplen]
    found = cached(f"page:{path}", lambda: (model.objects.filter(path=path).first(),))
    return found[0]


def paginate(request, items, per_page: int = POSTS_PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page", "1"))


class Author(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True, allow_unicode=True)
    bio = models.TextField(_("biography"), max_length=1000, blank=True)
    country = CountryField(_("country"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("bio"), FieldPanel("country")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_author_slug(self.name)
        super().save(*args, **kwargs)


def unique_author_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True)[:150] or "author"
    slug, n = base, 2
    while Author.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.BlogPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class BlogIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["blog.BlogPage"]

    class Meta:
        verbose_name = _("blog index page")

    def posts(self):
        return (
            public(BlogPage.objects.live())
            .descendant_of(self)
            .select_related("hero_image")
            .order_by("-first_published_at")
        )

    def render_listing(self, request, posts, **extra):
        context = {"posts": paginate(request, posts), **extra}
        return self.render(request, context_overrides=context)

    @path("")
    def index(self, request):
        return self.render_listing(request, self.posts())

    @path("tag/<str:tag>/")
    def by_tag(self, request, tag: str):
        tag_object = get_object_or_404(Tag, slug=tag)
        return self.render_listing(request, self.posts().filter(tags=tag_object), tag=tag_object)

    @path("author/<str:author>/")
    def by_author(self, request, author: str):
        author_object = get_object_or_404(Author, slug=author)
        return self.render_listing(
            request, self.posts().filter(authors=author_object), author=author_object
        )

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        from .feeds import PageFeed

        return PageFeed(self, self.posts().prefetch_related("authors", "tags"), atom=False)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from .feeds import PageFeed

        return PageFeed(self, self.posts().prefetch_related("authors", "tags"), atom=True)(request)


def hero_image_alt_field() -> models.CharField:
    return models.CharField(
        _("alt text of the image"),
        max_length=250,
        blank=True,
        help_text=ALT_TEXT_HELP,
    )


class HeroImagePageForm(WagtailAdminPageForm):
    """A page with a hero image: the image needs its alt text, written for this page."""

    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("hero_image")
        alt = (cleaned.get("hero_image_alt") or "").strip()
        if image and not alt and "hero_image_alt" not in self.errors:
            self.add_error(
                "hero_image_alt",
                _("Describe the image for people who cannot see it (its alt text)."),
            )
        cleaned["hero_image_alt"] = alt
        return cleaned


class BlogPage(LicensedPageMixin, Page):  # noqa: DJ008 (Page gives __str__)
    intro = models.TextField(_("introduction"), max_length=600)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = hero_image_alt_field()
    body = StreamField(BlogStreamBlock(), verbose_name=_("body"))
    authors = ParentalManyToManyField(
        "blog.Author", blank=True, related_name="posts", verbose_name=_("authors")
    )
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("hero_image_alt"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("authors"), FieldPanel("tags"), FieldPanel("licence")],
            heading=_("Credits and licence"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    base_form_class = HeroImagePageForm
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")

    @property
    def meta_description(self) -> str:
        return self.intro

    @property
    def meta_image(self):
        return self.hero_image

    @property
    def meta_image_alt(self) -> str:
        return self.hero_image_alt if self.hero_image_id else ""

    def feed_author_names(self) -> str:
        return ", ".join(author.name for author in self.authors.all())

    def related_posts(self, limit: int = 3, tags=None):
        """Live posts sharing the most tags with this one, the newest first among equals;
        the latest posts when none share a tag."""
        others = public(BlogPage.objects.live()).exclude(pk=self.pk).select_related("hero_image")
        # Iterated, not queried: a revision or preview holds its tags in memory, where
        # `values_list` cannot resolve field names, and may name tags not yet saved.
        tags = self.tags.all() if tags is None else tags
        tag_ids = [tag.pk for tag in tags if tag.pk is not None]
        related = []
        if tag_ids:
            related = list(
                others.filter(tags__in=tag_ids)
                .annotate(shared=Count("tags"))
                .order_by("-shared", "-first_published_at")[:limit]
            )
        if len(related) < limit:
            seen = [post.pk for post in related]
            related += list(
                others.exclude(pk__in=seen).order_by("-first_published_at")[: limit - len(related)]
            )
        return related

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["licence"] = self.get_licence(request)
        context["authors"] = list(self.authors.all())
        context["tags"] = tags = list(self.tags.all())
        if getattr(request, "is_preview", False):
            context["related_posts"] = self.related_posts(tags=tags)
        else:  # the live page's: kept until the content changes
            context["related_posts"] = cached(
                f"related-posts:{self.pk}", lambda: self.related_posts(tags=tags)
            )
        context["blog_index"] = parent_page(BlogIndexPage, self)
        return context


class SubmissionGuidelinesPage(Page):
    """What the open call accepts: length, language, licence. Linked from the public forms."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["website.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("submission guidelines page")

    @classmethod
    def current(cls):
        """The guidelines in the visitor's language, else in the default language."""
        from wagtail.models import Locale

        pages = cls.objects.live()
        return (
            pages.filter(locale=Locale.get_active()).first()
            or pages.filter(locale=Locale.get_default()).first()
        )


class Submission(models.Model):
    """Something the community sent through a public form: who sent it, what they agreed to,
    and the draft page it became. The page is never live until a reviewer approves it."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Guest article")
        POSTCARD = "postcard", _("Postcard")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="submission",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"))
    licence = models.CharField(_("licence"), max_length=20, choices=LICENCE_CHOICES)
    agreed_at = models.DateTimeField(
        _("agreed to the guidelines and licence at"),
        help_text=_("When the sender ticked the agreement to the guidelines and the licence."),
    )
    guidelines_revision = models.PositiveIntegerField(
        _("guidelines revision"),
        null=True,
        blank=True,
        help_text=_("The revision of the submission guidelines the sender agreed to."),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("community submission")
        verbose_name_plural = _("community submissions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class TopicIndexPage(RoutablePageMixin, Page):
    """The archive of discussion topics, by round."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["blog.DiscussionTopicPage"]

    class Meta:
        verbose_name = _("discussion topics archive")

    def topics(self):
        return (
            public(DiscussionTopicPage.objects.live())
            .descendant_of(self)
            .select_related("round")
            .order_by("-release_at")
        )

    def rounds(self) -> list[dict]:
        """Each round with live topics, newest round first, its topics in release order."""
        by_round: dict[int, dict] = {}
        for topic in self.topics().order_by("-round__starts_on", "release_at"):
            entry = by_round.setdefault(topic.round_id, {"round": topic.round, "topics": []})
            entry["topics"].append(topic)
        return list(by_round.values())

    @path("")
    def index(self, request):
        return self.render(request, context_overrides={"rounds": self.rounds()})

    @path("round/<slug:round_slug>/")
    def by_round(self, request, round_slug: str):
        topics = list(self.topics().filter(round__slug=round_slug).order_by("release_at"))
        if not topics:
            raise Http404
        return self.render(
            request,
            context_overrides={"rounds": [{"round": topics[0].round, "topics": topics}]},
        )

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        from .feeds import PageFeed

        return PageFeed(self, self.topics().select_related("guest_curator"), atom=False)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from .feeds import PageFeed

        return PageFeed(self, self.topics().select_related("guest_curator"), atom=True)(request)


class DiscussionTopicPage(LicensedPageMixin, Page):  # noqa: DJ008 (Page gives __str__)
    """A round's discussion topic. It goes live by itself at `release_at` (Wagtail's
    scheduled publishing) and is then emailed once to every active participant."""

    round = models.ForeignKey(
        "mentoring.Round",
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="topics",
    )
    release_at = models.DateTimeField(
        _("release at"),
        help_text=_(
            "On one of the round's topic dates. The topic goes live at this time (once "
            "approved) and is emailed to the round's participants."
        ),
    )
    intro = models.TextField(_("introduction"), max_length=600)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = hero_image_alt_field()
    body = StreamField(BlogStreamBlock(), verbose_name=_("body"))
    guest_curator = models.ForeignKey(
        "blog.Author",
        verbose_name=_("guest curator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="curated_topics",
        help_text=_("A partner (for example a university's lecturers) who curated this topic."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("round"), FieldPanel("release_at")], heading=_("Schedule")),
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("hero_image_alt"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("guest_curator"), FieldPanel("licence")], heading=_("Credits and licence")
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("round"),
    ]
    base_form_class = HeroImagePageForm
    parent_page_types = ["blog.TopicIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("discussion topic")
        verbose_name_plural = _("discussion topics")

    @property
    def meta_description(self) -> str:
        return self.intro

    @property
    def meta_image(self):
        return self.hero_image

    @property
    def meta_image_alt(self) -> str:
        return self.hero_image_alt if self.hero_image_id else ""

    def feed_author_names(self) -> str:
        return self.guest_curator.name if self.guest_curator else ""

    def clean(self):
        super().clean()
        if self.round_id and self.release_at:
            release_day = timezone.localdate(self.release_at)
            dates = self.round.topic_release_dates()
            if release_day not in dates:
                listed = ", ".join(date_format(day, "j M Y") for day in dates) or "—"
                raise ValidationError(
                    {
                        "release_at": _("Choose one of the round's topic dates: %(dates)s.")
                        % {"dates": listed}
                    }
                )
        if self.release_at:
            self.go_live_at = self.release_at

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["licence"] = self.get_licence(request)
        context["topic_index"] = parent_page(TopicIndexPage, self)
        return context
