"""Factories of the ambassadors app: profiles with generated portraits, the directory page and
the promotional pages."""

import io
import random
from datetime import timedelta

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from ambassadors.models import Ambassador, AmbassadorCountry, AmbassadorIndexPage, PromoPage
from mentoring.models import Round

PORTRAIT_COLOURS = [(11, 92, 173), (29, 107, 55), (164, 22, 26), (63, 45, 118), (0, 109, 119)]


def portrait(seed: int, initials: str, size: int = 240) -> bytes:
    """A small JPEG: the person's initials on a coloured disc (fictional people, no photos)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (size, size), (243, 246, 249))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), fill=rng.choice(PORTRAIT_COLOURS))
    font = ImageFont.load_default(size=size // 3)
    box = draw.textbbox((0, 0), initials, font=font)
    draw.text(
        ((size - (box[2] - box[0])) / 2 - box[0], (size - (box[3] - box[1])) / 2 - box[1]),
        initials,
        font=font,
        fill="white",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=75, optimize=True)
    return buffer.getvalue()


def initials_of(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


class PortraitFactory(wagtail_factories.ImageFactory):
    class Params:
        seed = factory.Sequence(lambda n: n)
        person = "A B"

    title = factory.LazyAttribute(lambda image: f"Portrait of {image.person}")
    description = factory.LazyAttribute(lambda image: image.title)
    file = factory.LazyAttribute(
        lambda image: ContentFile(
            portrait(image.seed, initials_of(image.person)), name=f"portrait-{image.seed}.jpg"
        )
    )


class AmbassadorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ambassador
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Faker("name")
    slug = factory.LazyAttribute(lambda ambassador: slugify(ambassador.name))
    email = factory.LazyAttribute(lambda ambassador: f"{ambassador.slug}@example.org")
    bio = factory.Faker("paragraph", nb_sentences=3)
    languages = factory.LazyFunction(lambda: ["en"])

    @factory.post_generation
    def countries(self, create, codes, **kwargs):
        if create and codes:
            for order, code in enumerate(codes):
                AmbassadorCountry.objects.get_or_create(
                    ambassador=self, country=code, defaults={"sort_order": order}
                )


class AmbassadorIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = AmbassadorIndexPage

    title = "Ambassadors"
    slug = "ambassadors"
    intro = "Volunteers who bring the network to librarians in their countries."


def open_round(name: str = "Round 9", slug: str = "round-9") -> Round:
    """A round whose applications are open now (for the ambassadors' tests; the mentoring
    app's own factories make richer rounds)."""
    now = timezone.now()
    round_, _created = Round.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "application_opens_at": now - timedelta(days=2),
            "application_closes_at": now + timedelta(days=26),
            "confirmation_deadline": now + timedelta(days=33),
            "matching_date": now + timedelta(days=35),
            "starts_on": (now + timedelta(days=40)).date(),
            "ends_on": (now + timedelta(days=40 + 150)).date(),
        },
    )
    return round_


class PromoPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PromoPage

    round = factory.LazyFunction(open_round)
    title = factory.Sequence(lambda n: f"Join round {n} of the network")
    short_text = factory.Faker("paragraph", nb_sentences=2)
    long_text = factory.Faker("text", max_nb_chars=800)
