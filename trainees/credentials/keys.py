"""The institute's Ed25519 signing keys, one PEM file per key in `CREDENTIAL_KEY_DIR`.

The newest file is the current key. Rotation writes a new file and keeps the old ones:
they stay in the DID document so credentials signed before the rotation still verify.
"""

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

KEY_SUFFIX = ".pem"


@dataclass(frozen=True)
class SigningKey:
    key_id: str  # the DID URL fragment, e.g. "key-20261127T120000"
    private_pem: bytes

    @property
    def private_key(self) -> Ed25519PrivateKey:
        return _load_private(self.private_pem)

    @property
    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


@lru_cache(maxsize=32)
def _load_private(private_pem: bytes) -> Ed25519PrivateKey:
    return serialization.load_pem_private_key(private_pem, password=None)


def key_directory() -> Path:
    return Path(settings.CREDENTIAL_KEY_DIR)


def _key_files() -> list[Path]:
    directory = key_directory()
    if not directory.exists():
        return []
    # Key ids embed a UTC timestamp, so name order is creation order.
    return sorted(directory.glob(f"key-*{KEY_SUFFIX}"))


# Keys read from disk, by (directory, its modification time): signing a credential must not
# list and read the key files each time (that cost more than a VC-JWT signature). A rotation
# adds a file, which changes the directory's modification time and so the entry.
_keys_read: dict[tuple[str, int], list[SigningKey]] = {}


def signing_keys() -> list[SigningKey]:
    """Every key, newest first (the first one signs)."""
    directory = str(settings.CREDENTIAL_KEY_DIR)  # os.stat on a str: no Path per signature
    try:
        stamp = (directory, os.stat(directory).st_mtime_ns)
    except FileNotFoundError:
        return [key_rotate()]
    keys = _keys_read.get(stamp)
    if keys is None:
        keys = [SigningKey(path.stem, path.read_bytes()) for path in reversed(_key_files())]
        if keys:
            _keys_read.clear()
            _keys_read[stamp] = keys
    return keys or [key_rotate()]


def current_key() -> SigningKey:
    return signing_keys()[0]


def key_rotate() -> SigningKey:
    """Generate a new current key; older keys are kept for verification."""
    directory = key_directory()
    directory.mkdir(parents=True, exist_ok=True)
    ignore_file = directory / ".gitignore"
    if not ignore_file.exists():
        ignore_file.write_text("*\n")
    key_id = "key-" + timezone.now().strftime("%Y%m%dT%H%M%S%f")
    private_pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = directory / f"{key_id}{KEY_SUFFIX}"
    path.touch(mode=0o600)
    path.write_bytes(private_pem)
    return SigningKey(key_id, private_pem)
