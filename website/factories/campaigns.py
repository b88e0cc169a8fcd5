"""Factories for program email: campaigns and the suppression list."""

import factory
from wagtail.rich_text import RichText

from campaigns.models import Campaign, Suppression


def campaign_body(text: str = "<p>Applications for the new round are open.</p>", **extra):
    """A StreamField value: a text block and a button, plus any blocks given."""
    blocks = [
        ("text", RichText(text)),
        ("button", {"label": "Apply now", "url": "https://network.example.org/apply/"}),
    ]
    for name, value in extra.items():
        blocks.append((name, value))
    return blocks


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Campaign {n}")
    subject = factory.Sequence(lambda n: f"News from the network {n}")
    body = factory.LazyFunction(campaign_body)
    audience = Campaign.Audience.APPLICANTS

    @factory.post_generation
    def rounds(self, create, rounds, **kwargs):
        if create and rounds:
            self.rounds.set(rounds)

    @factory.post_generation
    def pathways(self, create, pathways, **kwargs):
        if create and pathways:
            self.pathways.set(pathways)


class SuppressionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suppression
        django_get_or_create = ("email_normalised",)

    email_normalised = factory.Sequence(lambda n: f"suppressed{n}@example.org")
    reason = Suppression.Reason.BOUNCE
