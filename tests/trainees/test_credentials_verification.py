"""An independent verifier from PyPI (openbadgeslib) checks what we issue.

The verifier fetches our DID document and status lists over "HTTPS"; its fetch function is
pointed at the Django test client (the outside world), so it reads exactly what we serve.
"""

import copy
from urllib.parse import urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from openbadgeslib.ob3 import OB3LdpSigner, OB3LdpVerifier, OB3VerificationError, OB3Verifier

from trainees.credentials import ob3
from trainees.credentials.did import issuer_did, verification_method_id
from trainees.credentials.keys import SigningKey, current_key, key_rotate
from trainees.services import credential_reinstate, credential_suspend, credential_withdraw


@pytest.fixture
def fetch(client):
    """What the verifier's HTTPS download sees: our site, through the test client."""
    fetched = []

    def download(url: str) -> bytes:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc == "testserver", url
        fetched.append(parts.path)
        response = client.get(parts.path)
        if response.status_code != 200:
            raise OSError(f"HTTP {response.status_code} for {url}")
        return b"".join(response) if response.streaming else response.content

    download.fetched = fetched
    return download


@pytest.fixture
def credential(trainee, issue_credential):
    return issue_credential(trainee, pdf=False)


def verify_data_integrity(document, fetch):
    return OB3LdpVerifier.for_issuer_did(issuer_did()).verify(
        document, check_status=True, download=fetch
    )


def verify_jwt(token, fetch):
    verifier = OB3Verifier.for_issuer_did(issuer_did(), download=fetch)
    return verifier.verify(token, check_status=True, download=fetch)


def test_genuine_data_integrity_credential_passes(client, credential, fetch):
    document = client.get(f"/api/v1/credentials/{credential.number}/ob3.json").json()

    verified = verify_data_integrity(document, fetch)

    assert verified.issuer.id == "did:web:testserver"
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert verified.expiration_date == credential.valid_until.replace(microsecond=0)
    assert "/.well-known/did.json" in fetch.fetched
    assert "/credentials/status/revocation/0" in fetch.fetched


def test_genuine_vc_jwt_passes(client, credential, fetch):
    token = client.get(f"/api/v1/credentials/{credential.number}/ob3.jwt").content.decode()

    verified = verify_jwt(token, fetch)

    assert verified.achievement.name.startswith("产品认证工厂检查员")
    assert verified.expiration_date == credential.valid_until.replace(microsecond=0)


TAMPERINGS = {
    "name": lambda d: d.__setitem__("name", d["name"] + " (forged)"),
    "validUntil": lambda d: d.__setitem__("validUntil", "2099-12-31T00:00:00Z"),
    "validFrom": lambda d: d.__setitem__("validFrom", "2020-01-01T00:00:00Z"),
    "issuer.name": lambda d: d["issuer"].__setitem__("name", "Another Institute"),
    "achievement.name": lambda d: d["credentialSubject"]["achievement"].__setitem__(
        "name", "Laboratory director"
    ),
    "achievement.description": lambda d: d["credentialSubject"]["achievement"].__setitem__(
        "description", "All products, all standards"
    ),
    "identifier": lambda d: d["credentialSubject"]["identifier"][0].__setitem__(
        "identityHash", "sha256$" + "0" * 64
    ),
    "statusListIndex": lambda d: d["credentialStatus"][0].__setitem__("statusListIndex", "7"),
    "id": lambda d: d.__setitem__("id", "https://testserver/verify/CCICI-2026-999999/"),
}


@pytest.mark.parametrize("field", sorted(TAMPERINGS))
def test_tampered_data_integrity_credential_fails(client, credential, fetch, field):
    document = client.get(f"/api/v1/credentials/{credential.number}/ob3.json").json()
    verify_data_integrity(copy.deepcopy(document), fetch)  # genuine first: the test can fail
    TAMPERINGS[field](document)

    with pytest.raises(OB3VerificationError):
        verify_data_integrity(document, fetch)


@pytest.mark.parametrize("field", sorted(TAMPERINGS))
def test_tampered_vc_jwt_fails(client, credential, fetch, field):
    token = credential.ob3_jwt
    header, _payload, signature = token.split(".")
    payload = jwt.decode(token, options={"verify_signature": False})
    TAMPERINGS[field](payload)
    forged_payload = jwt.utils.base64url_encode(
        jwt.api_jws.json.dumps(payload, separators=(",", ":")).encode()
    ).decode()

    with pytest.raises(OB3VerificationError):
        verify_jwt(f"{header}.{forged_payload}.{signature}", fetch)


def _foreign_key() -> SigningKey:
    pem = Ed25519PrivateKey.generate().private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    # Claims to be our current key: the verifier must check the signature, not the name.
    return SigningKey(current_key().key_id, pem)


def test_credential_signed_by_another_key_fails(credential, fetch):
    badge = ob3.open_badge(credential)
    foreign = _foreign_key()
    document = OB3LdpSigner(
        foreign.private_pem, verification_method=verification_method_id(foreign)
    ).sign(badge)

    with pytest.raises(OB3VerificationError):
        verify_data_integrity(document, fetch)
    with pytest.raises(OB3VerificationError):
        verify_jwt(ob3.sign_jwt(badge, key=foreign), fetch)


def test_revoked_credential_fails_and_suspension_fails_until_reinstated(
    client, credential, officer, fetch
):
    document = client.get(f"/api/v1/credentials/{credential.number}/ob3.json").json()
    credential_suspend(
        credential=credential, by=officer, reason="Complaint under investigation", until=None
    )
    with pytest.raises(OB3VerificationError, match="suspension"):
        verify_data_integrity(document, fetch)
    with pytest.raises(OB3VerificationError, match="suspension"):
        verify_jwt(credential.ob3_jwt, fetch)

    credential_reinstate(credential=credential, by=officer, reason="Complaint unfounded")
    verify_data_integrity(document, fetch)

    credential_withdraw(credential=credential, by=officer, reason="Falsified audit report")
    with pytest.raises(OB3VerificationError, match="revocation"):
        verify_data_integrity(document, fetch)
    with pytest.raises(OB3VerificationError, match="revocation"):
        verify_jwt(credential.ob3_jwt, fetch)


def test_old_credentials_still_verify_after_key_rotation(
    client, trainee, other_trainee, issue_credential, fetch
):
    before = issue_credential(trainee, pdf=False)
    key_rotate()
    after = issue_credential(other_trainee, pdf=False)

    assert (
        before.ob3_json["proof"]["verificationMethod"]
        != after.ob3_json["proof"]["verificationMethod"]
    )
    for credential in (before, after):
        verify_data_integrity(credential.ob3_json, fetch)
        verify_jwt(credential.ob3_jwt, fetch)


def test_after_a_scope_reduction_only_the_new_documents_verify(client, credential, officer, fetch):
    from trainees.services import credential_scope_reduce

    url = f"/api/v1/credentials/{credential.number}/"
    wider = client.get(url + "ob3.json").json()
    wider_jwt = client.get(url + "ob3.jwt").content.decode()

    credential_scope_reduce(
        credential=credential,
        by=officer,
        scope_zh="仅限低压开关设备",
        scope_en="Low-voltage switchgear only",
        reason="Witnessed inspection found gaps outside switchgear",
    )

    verify_data_integrity(client.get(url + "ob3.json").json(), fetch)
    verify_jwt(client.get(url + "ob3.jwt").content.decode(), fetch)
    with pytest.raises(OB3VerificationError, match="revocation"):
        verify_data_integrity(wider, fetch)
    with pytest.raises(OB3VerificationError, match="revocation"):
        verify_jwt(wider_jwt, fetch)


def test_a_superseded_credential_no_longer_verifies(
    client, trainee, credential, issue_credential, fetch
):
    old = client.get(f"/api/v1/credentials/{credential.number}/ob3.json").json()
    old_jwt = credential.ob3_jwt

    renewed = issue_credential(trainee, pdf=False, renews=credential, kind="renewal")

    credential.refresh_from_db()
    assert credential.status == "superseded" and credential.superseded_by == renewed
    verify_data_integrity(renewed.ob3_json, fetch)
    with pytest.raises(OB3VerificationError, match="revocation"):
        verify_data_integrity(old, fetch)
    with pytest.raises(OB3VerificationError, match="revocation"):
        verify_jwt(old_jwt, fetch)
