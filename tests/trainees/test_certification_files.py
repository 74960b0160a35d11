"""Private files (application evidence, CPD evidence, certificate PDFs) reach only who may see
them, through views that check permission on the object; nothing public by number shows more
than the verify page (masked name, no photo)."""

import datetime

import jwt
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from trainees.services import application_submit, cpd_activity_create, evidence_add

PDF_BYTES = b"%PDF-1.4 work record of 2025 factory inspections"


def _pdf(name="work-record.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _body(response) -> bytes:
    return b"".join(response) if response.streaming else response.content


@pytest.fixture
def evidence(trainee, scheme_version):
    application = application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)
    return evidence_add(
        application=application,
        by=trainee,
        kind="document",
        description="工作经历证明 / Work experience record",
        file=_pdf(),
    )


@pytest.fixture
def cpd_activity(trainee):
    return cpd_activity_create(
        user=trainee,
        date=datetime.date(2026, 3, 1),
        hours=6,
        category="training",
        title="GB/T 27065 内审员培训",
        evidence=_pdf("attendance.pdf"),
    )


def _refused(client, url) -> None:
    response = client.get(url)
    assert response.status_code in (302, 404), url
    if response.status_code == 302:  # anonymous: to the login page, never the file
        assert "/accounts/login/" in response["Location"]
    assert PDF_BYTES not in _body(response)


def test_evidence_file_is_served_only_to_who_may_view_the_application(
    client_for, evidence, trainee, manager, officer, other_trainee, other_manager, instructor
):
    url = f"/certification/applications/{evidence.application_id}/evidence/{evidence.pk}/"
    page = client_for(trainee).get(f"/certification/applications/{evidence.application_id}/")
    assert url.encode() in page.content and b"/media/" not in page.content

    for user in (trainee, manager, officer):
        response = client_for(user).get(url)
        assert response.status_code == 200 and _body(response) == PDF_BYTES
        assert response["Content-Disposition"].startswith("attachment")
    for user in (other_trainee, other_manager, instructor):
        assert client_for(user).get(url).status_code == 404
    _refused(client_for(None), url)
    # The storage path itself is not served publicly any more.
    _refused(client_for(None), "/media/" + evidence.file.name)


def test_evidence_of_another_application_is_not_reachable_through_mine(
    client_for, evidence, other_trainee, scheme_version
):
    mine = application_submit(
        candidate=other_trainee, scheme=scheme_version.scheme, by=other_trainee
    )
    url = f"/certification/applications/{mine.pk}/evidence/{evidence.pk}/"
    assert client_for(other_trainee).get(url).status_code == 404


def test_cpd_evidence_is_served_only_to_its_owner_and_officers(
    client_for, cpd_activity, trainee, officer, manager, other_trainee, other_manager, instructor
):
    url = f"/certification/cpd/{cpd_activity.pk}/evidence/"
    assert url.encode() in client_for(trainee).get("/certification/cpd/").content
    officer_ledger = client_for(officer).get("/certification/cpd/").content
    assert url.encode() in officer_ledger and b"/media/" not in officer_ledger

    for user in (trainee, officer):
        response = client_for(user).get(url)
        assert response.status_code == 200 and _body(response) == PDF_BYTES
    for user in (manager, other_trainee, other_manager, instructor):
        assert client_for(user).get(url).status_code == 404
    _refused(client_for(None), url)
    _refused(client_for(None), "/media/" + cpd_activity.evidence.name)


def test_certificate_pdf_only_for_holder_their_manager_and_officers(
    client_for,
    api_client_for,
    trainee,
    manager,
    officer,
    other_trainee,
    other_manager,
    instructor,
    issue_credential,
):
    credential = issue_credential(trainee)
    page_url = f"/certification/credentials/{credential.number}/certificate.pdf"
    api_url = f"/api/v1/credentials/{credential.number}/certificate.pdf"

    for user in (trainee, manager, officer):
        for url in (page_url, api_url):
            response = client_for(user).get(url)
            assert response.status_code == 200, (user, url)
            assert _body(response).startswith(b"%PDF")
    assert api_client_for(trainee).get(api_url).status_code == 200
    for user in (other_trainee, other_manager, instructor):
        assert client_for(user).get(page_url).status_code == 404
        assert api_client_for(user).get(api_url).status_code == 404
    assert client_for(None).get(api_url).status_code == 404
    _refused(client_for(None), page_url)
    _refused(client_for(None), "/media/" + credential.pdf.name)


def test_public_pages_link_no_certificate_and_the_holder_pages_link_the_checked_view(
    client_for, trainee, issue_credential
):
    credential = issue_credential(trainee, pdf=False)
    checked = f"/certification/credentials/{credential.number}/certificate.pdf".encode()

    public = client_for(None).get(f"/verify/{credential.number}/").content
    assert b"certificate.pdf" not in public
    for page in ("/certification/", f"/certification/credentials/{credential.number}/"):
        assert checked in client_for(trainee).get(page).content, page


def test_public_ob3_documents_carry_no_more_than_the_verify_page(client, trainee, issue_credential):
    """Anonymous verifiers fetch the signed documents; they name nobody (hashed identifier)."""
    trainee.profile.name_zh, trainee.profile.name_latin = "张伟", "ZHANG Wei"
    trainee.profile.save()
    credential = issue_credential(trainee, pdf=False)
    document = client.get(f"/api/v1/credentials/{credential.number}/ob3.json").content.decode()
    token = client.get(f"/api/v1/credentials/{credential.number}/ob3.jwt").content.decode()
    claims = str(jwt.decode(token, options={"verify_signature": False}))

    for text in (document, claims):
        for private in ("张伟", "ZHANG Wei", "Wei", trainee.email, "photo", "image"):
            assert private not in text, private
        assert credential.number in text
