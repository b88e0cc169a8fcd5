"""Languages an ambassador may speak: Django's list of languages, named in the reader's
language."""

from django.conf import global_settings
from django.utils.translation import get_language_info, gettext


def language_choices() -> list[tuple[str, str]]:
    """Every language Django knows, as (code, name in the current language), by name."""
    choices = [(code, gettext(name)) for code, name in global_settings.LANGUAGES]
    return sorted(choices, key=lambda choice: choice[1].casefold())


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code
