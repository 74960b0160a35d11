"""Signing primitives shared by the credential and status-list documents."""

import jwt

from .did import verification_method_id
from .keys import SigningKey, current_key


def jwt_sign(payload: dict, *, key: SigningKey | None = None, typ: str = "vc+jwt") -> str:
    """Compact JWS (EdDSA) whose `kid` names the key's entry in our DID document."""
    key = key or current_key()
    headers = {"kid": verification_method_id(key), "typ": typ}
    return jwt.encode(payload, key.private_key, algorithm="EdDSA", headers=headers)
