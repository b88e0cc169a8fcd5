"""Postcards from the public: a draft page in the workflow with the sender's photos kept
private, and the photos made public (as Wagtail images) when the postcard is published."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection

from blog.models import Submission
from blog.submissions import (
    acknowledge,
    current_guidelines_revision,
    default_parent,
    submit_for_review,
    unique_child_slug,
)

from .models import PostcardIndexPage, PostcardPage, PostcardPhoto, SubmittedPhoto
from .uploads import CleanPhoto

COLLECTION_NAME = "Postcards"


@dataclass(frozen=True)
class PostcardData:
    text: str
    place: str
    country: str
    name: str
    email: str
    licence: str


@dataclass(frozen=True)
class DescribedPhoto:
    """A sender's photo, cleaned, with the description they gave it (its alt text)."""

    photo: CleanPhoto
    description: str


def submit_postcard(data: PostcardData, photos: list[DescribedPhoto]) -> Submission:
    """The postcard as a draft in the workflow, its photos stored privately. Photo files
    written before a failure are removed with the rows that named them."""
    stored: list[SubmittedPhoto] = []
    try:
        with transaction.atomic():
            parent = default_parent(PostcardIndexPage)
            for described in photos:
                stored.append(store_private_photo(described.photo))
            alt_texts = [described.description for described in photos]
            return _create_postcard(parent, data, list(zip(stored, alt_texts, strict=True)))
    except BaseException:
        for photo in stored:
            photo.file.delete(save=False)
        raise


def _create_postcard(
    parent: PostcardIndexPage, data: PostcardData, photos: list[tuple[SubmittedPhoto, str]]
) -> Submission:
    title = f"{data.place}, {data.name}"[:200]
    page = PostcardPage(
        title=title,
        slug=unique_child_slug(parent, title),
        text=data.text,
        place=data.place,
        country=data.country,
        sender_name=data.name,
        licence=data.licence,
        live=False,
    )
    page.photos = [
        PostcardPhoto(submitted_photo=photo, alt_text=description, sort_order=n)
        for n, (photo, description) in enumerate(photos)
    ]
    parent.add_child(instance=page)
    submission = Submission.objects.create(
        kind=Submission.Kind.POSTCARD,
        page=page,
        name=data.name,
        email=data.email,
        licence=data.licence,
        agreed_at=timezone.now(),
        guidelines_revision=current_guidelines_revision(),
    )
    submit_for_review(page)
    acknowledge(submission)
    return submission


def store_private_photo(photo: CleanPhoto) -> SubmittedPhoto:
    stored = SubmittedPhoto(
        width=photo.width, height=photo.height, original_name=photo.original_name
    )
    stored.file.save("photo.jpg", ContentFile(photo.content), save=False)
    stored.save()
    return stored


def postcards_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    return existing or root.add_child(name=COLLECTION_NAME)


@transaction.atomic
def release_photos(page: PostcardPage) -> int:
    """Make public Wagtail images of a published postcard's private photos and delete the
    private files. Safe to run again: released photos are skipped. Returns how many."""
    Image = get_image_model()
    released = 0
    photos = (
        PostcardPhoto.objects.filter(page=page, submitted_photo__isnull=False)
        .select_related("submitted_photo")
        .select_for_update()
    )
    for photo in photos:
        private = photo.submitted_photo
        if private.image_id or not private.file:
            continue
        with private.file.open("rb") as handle:
            content = handle.read()
        image = Image(
            title=f"{page.title} ({photo.sort_order + 1})"[:255],
            description=photo.alt_text,
            collection=postcards_collection(),
            file_size=len(content),
        )
        image.file.save(f"postcard-{page.pk}-{private.pk}.jpg", ContentFile(content), save=False)
        image.width, image.height = private.width, private.height
        image._set_file_hash()
        image.save()
        private.file.delete(save=False)
        private.image = image
        private.save(update_fields=["image", "file"])
        released += 1
    return released


def remove_abandoned_photos(older_than_hours: int = 48) -> int:
    """Delete private photos that no postcard uses (forms given up half-way)."""
    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    used = PostcardPhoto.objects.filter(submitted_photo__isnull=False).values("submitted_photo")
    abandoned = SubmittedPhoto.objects.filter(created_at__lt=cutoff, image__isnull=True).exclude(
        pk__in=used
    )
    count = 0
    for photo in abandoned:
        photo.file.delete(save=False)
        photo.delete()
        count += 1
    return count
