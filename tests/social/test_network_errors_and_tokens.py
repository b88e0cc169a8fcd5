"""X through OAuth 2.0: an access token about to expire is renewed with the stored refresh
token first, and the new pair is stored encrypted; LinkedIn's version header comes from a
setting; every failure reads in the queue as a sentence, never as a Python exception."""

import socket
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from social.content import PageContent
from social.models import SocialPost, SocialSettings
from social.networks import PostKey, SocialError, post_linkedin, post_x
from website import encryption
from website.factories.website import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTENT = PageContent("Title", "Intro", "https://iln.example/p/", ["#a"])
KEY = PostKey("iln-social-7", "3jzfcijpj2z2a")
# What a Python exception's text looks like, which must never reach the queue.
PYTHON_TEXT = [
    "HTTPConnectionPool",
    "Max retries",
    "Errno",
    "Traceback",
    "object at 0x",
    "NewConnectionError",
    "ConnectError",
    "urllib3",
    "{'",
    '{"',
]


def by_path(networks, path):
    return [r for r in networks.requests if r.path.split("?")[0] == path]


@pytest.fixture
def x_oauth(social_settings, networks):
    networks.x_refresh_token, networks.x_access_token = "x-refresh-0", "x-access-0"
    social_settings.x_client_id = "client-id"
    social_settings.x_access_token, social_settings.x_refresh_token = "x-access-0", "x-refresh-0"
    social_settings.x_token_expires_at = timezone.now() + timedelta(minutes=2)
    social_settings.save()
    return social_settings


def stored_column(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM social_socialsettings")
        return cursor.fetchone()[0]


def test_an_x_token_about_to_expire_is_renewed_first_and_stored_encrypted(x_oauth, networks):
    before = timezone.now()
    post_x(x_oauth, CONTENT, KEY)
    token = by_path(networks, "/2/oauth2/token")[0]
    assert token.form == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["x-refresh-0"],
        "client_id": ["client-id"],
    }
    assert "authorization" not in token.headers
    assert by_path(networks, "/2/tweets")[0].headers["authorization"] == "Bearer x-access-1"

    fresh = SocialSettings.objects.get(pk=x_oauth.pk)
    assert (fresh.x_access_token, fresh.x_refresh_token) == ("x-access-1", "x-refresh-1")
    assert before + timedelta(hours=2) <= fresh.x_token_expires_at
    assert fresh.x_token_expires_at <= timezone.now() + timedelta(hours=2)
    for column, plain in [("x_access_token", "x-access-1"), ("x_refresh_token", "x-refresh-1")]:
        assert plain not in stored_column(column)
        assert encryption.decrypt(stored_column(column)) == plain

    # Still valid for two hours: the next post uses it as it is.
    post_x(fresh, CONTENT, KEY)
    assert networks.x_refreshes == 1
    assert by_path(networks, "/2/tweets")[1].headers["authorization"] == "Bearer x-access-1"


def test_a_confidential_client_renews_with_basic_auth(x_oauth, networks):
    x_oauth.x_client_secret = "client-secret"
    x_oauth.x_token_expires_at = None
    x_oauth.save()
    post_x(x_oauth, CONTENT, KEY)
    token = by_path(networks, "/2/oauth2/token")[0]
    assert token.headers["authorization"].startswith("Basic ")
    assert networks.x_refreshes == 1


def test_a_refused_renewal_says_what_to_do(x_oauth, networks, publish_page):
    networks.x_refresh_token = "revoked-elsewhere"
    post = publish_page("x")
    assert post.status == SocialPost.Status.FAILED
    assert post.error.startswith("X refused to renew the access token")
    assert "Value passed for the token was invalid." in post.error
    assert "enter the new tokens in the social network settings" in post.error
    assert not by_path(networks, "/2/tweets")
    fresh = SocialSettings.objects.get(pk=x_oauth.pk)
    assert (fresh.x_access_token, fresh.x_refresh_token) == ("x-access-0", "x-refresh-0")


def test_the_linkedin_version_comes_from_the_setting(social_settings, networks, settings):
    post_linkedin(social_settings, CONTENT, KEY)
    assert by_path(networks, "/rest/posts")[0].headers["linkedin-version"] == "202610"
    settings.LINKEDIN_API_VERSION = "202611"
    post_linkedin(social_settings, CONTENT, KEY)
    assert by_path(networks, "/rest/posts")[1].headers["linkedin-version"] == "202611"


@pytest.fixture
def publish_page(social_settings, home_page, django_capture_on_commit_callbacks):
    """Queue a page for one network and post it, as the task does; the post, read back."""
    from social import services

    def run(network: str) -> SocialPost:
        page = StandardPageFactory(parent=home_page, title="Postcard from Lagos")
        post = SocialPost.objects.create(page=page, network=network)
        services.publish(post.pk)
        return SocialPost.objects.get(pk=post.pk)

    return run


def closed_port_url() -> str:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{closed.getsockname()[1]}"


@pytest.mark.parametrize("network", ["x", "facebook", "linkedin", "mastodon", "bluesky"])
def test_a_switched_off_network_reads_as_a_sentence_in_the_queue(
    social_settings, publish_page, network, client
):
    url = closed_port_url()
    social_settings.x_api_url = social_settings.facebook_api_url = url
    social_settings.linkedin_api_url = social_settings.mastodon_url = url
    social_settings.bluesky_url = url
    social_settings.save()
    post = publish_page(network)
    assert post.status == SocialPost.Status.FAILED
    name = post.get_network_display().split()[0]
    assert post.error.startswith(f"{name} could not be reached: the connection was refused")
    assert post.error.endswith("check its address in the social network settings.")
    for python in PYTHON_TEXT:
        assert python not in post.error

    client.force_login(
        UserFactory(username="social", groups=[django_settings.SOCIAL_COORDINATORS_GROUP])
    )
    listing = client.get(reverse("wagtailsnippets_social_socialpost:list")).content.decode()
    assert "could not be reached: the connection was refused" in listing


@pytest.mark.parametrize(
    ("network", "path", "answer", "expected"),
    [
        (
            "x",
            "/2/tweets",
            (403, {"title": "Forbidden", "detail": "You are not permitted to perform this."}),
            "X answered 403: You are not permitted to perform this.",
        ),
        (
            "facebook",
            "/4242/feed",
            (400, {"error": {"message": "Invalid OAuth access token.", "code": 190}}),
            "Facebook answered 400: Invalid OAuth access token.",
        ),
        (
            "linkedin",
            "/rest/posts",
            (426, {"status": 426, "message": "Requested version 20240501 is not active"}),
            "LinkedIn answered 426: Requested version 20240501 is not active",
        ),
        ("x", "/2/tweets", (502, b"<html><h1>502 Bad Gateway</h1></html>"), "X answered 502:"),
        (
            "mastodon",
            "/api/v1/statuses",
            (503, {"error": "Service unavailable"}),
            "Mastodon answered 503: Service unavailable",
        ),
        (
            "bluesky",
            "/xrpc/com.atproto.server.createSession",
            (401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"}),
            "Bluesky answered 401: AuthenticationRequired Invalid identifier or password",
        ),
        (
            "x",
            "/2/tweets",
            (200, {"unexpected": True}),
            "X answered something unexpected, not what its API documents",
        ),
    ],
)
def test_a_networks_refusal_reads_as_its_own_message(
    networks, publish_page, network, path, answer, expected
):
    networks.fail[path] = answer
    post = publish_page(network)
    assert post.status == SocialPost.Status.FAILED
    assert post.error.startswith(expected)
    for python in PYTHON_TEXT:
        assert python not in post.error


def test_an_unreachable_adapter_raises_a_social_error(social_settings):
    social_settings.x_api_url = closed_port_url()
    with pytest.raises(SocialError, match="X could not be reached"):
        post_x(social_settings, CONTENT, KEY)
