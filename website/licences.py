"""The Creative Commons licences content can carry. Every page and submission names one."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Licence:
    code: str
    name: str
    url: str


LICENCES = [
    Licence("cc-by-4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    Licence("cc-by-sa-4.0", "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    Licence("cc-by-nc-4.0", "CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    Licence(
        "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    ),
    Licence("cc-by-nd-4.0", "CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
    Licence(
        "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    ),
    Licence("cc0-1.0", "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
]
DEFAULT_LICENCE = "cc-by-4.0"
LICENCE_CHOICES = [(licence.code, licence.name) for licence in LICENCES]
LICENCE_HELP_TEXT = _("The Creative Commons licence the content is published under.")


def get_licence(code: str) -> Licence:
    """The licence with this code, or the default one for an unknown code."""
    by_code = {licence.code: licence for licence in LICENCES}
    return by_code.get(code, by_code[DEFAULT_LICENCE])
