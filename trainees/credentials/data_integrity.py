"""eddsa-rdfc-2022 Data Integrity proofs for the credentials we build ourselves.

openbadgeslib's `OB3LdpSigner` is written for documents of any origin: it screens the
structure, meters the canonicalisation against hostile blank-node graphs, and checks that
the JSON is exactly the compacted form of what is signed (a compaction and eight JSON-LD
passes in all, ~12 ms per credential). Our documents come from `ob3.open_badge`, whose
shape is fixed by code, so this path canonicalises each part once with pyld (contexts from
openbadgeslib's pinned copies, never fetched, resolved once per thread) and builds the
proof per vc-di-eddsa: SHA-256(canon(proof config)) || SHA-256(canon(document)), signed
with Ed25519, as a multibase base58btc `z...` value. Ed25519 is deterministic, so the
result is byte-identical to `OB3LdpSigner.sign` on the same input (tested).

What the library's form check guarantees, that every JSON member is covered by the proof,
is kept by a cheaper invariant: each member must become exactly one RDF statement. A
document that fails it, or is larger than verifiers accept, goes to `OB3LdpSigner`, which
signs it the long way or refuses it as before.
"""

import hashlib
import json
import threading
from datetime import UTC, datetime

from cachetools import LRUCache
from openbadgeslib.ob3 import OB3LdpSigner, OpenBadgeCredential
from openbadgeslib.ob3.contexts import document_loader
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver

from .keys import SigningKey

CRYPTOSUITE = "eddsa-rdfc-2022"
# What openbadgeslib's verifier accepts (MAX_LDP_DOCUMENT_BYTES), measured the same way.
MAX_DOCUMENT_BYTES = 256 * 1024
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

_loader = document_loader()
# pyld's own resolved-context cache is shared by the process and not thread-safe; each
# thread keeps its own, warm across calls (only the pinned contexts ever enter it).
_local = threading.local()


def _context_resolver() -> ContextResolver:
    cache = getattr(_local, "contexts", None)
    if cache is None:
        cache = _local.contexts = LRUCache(maxsize=100)
    return ContextResolver(cache, _loader)


def _dataset(document: dict) -> dict:
    options = {"documentLoader": _loader, "contextResolver": _context_resolver()}
    try:
        return jsonld.to_rdf(document, options)
    except BaseException:
        _local.contexts = None  # never reuse a cache an interrupted call may have left torn
        raise


def _canonical_hash(dataset: dict) -> bytes:
    nquads = URDNA2015().main(dataset, {"format": "application/n-quads"})
    return hashlib.sha256(nquads.encode("utf-8")).digest()


def _statements_expected(node: dict) -> int:
    """RDF statements a JSON object gives when every member is defined by the contexts:
    one per value (a nested object is one link plus its own), none for `id`."""
    count = 0
    for name, value in node.items():
        if name in ("id", "@context"):
            continue
        for item in value if isinstance(value, list) else [value]:
            count += 1
            if isinstance(item, dict):
                count += _statements_expected(item)
    return count


def _covers_every_member(document: dict, dataset: dict) -> bool:
    """True when no member was dropped: an undefined term, or an id that is not an
    absolute IRI, gives no statement, so the count comes out short."""
    if set(dataset) != {"@default"}:
        return False
    return len(dataset["@default"]) == _statements_expected(document)


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58_ALPHABET[remainder])
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + "".join(reversed(digits))


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # as openbadgeslib reads a naive time
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(
    badge: OpenBadgeCredential,
    *,
    key: SigningKey,
    verification_method: str,
    created: datetime | None = None,
) -> dict:
    """The credential with its eddsa-rdfc-2022 proof (what `OB3LdpSigner.sign` returns)."""
    created = created or datetime.now(UTC)
    document = badge.to_vc()
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _iso(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    # vc-di-eddsa: the proof options are canonicalised in the context of the document.
    proof_config = {**proof, "@context": document["@context"]}
    config_dataset, dataset = _dataset(proof_config), _dataset(document)
    if not (
        _covers_every_member(proof_config, config_dataset)
        and _covers_every_member(document, dataset)
    ):
        return _sign_checked(badge, key, verification_method, created)
    hash_data = _canonical_hash(config_dataset) + _canonical_hash(dataset)
    signature = key.private_key.sign(hash_data)
    signed = {**document, "proof": {**proof, "proofValue": "z" + base58btc(signature)}}
    if len(json.dumps(signed, sort_keys=True, ensure_ascii=True)) > MAX_DOCUMENT_BYTES:
        return _sign_checked(badge, key, verification_method, created)
    return signed


def _sign_checked(badge, key: SigningKey, verification_method: str, created: datetime) -> dict:
    """openbadgeslib's full signer: signs what its checks accept, refuses the rest."""
    signer = OB3LdpSigner(key.private_pem, verification_method=verification_method)
    return signer.sign(badge, created=created)
