"""The marketing kit, sent once to each ambassador when a round's applications open, and the
figures each ambassador sees for their countries (counts only)."""

import pytest
from django.core import mail

from ambassadors.services import figures, marketing
from mentoring.models import Application
from tests.ambassadors.test_promo_pages import STATEMENT_ES
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_kit_goes_once_with_the_pages_in_the_ambassadors_languages(
    promo, locales, spanish_ambassador, french_ambassador, django_capture_on_commit_callbacks
):
    spanish = promo.copy_for_translation(locales["es"]).specific
    spanish.title = "Únete a la próxima ronda"
    spanish.short_text = "Texto breve en español."
    spanish.english_only_statement = STATEMENT_ES
    spanish.save_revision().publish()

    with django_capture_on_commit_callbacks(execute=True):
        assert marketing.send_marketing_kits() == 2
    with django_capture_on_commit_callbacks(execute=True):
        marketing.send_marketing_kits()
    kits = OutboundEmail.objects.filter(template="marketing_kit")
    assert sorted(kit.to for kit in kits) == sorted(
        [spanish_ambassador.email, french_ambassador.email]
    )
    assert len(mail.outbox) == 2
    to_lucia = next(m for m in mail.outbox if m.to == [spanish_ambassador.email])
    assert "Texto breve en español." in to_lucia.body
    assert STATEMENT_ES in to_lucia.body
    assert promo.short_text in to_lucia.body
    assert promo.round.name in to_lucia.subject
    to_amadou = next(m for m in mail.outbox if m.to == [french_ambassador.email])
    assert "Texto breve" not in to_amadou.body
    assert "Not yet translated into French" in to_amadou.body


def test_no_kit_before_the_english_page_is_published(directory, spanish_ambassador):
    from website.factories.ambassadors import PromoPageFactory

    PromoPageFactory(parent=directory, live=False)
    assert marketing.send_marketing_kits() == 0
    assert not OutboundEmail.objects.exists()


def application(round_, country: str, status: str, n: int) -> Application:
    from django.utils import timezone

    from mentoring.models import Person

    email = f"person{n}@example.net"
    person = Person.objects.create(email_normalised=email)
    now = timezone.now()
    return Application.objects.create(
        round=round_,
        person=person,
        name=f"Person {n}",
        email=email,
        email_normalised=email,
        country=country,
        status=status,
        sector="public",
        role="Librarian",
        career_stage="early",
        years_experience=3,
        agreed_code_of_conduct_at=now,
        agreed_requirements_at=now,
        consent_version="1",
    )


def test_figures_count_applicants_and_participants(promo, spanish_ambassador):
    round_ = promo.round
    matched = Application.Status.MATCHED
    for n, (country, status) in enumerate(
        [("MX", matched), ("MX", "verified"), ("CO", matched), ("SN", matched)]
    ):
        application(round_, country, status, n)
    rows = figures.figures_for(spanish_ambassador.country_codes)
    assert {(row.country, row.applicants, row.participants) for row in rows} == {
        ("Colombia", 1, 1),
        ("Mexico", 2, 1),
    }


def test_dashboard_figures_show_no_personal_data(client, promo, spanish_ambassador):
    application(promo.round, "MX", Application.Status.MATCHED, 1)
    client.force_login(spanish_ambassador.user)
    body = client.get("/admin/").content.decode()
    assert "Your countries in figures" in body
    assert "Mexico" in body
    assert "person1@example.net" not in body and "Person 1" not in body
