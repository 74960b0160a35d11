"""Uploads are checked by content, size and type; hostile import files are refused with a clear
message and write nothing (institute/uploads.py)."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override
from openpyxl import Workbook

from exams.models import Question, QuestionCategory
from exams.services.importing import questions_import
from institute import uploads
from tests.trainees.certification_factories import scheme_version  # noqa: F401 - fixture
from trainees.models import ApplicationEvidence, CpdActivity

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"
HTML = b"<html><script>alert(document.cookie)</script></html>"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


# --- The shared validator ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("record.pdf", PDF), ("photo.png", "png"), ("scan.jpg", "jpeg"), ("scan.JPEG", "jpeg")],
)
def test_evidence_validator_accepts_real_pdf_png_and_jpeg(name, content):
    from PIL import Image

    if content in ("png", "jpeg"):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(buffer, content.upper())
        content = buffer.getvalue()
    uploads.validate_evidence_file(upload(name, content))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("page.html", HTML, "file_type"),  # type not allowed at all
        ("page.pdf", HTML, "file_content"),  # HTML renamed to .pdf
        ("tool.png", b"MZ\x90\x00\x03" + b"\x00" * 64, "file_content"),  # executable as .png
        ("photo.pdf", "png", "file_content"),  # a real PNG under a PDF name
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image_broken"),  # PNG magic, no image
        ("cut.png", "cut", "image_broken"),  # a truncated PNG
        ("empty.pdf", b"", "file_empty"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 30, "file_type"),  # no longer accepted
    ],
)
def test_evidence_validator_refuses_hostile_and_malformed_files(name, content, code):
    if content == "png":
        content = png_bytes()
    elif content == "cut":
        content = png_bytes()[:40]
    with pytest.raises(ValidationError) as refused:
        uploads.validate_evidence_file(upload(name, content))
    assert refused.value.code == code
    assert str(refused.value.messages[0])


def test_evidence_validator_refuses_an_oversized_file(settings):
    settings.UPLOAD_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        uploads.validate_evidence_file(upload("big.pdf", PDF + b" " * 2000))
    assert refused.value.code == "file_too_large"
    assert "1.0\xa0KB" in refused.value.messages[0]


# --- Application and CPD evidence through the pages ----------------------------------------


def test_hostile_evidence_upload_is_refused_with_a_message_and_writes_nothing(
    client_for,
    trainee,
    scheme_version,  # noqa: F811
):
    from trainees.services import application_submit

    application = application_submit(candidate=trainee, scheme=scheme_version.scheme, by=trainee)
    url = f"/en/certification/applications/{application.pk}/evidence/"
    client = client_for(trainee)
    for name, content in [("cv.pdf", HTML), ("photo.png", PDF), ("x.svg", b"<svg onload=1/>")]:
        response = client.post(
            url,
            {"kind": "document", "description": name, "file": upload(name, content)},
            follow=True,
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "Check the evidence form." in text
        assert "not accepted" in text or "content is not a" in text
    good = client.post(url, {"kind": "document", "description": "ok", "file": upload("a.pdf", PDF)})
    assert good.status_code == 302
    assert list(ApplicationEvidence.objects.values_list("description", flat=True)) == ["ok"]


def test_hostile_cpd_evidence_is_a_form_error_and_writes_nothing(client_for, trainee):
    data = {"date": "2026-01-05", "hours": "2", "category": "training", "title": "内审员培训"}
    client = client_for(trainee)
    response = client.post("/en/certification/cpd/", {**data, "evidence": upload("a.pdf", HTML)})
    assert response.status_code == 200
    assert "content is not a PDF file" in response.content.decode()
    assert not CpdActivity.objects.exists()
    response = client.post("/en/certification/cpd/", {**data, "evidence": upload("a.pdf", PDF)})
    assert response.status_code == 302
    assert CpdActivity.objects.get().evidence.name.endswith(".pdf")


# --- Wagtail documents and images ----------------------------------------------------------


def _add_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": upload(name, content), "collection": 1},
    )


def test_wagtail_document_content_must_match_its_type(client_for, officer):
    from wagtail.documents.models import Document

    client = client_for(officer)
    for name, content in [
        ("notice.pdf", HTML),  # HTML renamed to .pdf
        ("notice.html", HTML),  # HTML not an allowed type
        ("bundle.zip", b"PK\x03\x04" + b"\x00" * 30),  # archives no longer accepted
        ("sheet.xlsx", PDF),
        ("readme.txt", b"MZ\x90\x00\x03\x00\x00\x00"),
    ]:
        response = _add_document(client, name, content)
        assert response.status_code == 200, name
        assert response.context["form"].errors["file"], name
    assert not Document.objects.exists()
    assert _add_document(client, "rules.pdf", PDF).status_code == 302
    assert _add_document(client, "notes.txt", "培训须知".encode()).status_code == 302
    assert Document.objects.count() == 2


def test_wagtail_refuses_a_fake_image(client_for, officer):
    from wagtail.images.models import Image

    response = client_for(officer).post(
        reverse("wagtailimages:add"),
        {"title": "x", "file": upload("x.png", b"\x89PNG\r\n\x1a\n" + HTML), "collection": 1},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Image.objects.exists()


# --- Import files: XLSX zip bombs, XML entity attacks, CSV encodings -----------------------


def zip_bomb(members: int = 1, size: int = 60 * 1024**2) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(members):
            archive.writestr(f"xl/worksheets/sheet{number}.xml", b"\x00" * size)
    return buffer.getvalue()


def many_members(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(count):
            archive.writestr(f"part{number}.xml", "<a/>")
    return buffer.getvalue()


@pytest.mark.django_db
def test_xlsx_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    bomb = zip_bomb()
    assert len(bomb) < 100 * 1024  # 60 MB of zeros in under 100 KB
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a refused archive")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    report = questions_import(content=bomb, filename="bank.xlsx", category="Bank")
    [error] = report.errors
    assert re.fullmatch(
        r"The archive is compressed suspiciously well \(\d{3,}:1\); refused\.", error
    )
    assert not Question.objects.exists()


def test_xlsx_with_too_much_uncompressed_data_or_too_many_members_is_refused():
    with pytest.raises(ValidationError) as refused:
        uploads.check_xlsx_content(zip_bomb(members=3, size=40 * 1024**2))
    assert refused.value.code == "archive_too_large"
    with pytest.raises(ValidationError) as refused:
        uploads.check_xlsx_content(many_members(1001))
    assert refused.value.code == "archive_members"
    with pytest.raises(ValidationError) as refused:
        uploads.check_xlsx_content(b"PK\x03\x04 not really a zip")
    assert refused.value.code == "archive_broken"


def test_a_real_workbook_passes_the_archive_checks():
    workbook = Workbook()
    for row in range(2000):
        workbook.active.append([f"question {row}", "single", "电压?", 1, "a", "b", "1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert uploads.check_spreadsheet_upload(buffer.getvalue(), name="bank.xlsx") == "xlsx"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="truefalse"><name><text>&lol9;</text></name>
<questiontext format="html"><text>&lol9;</text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question></quiz>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><name><text>&secret;</text></name>
<questiontext format="html"><text>&secret;</text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
</question></quiz>"""


@pytest.mark.django_db
@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_xml_entity_attacks_are_refused_with_a_clear_message_and_write_nothing(content):
    report = questions_import(content=content, filename="quiz.xml", category="Imports")
    assert report.errors == ["the file declares XML entities or a DTD, which are not accepted"]
    assert report.created == 0
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_xml_entity_attack_through_the_import_page_is_a_clear_message(client_for, instructor):
    response = client_for(instructor).post(
        "/en/exams/import/",
        {"file": upload("quiz.xml", BILLION_LAUGHS), "category": "Imports", "format": ""},
    )
    assert response.status_code == 200
    assert "declares XML entities or a DTD" in response.content.decode()
    assert not Question.objects.exists()


def test_oversized_import_file_is_a_form_error(client_for, instructor, settings):
    settings.UPLOAD_IMPORT_MAX_BYTES = 2048
    response = client_for(instructor).post(
        "/en/exams/import/",
        {"file": upload("big.gift", b"::Q:: x {T}\n" * 500), "category": "Imports"},
    )
    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_csv_in_another_encoding_is_refused_with_a_clear_message():
    content = "category,name,type,stem_zh\n电气,耐压,truefalse,对吗?\n".encode("gb18030")
    report = questions_import(content=content, filename="bank.csv", category="Bank")
    assert report.errors == [
        "The CSV file is not UTF-8 text; save it as “CSV UTF-8” and upload it again."
    ]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("people.csv", "姓名,证件\n".encode("gb18030"), "csv_encoding"),
        ("people.csv", b"email\x00,x\n", "csv_binary"),
        ("people.xls", b"\xd0\xcf\x11\xe0", "file_type"),
        ("people.xlsx", b"email,name\n", "file_content"),
        ("people.xlsx", zip_bomb(), "archive_ratio"),
    ],
)
def test_spreadsheet_upload_check_for_other_importers(name, content, code):
    with pytest.raises(ValidationError) as refused:
        uploads.check_spreadsheet_upload(upload(name, content))
    assert refused.value.code == code
