"""Secrets kept in the database: encrypted at rest, write-only in the admin.

`EncryptedTextField` stores a Fernet token made with the first key of
`settings.FIELD_ENCRYPTION_KEYS` and reads it with any of them (MultiFernet), so a key is
rotated by putting a new key first, running `manage.py rotate_field_encryption` and then
dropping the old key.

`SecretField` is an encrypted field whose admin form never renders the stored value: it
shows whether one is set, a blank input keeps it, a typed one replaces it and the "clear"
box removes it.
"""

import logging
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

logger = logging.getLogger(__name__)


def check_keys(keys: list[str]) -> None:
    """Raise ImproperlyConfigured unless there is a key and every key is a Fernet key."""
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set.")
    for key in keys:
        try:
            Fernet(key)
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEY holds a value that is not a Fernet key."
            ) from error


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    check_keys(list(keys))
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or ()))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; an empty value is stored empty. It cannot be
    searched or filtered on."""

    def from_db_value(self, value: str | None, expression, connection) -> str | None:
        if not value:
            return value
        try:
            return decrypt(value)
        except InvalidToken:
            logger.error(
                "%s.%s cannot be decrypted with the configured FIELD_ENCRYPTION_KEY; "
                "it reads as empty until the key that made it is configured again.",
                self.model._meta.label,
                self.name,
            )
            return ""

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)


class Keep:
    """The form's answer when nothing was typed and "clear" is not ticked."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


class SecretInput(forms.Widget):
    """A password input that is always empty, the stored value's state ("set" or "not
    set") and a box to clear it."""

    template_name = "website/widgets/secret_input.html"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"autocomplete": "new-password", **(attrs or {})})

    def format_value(self, value: Any) -> None:
        return None

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, None, attrs)
        context["widget"]["is_set"] = bool(value) and value is not KEEP
        context["widget"]["clear_name"] = f"{name}-clear"
        return context

    def value_from_datadict(self, data, files, name: str) -> Any:
        if data.get(f"{name}-clear"):
            return ""
        typed = (data.get(name) or "").strip()
        return typed or KEEP

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and f"{name}-clear" not in data


class SecretFormField(forms.CharField):
    widget = SecretInput

    def __init__(self, **kwargs) -> None:
        kwargs["widget"] = SecretInput
        kwargs["required"] = False
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        return KEEP if value is KEEP else super().clean(value)

    def bound_data(self, data: Any, initial: Any) -> Any:
        # The widget shows the stored value's state, never what was typed.
        return initial

    def has_changed(self, initial: Any, data: Any) -> bool:
        return data is not KEEP and (data or "") != (initial or "")


class SecretField(EncryptedTextField):
    """An encrypted credential that the admin can set, replace or clear, never read."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs) -> forms.Field:
        kwargs["form_class"] = SecretFormField
        kwargs.pop("widget", None)
        return super().formfield(**kwargs)

    def save_form_data(self, instance: models.Model, data: Any) -> None:
        if data is not KEEP:
            super().save_form_data(instance, data)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found


def reencrypt() -> int:
    """Encrypt every stored secret again with the first key; returns the rows rewritten."""
    rewritten = 0
    for model, names in encrypted_fields():
        for row in model._base_manager.only("pk", *names):
            values = {name: getattr(row, name) for name in names}
            model._base_manager.filter(pk=row.pk).update(**values)
            rewritten += 1
    return rewritten
