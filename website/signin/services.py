"""The second factor of a volunteer: enrolment of an authenticator app (TOTP), single-use
recovery codes, and checking a code. Views call these; nothing here knows about requests."""

import secrets
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from website.models import User

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Letters and digits that cannot be mistaken for one another when read off paper.
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10


class SignInError(Exception):
    """A refusal the person signing in can act on; its message is translated."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


class InvalidCode(SignInError):
    def __init__(self) -> None:
        super().__init__(_("That code is not valid. Check the time on your device and try again."))


class CodeTooSoon(SignInError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "That code is not valid, or came too soon after a wrong one. "
                "Wait a few seconds and try again."
            )
        )


def second_factor_required(user: User) -> bool:
    """Superusers and the groups of SIGNIN_SECOND_FACTOR_GROUPS must sign in with two factors."""
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.SIGNIN_SECOND_FACTOR_GROUPS).exists()


def has_second_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def app_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def start_enrolment(user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user (an earlier unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def pending_enrolment(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def confirm_enrolment(user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code it shows; it replaces any earlier one.
    Returns the device and a fresh set of recovery codes (to be shown once)."""
    device = pending_enrolment(user)
    if device is None or not device.verify_token(normalise(token)):
        raise InvalidCode
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [
        "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(settings.SIGNIN_RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(user: User, token: str) -> Device:
    """The device that accepts the code (an authenticator's current code or an unused
    recovery code, which is then used up)."""
    token = normalise(token)
    throttled = False
    if token:
        with transaction.atomic():
            for device in devices_for_user(user, confirmed=True, for_verify=True):
                throttled = throttled or not device.verify_is_allowed()[0]
                if device.verify_token(token):
                    return device
    raise CodeTooSoon if throttled else InvalidCode


def normalise(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code (drawn here, no other host)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, dark="#000")


def readable_key(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
