"""Print the code an authenticator with the demo key shows now, for signing in to the demo
as a volunteer whose role needs a second step (see load_demo_data's list of accounts)."""

from django.core.management.base import BaseCommand

from website.factories.website import DEMO_TOTP_SECRET, demo_totp_code


class Command(BaseCommand):
    help = "Print the current two-step code of the demo accounts (key " + DEMO_TOTP_SECRET + ")."

    def handle(self, *args, **options) -> None:
        self.stdout.write(demo_totp_code())
