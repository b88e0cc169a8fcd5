"""Signed links: one purpose each, expiring, and dead once the data is erased."""

from datetime import timedelta

import pytest

from mentoring import links
from mentoring.services.participants import erase_personal_data
from website.factories.mentoring import ApplicationFactory


@pytest.mark.django_db
def test_a_link_opens_its_own_application_only():
    application = ApplicationFactory()
    token = links.make_token(links.PERSONAL, application.pk, application.access_key)
    assert links.application_from_token(links.PERSONAL, token) == application
    with pytest.raises(links.LinkError):
        links.application_from_token(links.VERIFY, token)


@pytest.mark.django_db
def test_tampered_links_are_refused():
    application = ApplicationFactory()
    other = ApplicationFactory(country="KE")
    token = links.make_token(links.PERSONAL, application.pk, application.access_key)
    with pytest.raises(links.LinkError) as error:
        links.application_from_token(links.PERSONAL, token[:-2] + "xx")
    assert not error.value.expired
    forged = links.make_token(links.PERSONAL, other.pk, application.access_key)
    with pytest.raises(links.LinkError):
        links.application_from_token(links.PERSONAL, forged)


@pytest.mark.django_db
def test_expired_links_say_so(monkeypatch):
    application = ApplicationFactory()
    token = links.make_token(links.VERIFY, application.pk, application.access_key)
    monkeypatch.setitem(links.LIFETIMES, links.VERIFY, timedelta(seconds=-1))
    with pytest.raises(links.LinkError) as error:
        links.application_from_token(links.VERIFY, token)
    assert error.value.expired


@pytest.mark.django_db
def test_erasure_kills_old_links():
    application = ApplicationFactory()
    token = links.make_token(links.PERSONAL, application.pk, application.access_key)
    erase_personal_data(application)
    with pytest.raises(links.LinkError):
        links.application_from_token(links.PERSONAL, token)
