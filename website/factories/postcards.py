"""Factories for postcards: the gallery and postcards with generated photos."""

import factory
import wagtail_factories

from postcards.models import PostcardIndexPage, PostcardPage, PostcardPhoto

from .images import IllustrationFactory


class PostcardIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PostcardIndexPage

    title = "Postcards"
    slug = "postcards"
    intro = "Libraries and workplaces of the network, photographed by the people who work there."


class PostcardPageFactory(wagtail_factories.PageFactory):
    """A postcard; `photos=n` adds n generated photos (one by default)."""

    class Meta:
        model = PostcardPage
        skip_postgeneration_save = True

    title = factory.LazyAttribute(lambda card: f"{card.place}, {card.sender_name}")
    text = factory.Faker("paragraph", nb_sentences=4)
    place = factory.Faker("city")
    country = factory.Faker("country_code")
    sender_name = factory.Faker("name")

    @factory.post_generation
    def photos(self, create, count, **kwargs):
        if not create:
            return
        for n in range(1 if count is None else count):
            PostcardPhotoFactory(page=self, sort_order=n)


class PostcardPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcardPhoto

    image = factory.SubFactory(IllustrationFactory, size=(900, 675))
    alt_text = factory.LazyAttribute(
        lambda photo: f"Shelves and reading tables at {photo.page.place}"
    )
