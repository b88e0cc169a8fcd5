"""The network's volunteer roles, each granting one of the project's groups (the README's
Roles table), and the documents a volunteer accepts: the code of conduct and the position
description of each of their roles."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    CONTENT_OFFICER = "content_officer", _("Content officer")
    GUEST_EDITOR = "guest_editor", _("Guest editor")
    AMBASSADOR = "ambassador", _("Country ambassador")
    SOCIAL_COORDINATOR = "social_coordinator", _("Social media coordinator")
    COMMUNICATIONS_OFFICER = "communications_officer", _("Communications officer")
    DATA_OFFICER = "data_officer", _("Data officer")


def group_name(role: str) -> str:
    """The group a role grants."""
    return {
        Role.DIRECTOR: settings.DIRECTORS_GROUP,
        Role.CONTENT_OFFICER: settings.CONTENT_OFFICERS_GROUP,
        Role.GUEST_EDITOR: settings.GUEST_EDITORS_GROUP,
        Role.AMBASSADOR: settings.AMBASSADORS_GROUP,
        Role.SOCIAL_COORDINATOR: settings.SOCIAL_COORDINATORS_GROUP,
        Role.COMMUNICATIONS_OFFICER: settings.COMMUNICATIONS_OFFICERS_GROUP,
        Role.DATA_OFFICER: settings.DATA_OFFICERS_GROUP,
    }[Role(role)]


def role_group_names() -> list[str]:
    return [group_name(role) for role in Role]


CODE_OF_CONDUCT = "code_of_conduct"


def position_document(role: str) -> str:
    return f"position:{role}"


def document_choices() -> list[tuple[str, str]]:
    choices = [(CODE_OF_CONDUCT, _("Code of conduct"))]
    for role in Role:
        choices.append((position_document(role.value), _("Position description: %s") % role.label))
    return choices


def document_label(document: str) -> str:
    return str(dict(document_choices()).get(document, document))
