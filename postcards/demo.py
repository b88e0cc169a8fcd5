"""Demo postcards: a gallery of postcards from many countries with generated photos, and one
postcard sent through the public form that waits in moderation, its photos private."""

import random
from datetime import timedelta
from typing import TextIO

from django.utils import timezone
from wagtail.models import Site

from blog import demo_content
from blog.demo import add_footer_links
from blog.models import Submission
from postcards.models import PostcardIndexPage, PostcardPage, PostcardPhoto
from postcards.services import DescribedPhoto, PostcardData, submit_postcard
from postcards.uploads import CleanPhoto
from website.factories.images import IllustrationFactory, describe_illustration, illustration
from website.factories.postcards import PostcardIndexPageFactory, PostcardPageFactory
from website.models import HomePage

PENDING_SENDER = "postcard.sender@example.org"


def build(out: TextIO, seed: int) -> None:
    rng = random.Random(seed)
    home = HomePage.objects.get(pk=Site.objects.get(is_default_site=True).root_page_id)
    gallery = PostcardIndexPage.objects.child_of(home).first()
    if gallery is None:
        gallery = PostcardIndexPageFactory.build()
        home.add_child(instance=gallery)
        gallery.save_revision().publish()
    if not PostcardPage.objects.child_of(gallery).exists():
        build_postcards(gallery, rng)
    add_footer_links(home, [gallery])
    if not Submission.objects.filter(email=PENDING_SENDER).exists():
        build_pending_submission(seed)
    out.write(
        f"Postcards: {PostcardPage.objects.live().count()} published, one waiting in "
        "moderation (sign in as editor to review it)"
    )


def build_postcards(gallery: PostcardIndexPage, rng: random.Random) -> None:
    now = timezone.now()
    total = len(demo_content.POSTCARDS)
    for index, (title, place, country) in enumerate(demo_content.POSTCARDS):
        postcard = PostcardPageFactory.build(
            title=f"{title}, {place}",
            place=place,
            country=country,
            text=rng.choice(demo_content.POSTCARD_TEXTS),
            first_published_at=now - timedelta(days=9 * (total - index)),
        )
        seeds = [1000 + index * 3 + number for number in range(1 + index % 3)]
        postcard.photos = [
            PostcardPhoto(
                image=IllustrationFactory(
                    title=f"{title} ({number + 1})",
                    seed=seed,
                    size=(900, 675),
                    description=describe_illustration(seed, (900, 675)),
                ),
                alt_text=describe_illustration(seed, (900, 675)),
                sort_order=number,
            )
            for number, seed in enumerate(seeds)
        ]
        gallery.add_child(instance=postcard)
        postcard.save_revision().publish()


def build_pending_submission(seed: int) -> None:
    """Two photos, each with the description its sender gave it (the words match the
    generated picture)."""
    photos = [
        DescribedPhoto(
            CleanPhoto(illustration(seed + n, "", (800, 600)), 800, 600, f"library-{n + 1}.jpg"),
            describe_illustration(seed + n, (800, 600)),
        )
        for n in range(2)
    ]
    submit_postcard(
        PostcardData(
            text="Greetings from our new branch library! We opened in September and the "
            "children's corner is already too small.",
            place="Mombasa",
            country="KE",
            name="Wanjiru Kamau",
            email=PENDING_SENDER,
            licence="cc-by-4.0",
        ),
        photos,
    )
