"""The expression-of-interest list: double opt-in, unsubscribe, and the notice sent to
everyone on it when a round opens (once per person and round)."""

from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone

from mentoring import links
from mentoring.models import InterestedPerson, Round
from mentoring.normalise import normalise_email
from website.outbox import queue_email


def join_list(name: str, email: str, country: str) -> InterestedPerson:
    """Add someone (or refresh their entry) and ask them to confirm their address."""
    normalised = normalise_email(email)
    with transaction.atomic():
        person = (
            InterestedPerson.objects.select_for_update().filter(email_normalised=normalised).first()
        )
        if person is None:
            try:
                with transaction.atomic():
                    person = InterestedPerson.objects.create(
                        name=name, email=email, country=country
                    )
            except IntegrityError:
                person = InterestedPerson.objects.get(email_normalised=normalised)
        else:
            person.name, person.email, person.country = name, email, country
            person.unsubscribed_at = None
            person.save()
        if not person.confirmed_at:
            day = timezone.now().strftime("%Y%m%d")
            queue_email(
                f"interest-confirm:{person.pk}:{day}",
                person.email,
                "interest_confirm",
                {"name": person.name, "confirm_url": links.interest_confirm_url(person)},
            )
    return person


def confirm(person: InterestedPerson) -> None:
    InterestedPerson.objects.filter(pk=person.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    InterestedPerson.objects.filter(pk=person.pk).update(unsubscribed_at=None)


def unsubscribe(person: InterestedPerson) -> None:
    InterestedPerson.objects.filter(pk=person.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )


def notify_round_open(round: Round) -> None:
    """Email everyone confirmed on the list that applications are open. The outbox key makes
    this once per person and round however often it runs."""
    from mentoring.links import absolute, english_reverse

    apply_url = absolute(english_reverse("mentoring:apply"))
    people = InterestedPerson.objects.filter(
        confirmed_at__isnull=False,
        unsubscribed_at__isnull=True,
        created_at__lt=round.application_closes_at,
    )
    for person in people.iterator():
        queue_email(
            f"round-open:{round.pk}:interest:{person.pk}",
            person.email,
            "interest_round_open",
            {
                "name": person.name,
                "round": round.name,
                "closes": dateformat.format(
                    timezone.localtime(round.application_closes_at), "j F Y"
                ),
                "apply_url": apply_url,
                "unsubscribe_url": links.interest_unsubscribe_url(person),
            },
            bulk=True,
        )
