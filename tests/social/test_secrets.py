"""Network credentials are write-only and encrypted: no admin page renders them, the
settings form says "set" or "not set", a blank field keeps the stored value, "clear"
removes it, the column holds a Fernet token, and the data migration encrypts the plain
values stored before."""

import importlib
import os
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from social.models import SocialPost, SocialSettings
from tests.conftest import manage_py
from website import encryption
from website.factories.website import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    "x_client_secret": "XSECRET-client-0a1b2c",
    "x_access_token": "XACCESS-token-3d4e5f",
    "x_refresh_token": "XREFRESH-token-6a7b8c",
    "facebook_page_token": "FBTOKEN-9d0e1f",
    "linkedin_access_token": "LITOKEN-2a3b4c",
    "mastodon_access_token": "MDTOKEN-5d6e7f",
    "bluesky_app_password": "BSKYPASS-8a9b0c",
}


@pytest.fixture
def stored(site):
    config = SocialSettings.for_site(site)
    for name, value in SECRETS.items():
        setattr(config, name, value)
    config.x_enabled, config.x_client_id = True, "client-id"
    config.save()
    return config


def raw_column(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM social_socialsettings")
        return cursor.fetchone()[0]


def settings_url(site) -> str:
    return reverse("wagtailsettings:edit", args=["social", "socialsettings", site.pk])


def form_data(config: SocialSettings) -> dict:
    data = {
        f.name: getattr(config, f.name)
        for f in SocialSettings._meta.fields
        if f.name not in {"id", "site", "x_token_expires_at", *SECRETS}
    }
    return {key: value for key, value in data.items() if value not in (False, None)}


def test_the_column_holds_a_fernet_token_not_the_text(stored, site):
    for name, value in SECRETS.items():
        column = raw_column(name)
        assert value not in column
        assert encryption.decrypt(column) == value
    assert SocialSettings.objects.get(site=site).x_access_token == SECRETS["x_access_token"]


def test_the_settings_form_says_set_or_not_set_and_never_renders_a_token(client, stored, site):
    stored.mastodon_access_token = ""
    stored.save()
    client.force_login(UserFactory(username="dir", groups=[django_settings.DIRECTORS_GROUP]))
    page = client.get(settings_url(site)).content.decode()
    for value in SECRETS.values():
        assert value not in page
    assert "Set. Leave blank to keep it" in page
    assert "Not set." in page
    assert 'name="x_access_token-clear"' in page
    assert 'name="mastodon_access_token-clear"' not in page


def test_blank_keeps_typed_replaces_and_clear_removes(client, stored, site):
    client.force_login(UserFactory(username="dir", groups=[django_settings.DIRECTORS_GROUP]))
    data = form_data(stored)
    data["x_access_token"] = "XACCESS-new-value"
    data["linkedin_access_token-clear"] = "1"
    response = client.post(settings_url(site), data)
    assert response.status_code == 302
    fresh = SocialSettings.objects.get(site=site)
    assert fresh.x_access_token == "XACCESS-new-value"
    assert fresh.linkedin_access_token == ""
    assert raw_column("linkedin_access_token") == ""
    for name in set(SECRETS) - {"x_access_token", "linkedin_access_token"}:
        assert getattr(fresh, name) == SECRETS[name]


def test_a_refused_form_does_not_render_the_typed_secret(client, stored, site):
    client.force_login(UserFactory(username="dir", groups=[django_settings.DIRECTORS_GROUP]))
    data = form_data(stored)
    data["x_access_token"] = "XACCESS-typed-in-a-refused-form"
    data["mastodon_template"] = "{title} {summary}"
    response = client.post(settings_url(site), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "XACCESS-typed-in-a-refused-form" not in page
    assert SECRETS["x_access_token"] not in page
    assert SocialSettings.objects.get(site=site).x_access_token == SECRETS["x_access_token"]


# Wagtail's own test of the 500 page, and signing out.
SKIP = {"/admin/failwhale/", "/admin/logout/"}


def admin_routes(patterns=None, prefix: str = "") -> list[str]:
    """Every admin URL without arguments, from the URL resolver."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if "<" in route or "(?P" in route or "^" in route.lstrip("^"):
            continue
        if isinstance(pattern, URLResolver):
            found += admin_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.lstrip("^").startswith("admin/"):
            found.append("/" + route.lstrip("^").rstrip("$"))
    return sorted(set(found) - SKIP)


def test_no_admin_page_renders_a_token(client, stored, site, home_page):
    page = StandardPageFactory(parent=home_page, title="Posted page")
    post = SocialPost.objects.create(page=page, network="x", status="failed", error="refused")
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    urls = [
        *admin_routes(),
        settings_url(site),
        reverse("wagtailsnippets_social_socialpost:list"),
        reverse("wagtailsnippets_social_socialpost:inspect", args=[post.pk]),
        reverse("wagtailsnippets_social_socialpost:retry", args=[post.pk]),
        reverse("wagtailsnippets_social_socialpost:post_now"),
        reverse("wagtailadmin_reports:site_history"),
    ]
    client.post(settings_url(site), {**form_data(stored), "hashtags": "#iln"})
    seen = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or not hasattr(response, "content"):
            continue
        seen += 1
        body = response.content.decode(errors="replace")
        for value in SECRETS.values():
            assert value not in body, f"{url} shows a token"
    assert seen > 40


def test_plain_values_stored_before_are_encrypted_by_the_migration(stored, site):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE social_socialsettings SET facebook_page_token = %s, bluesky_app_password = %s",
            ["plain-facebook-token", ""],
        )
    migration = importlib.import_module("social.migrations.0005_encrypt_stored_secrets")
    from django.apps import apps

    # The migration uses the schema editor's connection and quoting only.
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.encrypt_plain_values(apps, editor)
    assert "plain-facebook-token" not in raw_column("facebook_page_token")
    assert raw_column("bluesky_app_password") == ""
    fresh = SocialSettings.objects.get(site=site)
    assert fresh.facebook_page_token == "plain-facebook-token"
    assert fresh.x_access_token == SECRETS["x_access_token"]


def test_a_new_key_first_still_reads_the_old_and_rotation_rewrites(stored, site, settings):
    old_column = raw_column("x_access_token")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *django_settings.FIELD_ENCRYPTION_KEYS]
    assert SocialSettings.objects.get(site=site).x_access_token == SECRETS["x_access_token"]
    assert encryption.reencrypt() >= 1
    rotated = raw_column("x_access_token")
    assert rotated != old_column
    assert Fernet(new_key).decrypt(rotated.encode()).decode() == SECRETS["x_access_token"]


@pytest.mark.parametrize(
    ("key", "message"),
    [("", "FIELD_ENCRYPTION_KEY must be set"), ("not-a-key", "not a Fernet key")],
)
def test_production_refuses_to_start_without_a_valid_key(key, message):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FIELD_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="website.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        FIELD_ENCRYPTION_KEY=key,
    )
    result = manage_py(env, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_a_refresh_token_without_the_client_id_is_refused_with_a_message(client, stored, site):
    client.force_login(UserFactory(username="dir", groups=[django_settings.DIRECTORS_GROUP]))
    data = {**form_data(stored), "x_client_id": ""}
    response = client.post(settings_url(site), data)
    assert response.status_code == 200
    assert "renews the X access token only with the app&#x27;s client id" in (
        response.content.decode()
    )
    assert SECRETS["x_refresh_token"] not in response.content.decode()
