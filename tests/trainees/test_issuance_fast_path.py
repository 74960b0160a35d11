"""The lean issuance paths give exactly what the libraries gave, and nothing they refused.

Data Integrity: our eddsa-rdfc-2022 signer against openbadgeslib's `OB3LdpSigner` (Ed25519
is deterministic, so the proofs must be byte-identical on the same input). VC-JWT: our
compact JWS against PyJWT's `jwt.encode`, and PyJWT decodes and verifies ours. PDFs: the
font configuration kept across renders still sets the Chinese text.
"""

import datetime
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest
from openbadgeslib.errors import ErrorSigningFile
from openbadgeslib.ob3 import (
    Achievement,
    IdentityObject,
    Issuer,
    OB3LdpSigner,
    OB3LdpVerifier,
    OpenBadgeCredential,
)

from trainees.credentials import data_integrity, ob3, pdf
from trainees.credentials.did import issuer_did, verification_method_id
from trainees.credentials.keys import current_key
from trainees.credentials.signing import jwt_sign
from trainees.credentials.status_lists import status_entries

UTC = datetime.UTC
CREATED = datetime.datetime(2026, 11, 27, 9, 30, 15, tzinfo=UTC)


def _badge(
    number: str,
    *,
    name: str = "产品认证工厂检查员 I 级 / Product certification factory inspector, level I",
    scope: str = "低压电器工厂检查\nFactory inspections of low-voltage apparatus",
    expires: bool = True,
    status_index: int | None = 7,
    achievement_id: str = "https://testserver/certification/schemes/PCI/v1",
) -> OpenBadgeCredential:
    valid_from = datetime.datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    return OpenBadgeCredential(
        id=f"https://testserver/verify/{number}/",
        issuer=Issuer(id=issuer_did(), name=ob3.ISSUER_NAME, url="https://testserver"),
        recipient_id=None,
        identifiers=[IdentityObject.create("王小明@example.com", salt=number)],
        achievement=Achievement(
            id=achievement_id,
            name=name,
            description=scope,
            criteria_narrative="依据 ISO/IEC 17024 认证方案完成评估。\nAssessed per ISO/IEC 17024.",
            achievement_type="Certification",
        ),
        name=f"{name} ({number})",
        issuance_date=valid_from,
        expiration_date=valid_from + datetime.timedelta(days=1095) if expires else None,
        credential_status=status_entries(status_index) if status_index is not None else None,
    )


VARIANTS = {
    "chinese, expiring, status entries": lambda: _badge("CCICI-2026-000001"),
    "never expires": lambda: _badge("CCICI-2026-000002", expires=False),
    "no status entries": lambda: _badge("CCICI-2026-000003", status_index=None),
    "second status list": lambda: _badge("CCICI-2026-000004", status_index=131072 + 5),
    "quotes, emoji, markup": lambda: _badge(
        "CCICI-2026-000005",
        name='Inspector "A" <b>&</b> 检查员 ✅',
        scope="Tabs\tand\r\nlines; backslash \\ and ’curly’ quotes",
    ),
}


def _library_signed(badge: OpenBadgeCredential, key) -> dict:
    signer = OB3LdpSigner(key.private_pem, verification_method=verification_method_id(key))
    return signer.sign(badge, created=CREATED)


def _fast_signed(badge: OpenBadgeCredential, key) -> dict:
    return data_integrity.sign(
        badge, key=key, verification_method=verification_method_id(key), created=CREATED
    )


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_data_integrity_proof_is_byte_identical_to_openbadgeslib(settings, variant):
    key = current_key()
    badge = VARIANTS[variant]()

    fast = _fast_signed(badge, key)

    expected = _library_signed(badge, key)
    assert fast["proof"]["proofValue"] == expected["proof"]["proofValue"]
    assert json.dumps(fast, sort_keys=True) == json.dumps(expected, sort_keys=True)


def test_different_credentials_get_different_proofs(settings):
    key = current_key()
    first = _fast_signed(_badge("CCICI-2026-000010"), key)
    second = _fast_signed(_badge("CCICI-2026-000011"), key)
    assert first["proof"]["proofValue"] != second["proof"]["proofValue"]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_fast_data_integrity_credential_verifies_with_openbadgeslib(settings, variant):
    key = current_key()
    document = ob3.sign_data_integrity(VARIANTS[variant](), key=key)

    verified = OB3LdpVerifier(pubkey_pem=key.public_pem).verify(document)

    assert verified.id == document["id"]
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_issued_credential_documents_match_the_libraries(trainee, issue_credential):
    credential = issue_credential(trainee, pdf=False)
    key = current_key()
    badge = ob3.open_badge(credential)
    created = datetime.datetime.fromisoformat(credential.ob3_json["proof"]["created"])

    library = OB3LdpSigner(key.private_pem, verification_method=verification_method_id(key))
    assert credential.ob3_json == library.sign(badge, created=created)
    headers = {"kid": verification_method_id(key), "typ": "vc+jwt"}
    pyjwt = jwt.encode(badge.to_jwt_payload(), key.private_key, algorithm="EdDSA", headers=headers)
    assert credential.ob3_jwt == pyjwt


class _WithUndefinedMember(OpenBadgeCredential):
    def to_vc(self) -> dict:
        return {**super().to_vc(), "favouriteColour": "red"}  # no pinned context defines it


def test_a_member_no_context_defines_is_refused_not_left_unsigned(settings):
    badge = _badge("CCICI-2026-000020")
    badge.__class__ = _WithUndefinedMember

    with pytest.raises(ErrorSigningFile):
        ob3.sign_data_integrity(badge)


def test_an_id_that_is_not_an_absolute_iri_is_refused(settings):
    badge = _badge("CCICI-2026-000021", achievement_id="schemes/PCI v1")

    with pytest.raises(ErrorSigningFile):
        ob3.sign_data_integrity(badge)


def test_signing_from_several_threads_gives_the_same_documents(settings):
    key = current_key()
    badges = [_badge(f"CCICI-2026-{index:06d}") for index in range(100, 112)]
    sequential = [_fast_signed(badge, key) for badge in badges]

    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda badge: _fast_signed(badge, key), badges))

    assert threaded == sequential


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_vc_jwt_is_byte_identical_to_pyjwt_and_verifies(settings, variant):
    key = current_key()
    badge = VARIANTS[variant]()
    payload = badge.to_jwt_payload()
    headers = {"kid": verification_method_id(key), "typ": "vc+jwt"}

    token = ob3.sign_jwt(badge, key=key)

    assert token == jwt.encode(payload, key.private_key, algorithm="EdDSA", headers=headers)
    public_key = key.private_key.public_key()
    decoded = jwt.decode_complete(
        token, public_key, algorithms=["EdDSA"], options={"verify_exp": False}
    )
    assert decoded["payload"] == payload
    assert decoded["header"] == {"alg": "EdDSA", **headers}


def test_jwt_time_claims_given_as_datetimes_are_encoded_as_pyjwt_does(settings):
    key = current_key()
    now = datetime.datetime(2026, 11, 27, 10, 0, 30, tzinfo=UTC)
    payload = {"iss": "did:web:testserver", "nbf": now, "exp": now + datetime.timedelta(hours=1)}

    token = jwt_sign(payload, key=key, typ="statuslist+jwt")

    headers = {"kid": verification_method_id(key), "typ": "statuslist+jwt"}
    assert token == jwt.encode(payload, key.private_key, algorithm="EdDSA", headers=headers)
    assert payload["nbf"] is now  # the caller's payload is left as it was


def test_a_tampered_fast_vc_jwt_fails_verification(settings):
    key = current_key()
    header, payload, signature = ob3.sign_jwt(_badge("CCICI-2026-000030"), key=key).split(".")
    other_payload = ob3.sign_jwt(_badge("CCICI-2026-000031"), key=key).split(".")[1]

    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            f"{header}.{other_payload}.{signature}",
            key.private_key.public_key(),
            algorithms=["EdDSA"],
            options={"verify_exp": False},
        )


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    command = ["pdftotext", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_certificates_keep_one_font_configuration_per_thread(trainee, issue_credential, tmp_path):
    trainee.profile.name_zh = "欧阳明月"
    trainee.profile.save()
    credential = issue_credential(trainee, pdf=False)

    first = pdf.certificate_pdf(credential)
    configuration = pdf.font_configuration()
    second = pdf.certificate_pdf(credential)  # rendered with the kept configuration
    with ThreadPoolExecutor(max_workers=1) as pool:
        other_thread = pool.submit(pdf.font_configuration).result()

    assert pdf.font_configuration() is configuration
    assert other_thread is not configuration
    for content in (first, second):
        text = _pdf_text(content, tmp_path)
        assert "欧阳明月" in text and credential.number in text
