"""Make every public rendition that an image lacks (website/renditions.py), here and now
rather than in the worker: after a restore, a change of the sizes the templates ask for, or
images saved while no worker ran. Safe to run again."""

from django.core.management.base import BaseCommand

from website.renditions import make_all_renditions


class Command(BaseCommand):
    help = "Make the public renditions every image lacks (the worker does this on upload)."

    def handle(self, *args, **options) -> None:
        made = make_all_renditions()
        self.stdout.write(f"{made} renditions made.")
