"""Encrypt every stored secret again with the first key of FIELD_ENCRYPTION_KEY, after a
new key was put first; the old key can be removed once this has run."""

from django.core.management.base import BaseCommand

from website.encryption import reencrypt


class Command(BaseCommand):
    help = "Encrypt the stored secrets again with the first FIELD_ENCRYPTION_KEY."

    def handle(self, *args, **options) -> None:
        rows = reencrypt()
        self.stdout.write(f"Encrypted {rows} rows again with the first key.")
