"""Build the demo site from the factories, with a fixed seed. Safe to run again: what exists
is kept, what is missing is made. Each app adds its part in its own `demo` module (one line
of output each); the images end in one shared collection. `make run` prints the demo
accounts afterwards, last."""

import importlib
import importlib.util
import random

import factory.random
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from faker import Faker

# "conduct" (code-of-conduct complaints, #16) follows "mentoring": its demo uses the rounds.
DEMO_APPS = [
    "website",
    "mentoring",
    "conduct",
    "surveys",  # surveys (#15) after mentoring: its finished rounds get survey responses
    "blog",
    "postcards",
    "ambassadors",
    "campaigns",
    "social",
    "volunteers",  # volunteers: positions, records, acceptances, announcements
    "reporting",  # statistics (#15): after the apps whose figures it counts
]


class Command(BaseCommand):
    help = "Load the demo content: pages, settings, volunteers with demo-only passwords."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2013)
        parser.add_argument(
            "--without-renditions",
            action="store_true",
            help="Leave the image renditions to the worker (tests that do not look at them).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with DEBUG off. Never on a real site: it makes accounts "
            "with publicly known passwords.",
        )

    def handle(
        self, *args, seed: int, allow_production: bool, without_renditions: bool, **options
    ) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "The demo creates accounts with known passwords; it runs only with DEBUG on "
                "(or --allow-production on a throwaway site)."
            )
        random.seed(seed)
        Faker.seed(seed)
        factory.random.reseed_random(seed)
        from website.renditions import make_all_renditions, queue_paused

        # Renditions (#17 media): made once at the end, not by a task per image saved.
        with queue_paused():
            for app in DEMO_APPS:
                if importlib.util.find_spec(f"{app}.demo") is None:
                    continue
                module = importlib.import_module(f"{app}.demo")
                with transaction.atomic():
                    module.build(self.stdout, seed=seed)
        from website.demo import gather_images

        gather_images()
        # Media for many machines (#17): the demo's pages open with their renditions made.
        if not without_renditions:
            made = make_all_renditions()
            self.stdout.write(f"Renditions: {made} made.")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo content is ready; `make run` lists the demo accounts and what to try."
            )
        )
