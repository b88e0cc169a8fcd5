"""Promotional pages: the English-only rule, the per-locale permissions of ambassadors, the
translation review workflow, and the flag on translations whose English source changed."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import Locale, Page, Workflow

from ambassadors.models import PromoPage
from ambassadors.services import translations
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db

STATEMENT_ES = "El programa se desarrolla únicamente en inglés."


def spanish_draft(promo, locales, ambassador) -> PromoPage:
    return translations.translate_page(ambassador.user, promo, locales["es"])


def edit_data(page: PromoPage, **changes) -> dict:
    data = {
        "title": page.title,
        "slug": page.slug,
        "round": page.round_id,
        "english_only_statement": page.english_only_statement,
        "short_text": page.short_text,
        "long_text": page.long_text,
        "seo_title": "",
        "search_description": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_publishing_a_translation_without_the_statement_fails(promo, locales):
    spanish = promo.copy_for_translation(locales["es"]).specific
    spanish.title = "Únete a la próxima ronda"
    revision = spanish.save_revision()
    with pytest.raises(ValidationError) as error:
        revision.publish()
    assert "english_only_statement" in error.value.message_dict
    assert "únicamente en inglés" in str(error.value)
    spanish.refresh_from_db()
    assert not spanish.live


def test_publishing_a_translation_with_the_statement_passes(promo, locales):
    spanish = promo.copy_for_translation(locales["es"]).specific
    spanish.english_only_statement = STATEMENT_ES
    spanish.save_revision().publish()
    spanish.refresh_from_db()
    assert spanish.live


def test_the_english_page_needs_no_statement(promo):
    assert promo.live
    assert promo.english_only_statement == ""


def test_spanish_ambassador_translates_into_spanish_only(promo, locales, spanish_ambassador):
    user = spanish_ambassador.user
    assert translations.can_translate(user, promo, locales["es"])
    assert not translations.can_translate(user, promo, locales["fr"])
    spanish = spanish_draft(promo, locales, spanish_ambassador)
    assert spanish.locale == locales["es"]
    assert not spanish.live
    assert spanish.get_parent().locale == locales["es"]

    client = Client()
    client.force_login(user)
    response = client.post(f"/admin/ambassadors/translate/{promo.pk}/fr/", follow=True)
    assert "only into your own languages" in response.content.decode()
    assert promo.get_translation_or_none(locales["fr"]) is None


def test_spanish_ambassador_edits_spanish_not_french_and_cannot_publish(
    promo, locales, spanish_ambassador, director
):
    spanish = spanish_draft(promo, locales, spanish_ambassador)
    french = translations.translate_page(director, promo, locales["fr"])
    user = spanish_ambassador.user

    spanish_perms = spanish.permissions_for_user(user)
    assert spanish_perms.can_edit()
    assert not spanish_perms.can_publish()
    assert not french.permissions_for_user(user).can_edit()
    assert not promo.permissions_for_user(user).can_edit()

    client = Client()
    client.force_login(user)
    assert client.get(f"/admin/pages/{spanish.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{french.pk}/edit/").status_code in {302, 403}
    assert client.get(f"/admin/pages/{promo.pk}/edit/").status_code in {302, 403}

    data = edit_data(spanish, english_only_statement=STATEMENT_ES, **{"action-publish": "1"})
    client.post(f"/admin/pages/{spanish.pk}/edit/", data)
    spanish.refresh_from_db()
    assert not spanish.live


def test_ambassador_cannot_see_applicants_personal_data(spanish_ambassador):
    user = spanish_ambassador.user
    for action in ["view", "change", "add", "delete"]:
        assert not user.has_perm(f"mentoring.{action}_application")
        assert not user.has_perm(f"mentoring.{action}_person")


def test_submitting_without_the_statement_is_refused_then_the_director_approves(
    promo, locales, spanish_ambassador, director
):
    spanish = spanish_draft(promo, locales, spanish_ambassador)
    assert spanish.get_workflow() == Workflow.objects.get(name="Translation review")
    client = Client()
    client.force_login(spanish_ambassador.user)
    url = f"/admin/pages/{spanish.pk}/edit/"

    draft = client.post(url, edit_data(spanish, title="Únete a la próxima ronda"))
    assert draft.status_code == 302

    refused = client.post(
        url, edit_data(spanish, title="Únete a la próxima ronda", **{"action-submit": "1"})
    )
    assert refused.status_code == 200
    assert "must say that the program is conducted in English only" in refused.content.decode()
    spanish.refresh_from_db()
    assert not spanish.workflow_in_progress

    submitted = client.post(
        url,
        edit_data(
            spanish,
            title="Únete a la próxima ronda",
            english_only_statement=STATEMENT_ES,
            **{"action-submit": "1"},
        ),
    )
    assert submitted.status_code == 302
    spanish.refresh_from_db()
    assert spanish.workflow_in_progress
    assert not spanish.live

    state = spanish.current_workflow_state
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(spanish, spanish_ambassador.user) == []
    task.on_action(task_state, director, "approve")
    spanish.refresh_from_db()
    assert spanish.live
    assert spanish.english_only_statement == STATEMENT_ES


def test_english_changes_flag_the_translation_once(
    promo, locales, spanish_ambassador, french_ambassador, django_capture_on_commit_callbacks
):
    spanish = spanish_draft(promo, locales, spanish_ambassador)
    spanish.english_only_statement = STATEMENT_ES
    spanish.save_revision().publish()
    assert not translations.is_outdated(spanish, promo)

    promo.refresh_from_db()
    promo.short_text = "New dates for the round."
    with django_capture_on_commit_callbacks(execute=True):
        promo.save_revision().publish()
    spanish = Page.objects.get(pk=spanish.pk).specific
    promo.refresh_from_db()
    assert translations.is_outdated(spanish, promo)
    emails = OutboundEmail.objects.filter(template="translation_outdated")
    assert [email.to for email in emails] == [spanish_ambassador.email]
    assert translations.flag_outdated(promo) == 1
    assert emails.count() == 1

    rows = translations.translation_rows(spanish_ambassador.user, spanish_ambassador)
    assert [(row.locale.language_code, row.status) for row in rows] == [("es", "outdated")]


def test_dashboard_shows_the_ambassador_panel(client, promo, locales, spanish_ambassador):
    client.force_login(spanish_ambassador.user)
    body = client.get("/admin/").content.decode()
    assert "Your work as an ambassador" in body
    assert f"/admin/ambassadors/translate/{promo.pk}/es/" in body
    assert f"/admin/ambassadors/translate/{promo.pk}/fr/" not in body


def test_locale_roots_get_the_review_workflow(locales):
    workflow = Workflow.objects.get(name="Translation review")
    for code in ["es", "fr", "pt", "ar"]:
        root = Page.objects.get(depth=2, locale=Locale.objects.get(language_code=code))
        assert root.get_workflow() == workflow
    english_root = Page.objects.get(depth=2, locale=locales["en"])
    assert english_root.get_workflow().name == "Editorial review"


def test_a_translation_cannot_become_an_alias(client, promo, locales, spanish_ambassador):
    spanish = spanish_draft(promo, locales, spanish_ambassador)
    client.force_login(spanish_ambassador.user)
    edit = client.get(f"/admin/pages/{spanish.pk}/edit/").content.decode()
    assert "localize-convert-to-alias" not in edit
    assert "localize-restart-translation" not in edit
    response = client.post(f"/admin/localize/page/{spanish.pk}/convert_to_alias/")
    assert response.status_code in {302, 403}
    spanish.refresh_from_db()
    assert spanish.alias_of_id is None
