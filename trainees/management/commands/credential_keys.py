"""`manage.py credential_keys [--rotate]`: show the signing keys, or start using a new one."""

from django.core.management.base import BaseCommand

from trainees.credentials.did import did_document, issuer_did
from trainees.credentials.keys import key_directory, key_rotate


class Command(BaseCommand):
    help = (
        "List the institute's Ed25519 credential signing keys; --rotate generates a new "
        "current key (old keys stay published in did.json so earlier credentials verify)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true", help="generate a new current key")

    def handle(self, *args, rotate: bool, **options):
        if rotate:
            key = key_rotate()
            self.stdout.write(self.style.SUCCESS(f"New current key: {key.key_id}"))
        self.stdout.write(f"Issuer: {issuer_did()}  (keys in {key_directory()})")
        for index, method in enumerate(did_document()["verificationMethod"]):
            marker = "current" if index == 0 else "retired (still verifies)"
            self.stdout.write(f"  {method['id']}  {marker}")
