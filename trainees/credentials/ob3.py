"""The Open Badges 3.0 `OpenBadgeCredential` of a credential, signed two ways.

- Data Integrity: an embedded `eddsa-rdfc-2022` proof (RDF canonicalisation by pyld,
  contexts from openbadgeslib's pinned copies, never fetched; see `data_integrity`).
- VC-JWT: the same credential as a compact JWS (EdDSA) whose `kid` names our DID key.

The document carries no more than the public verify page: a hashed email identifier
(salted with the number) rather than the person's name or address.
"""

from django.conf import settings
from django.urls import reverse
from openbadgeslib.ob3 import Achievement, IdentityObject, Issuer, OpenBadgeCredential

from . import data_integrity
from .did import issuer_did, verification_method_id
from .keys import SigningKey, current_key
from .signing import jwt_sign
from .status_lists import status_entries

ISSUER_NAME = "中国检验认证集团检验检测研究院长三角研发实践基地 / CCIC Institute, Yangtze Delta R&D and Practice Base"


def verify_url(number: str) -> str:
    return settings.SITE_URL + reverse("credential-verify", kwargs={"number": number})


def open_badge(credential) -> OpenBadgeCredential:
    version = credential.scheme_version
    scheme = version.scheme
    achievement = Achievement(
        id=f"{settings.SITE_URL}/certification/schemes/{scheme.code}/v{version.number}",
        name=f"{scheme.title_zh} / {scheme.title_en}",
        description=f"{credential.scope_zh}\n{credential.scope_en}",
        criteria_narrative=(
            "依据 ISO/IEC 17024 认证方案完成规定课程、考试和实操评估，并经认证官决定。\n"
            "Completed the courses, examinations and practical assessments of the scheme "
            "(ISO/IEC 17024) and certified by decision of a certification officer."
        ),
        achievement_type="Certification",
    )
    return OpenBadgeCredential(
        id=verify_url(credential.number),
        issuer=Issuer(id=issuer_did(), name=ISSUER_NAME, url=settings.SITE_URL),
        recipient_id=None,
        identifiers=[
            IdentityObject.create(credential.holder.email, salt=credential.number),
        ],
        achievement=achievement,
        name=f"{scheme.title_en} ({credential.number})",
        issuance_date=credential.valid_from,
        expiration_date=credential.valid_until,
        credential_status=status_entries(credential.status_index),
    )


def sign_data_integrity(badge: OpenBadgeCredential, *, key: SigningKey | None = None) -> dict:
    key = key or current_key()
    return data_integrity.sign(badge, key=key, verification_method=verification_method_id(key))


def sign_jwt(badge: OpenBadgeCredential, *, key: SigningKey | None = None) -> str:
    return jwt_sign(badge.to_jwt_payload(), key=key)
