"""Social auto-posting: each network's adapter sends the request its API documents (auth,
endpoint, fields); the first publish posts once per network, a re-publish posts nothing; a
failure shows in the queue and a retry posts once; texts respect each network's length."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from social import services
from social.content import LIMITS, PageContent, compose
from social.models import SocialPost
from tests.factories.images import IllustrationFactory
from tests.factories.website import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(home_page, django_capture_on_commit_callbacks):
    def run(page=None, **fields):
        if page is None:
            page = StandardPageFactory(parent=home_page, live=False, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return page

    return run


def by_path(networks, path):
    return [r for r in networks.requests if r.path.split("?")[0] == path]


def test_first_publish_posts_once_per_network_with_each_api_shape(
    social_settings, networks, publish
):
    page = publish(title="Meet the mentors", intro="Stories from round 8 partners.")
    posts = SocialPost.objects.filter(page=page)
    networks_posted = ["x", "facebook", "linkedin", "mastodon", "bluesky"]
    assert {p.network: p.status for p in posts} == dict.fromkeys(
        networks_posted, SocialPost.Status.POSTED
    )

    tweet = by_path(networks, "/2/tweets")[0]
    assert tweet.headers["authorization"] == "Bearer x-token"
    assert "Meet the mentors" in tweet.json["text"]
    assert page.full_url in tweet.json["text"]

    feed = by_path(networks, "/4242/feed")[0]
    assert feed.form["access_token"] == ["fb-token"]
    assert feed.form["link"] == [page.full_url]

    linkedin = by_path(networks, "/rest/posts")[0]
    assert linkedin.headers["authorization"] == "Bearer li-token"
    assert linkedin.headers["linkedin-version"]
    assert linkedin.headers["x-restli-protocol-version"] == "2.0.0"
    assert linkedin.json["author"] == "urn:li:organization:5515715"
    assert linkedin.json["content"]["article"]["source"] == page.full_url
    assert linkedin.json["lifecycleState"] == "PUBLISHED"

    status = by_path(networks, "/api/v1/statuses")[0]
    assert status.headers["authorization"] == "Bearer md-token"
    assert status.headers["idempotency-key"]
    assert "#librarians" in status.form["status"][0]

    session = by_path(networks, "/xrpc/com.atproto.server.createSession")[0]
    assert session.json == {"identifier": "iln.example", "password": "app-pass"}
    record = by_path(networks, "/xrpc/com.atproto.repo.createRecord")[0]
    assert record.headers["authorization"] == "Bearer jwt-abc"
    assert record.json["repo"] == "did:plc:iln"
    assert record.json["collection"] == "app.bsky.feed.post"
    body = record.json["record"]
    assert body["$type"] == "app.bsky.feed.post"
    assert body["embed"]["external"]["uri"] == page.full_url
    facet = body["facets"][0]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert body["text"].encode()[start:end].decode() == page.full_url

    mastodon = posts.get(network="mastodon")
    assert mastodon.remote_url == "https://social.example/@iln/1"
    assert (
        posts.get(network="bluesky").remote_url == "https://bsky.app/profile/did:plc:iln/post/3k2a"
    )


def test_republish_posts_nothing(social_settings, networks, publish):
    page = publish(title="Round 9 opens")
    count = len(networks.requests)
    publish(page)
    assert len(networks.requests) == count
    assert SocialPost.objects.filter(page=page).count() == 5


def test_pages_of_other_types_are_not_posted(social_settings, networks, publish, settings):
    settings.SOCIAL_AUTOPOST_PAGE_TYPES = ["blog.BlogPage"]
    publish(title="About")
    assert networks.requests == []


def test_the_image_goes_where_the_network_takes_one(social_settings, networks, home_page, publish):
    from social.content import page_content

    image = IllustrationFactory(title="Library", description="Shelves in a library")
    page = StandardPageFactory(parent=home_page, live=False)
    page.meta_image = image  # the pages of the blog and postcards have one
    content = page_content(page)
    assert content.image and content.image_alt == "Shelves in a library"


def test_adapters_upload_images(social_settings, networks):
    from social.networks import ADAPTERS

    content = PageContent(
        "Title", "Intro", "https://iln.example/p/", ["#a"], b"\xff\xd8jpeg", "Alt"
    )
    for network in ["x", "mastodon", "bluesky"]:
        ADAPTERS[network](social_settings, content, "key-1")
    upload = by_path(networks, "/2/media/upload")[0]
    assert upload.multipart()["media"] == b"\xff\xd8jpeg"
    assert by_path(networks, "/2/tweets")[0].json["media"] == {"media_ids": ["1146654567674912769"]}
    media = by_path(networks, "/api/v2/media")[0].multipart()
    assert media["description"] == b"Alt"
    assert by_path(networks, "/api/v1/statuses")[0].form["media_ids[]"] == ["22348641"]
    blob = by_path(networks, "/xrpc/com.atproto.repo.uploadBlob")[0]
    assert blob.headers["content-type"] == "image/jpeg" and blob.body == b"\xff\xd8jpeg"
    thumb = by_path(networks, "/xrpc/com.atproto.repo.createRecord")[0].json
    assert thumb["record"]["embed"]["external"]["thumb"]["ref"] == {"$link": "bafk"}


def test_failure_shows_in_the_queue_and_a_retry_posts_once(
    social_settings, networks, publish, client, django_capture_on_commit_callbacks
):
    networks.fail["/api/v1/statuses"] = (422, {"error": "Validation failed: Text too long"})
    page = publish(title="Postcard from Lagos")
    failed = SocialPost.objects.get(page=page, network="mastodon")
    assert failed.status == SocialPost.Status.FAILED
    assert "422" in failed.error and "Text too long" in failed.error

    coordinator = UserFactory(username="social", groups=[django_settings.SOCIAL_COORDINATORS_GROUP])
    client.force_login(coordinator)
    listing = client.get(reverse("wagtailsnippets_social_socialpost:list"))
    assert listing.status_code == 200
    assert "Text too long" in listing.content.decode()
    retry = reverse("wagtailsnippets_social_socialpost:retry", args=[failed.pk])
    assert retry in listing.content.decode()

    networks.fail.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
        client.post(retry)
    failed.refresh_from_db()
    assert failed.status == SocialPost.Status.POSTED
    assert networks.statuses == 1
    services.publish(failed.pk)
    assert networks.statuses == 1


def test_post_now_for_an_older_page(social_settings, networks, home_page, client, settings):
    settings.SOCIAL_AUTOPOST_PAGE_TYPES = []
    page = StandardPageFactory(parent=home_page, title="An older story")
    settings.SOCIAL_AUTOPOST_PAGE_TYPES = ["website.StandardPage"]
    client.force_login(UserFactory(username="dir", groups=[django_settings.DIRECTORS_GROUP]))
    url = reverse("wagtailsnippets_social_socialpost:post_now")
    assert "An older story" in client.get(url).content.decode()
    client.post(url, {"page": page.pk})
    assert SocialPost.objects.filter(page=page).count() == 5


def test_other_roles_cannot_retry(social_settings, client, home_page):
    client.force_login(UserFactory(username="co", groups=[django_settings.CONTENT_OFFICERS_GROUP]))
    page = StandardPageFactory(parent=home_page)
    post = SocialPost.objects.create(page=page, network="x", status=SocialPost.Status.FAILED)
    client.post(reverse("wagtailsnippets_social_socialpost:retry", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == SocialPost.Status.FAILED


@pytest.mark.parametrize("network", list(LIMITS))
def test_texts_fit_each_network(network):
    content = PageContent(
        "A long title about mentoring",
        "word " * 400,
        "https://network.example.org/blog/" + "a" * 60 + "/",
        ["#Mentoring", "#Libraries", "#Librarians"],
    )
    text = compose(content, network)
    weight = 23 if network in {"x", "mastodon"} else len(content.url)
    assert len(text) - len(content.url) + weight <= LIMITS[network]
    assert content.url in text
    assert text.startswith("A long title about mentoring")
