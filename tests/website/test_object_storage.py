"""Media for many machines: with MEDIA_STORAGE=s3 the public media and the private postcard
store live in S3-compatible buckets, here a moto server started on a free local port. A
postcard's photo goes from the public form to the private bucket, is shown to a moderator
at a signed address (and to no one else), moves to the public bucket when the postcard is
published, gets its renditions there from the worker's task, and is read back from the
bucket by the social posting task. Nothing is written to this machine's disk."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from botocore.config import Config
from wagtail.images import get_image_model
from wagtail.models import WorkflowState

from campaigns.rendering import _image_html
from postcards.models import PostcardPage, SubmittedPhoto
from social.models import SocialPost, SocialSettings
from tests.conftest import manage_py
from tests.postcards.test_submissions import photo, postcard_data
from tests.website.test_deploy import example_environment
from website.factories.blog import BlogIndexPageFactory, SubmissionGuidelinesPageFactory
from website.factories.images import IllustrationFactory
from website.factories.postcards import PostcardIndexPageFactory
from website.factories.website import UserFactory
from website.settings.base import object_storages

POSTCARD_URL = "/contribute/postcard/"
KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory) -> Iterator[str]:
    """moto's standalone S3-compatible server in a process of its own, on a free port."""
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{endpoint}/moto-api/", timeout=1)
                break
            except requests.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the S3 server did not start: see {log.name}")
                time.sleep(0.2)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def buckets(s3_endpoint, settings, tmp_path, request):
    """Two fresh buckets, public media and private store, as the settings make them for
    MEDIA_STORAGE=s3; returns a boto3 client and their names."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
        **KEYS,
    )
    suffix = request.node.name.replace("_", "-")[:40].strip("-").lower()
    media, private = f"media-{suffix}", f"private-{suffix}"
    for name in (media, private):
        client.create_bucket(Bucket=name)
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_ACCESS_KEY_ID = KEYS["aws_access_key_id"]
    settings.AWS_S3_SECRET_ACCESS_KEY = KEYS["aws_secret_access_key"]
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        **object_storages(media_bucket=media, private_bucket=private, private_url_seconds=120),
    }
    # Local disk is not used at all: both folders stay missing.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    return client, media, private


def keys(client, bucket: str) -> list[str]:
    listing = client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


@pytest.fixture
def site_pages(home_page):
    BlogIndexPageFactory(parent=home_page).save_revision().publish()
    gallery = PostcardIndexPageFactory(parent=home_page)
    gallery.save_revision().publish()
    SubmissionGuidelinesPageFactory(parent=home_page).save_revision().publish()
    return gallery


@pytest.mark.django_db
def test_postcard_photo_from_upload_to_moderation_to_publication_to_social_post(
    client,
    buckets,
    site_pages,
    networks,
    site,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    s3, media, private = buckets
    settings.SOCIAL_AUTOPOST_PAGE_TYPES = ["postcards.PostcardPage"]
    config = SocialSettings.for_site(site)
    config.mastodon_enabled, config.mastodon_url = True, networks.url
    config.mastodon_access_token = "md-token"
    config.save()

    # Upload: the cleaned photo is in the private bucket, nothing in the public one.
    response = client.post(
        POSTCARD_URL,
        {**postcard_data(), "photo_1": photo("a.jpg"), "description_1": "A reading room"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = SubmittedPhoto.objects.get()
    assert keys(s3, private) == [f"private/{stored.file.name}"]
    assert keys(s3, media) == []
    grants = s3.get_object_acl(Bucket=private, Key=f"private/{stored.file.name}")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner alone
    sent = s3.get_object(Bucket=private, Key=f"private/{stored.file.name}")["Body"].read()
    assert sent[:2] == b"\xff\xd8"

    # Moderation: a signed, short-lived address for a moderator; nothing for anyone else.
    photo_url = f"/contribute/photos/{stored.pk}/"
    assert client.get(photo_url).status_code == 404
    client.force_login(UserFactory(username="stranger"))
    assert client.get(photo_url).status_code == 403
    client.force_login(UserFactory(username="officer", groups=["Content officers"]))
    shown = client.get(photo_url)
    assert shown.status_code == 302
    assert "no-store" in shown["Cache-Control"]
    signed = shown["Location"]
    query = parse_qs(urlsplit(signed).query)
    assert signed.startswith(f"{s3.meta.endpoint_url}/{private}/private/")
    assert query["X-Amz-Expires"] == ["120"] and "X-Amz-Signature" in query
    assert requests.get(signed, timeout=10).content == sent
    client.logout()

    # Publication: the photo moves to the public bucket, its renditions are made there by
    # the worker's task, and the social post is sent with the image read from the bucket.
    page = PostcardPage.objects.get()
    editor = UserFactory(username="editor", groups=["Guest editors"])
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, editor, "approve")
    page.refresh_from_db()
    assert page.live
    stored.refresh_from_db()
    assert not stored.file and stored.image_id
    assert keys(s3, private) == []
    image = get_image_model().objects.get(pk=stored.image_id)
    public = keys(s3, media)
    assert f"media/{image.file.name}" in public
    renditions = image.renditions.all()
    assert renditions.count() >= 20
    assert all(f"media/{r.file.name}" in public for r in renditions)

    gallery_html = client.get(site_pages.url).content.decode()
    assert "Valparaíso" in gallery_html
    assert f"{s3.meta.endpoint_url}/{media}/media/images/" in gallery_html
    assert 'type="image/webp"' in gallery_html

    post = SocialPost.objects.get(page=page, network="mastodon")
    assert post.status == SocialPost.Status.POSTED, post.error
    uploads = [r for r in networks.requests if r.path.split("?")[0] == "/api/v2/media"]
    assert len(uploads) == 1
    social_rendition = image.renditions.get(filter_spec="max-1200x1200|format-jpeg|jpegquality-80")
    in_bucket = s3.get_object(Bucket=media, Key=f"media/{social_rendition.file.name}")["Body"]
    assert in_bucket.read() in uploads[0].body

    assert not (tmp_path / "media").exists()
    assert not (tmp_path / "private-media").exists()


@pytest.mark.django_db
def test_an_image_uploaded_in_the_admin_is_stored_and_rendered_in_the_bucket(
    client, buckets, django_capture_on_commit_callbacks, tmp_path
):
    s3, media, _private = buckets
    with django_capture_on_commit_callbacks(execute=True):
        image = IllustrationFactory(title="Reading room")
    public = keys(s3, media)
    assert f"media/{image.file.name}" in public
    assert image.renditions.count() >= 20
    assert image.file.url.startswith(f"{s3.meta.endpoint_url}/{media}/media/original_images/")
    # A campaign email links its image at the bucket's absolute address.
    html = _image_html(image, "Reading room")
    assert f'src="{s3.meta.endpoint_url}/{media}/media/images/' in html
    assert not (tmp_path / "media").exists()


def production_environment(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(example_environment())
    env.update(DJANGO_SETTINGS_MODULE="website.settings.production", **overrides)
    return env


def test_production_settings_with_object_storage_pass_check_deploy():
    env = production_environment(MEDIA_STORAGE="s3")
    script = (
        "from django.conf import settings; from django.core.files.storage import storages; "
        "print(type(storages['default']).__name__, storages['private'].querystring_auth, "
        "storages['private'].querystring_expire, storages['default'].querystring_auth, "
        "'https://s3.example.org' in settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    result = manage_py(env, "shell", "-c", script)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split()[-5:] == ["S3Storage", "True", "300", "False", "True"]
    result = manage_py(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_object_storage_without_its_private_bucket_refuses_to_start():
    result = manage_py(production_environment(MEDIA_STORAGE="s3", S3_PRIVATE_BUCKET=""), "check")
    assert result.returncode != 0
    assert "S3_PRIVATE_BUCKET" in result.stderr
    result = manage_py(production_environment(MEDIA_STORAGE="ftp"), "check")
    assert result.returncode != 0 and "MEDIA_STORAGE" in result.stderr
