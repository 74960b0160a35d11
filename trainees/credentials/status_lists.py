"""W3C Bitstring Status Lists: one revocation and one suspension list per block of indices.

Each credential owns one index (`Credential.status_index`) used in both lists. The lists
are built from the database and signed when requested, so every status change is visible
at once; a short `validUntil` stops a stale copy from being replayed.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openbadgeslib.ob3 import build_status_list_credential, status_entry

from .did import issuer_did
from .signing import jwt_sign

LIST_SIZE = 131072  # bits per list: the W3C minimum, so a list hides its population
REVOCATION = "revocation"
SUSPENSION = "suspension"
PURPOSES = (REVOCATION, SUSPENSION)
LIST_VALIDITY = timedelta(hours=24)
REFRESH_MILLISECONDS = 5 * 60 * 1000


def list_position(status_index: int) -> tuple[int, int]:
    """(list number, bit index within that list) of a credential's global status index."""
    return status_index // LIST_SIZE, status_index % LIST_SIZE


def list_url(purpose: str, list_number: int) -> str:
    path = reverse("credential-status-list", kwargs={"purpose": purpose, "number": list_number})
    return settings.SITE_URL + path


def status_entries(status_index: int) -> list[dict]:
    list_number, bit = list_position(status_index)
    return [status_entry(list_url(purpose, list_number), purpose, bit) for purpose in PURPOSES]


def set_bits(purpose: str, list_number: int) -> list[int]:
    """Indices (within the list) currently set, read in one query.

    Revocation: withdrawn and superseded (renewed) credentials, and indices retired by a
    scope reduction (the wider-scope documents). Suspension: suspended credentials.
    """
    from trainees.models import Credential, RetiredStatusIndex

    low = list_number * LIST_SIZE
    in_list = {"status_index__gte": low, "status_index__lt": low + LIST_SIZE}
    if purpose == REVOCATION:
        revoked = (Credential.Status.WITHDRAWN, Credential.Status.SUPERSEDED)
        indices = (
            Credential.objects.filter(status__in=revoked, **in_list)
            .order_by()
            .values_list("status_index", flat=True)
            .union(
                RetiredStatusIndex.objects.filter(index__gte=low, index__lt=low + LIST_SIZE)
                .order_by()
                .values_list("index", flat=True)
            )
        )
    else:
        indices = Credential.objects.filter(
            status=Credential.Status.SUSPENDED, **in_list
        ).values_list("status_index", flat=True)
    return [index - low for index in indices]


def status_list_credential(purpose: str, list_number: int) -> dict:
    now = timezone.now()
    return build_status_list_credential(
        issuer_did(),
        list_url(purpose, list_number),
        purpose,
        set_bits(purpose, list_number),
        size_bits=LIST_SIZE,
        issued=now,
        valid_until=now + LIST_VALIDITY,
        ttl=REFRESH_MILLISECONDS,
    )


def status_list_jwt(purpose: str, list_number: int) -> str:
    """The list as a signed VC-JWT (what verifiers fetch)."""
    document = status_list_credential(purpose, list_number)
    payload = {**document, "iss": document["issuer"], "jti": document["id"]}
    payload["nbf"] = int(timezone.now().timestamp())
    return jwt_sign(payload)
