import pytest
from django.db import DatabaseError, connection, transaction

from institute.audit import audit_record_create
from institute.models import AuditRecord
from tests.conftest import enrol_totp
from tests.factories import make_user
from trainees import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(officer, trainee, organisation):
    first = audit_record_create(
        actor=officer, action="credential.suspended", target=organisation, reason="audit finding"
    )
    second = audit_record_create(actor=trainee, action="enrolment.created", target=organisation)
    return first, second


def test_audit_records_cannot_be_changed_or_deleted_through_the_orm(records):
    record = records[0]
    record.reason = "rewritten"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        AuditRecord.objects.filter(pk=record.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditRecord.objects.all().delete()
    assert AuditRecord.objects.get(pk=record.pk).reason == "audit finding"


def test_database_refuses_updates_and_deletes_of_audit_records(records):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (CI runs on PostgreSQL)")
    record = records[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE institute_auditrecord SET reason = 'x' WHERE id = %s", [record.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM institute_auditrecord WHERE id = %s", [record.pk])
    assert AuditRecord.objects.get(pk=record.pk).reason == "audit finding"


def test_officer_lists_filters_and_exports_the_audit_log(client_for, officer, records):
    client = client_for(officer)
    response = client.get("/admin/audit_log/")
    assert response.status_code == 200
    assert "credential.suspended" in response.content.decode()
    filtered = client.get("/admin/audit_log/", {"action": "enrolment"}).content.decode()
    assert "enrolment.created" in filtered
    assert "credential.suspended" not in filtered
    by_person = client.get("/admin/audit_log/", {"person": officer.email}).content.decode()
    assert "credential.suspended" in by_person and "enrolment.created" not in by_person
    export = client.get("/admin/audit_log/", {"export": "csv"})
    assert export.status_code == 200
    body = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    assert "credential.suspended" in body and "audit finding" in body


@pytest.mark.parametrize("superuser", [False, True])
def test_nobody_edits_or_deletes_audit_records_in_the_admin(client_for, records, superuser):
    user = make_user(roles.OFFICER, is_superuser=superuser, is_staff=True)
    enrol_totp(user)
    client = client_for(user)
    record = records[0]
    assert client.get(f"/admin/audit_log/edit/{record.pk}/").status_code in (302, 403, 404)
    client.post(f"/admin/audit_log/edit/{record.pk}/", {"reason": "rewritten"})
    client.post(f"/admin/audit_log/delete/{record.pk}/")
    assert AuditRecord.objects.get(pk=record.pk).reason == "audit finding"
    assert client.get(f"/admin/audit_log/inspect/{record.pk}/").status_code == 200


def test_instructor_and_trainee_cannot_read_the_audit_log(client_for, instructor, trainee, records):
    assert client_for(instructor).get("/admin/audit_log/").status_code in (302, 403)
    assert client_for(trainee).get("/admin/audit_log/").status_code == 302
