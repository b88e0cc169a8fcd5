"""A running round with Ana and Kofi partnered (and introduced), directors to read
complaints, and the private store in a temporary folder."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import timezone

from mentoring import links
from mentoring.models import Application, Partnership, Round
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.factories.website import UserFactory

RUNNING_DAYS_AGO = 60


@dataclass
class Pair:
    round: Round
    ana: Application
    kofi: Application
    partnership: Partnership


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def pair(db) -> Pair:
    round_ = RoundFactory(name="Round 9", opened_days_ago=RUNNING_DAYS_AGO)
    partnership = Partnership.objects.create(round=round_, score=80, published_at=timezone.now())
    ana = ApplicationFactory(
        round=round_,
        name="Ana Lima",
        email="ana.lima@example.org",
        status=Application.Status.MATCHED,
        partnership=partnership,
        country="BR",
    )
    kofi = ApplicationFactory(
        round=round_,
        name="Kofi Mensah",
        email="Kofi.Mensah@example.org",
        status=Application.Status.MATCHED,
        partnership=partnership,
        country="GH",
    )
    return Pair(round_, ana, kofi, partnership)


@pytest.fixture
def director(db):
    return UserFactory(username="dora", email="dora@example.org", groups=[settings.DIRECTORS_GROUP])


@pytest.fixture
def second_director(db):
    return UserFactory(
        username="dmitri", email="dmitri@example.org", groups=[settings.DIRECTORS_GROUP]
    )


def page_token(application: Application) -> str:
    return links.make_token(links.PERSONAL, application.pk, application.access_key)
