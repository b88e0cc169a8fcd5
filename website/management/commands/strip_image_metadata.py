"""Clean the images stored before uploads were cleaned (website/images.py): EXIF, GPS and
other metadata removed from each original, turned upright first; its renditions are made
again, clean, by the worker (website/renditions.py). Safe to run again: a clean image is
left as it is."""

from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from website.images import clean_stored


class Command(BaseCommand):
    help = "Remove EXIF, GPS and other metadata from every stored image and its renditions."

    def handle(self, *args, **options) -> None:
        cleaned = checked = 0
        for image in get_image_model().objects.order_by("pk").iterator():
            checked += 1
            try:
                cleaned += clean_stored(image)
            except FileNotFoundError:
                self.stderr.write(f"Image {image.pk}: its file is missing.")
        self.stdout.write(f"Checked {checked} images, cleaned {cleaned}.")
