"""Webhook authentication: a provider's events and inbound mail change the suppression list
and settle messages, so in production a provider configured without the means to prove
that a webhook came from it is an error, and the handlers ignore what such a webhook says."""

from django.conf import settings
from django.core.checks import Error, register


def webhook_secret() -> str:
    secret = (getattr(settings, "ANYMAIL", None) or {}).get("WEBHOOK_SECRET") or ""
    return secret if isinstance(secret, str) else ",".join(secret)


def signing_key_setting(esp: str) -> str:
    name = settings.ANYMAIL_SIGNING_KEY_NAMES.get(esp, "")
    return f"{esp.upper()}_{name}" if name else ""


def missing_webhook_authentication(esp: str) -> list[str]:
    """What the provider's webhooks lack to be trusted: the basic-auth secret every
    provider's webhook sends, and the signing key of the providers that sign."""
    missing = []
    if ":" not in webhook_secret():
        missing.append("ANYMAIL_WEBHOOK_SECRET")
    setting = signing_key_setting(esp)
    if setting and not (getattr(settings, "ANYMAIL", None) or {}).get(setting):
        missing.append("ANYMAIL_WEBHOOK_SIGNING_KEY")
    return missing


def webhooks_authenticated() -> bool:
    """Whether anymail checked the webhook that is being handled: it does whenever the
    basic-auth secret is set (and the signature, for the providers that sign)."""
    return ":" in webhook_secret()


@register()
def check_webhook_authentication(app_configs=None, **kwargs) -> list[Error]:
    esp = getattr(settings, "ANYMAIL_ESP", "")
    if not esp or not getattr(settings, "EMAIL_WEBHOOK_AUTH_REQUIRED", False):
        return []
    missing = missing_webhook_authentication(esp)
    if not missing:
        return []
    return [
        Error(
            f"The email provider {esp!r} is configured but its webhooks are not "
            f"authenticated: {' and '.join(missing)} must be set.",
            hint="Anyone could otherwise post forged delivery events and unsubscribe "
            "requests. Set ANYMAIL_WEBHOOK_SECRET to 'user:password' (and give the same in "
            "the provider's webhook URL) and, for providers that sign their webhooks, "
            "ANYMAIL_WEBHOOK_SIGNING_KEY.",
            id="campaigns.E001",
        )
    ]
