"""Verify page, register, pathway progress: content, languages and query counts."""

import pytest
from django.utils import timezone

from tests.factories import make_user
from tests.trainees.certification_factories import SchemeVersionFactory
from trainees import roles
from trainees.models import RequiredCredential


def _named(user, zh, latin):
    user.profile.name_zh, user.profile.name_latin = zh, latin
    user.profile.save()
    return user


def test_verify_page_shows_status_masked_name_scheme_and_dates(client, trainee, issue_credential):
    credential = issue_credential(_named(trainee, "张伟", "ZHANG Wei"), pdf=False)

    chinese = client.get(f"/verify/{credential.number}/").content.decode()
    english = client.get(f"/en/verify/{credential.number}/").content.decode()

    assert 'data-status="active"' in chinese
    assert "张*" in chinese and "张伟" not in chinese
    assert "ZHANG W." in english and "ZHANG Wei" not in english
    assert "产品认证工厂检查员" in chinese
    assert "Product certification factory inspector" in english
    assert f"{timezone.localtime(credential.valid_until):%Y-%m-%d}" in chinese


def test_status_json_matches_the_verify_page(client, trainee, issue_credential):
    credential = issue_credential(_named(trainee, "张伟", "ZHANG Wei"), pdf=False)
    data = client.get(f"/api/v1/credentials/{credential.number}/").json()
    assert data["status"] == "active" and data["valid"] is True
    assert data["holder_name_zh"] == "张*"
    assert data["verify_url"] == f"https://testserver/verify/{credential.number}/"


def test_register_finds_by_number_name_and_organisation(client, trainee, issue_credential):
    credential = issue_credential(_named(trainee, "张伟", "ZHANG Wei"), pdf=False)
    organisation = trainee.profile.organisation.name_zh
    for query in (credential.number, "张伟", "zhang wei", organisation[:6]):
        results = client.get("/api/v1/register/", {"q": query}).json()["results"]
        assert [row["number"] for row in results] == [credential.number], query
    assert client.get("/api/v1/register/", {"q": "李"}).json()["results"] == []


def test_pathway_progress_ticks_met_requirements_and_links_outstanding_ones(
    client_for, trainee, issue_credential, scheme_version
):
    advanced = SchemeVersionFactory(scheme__title_en="Factory inspector, level II")
    RequiredCredential.objects.create(version=advanced, scheme=scheme_version.scheme)
    page = client_for(trainee).get("/en/certification/").content.decode()
    assert "Holds a valid credential" in page and 'class="requirement outstanding"' in page

    issue_credential(trainee, pdf=False)
    page = client_for(trainee).get("/en/certification/").content.decode()
    assert 'class="requirement met"' in page


def _many_credentials(issue_credential, count):
    for index in range(count):
        user = make_user(roles.TRAINEE)
        _named(user, f"王{index}明", f"WANG Ming{index}")
        issue_credential(user, pdf=False)


@pytest.mark.parametrize("count", [1, 6])
def test_public_pages_do_not_grow_queries_with_data(
    client, issue_credential, django_assert_max_num_queries, count
):
    _many_credentials(issue_credential, count)
    # The page shell (site identity, navigation) costs about ten queries; the rows add none.
    with django_assert_max_num_queries(14):
        assert client.get("/register/", {"q": "WANG"}).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/register/", {"q": "WANG"}).status_code == 200
    with django_assert_max_num_queries(3):
        client.get("/credentials/status/revocation/0")


@pytest.mark.parametrize("count", [1, 5])
def test_officer_queue_and_home_do_not_grow_queries_with_data(
    client_for, officer, scheme_version, django_assert_max_num_queries, count
):
    from trainees.services import application_submit

    for _ in range(count):
        candidate = make_user(roles.TRAINEE)
        application_submit(candidate=candidate, scheme=scheme_version.scheme, by=candidate)
    client = client_for(officer)
    # Budgets include the page shell (session, user, roles, site identity, navigation).
    with django_assert_max_num_queries(22):
        assert client.get("/certification/applications/").status_code == 200
    with django_assert_max_num_queries(28):
        assert client.get("/certification/").status_code == 200
    with django_assert_max_num_queries(21):
        assert client.get("/certification/cpd/").status_code == 200


def test_manager_home_lists_only_their_staff(client_for, manager, trainee, other_trainee):
    page = client_for(manager).get("/en/certification/").content.decode()
    assert f"?person={trainee.pk}" in page
    assert f"?person={other_trainee.pk}" not in page


def test_candidate_uploads_evidence_and_a_bad_file_changes_nothing(
    client_for, trainee, other_trainee, scheme_version
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from institute.models import AuditRecord
    from trainees.models import ApplicationEvidence
    from trainees.services import application_submit

    application = application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)
    url = f"/certification/applications/{application.pk}/evidence/"
    good = SimpleUploadedFile("work-record.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    bad = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")

    client_for(trainee).post(url, {"kind": "document", "description": "工作经历证明", "file": good})
    client_for(trainee).post(url, {"kind": "document", "description": "可执行文件", "file": bad})
    assert (
        client_for(other_trainee).post(url, {"kind": "document", "description": "x"}).status_code
        == 404
    )

    assert list(ApplicationEvidence.objects.values_list("description", flat=True)) == [
        "工作经历证明"
    ]
    assert AuditRecord.objects.filter(action="certification.evidence_added").count() == 1


@pytest.mark.parametrize("person", ["abc", "²", "1.5", "-1", "99999999999999999999999"])
def test_an_odd_person_parameter_is_a_404_not_an_error(client_for, trainee, scheme_version, person):
    client = client_for(trainee)
    assert client.get("/certification/", {"person": person}).status_code == 404
    url = f"/certification/schemes/{scheme_version.scheme.code}/apply/"
    assert client.post(url, {"experience_months": 0, "person": person}).status_code == 404


def test_header_links_to_verification_and_my_certification(client_for, trainee):
    anonymous = client_for(None).get("/register/").content.decode()
    assert 'data-testid="verify-link"' in anonymous and 'href="/register/"' in anonymous
    assert 'data-testid="my-certification"' not in anonymous
    english = client_for(trainee).get("/en/register/").content.decode()
    assert 'href="/en/register/"' in english and 'href="/en/certification/"' in english
    assert ">My certification<" in english
