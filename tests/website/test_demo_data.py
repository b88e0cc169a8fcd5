"""`load_demo_data` builds the demo site and can be run again without duplicating anything."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from social.models import SocialPost
from website.models import NavigationSettings
from website.renditions import missing_filters, public_filters


@pytest.mark.django_db
def test_demo_builds_the_site_and_is_safe_to_rerun(settings, client, site):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    pages = Page.objects.count()
    users = get_user_model().objects.count()
    call_command("load_demo_data", stdout=io.StringIO())
    assert Page.objects.count() == pages
    assert get_user_model().objects.count() == users
    assert sorted(SocialPost.objects.values_list("network", "status")) == [
        ("bluesky", "skipped"),
        ("mastodon", "failed"),
        ("x", "in_doubt"),
    ]
    settings.DEBUG = False

    assert "make run" in out.getvalue()
    # Media for many machines (#17): the demo ends with every public rendition made.
    assert "Renditions:" in out.getvalue()
    images = get_image_model().objects.all()
    assert images and all(missing_filters(image, public_filters()) == [] for image in images)
    for path in [
        "/",
        "/about/",
        "/how-it-works/",
        "/faq/",
        "/code-of-conduct/",
        "/es/",
        "/es/como-funciona/",
    ]:
        assert client.get(path).status_code == 200, path
    assert len(NavigationSettings.for_site(site).primary_links) == 4
    director = get_user_model().objects.get(username="director")
    assert director.groups.filter(name=settings.DIRECTORS_GROUP).exists()


@pytest.mark.django_db
def test_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo_data", stdout=io.StringIO())
