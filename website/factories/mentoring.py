"""Factories for rounds, applications and the interest list."""

from datetime import timedelta

import factory
from django.utils import timezone

from mentoring.models import Application, InterestedPerson, Person, Round


class RoundFactory(factory.django.DjangoModelFactory):
    """A round whose applications opened `opened_days_ago` days ago (negative: in the
    future); the other dates follow the usual rhythm."""

    class Meta:
        model = Round

    class Params:
        opened_days_ago = 7

    name = factory.Sequence(lambda n: f"Round {n + 1}")
    slug = factory.Sequence(lambda n: f"round-{n + 1}")
    application_opens_at = factory.LazyAttribute(
        lambda o: timezone.now() - timedelta(days=o.opened_days_ago)
    )
    application_closes_at = factory.LazyAttribute(
        lambda o: o.application_opens_at + timedelta(days=21)
    )
    confirmation_deadline = factory.LazyAttribute(
        lambda o: o.application_closes_at + timedelta(days=10)
    )
    matching_date = factory.LazyAttribute(lambda o: o.confirmation_deadline + timedelta(days=3))
    starts_on = factory.LazyAttribute(lambda o: (o.matching_date + timedelta(days=7)).date())
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=120))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    round = factory.SubFactory(RoundFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"applicant{n}@example.org")
    person = factory.LazyAttribute(
        lambda o: Person.objects.get_or_create(email_normalised=o.email.lower())[0]
    )
    status = Application.Status.VERIFIED
    country = "AU"
    city = factory.Faker("city")
    sector = "public"
    role = "Branch librarian"
    career_stage = "mid"
    years_experience = 8
    agreed_code_of_conduct_at = factory.LazyFunction(timezone.now)
    agreed_requirements_at = factory.LazyFunction(timezone.now)
    consent_version = "coc:1.1;req:2.1"
    verified_at = factory.LazyFunction(timezone.now)


class InterestedPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterestedPerson

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"interested{n}@example.org")
    country = "NZ"
    confirmed_at = factory.LazyFunction(timezone.now)
