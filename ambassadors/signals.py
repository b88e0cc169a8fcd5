"""Keep groups, permissions and workflow in step with the locales, the profiles and the pages."""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail.models import Locale
from wagtail.signals import page_published

from ambassadors.models import Ambassador, PromoPage
from ambassadors.services import locales, profiles
from website.models import HomePage


@receiver(post_save, sender=Locale)
def locale_saved(sender, instance: Locale, raw: bool = False, **kwargs) -> None:
    if not raw:
        locales.set_up_locale(instance)


@receiver(post_save, sender=HomePage)
def home_page_saved(sender, instance: HomePage, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.locale.language_code != locales.ENGLISH:
        locales.set_up_locale(instance.locale)


@receiver(post_save, sender=Ambassador)
def ambassador_saved(sender, instance: Ambassador, raw: bool = False, **kwargs) -> None:
    if not raw:
        profiles.sync_groups(instance)


@receiver(pre_save, sender=PromoPage)
def refuse_turning_a_translation_into_an_alias(sender, instance: PromoPage, **kwargs) -> None:
    """An alias shows the English page as it is, without the English-only statement."""
    if kwargs.get("raw") or not instance.pk or not instance.alias_of_id or instance.is_english:
        return
    if PromoPage.objects.filter(pk=instance.pk, alias_of__isnull=True).exists():
        raise PermissionDenied(_("A translated promotional page cannot become an alias."))


@receiver(page_published, sender=PromoPage)
def promo_page_published(sender, instance: PromoPage, **kwargs) -> None:
    from ambassadors.tasks import flag_outdated_translations

    if instance.locale.language_code == locales.ENGLISH:
        flag_outdated_translations.delay_on_commit(instance.pk)
