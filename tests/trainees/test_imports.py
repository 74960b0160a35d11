"""Bulk import of trainees: check every row first, write in one transaction, idempotent."""

import csv
import io

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from institute.models import AuditRecord, Job
from tests.factories import credit_code
from trainees.imports import parsing
from trainees.imports.parsing import read_rows
from trainees.imports.validation import rows_check
from trainees.models import TraineeProfile, User
from trainees.validators import resident_id_check_character

HEADER = [
    "email",
    "name_zh",
    "name_latin",
    "id_type",
    "id_number",
    "date_of_birth",
    "mobile",
    "organisation_credit_code",
    "job_title",
]


def resident_id(serial: int, birth: str = "19900307") -> str:
    first17 = f"{320500 + serial // 1000}{birth}{serial % 1000:03d}"
    return first17 + resident_id_check_character(first17)


def person_row(serial: int, organisation=None, **changes) -> dict:
    row = {
        "email": f"new.trainee{serial}@example.com",
        "name_zh": f"张{serial}",
        "name_latin": f"ZHANG San {serial}",
        "id_type": "resident",
        "id_number": resident_id(serial),
        "date_of_birth": "1990-03-07",
        "mobile": "13912345678",
        "organisation_credit_code": organisation.credit_code if organisation else "",
        "job_title": "Inspector",
    }
    row.update(changes)
    return row


def csv_bytes(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture
def importer(client_for, django_capture_on_commit_callbacks):
    """Upload a file as a user through the pages; tasks run in-process after commit."""

    class Importer:
        def __init__(self, user):
            self.client = client_for(user)

        def upload(self, content: bytes, name: str = "trainees.csv"):
            with django_capture_on_commit_callbacks(execute=True):
                response = self.client.post(
                    "/en/certification/import/", {"file": SimpleUploadedFile(name, content)}
                )
            return response

        def check(self, content: bytes, name: str = "trainees.csv") -> Job:
            response = self.upload(content, name)
            assert response.status_code == 302, response.content.decode()[:2000]
            return Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])

        def confirm(self, check_job: Job, **data):
            data.setdefault("send_invitations", "on")
            with django_capture_on_commit_callbacks(execute=True):
                return self.client.post(f"/en/certification/import/{check_job.pk}/confirm/", data)

        def run(self, content: bytes, name: str = "trainees.csv", **data) -> Job:
            response = self.confirm(self.check(content, name), **data)
            assert response.status_code == 302, response.content.decode()[:2000]
            return Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])

    return Importer


def test_a_clean_file_creates_trainees_with_verified_email_and_invitation(
    importer, officer, organisation
):
    passport = {"id_type": "护照", "id_number": "e1234567", "date_of_birth": "1985/01/31"}
    rows = [person_row(1, organisation), person_row(2, organisation, mobile="", **passport)]
    job = importer(officer).run(csv_bytes(rows))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["counts"] == {"create": 2, "update": 0, "unchanged": 0, "invalid": 0}
    foreigner = TraineeProfile.objects.get(user__email="new.trainee2@example.com")
    assert (foreigner.id_type, foreigner.id_number) == ("passport", "E1234567")
    profile = TraineeProfile.objects.select_related("user").get(id_number=resident_id(1))
    assert profile.user.email == "new.trainee1@example.com"
    assert (profile.name_zh, profile.organisation, profile.mobile) == (
        "张1",
        organisation,
        "13912345678",
    )
    assert profile.user.groups.filter(name="Trainee").exists()
    assert not profile.user.has_usable_password()
    assert EmailAddress.objects.get(user=profile.user).verified
    assert sorted(message.to[0] for message in mail.outbox) == [
        "new.trainee1@example.com",
        "new.trainee2@example.com",
    ]
    assert (
        AuditRecord.objects.filter(action="trainees.imported", object_id=str(job.pk)).count() == 1
    )


def test_a_file_with_a_bad_row_writes_nothing(importer, officer, organisation):
    rows = [person_row(1, organisation), person_row(2, organisation, email="not-an-email")]
    people_before = User.objects.count()
    run = importer(officer)
    check = run.check(csv_bytes(rows))
    assert check.result["counts"]["invalid"] == 1
    # "Import all" is refused while a row is bad; nothing is started, nothing written.
    response = run.confirm(check)
    assert response.status_code == 400
    assert "rows have errors" in response.content.decode()
    assert Job.objects.filter(parameters__stage="import").count() == 0
    assert User.objects.count() == people_before
    assert not mail.outbox


def test_the_error_report_names_row_and_column(importer, officer, organisation, trainee):
    trainee.profile.id_number = resident_id(900)
    trainee.profile.save()
    rows = [
        person_row(1, organisation),  # row 2: fine
        person_row(2, organisation, email="bad@"),  # row 3
        person_row(3, organisation, email="new.trainee1@example.com"),  # row 4: same as row 2
        person_row(4, None, organisation_credit_code=credit_code(99999)),  # row 5: unknown
        person_row(5, organisation, id_number=resident_id(5)[:-1] + "0"),  # row 6
        person_row(6, organisation, date_of_birth="1990-02-30"),  # row 7
        person_row(7, organisation, date_of_birth="1991-03-07"),  # row 8
        person_row(8, organisation, id_number=resident_id(900)),  # row 9: someone else's ID
        person_row(9, organisation, name_zh="", name_latin=""),  # row 10
    ]
    check = importer(officer).check(csv_bytes(rows))
    found = {(error["row"], error["column"]) for error in check.result["errors"]}
    assert found == {
        (3, "email"),
        (4, "email"),
        (5, "organisation_credit_code"),
        (6, "id_number"),
        (7, "date_of_birth"),
        (8, "date_of_birth"),
        (9, "id_number"),
        (10, "name_zh"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in check.result["errors"]}
    assert "row 2" in messages[(4, "email")]
    assert "does not match the birth date" in messages[(8, "date_of_birth")]
    assert "No organisation" in messages[(5, "organisation_credit_code")]
    assert "not a date" in messages[(7, "date_of_birth")]
    page = importer(officer).client.get(f"/en/certification/import/{check.pk}/")
    assert "check digit" in page.content.decode()
    assert check.result["counts"] == {"create": 1, "update": 0, "unchanged": 0, "invalid": 8}


def test_valid_rows_only_when_the_officer_chooses_so(importer, officer, organisation):
    rows = [person_row(1, organisation), person_row(2, organisation, date_of_birth="yesterday")]
    job = importer(officer).run(csv_bytes(rows), valid_only="on")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["counts"]["create"] == 1 and job.result["counts"]["invalid"] == 1
    assert User.objects.filter(email__startswith="new.trainee").count() == 1
    page = importer(officer).client.get(f"/en/certification/import/{job.pk}/").content.decode()
    assert "the 1 rows with errors were skipped" in page and "yesterday" in page


def test_reimporting_the_same_file_changes_nothing(importer, officer, organisation):
    content = csv_bytes([person_row(1, organisation), person_row(2, organisation)])
    run = importer(officer)
    run.run(content)
    profiles_before = list(TraineeProfile.objects.order_by("pk").values())
    audits_before = AuditRecord.objects.count()
    mail.outbox.clear()
    again = run.run(content)
    again.refresh_from_db()
    assert again.status == Job.Status.SUCCEEDED, again.error
    assert again.result["counts"] == {"create": 0, "update": 0, "unchanged": 2, "invalid": 0}
    assert list(TraineeProfile.objects.order_by("pk").values()) == profiles_before
    assert AuditRecord.objects.count() == audits_before
    assert not mail.outbox


def test_changed_details_update_the_person_and_another_identity_is_refused(
    importer, officer, organisation, other_organisation
):
    run = importer(officer)
    run.run(csv_bytes([person_row(1, organisation), person_row(2, organisation)]))
    changed = person_row(1, other_organisation, mobile="13800000000", job_title="")
    thief = person_row(2, organisation, id_number=resident_id(77))
    job = run.run(csv_bytes([changed, thief]), valid_only="on")
    job.refresh_from_db()
    assert job.result["counts"] == {"create": 0, "update": 1, "unchanged": 0, "invalid": 1}
    assert job.result["errors"][0]["column"] == "email"
    profile = TraineeProfile.objects.get(id_number=resident_id(1))
    # An empty optional cell leaves the stored value alone.
    assert (profile.mobile, profile.organisation, profile.job_title) == (
        "13800000000",
        other_organisation,
        "Inspector",
    )


def test_invitation_link_lets_the_person_choose_a_password(importer, officer, client):
    importer(officer).run(csv_bytes([person_row(1)]))
    body = mail.outbox[0].body
    link = next(word for word in body.split() if "/accounts/password/reset/key/" in word)
    path = link.split("testserver", 1)[1]
    page = client.get(path, follow=True)
    assert page.status_code == 200
    response = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path,
        {"password1": "a-Long-new-pass-2026", "password2": "a-Long-new-pass-2026"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.trainee1@example.com")
    assert user.check_password("a-Long-new-pass-2026")
    # The link worked once; the person now has a password, so no second invitation goes out.
    from trainees.imports.invitations import invitations_send

    assert invitations_send(user_ids=[user.pk]) == 0


def test_manager_imports_only_into_their_own_organisation(
    importer, manager, organisation, other_organisation, other_trainee
):
    rows = [
        person_row(1, organisation),
        person_row(2, other_organisation),
        person_row(3, None),
        person_row(4, organisation, email=other_trainee.email),
    ]
    check = importer(manager).check(csv_bytes(rows))
    found = {(error["row"], error["column"]) for error in check.result["errors"]}
    assert found == {(3, "organisation_credit_code"), (4, "organisation_credit_code"), (5, "email")}
    assert check.result["counts"]["create"] == 1


def test_only_importers_reach_the_pages(
    importer, client, client_for, officer, trainee, manager, other_manager, organisation
):
    for user in (trainee,):
        assert client_for(user).get("/en/certification/import/").status_code == 404
        assert client_for(user).get("/en/certification/import/template.csv").status_code == 404
    assert client.get("/en/certification/import/").status_code == 302  # to the login page
    assert client_for(manager).get("/en/certification/import/").status_code == 200
    check = importer(manager).check(csv_bytes([person_row(1, organisation)]))
    for user in (other_manager, officer, trainee):
        other = client_for(user)
        assert other.get(f"/en/certification/import/{check.pk}/").status_code == 404
        assert other.post(f"/en/certification/import/{check.pk}/confirm/").status_code == 404
    assert not User.objects.filter(email="new.trainee1@example.com").exists()


def test_templates_download_with_the_documented_columns(client_for, officer):
    client = client_for(officer)
    response = client.get("/en/certification/import/template.csv")
    assert response.content.decode("utf-8-sig").strip() == ",".join(HEADER)
    response = client.get("/en/certification/import/template.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert [cell.value for cell in next(sheet.iter_rows())] == HEADER


def test_an_xlsx_file_imports_with_numbers_and_dates_typed_as_cells(
    importer, officer, organisation
):
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    row = person_row(1, organisation)
    row.update(date_of_birth=datetime.datetime(1990, 3, 7), mobile=13912345678)
    sheet.append([row[key] for key in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = importer(officer).run(buffer.getvalue(), name="trainees.xlsx")
    job.refresh_from_db()
    assert job.result["counts"]["create"] == 1, job.result
    assert TraineeProfile.objects.get(id_number=resident_id(1)).mobile == "13912345678"


def test_files_that_cannot_be_imported_are_refused_with_a_clear_message(
    importer, officer, organisation, monkeypatch
):
    run = importer(officer)
    gbk = ("email,name_zh,id_number\nx@example.com,张三," + resident_id(1) + "\n").encode("gbk")
    response = run.upload(gbk)
    assert response.status_code == 200 and "not in UTF-8" in response.content.decode()
    response = run.upload(b"x" * (5 * 1024 * 1024 + 1))
    assert "larger than 5 MB" in response.content.decode()
    response = run.upload(b"email\n", name="trainees.txt")
    assert ".xlsx" in response.content.decode()
    unknown = run.check(b"email,name_zh,id_number,e-mail\n")
    assert unknown.status == Job.Status.FAILED and "e-mail" in unknown.error
    monkeypatch.setattr(parsing, "MAX_ROWS", 2)
    too_many = run.check(csv_bytes([person_row(n, organisation) for n in range(3)]))
    assert too_many.status == Job.Status.FAILED and "more than 2 rows" in too_many.error
    assert not User.objects.filter(email__startswith="new.trainee").exists()


def _check_queries(rows: int, organisation, django_assert_max_num_queries):
    content = csv_bytes([person_row(n, organisation) for n in range(rows)])
    sources = read_rows(content=content, filename="t.csv")
    with django_assert_max_num_queries(4):
        check = rows_check(sources, allowed_organisation_ids=None)
    return check


def test_checking_does_not_query_per_row(organisation, django_assert_max_num_queries):
    assert _check_queries(5, organisation, django_assert_max_num_queries).counts()["create"] == 5
    assert (
        _check_queries(400, organisation, django_assert_max_num_queries).counts()["create"] == 400
    )


def _write_queries(rows: int, first: int, officer, organisation) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from institute.jobs import job_create
    from trainees.imports.writing import trainees_import_write

    job = job_create(kind="trainees.import", owner=officer, parameters={"filename": "t.csv"})
    content = csv_bytes([person_row(n, organisation) for n in range(first, first + rows)])
    check = rows_check(read_rows(content=content, filename="t.csv"), allowed_organisation_ids=None)
    with CaptureQueriesContext(connection) as queries:
        trainees_import_write(
            check=check, by=officer, job=job, valid_only=False, send_invitations=False
        )
    return len(queries)


def test_writing_queries_in_batches_not_per_row(officer, organisation):
    few = _write_queries(20, 0, officer, organisation)
    many = _write_queries(600, 1000, officer, organisation)
    assert TraineeProfile.objects.filter(organisation=organisation).count() == 620
    # Bulk inserts: SQLite splits them into batches of its parameter limit (about 90 rows).
    assert many - few <= 600 // 40


def test_confirming_twice_starts_one_import(importer, officer, organisation):
    run = importer(officer)
    check = run.check(csv_bytes([person_row(1, organisation)]))
    first, second = run.confirm(check), run.confirm(check)
    assert first.url == second.url
    assert Job.objects.filter(parameters__check_job=str(check.pk)).count() == 1
    assert User.objects.filter(email="new.trainee1@example.com").count() == 1


def test_admin_menu_offers_the_import_to_officers_only(client_for, officer, instructor):
    assert "/certification/import/" in client_for(officer).get("/admin/").content.decode()
    assert "/certification/import/" not in client_for(instructor).get("/admin/").content.decode()
