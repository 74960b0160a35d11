"""The issuer's `did:web` identifier and DID document (served at `/.well-known/did.json`)."""

from functools import lru_cache
from urllib.parse import quote, urlsplit

from django.conf import settings
from openbadgeslib.keys import public_jwk_from_pem

from .keys import SigningKey, signing_keys

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"]


def issuer_did() -> str:
    return _did_web(settings.CREDENTIAL_DID_HOST, settings.SITE_URL)


@lru_cache(maxsize=8)
def _did_web(did_host: str, site_url: str) -> str:
    # Read on every signature: cached by the settings it derives from.
    return "did:web:" + quote(did_host or urlsplit(site_url).netloc, safe="")


def verification_method_id(key: SigningKey) -> str:
    return f"{issuer_did()}#{key.key_id}"


def did_document() -> dict:
    """Every key, current first: old credentials name their own key by id."""
    did = issuer_did()
    methods = [
        {
            "id": verification_method_id(key),
            "type": "JsonWebKey2020",
            "controller": did,
            "publicKeyJwk": public_jwk_from_pem(key.public_pem),
        }
        for key in signing_keys()
    ]
    ids = [method["id"] for method in methods]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }
