"""`python manage.py organisation_token CREDIT_CODE --name NAME` prints a new HR API token once.

`--revoke PREFIX` revokes the organisation's token that starts with PREFIX instead.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from trainees.models import Organisation, OrganisationApiToken
from trainees.services.organisation_tokens import (
    organisation_token_create,
    organisation_token_revoke,
)


class Command(BaseCommand):
    help = "Create (or revoke) an organisation-scoped API token for enterprise HR systems."

    def add_arguments(self, parser):
        parser.add_argument("credit_code", help="Unified social credit code of the organisation")
        parser.add_argument("--name", default="", help="What the token is for")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the token with PREFIX")

    def handle(self, *args, credit_code, name, revoke, **options):
        organisation = Organisation.objects.filter(credit_code=credit_code.strip().upper()).first()
        if organisation is None:
            raise CommandError(f"No organisation with credit code {credit_code}.")
        try:
            if revoke:
                self._revoke(organisation, revoke)
                return
            if not name.strip():
                raise CommandError("Give the token a --name (what it is for).")
            token, raw = organisation_token_create(organisation=organisation, name=name, by=None)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Token {token.name!r} for {organisation}: shown once, store it now.")
        self.stdout.write(raw)

    def _revoke(self, organisation, prefix: str) -> None:
        if len(prefix) < 8:
            raise CommandError("Give at least the first 8 characters of the token.")
        token = OrganisationApiToken.objects.filter(
            organisation=organisation, prefix__startswith=prefix[:12]
        ).first()
        if token is None:
            raise CommandError(f"No token starting with {prefix}.")
        organisation_token_revoke(token=token, by=None, reason="revoked from the command line")
        self.stdout.write(f"Revoked {token}.")
