"""Signed links: how participants reach their pages without a password.

A token names one application (or one list entry) and carries part of its access key, so
erasing the data, which changes the key, also kills every link sent before. Each purpose has
its own salt and lifetime: a verification link cannot open a personal page.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from mentoring.models import Application, InterestedPerson

VERIFY = "mentoring.verify-email"
PERSONAL = "mentoring.personal-page"
INTEREST_CONFIRM = "mentoring.interest-confirm"
INTEREST_UNSUBSCRIBE = "mentoring.interest-unsubscribe"
PATHWAY = "mentoring.pathway"

LIFETIMES = {
    VERIFY: timedelta(days=7),
    PERSONAL: timedelta(days=400),
    INTEREST_CONFIRM: timedelta(days=14),
    INTEREST_UNSUBSCRIBE: timedelta(days=3650),
    PATHWAY: timedelta(days=365),
}


class LinkError(Exception):
    """The link is tampered with, expired, or names something that no longer exists."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make_token(purpose: str, pk: int, key) -> str:
    return signing.dumps({"id": pk, "k": str(key)[:8]}, salt=purpose, compress=True)


def read_token(purpose: str, token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=purpose, max_age=LIFETIMES[purpose])
    except signing.SignatureExpired as error:
        raise LinkError(expired=True) from error
    except (signing.BadSignature, ValueError) as error:
        raise LinkError() from error
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise LinkError()
    return data["id"], str(data.get("k", ""))


def application_from_token(purpose: str, token: str) -> Application:
    pk, key = read_token(purpose, token)
    application = Application.objects.select_related("round", "person").filter(pk=pk).first()
    if application is None or not str(application.access_key).startswith(key) or not key:
        raise LinkError()
    return application


def interested_person_from_token(purpose: str, token: str) -> InterestedPerson:
    pk, key = read_token(purpose, token)
    person = InterestedPerson.objects.filter(pk=pk).first()
    if person is None or not key or not str(person.access_key).startswith(key):
        raise LinkError()
    return person


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def english_reverse(name: str, **kwargs) -> str:
    """Links in emails point at the English pages: the program's language."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def personal_page_url(application: Application) -> str:
    token = make_token(PERSONAL, application.pk, application.access_key)
    return absolute(english_reverse("mentoring:personal_page", token=token))


def verification_url(application: Application) -> str:
    token = make_token(VERIFY, application.pk, application.access_key)
    return absolute(english_reverse("mentoring:verify_email", token=token))


def confirmation_url(application: Application) -> str:
    token = make_token(PERSONAL, application.pk, application.access_key)
    return absolute(english_reverse("mentoring:confirm", token=token))


def interest_confirm_url(person: InterestedPerson) -> str:
    token = make_token(INTEREST_CONFIRM, person.pk, person.access_key)
    return absolute(english_reverse("mentoring:interest_confirm", token=token))


def interest_unsubscribe_url(person: InterestedPerson) -> str:
    token = make_token(INTEREST_UNSUBSCRIBE, person.pk, person.access_key)
    return absolute(english_reverse("mentoring:interest_unsubscribe", token=token))


@dataclass(frozen=True)
class PathwayInvitation:
    pathway_id: int
    code: str


def pathway_link_token(pathway) -> str:
    """A link a partner organisation sends its members; it carries the access code."""
    return signing.dumps({"p": pathway.pk, "c": pathway.code}, salt=PATHWAY)


def read_pathway_token(token: str) -> PathwayInvitation | None:
    try:
        data = signing.loads(token, salt=PATHWAY, max_age=LIFETIMES[PATHWAY])
    except (signing.BadSignature, ValueError):
        return None
    return PathwayInvitation(pathway_id=int(data["p"]), code=str(data["c"]))
