"""Demo program email: a draft campaign to the busiest round's applicants in a few countries,
ready to preview, test and send, whose button opens each person's own page, and a short
suppression list."""

from typing import TextIO

from django.db.models import Count
from wagtail.rich_text import RichText

from campaigns import segments
from campaigns.models import Campaign, Suppression
from mentoring.models import Round

SUPPRESSED = [
    ("bounced.mailbox@example.org", Suppression.Reason.BOUNCE, "550 5.1.1 mailbox unknown"),
    ("not.interested@example.org", Suppression.Reason.UNSUBSCRIBE, "link"),
]


def build(out: TextIO, seed: int) -> None:
    for email, reason, detail in SUPPRESSED:
        Suppression.objects.get_or_create(
            email_normalised=email, defaults={"reason": reason, "detail": detail}
        )
    campaign, created = Campaign.objects.get_or_create(
        name="Confirmation reminder: Oceania",
        defaults={
            "subject": "Please confirm your place in the round",
            "body": [
                (
                    "text",
                    RichText(
                        "<p>Thank you for applying. Matching starts soon, and only confirmed "
                        "applicants are matched.</p><p>Please confirm from your personal page: "
                        "it takes one click.</p>"
                    ),
                ),
                ("button", {"label": "Open my page", "url": "", "personal_link": True}),
            ],
            "countries": ["AU", "NZ", "FJ", "PG"],
        },
    )
    if created:
        # The round that is asking its applicants to confirm (the mentoring demo's Round 8),
        # else the busiest.
        confirming = Round.objects.filter(slug="round-8").first()
        target = (
            confirming or Round.objects.annotate(n=Count("applications")).order_by("-n").first()
        )
        if target:
            campaign.rounds.set([target])
    count = segments.count(campaign).recipients
    out.write(f"Campaigns: a draft to {count} recipients (sign in as director or comms).\n")
