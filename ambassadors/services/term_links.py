"""The signed recommit-or-resign link of a 12-month term, for any model with a term end: an
ambassador's profile (ambassadors.services.terms) and a volunteer's record
(volunteers.services.terms). A month before a term ends its holder gets one email with a
link bound to the term it was sent for, so it works once; acting on it re-checks the term
under a row lock, so the same link sent twice at once extends the term once."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse

from website.outbox import queue_email

REMINDER_DAYS_BEFORE_END = 30
LINK_MAX_AGE = timedelta(days=REMINDER_DAYS_BEFORE_END + 30)


class TermLinkError(Exception):
    """The link is damaged ("invalid"), too old ("expired"), or for a term that is already
    settled ("settled")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TermLinks:
    """The links of one kind of term holder.

    model: whose term; key: the id's name in the signed data; salt: the signature's salt;
    url_name: the page the link opens; is_settled: whether the holder has left (resigned)."""

    model: type[models.Model]
    key: str
    salt: str
    url_name: str
    is_settled: Callable[[Any], bool]

    def make_token(self, holder) -> str:
        return signing.dumps(
            {self.key: holder.pk, "t": holder.term_ends_on.isoformat()}, salt=self.salt
        )

    def link(self, holder) -> str:
        return settings.BASE_URL + reverse(self.url_name, args=[self.make_token(holder)])

    def read(self, token: str, queryset: models.QuerySet | None = None):
        try:
            data = signing.loads(token, salt=self.salt, max_age=LINK_MAX_AGE)
        except signing.SignatureExpired as error:
            raise TermLinkError("expired") from error
        except signing.BadSignature as error:
            raise TermLinkError("invalid") from error
        queryset = queryset if queryset is not None else self.model.objects.all()
        holder = queryset.filter(pk=data.get(self.key)).first()
        if holder is None:
            raise TermLinkError("invalid")
        if self.is_settled(holder) or holder.term_ends_on.isoformat() != data.get("t"):
            raise TermLinkError("settled")
        return holder

    def lock_unchanged(self, holder, queryset: models.QuerySet | None = None):
        """The holder's row, locked (inside a transaction), if its term is still the one the
        link was read for; otherwise "settled"."""
        queryset = queryset if queryset is not None else self.model.objects.all()
        locked = queryset.select_for_update().get(pk=holder.pk)
        if self.is_settled(locked) or locked.term_ends_on != holder.term_ends_on:
            raise TermLinkError("settled")
        return locked

    def queue_reminders(
        self, holders, *, key: str, to: Callable[[Any], str], template: str, context
    ) -> int:
        """Queue each holder's reminder once per term (the outbox key names the term)."""
        count = 0
        for holder in holders:
            queue_email(
                f"{key}:{holder.pk}:{holder.term_ends_on.isoformat()}",
                to(holder),
                template,
                {**context(holder), "link": self.link(holder)},
            )
            count += 1
        return count
