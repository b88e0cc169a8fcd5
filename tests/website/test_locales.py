"""The locale table from the shared cache: Wagtail's and the site's locale lookups cost no
query once it is read, and a locale added or removed is seen at once, even one added where
no signal is sent (a data migration)."""

import pytest
from django.utils import translation
from wagtail.models import Locale

from website import locales

pytestmark = pytest.mark.django_db


def test_locale_lookups_cost_no_query_once_the_table_is_read(django_assert_num_queries):
    locales.table()
    with django_assert_num_queries(0), translation.override("en"):
        assert Locale.get_default().language_code == "en"
        assert Locale.get_active().language_code == "en"
        assert locales.active_locale().language_code == "en"


def test_a_new_locale_is_seen_at_once_by_every_process():
    locales.table()
    Locale.objects.create(language_code="fr")
    locales.forget()  # another process: only the shared cache is left
    with translation.override("fr"):
        assert Locale.get_active().language_code == "fr"
    Locale.objects.get(language_code="fr").delete()
    locales.forget()
    with translation.override("fr"):
        assert Locale.get_active().language_code == "en"


def test_a_locale_added_without_a_signal_is_found_in_the_database():
    locales.table()
    Locale.objects.bulk_create([Locale(language_code="pt")])
    with translation.override("pt"):
        assert Locale.get_active().language_code == "pt"
