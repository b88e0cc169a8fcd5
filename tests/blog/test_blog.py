"""The blog's pages: where they may be created, how they render, the tag and author
listings, related posts, the licence, the feeds and the sharing meta tags."""

from xml.etree import ElementTree

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from blog.models import BlogIndexPage, BlogPage, SubmissionGuidelinesPage
from website.factories.blog import (
    AuthorFactory,
    BlogIndexPageFactory,
    BlogPageFactory,
)
from website.factories.images import IllustrationFactory
from website.models import HomePage, OrganisationSettings, StandardPage

ATOM = "{http://www.w3.org/2005/Atom}"


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def blog(home_page) -> BlogIndexPage:
    return publish(BlogIndexPageFactory(parent=home_page))


class TestBlogTree(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePage.objects.get(depth=2)
        self.login()

    def test_blog_pages_live_in_their_places(self):
        self.assertAllowedParentPageTypes(BlogIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(BlogIndexPage, {BlogPage})
        self.assertAllowedParentPageTypes(BlogPage, {BlogIndexPage})
        self.assertAllowedParentPageTypes(SubmissionGuidelinesPage, {HomePage})
        self.assertCanNotCreateAt(StandardPage, BlogPage)

    def test_admin_creates_a_post_with_tags_authors_and_a_video(self):
        index = BlogIndexPageFactory(parent=self.home)
        author = AuthorFactory(name="Ana Lima")
        image = IllustrationFactory()
        data = nested_form_data(
            {
                "title": "Reading rooms of the world",
                "slug": "reading-rooms",
                "intro": "Five rooms, five countries.",
                "hero_image": image.pk,
                "hero_image_alt": "A round reading room under a glass dome",
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>Some rooms are quiet.</p>")),
                        (
                            "video",
                            {
                                "url": "https://video.example.org/watch/1",
                                "title": "A tour",
                                "description": "",
                                "poster": "",
                            },
                        ),
                    ]
                ),
                "tags": "reading rooms, architecture",
                "licence": "",
            }
        )
        data["authors"] = [author.pk]
        self.assertCanCreate(index, BlogPage, data)
        post = BlogPage.objects.get(slug="reading-rooms")
        assert {tag.name for tag in post.tags.all()} == {"reading rooms", "architecture"}
        assert list(post.authors.all()) == [author]
        revision_tags = post.get_latest_revision_as_object().tags.all()
        assert {tag.name for tag in revision_tags} == {"reading rooms", "architecture"}
        assert post.hero_image_alt == "A round reading room under a glass dome"

    def test_a_hero_image_needs_its_own_alt_text(self):
        index = BlogIndexPageFactory(parent=self.home)
        image = IllustrationFactory(description="What the image library says")
        data = {
            "title": "Shelves",
            "slug": "shelves",
            "intro": "About shelves.",
            "hero_image": image.pk,
            "hero_image_alt": "  ",
            "body-count": "0",
            "tags": "",
            "licence": "",
        }
        response = self.client.post(f"/admin/pages/add/blog/blogpage/{index.pk}/", data)
        assert response.status_code == 200
        content = response.content.decode()
        assert "Describe the image for people who cannot see it (its alt text)." in content
        assert "For people who cannot see the image" in content  # the help text
        assert not BlogPage.objects.filter(slug="shelves").exists()

        data["hero_image_alt"] = "Oak shelves bending under atlases"
        response = self.client.post(f"/admin/pages/add/blog/blogpage/{index.pk}/", data)
        assert response.status_code == 302
        assert BlogPage.objects.get(slug="shelves").hero_image_alt == (
            "Oak shelves bending under atlases"
        )

        # No image, no alt text needed.
        data.update(slug="no-image", hero_image="", hero_image_alt="")
        response = self.client.post(f"/admin/pages/add/blog/blogpage/{index.pk}/", data)
        assert response.status_code == 302
        assert BlogPage.objects.get(slug="no-image").hero_image_alt == ""


@pytest.mark.django_db
def test_post_renders_with_byline_tags_licence_and_video_card(client, blog):
    author = AuthorFactory(name="Kofi Mensah", bio="School librarian in Accra.")
    post = BlogPageFactory(
        parent=blog,
        title="Partners across time zones",
        tags=["time zones"],
        authors=[author],
        hero_image=IllustrationFactory(),
        body=[
            (
                "video",
                {
                    "url": "https://www.video.example.org/watch?v=1",
                    "title": "How we met",
                    "description": "",
                    "poster": None,
                },
            )
        ],
    )
    publish(post)
    content = client.get(post.url).content.decode()
    assert "<h1>Partners across time zones</h1>" in content
    assert f'href="{blog.url}author/kofi-mensah/"' in content
    assert f'href="{blog.url}tag/time-zones/"' in content
    assert "School librarian in Accra." in content
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in content
    assert "Watch on video.example.org" in content
    assert "<iframe" not in content


@pytest.mark.django_db
def test_licence_comes_from_the_page_or_the_site_default(blog, site):
    post = BlogPageFactory(parent=blog)
    assert post.get_licence().name == "CC BY 4.0"
    settings_row = OrganisationSettings.for_site(site)
    settings_row.content_licence = "cc-by-sa-4.0"
    settings_row.save()
    assert post.get_licence().name == "CC BY-SA 4.0"
    post.licence = "cc0-1.0"
    assert post.get_licence().name == "CC0 1.0"


@pytest.mark.django_db
def test_tag_and_author_listings_and_pagination(client, blog):
    author = AuthorFactory(name="Mei Chen")
    for n in range(14):
        publish(BlogPageFactory(parent=blog, title=f"Post {n}", tags=["cataloguing"]))
    publish(BlogPageFactory(parent=blog, title="By Mei", authors=[author]))
    BlogPageFactory(parent=blog, title="Draft only", live=False)

    first = client.get(blog.url)
    assert first.status_code == 200
    assert len(first.context["posts"]) == 12
    assert "Draft only" not in first.content.decode()
    second = client.get(blog.url + "?page=2")
    assert len(second.context["posts"]) == 3

    tagged = client.get(blog.url + "tag/cataloguing/")
    assert tagged.context["tag"].name == "cataloguing"
    assert tagged.context["posts"].paginator.count == 14
    by_author = client.get(blog.url + "author/mei-chen/")
    assert [post.title for post in by_author.context["posts"]] == ["By Mei"]
    assert client.get(blog.url + "tag/no-such-tag/").status_code == 404
    assert client.get(blog.url + "?page=not-a-number").status_code == 200


@pytest.mark.django_db
def test_related_posts_share_tags_first(blog):
    post = publish(BlogPageFactory(parent=blog, tags=["outreach", "children"]))
    close = publish(BlogPageFactory(parent=blog, tags=["outreach", "children"]))
    near = publish(BlogPageFactory(parent=blog, tags=["outreach"]))
    publish(BlogPageFactory(parent=blog, tags=["budgets"]))
    related = post.related_posts()
    assert related[:2] == [close, near]
    assert len(related) == 3


@pytest.mark.django_db
def test_blog_feeds_are_valid_rss_and_atom(client, blog):
    publish(BlogPageFactory(parent=blog, title="First & foremost", tags=["news"]))
    BlogPageFactory(parent=blog, title="Draft", live=False)

    rss = client.get(blog.url + "feed/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(rss.content).find("channel")
    assert channel.findtext("title") == "Blog"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["First & foremost"]
    for tag in ("link", "guid", "pubDate", "description"):
        assert items[0].findtext(tag), tag
    assert items[0].findtext("category") == "news"

    atom = client.get(blog.url + "feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(atom.content)
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "International Librarians Network"
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    for tag in ("title", "id", "updated", "published"):
        assert entries[0].findtext(f"{ATOM}{tag}"), tag
    assert entries[0].find(f"{ATOM}link").get("href").startswith("http")


@pytest.mark.django_db
def test_pages_carry_open_graph_and_twitter_meta(client, blog, home_page):
    image = IllustrationFactory(description="What the image library says")
    post = publish(
        BlogPageFactory(
            parent=blog,
            title="Shared widely",
            intro="Worth a click.",
            hero_image=image,
            hero_image_alt="Two librarians sorting donated books on a long table",
        )
    )
    content = client.get(post.url).content.decode()
    # The page's own alt text, on the hero image and in the sharing tags; not the library's.
    alt = "Two librarians sorting donated books on a long table"
    assert f'alt="{alt}"' in content
    assert f'<meta property="og:image:alt" content="{alt}">' in content
    assert f'<meta name="twitter:image:alt" content="{alt}">' in content
    assert "What the image library says" not in content
    assert '<meta property="og:title" content="Shared widely">' in content
    assert '<meta property="og:description" content="Worth a click.">' in content
    assert '<meta name="twitter:card" content="summary_large_image">' in content
    assert '<meta property="og:image" content="http' in content
    assert '<meta property="og:type" content="article">' in content

    index_content = client.get(blog.url).content.decode()
    assert '<meta name="twitter:card" content="summary">' in index_content
    assert '<meta property="og:title" content="Blog">' in index_content
    assert 'type="application/rss+xml"' in index_content
