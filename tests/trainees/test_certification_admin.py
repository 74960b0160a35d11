"""Officers edit schemes in the Wagtail admin; others cannot; credentials are read-only there."""

from tests.trainees.certification_factories import SchemeVersionFactory


def test_officer_edits_a_scheme_version_in_the_admin(client_for, officer, scheme_version):
    client = client_for(officer)
    assert client.get("/admin/scheme_versions/").status_code == 200
    response = client.get(f"/admin/scheme_versions/edit/{scheme_version.pk}/")
    assert response.status_code == 200
    assert b"required_exams" in response.content


def test_credentials_are_read_only_in_the_admin(client_for, officer, trainee, issue_credential):
    credential = issue_credential(trainee, pdf=False)
    client = client_for(officer)
    assert client.get(f"/admin/credentials/inspect/{credential.pk}/").status_code == 200
    assert client.get(f"/admin/credentials/edit/{credential.pk}/").status_code in (302, 403)


def test_instructors_cannot_reach_certification_admin(client_for, instructor):
    SchemeVersionFactory()
    response = client_for(instructor).get("/admin/schemes/")
    assert response.status_code in (302, 403)


def test_a_version_with_applications_is_frozen(scheme_version, trainee):
    import pytest
    from django.core.exceptions import ValidationError

    from trainees.services import application_submit

    application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)
    scheme_version.validity_months = 12
    with pytest.raises(ValidationError):
        scheme_version.full_clean()
