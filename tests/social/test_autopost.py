"""Social auto-posting: each network's adapter sends the request its API documents (auth,
endpoint, fields); the first publish posts once per network, a re-publish posts nothing; a
failure shows in the queue and a retry posts once; texts respect each network's length."""

import socket

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from social import services
from social.content import PageContent
from social.models import SocialPost
from social.networks import ADAPTERS, PostKey, SocialError, post_bluesky, post_mastodon
from tests.social.fake_networks import BLOB_CID, BLUESKY_DID, MASTODON_MEDIA_ID
from website.factories.images import IllustrationFactory
from website.factories.website import StandardPageFactory, UserFactory

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
    mastodon = posts.get(network="mastodon")
    assert status.headers["authorization"] == "Bearer md-token"
    assert (
        status.headers["idempotency-key"]
        == PostKey.for_post(mastodon.pk, mastodon.created_at).idempotency_key
    )
    assert status.form["visibility"] == ["public"]
    assert "#librarians" in status.form["status"][0]
    assert page.full_url in status.form["status"][0]

    session = by_path(networks, "/xrpc/com.atproto.server.createSession")[0]
    assert session.json == {"identifier": "iln.example", "password": "app-pass"}
    bluesky = posts.get(network="bluesky")
    rkey = PostKey.for_post(bluesky.pk, bluesky.created_at).record_key
    lookup = by_path(networks, "/xrpc/com.atproto.repo.getRecord")[0]
    assert lookup.method == "GET"
    assert lookup.query == {
        "repo": [BLUESKY_DID],
        "collection": ["app.bsky.feed.post"],
        "rkey": [rkey],
    }
    record = by_path(networks, "/xrpc/com.atproto.repo.createRecord")[0]
    assert record.headers["authorization"] == f"Bearer {networks.access_jwt}"
    assert record.json["repo"] == BLUESKY_DID
    assert record.json["collection"] == "app.bsky.feed.post"
    assert record.json["rkey"] == rkey
    body = record.json["record"]
    assert body["$type"] == "app.bsky.feed.post"
    assert "#librarians" in body["text"]
    assert body["embed"]["$type"] == "app.bsky.embed.external"
    assert body["embed"]["external"]["uri"] == page.full_url
    assert body["embed"]["external"]["title"] == "Meet the mentors"
    facet = body["facets"][0]
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": page.full_url}]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert body["text"].encode()[start:end].decode() == page.full_url

    assert mastodon.remote_url == "https://social.example/@iln/1"
    bluesky.refresh_from_db()
    assert bluesky.remote_id == f"at://{BLUESKY_DID}/app.bsky.feed.post/{rkey}"
    assert bluesky.remote_url == f"https://bsky.app/profile/{BLUESKY_DID}/post/{rkey}"


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
    # A page's own alt text for its image (a blog post's hero image) comes first.
    page.meta_image_alt = "Two readers at a window table"
    assert page_content(page).image_alt == "Two readers at a window table"


def test_adapters_upload_images(social_settings, networks):
    content = PageContent(
        "Title", "Intro", "https://iln.example/p/", ["#a"], b"\xff\xd8jpeg", "Alt"
    )
    for network in ["x", "mastodon", "bluesky"]:
        ADAPTERS[network](social_settings, content, PostKey("key-1", "3jzfcijpj2z2a"))
    upload = by_path(networks, "/2/media/upload")[0]
    assert upload.multipart()["media"] == b"\xff\xd8jpeg"
    assert by_path(networks, "/2/tweets")[0].json["media"] == {"media_ids": ["1146654567674912769"]}

    media = by_path(networks, "/api/v2/media")[0]
    assert media.headers["authorization"] == "Bearer md-token"
    parts = media.parts()
    assert parts["file"].get_payload(decode=True) == b"\xff\xd8jpeg"
    assert parts["file"].get_content_type() == "image/jpeg"
    assert parts["description"].get_payload(decode=True) == b"Alt"
    assert by_path(networks, "/api/v1/statuses")[0].form["media_ids[]"] == [MASTODON_MEDIA_ID]

    blob = by_path(networks, "/xrpc/com.atproto.repo.uploadBlob")[0]
    assert blob.headers["authorization"] == f"Bearer {networks.access_jwt}"
    assert blob.headers["content-type"] == "image/jpeg" and blob.body == b"\xff\xd8jpeg"
    thumb = by_path(networks, "/xrpc/com.atproto.repo.createRecord")[0].json
    assert thumb["record"]["embed"]["external"]["thumb"] == {
        "$type": "blob",
        "ref": {"$link": BLOB_CID},
        "mimeType": "image/jpeg",
        "size": 6,
    }


def test_facet_offsets_count_bytes_of_utf8(social_settings, networks):
    content = PageContent("Café für Bücher", "Lesen", "https://iln.example/ü/", [])
    posted = post_bluesky(social_settings, content, PostKey("key-1", "3jzfcijpj2z2a"))
    body = by_path(networks, "/xrpc/com.atproto.repo.createRecord")[0].json["record"]
    index = body["facets"][0]["index"]
    assert body["text"] == posted.text
    assert body["text"].encode()[index["byteStart"] : index["byteEnd"]] == content.url.encode()
    assert index["byteStart"] > body["text"].index(content.url)


def test_bluesky_hashtags_are_tag_facets(social_settings, networks):
    content = PageContent("Ñandú", "Intro", "https://iln.example/p/#top", ["#Bibliotecas", "#ILN"])
    post_bluesky(social_settings, content, PostKey("key-1", "3jzfcijpj2z2a"))
    body = by_path(networks, "/xrpc/com.atproto.repo.createRecord")[0].json["record"]
    encoded = body["text"].encode()
    tags = {
        encoded[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(): f["features"]
        for f in body["facets"][1:]
    }
    assert tags == {
        "#Bibliotecas": [{"$type": "app.bsky.richtext.facet#tag", "tag": "Bibliotecas"}],
        "#ILN": [{"$type": "app.bsky.richtext.facet#tag", "tag": "ILN"}],
    }


def test_a_mastodon_token_naming_a_file_is_sent_as_it_is(social_settings, networks, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the contents of a file on the server\n")
    social_settings.mastodon_access_token = str(secret)
    content = PageContent("Title", "Intro", "https://iln.example/p/", [])
    post_mastodon(social_settings, content, PostKey("key-1", "3jzfcijpj2z2a"))
    status = by_path(networks, "/api/v1/statuses")[0]
    assert status.headers["authorization"] == f"Bearer {secret}"


def test_bluesky_posts_a_record_key_once(social_settings, networks):
    """An attempt that got through before a crash is found by its record key and not
    posted again: both attempts give the same link."""
    content = PageContent("Title", "Intro", "https://iln.example/p/", ["#a"])
    key = PostKey("iln-social-7", "3jzfcijpj2z2a")
    first = post_bluesky(social_settings, content, key)
    second = post_bluesky(social_settings, content, key)
    assert len(by_path(networks, "/xrpc/com.atproto.repo.createRecord")) == 1
    assert len(by_path(networks, "/xrpc/com.atproto.repo.getRecord")) == 2
    assert list(networks.records) == [("app.bsky.feed.post", "3jzfcijpj2z2a")]
    assert second == first
    assert first.url == f"https://bsky.app/profile/{BLUESKY_DID}/post/3jzfcijpj2z2a"


def test_mastodon_repeats_the_idempotency_key(social_settings, networks):
    content = PageContent("Title", "Intro", "https://iln.example/p/", ["#a"])
    key = PostKey("iln-social-7", "3jzfcijpj2z2a")
    first = post_mastodon(social_settings, content, key)
    second = post_mastodon(social_settings, content, key)
    keys = [r.headers["idempotency-key"] for r in by_path(networks, "/api/v1/statuses")]
    assert keys == ["iln-social-7", "iln-social-7"]
    assert networks.statuses == 1
    assert second == first


@pytest.mark.parametrize(
    ("adapter", "path", "answer", "expected"),
    [
        (
            post_mastodon,
            "/api/v1/statuses",
            (500, {"error": "We're sorry, but something went wrong"}),
            ["Mastodon answered 500", "something went wrong"],
        ),
        (
            post_mastodon,
            "/api/v1/statuses",
            (502, b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
            ["Mastodon answered 502", "Bad Gateway"],
        ),
        (
            post_mastodon,
            "/api/v1/statuses",
            (200, b"<html><body>Maintenance</body></html>"),
            ["Mastodon answered something unexpected"],
        ),
        (
            post_bluesky,
            "/xrpc/com.atproto.server.createSession",
            (401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}),
            ["Bluesky answered 401", "Invalid identifier or password"],
        ),
        (
            post_bluesky,
            "/xrpc/com.atproto.repo.createRecord",
            (500, {"error": "InternalServerError", "message": "Internal Server Error"}),
            ["Bluesky answered 500", "InternalServerError"],
        ),
        (
            post_bluesky,
            "/xrpc/com.atproto.repo.getRecord",
            (400, {"error": "InvalidRequest", "message": "Could not find repo: did:plc:iln"}),
            ["Bluesky answered 400", "Could not find repo"],
        ),
        (
            post_bluesky,
            "/xrpc/com.atproto.server.createSession",
            (200, b"<html><body>Maintenance</body></html>"),
            ["Bluesky answered something unexpected"],
        ),
    ],
)
def test_client_errors_become_social_errors(
    social_settings, networks, adapter, path, answer, expected
):
    networks.fail[path] = answer
    content = PageContent("Title", "Intro", "https://iln.example/p/", ["#a"])
    with pytest.raises(SocialError) as raised:
        adapter(social_settings, content, PostKey("iln-social-7", "3jzfcijpj2z2a"))
    for words in expected:
        assert words in str(raised.value)
    assert networks.statuses == 0 and networks.records == {}


@pytest.mark.parametrize(
    ("adapter", "name"), [(post_mastodon, "Mastodon"), (post_bluesky, "Bluesky")]
)
def test_an_unreachable_server_is_a_social_error(social_settings, adapter, name):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    social_settings.mastodon_url = social_settings.bluesky_url = url
    content = PageContent("Title", "Intro", "https://iln.example/p/", ["#a"])
    with pytest.raises(SocialError, match=f"{name} could not be reached"):
        adapter(social_settings, content, PostKey("iln-social-7", "3jzfcijpj2z2a"))


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
